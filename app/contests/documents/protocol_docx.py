"""The протокол заседания жюри as a Word document the chair and the members sign.

Contest, date and place, the jury with its chair, the nominations; per nomination the ranked
table (place, entry, criterion means, total, jurors, SD), the winners, prize-winners and
laureates, notes on ties, incomplete scoring and disagreement, and the jury's agreement
(Kendall's W); then, per nomination, who did not score which entry and why (own organization,
declared conflict of interest), and the signature lines. Until every nomination is finalized the
document is a draft, headed «ПРОЕКТ». For a reader from whom a blind contest hides names, entries
are numbers and jurors have no organization (see ``documents.Protocol``).
"""

from itertools import groupby

from docx.shared import Cm, Pt, RGBColor

from app.contests.documents import (
    AGREEMENT_WORDS,
    DASH,
    ROMAN,
    Protocol,
    criterion_label,
    method_notes,
    score_text,
    sheet_total,
)
from app.contests.documents.finality import finality_notes
from app.contests.standings import Standing
from app.core.text import quoted
from app.core.timefmt import date_filter
from app.core.word import TEXT_WIDTH, clean, new_document, paragraph, set_widths, table
from app.db import utcnow

SIGNATURE = "____________ / подпись"
PLACE_WIDTH, ENTRY_WIDTH, CODE_WIDTH = Cm(1.7), Cm(3.5), Cm(1.2)
FIGURE_WIDTHS = [Cm(1.5), Cm(2.1), Cm(1.5)]  # Итог, Оценили, Ст. откл.


def write_protocol_docx(protocol: Protocol, target) -> None:
    """Writes the protocol to ``target`` (a path or a binary file object)."""
    document = new_document()
    contest = protocol.contest
    document.core_properties.title = clean(f"Протокол заседания жюри: {contest.title}")
    if protocol.is_draft:
        draft = paragraph(document, "ПРОЕКТ", bold=True, size=16, center=True)
        draft.runs[0].font.color.rgb = RGBColor(0xB0, 0, 0)
        paragraph(document, "Итоги утверждены не во всех номинациях.", size=11, center=True)
    document.add_heading("Протокол заседания жюри", 0)
    paragraph(document, f"конкурса {quoted(contest.title)}", bold=True, center=True)
    paragraph(document)
    paragraph(document, f"Дата: {date_filter(utcnow())}")
    paragraph(document, f"Место проведения: {_place(contest.organization)}")
    _jury(document, protocol)
    document.add_heading("Номинации", 1)
    for number, current in enumerate(protocol.standings, start=1):
        paragraph(document, f"{number}. {current.nomination.title}")
    paragraph(document)
    for line in method_notes(protocol):
        paragraph(document, line, size=10)
    for current in protocol.standings:
        _nomination(document, protocol, current)
    _conflicts(document, protocol)
    _signatures(document, protocol)
    document.save(target)


def _place(organization) -> str:
    parts = [organization.locality, organization.name]
    return ", ".join(part for part in parts if part)


def _jury(document, protocol: Protocol) -> None:
    document.add_heading("Состав жюри", 1)
    jurors = protocol.jurors()
    if not jurors:
        paragraph(document, "Состав жюри не утверждён.")
    for juror in jurors:
        role = "председатель жюри" if juror.is_chair else "член жюри"
        organization = protocol.juror_organization(juror)
        where = f" ({organization})" if organization else ""
        paragraph(document, f"{juror.user.full_name}{where} — {role}")


# A nomination


def _nomination(document, protocol: Protocol, current: Standing) -> None:
    nomination, result = current.nomination, current.result
    document.add_heading(clean(f"Номинация {quoted(nomination.title)}"), 1)
    if nomination.is_finalized:
        paragraph(document, f"Итоги утверждены {date_filter(nomination.finalized_at)}.")
    else:
        paragraph(document, "Итоги не утверждены (проект).")
    for note in finality_notes(current):
        paragraph(document, note)
    if not result.held:
        paragraph(document, "Номинация не состоялась", bold=True)
        paragraph(
            document,
            f"Подано работ: {len(current.entries)}; необходимо не менее "
            f"{protocol.contest.min_entries}.",
        )
    if not current.entries:
        return
    _ranking(document, protocol, current)
    if result.held:
        _awards(document, protocol, current)
    notes = _tie_notes(current) + _scoring_notes(current) + _normalisation_note(current)
    if notes:
        paragraph(document, "Примечания:", bold=True)
        for note in notes:
            paragraph(document, note)
    paragraph(document, _agreement(result.agreement))


def _ranking(document, protocol: Protocol, current: Standing) -> None:
    """The ranked table with the criteria as К1, К2… and their names in a legend under it: a
    criterion's name in a column as narrow as a figure would break inside its words."""
    criteria = current.criteria
    codes = [f"К{number}" for number in range(1, len(criteria) + 1)]
    header = ["Место", "Работа", *codes, "Итог", "Оценили", "Ст. откл."]
    rows = []
    for result in current.result.entries:
        rows.append(
            [
                str(result.place) if result.place else DASH,
                _entry(protocol, current, result.entry_id),
                *(score_text(result.means.get(c.id)) for c in criteria),
                score_text(result.total),
                f"{result.jurors} из {result.assigned}",
                score_text(result.sd),
            ]
        )
    paragraph(document)
    _widths(table(document, header, rows), len(criteria))
    legend = "; ".join(
        f"{code} — {criterion_label(c)}" for code, c in zip(codes, criteria, strict=True)
    )
    paragraph(document, f"Критерии: {legend}.", size=10)
    paragraph(document)


def _widths(grid, criteria: int) -> None:
    """The entry column as wide as the figures leave it, so that no heading breaks inside a
    word."""
    code = min(
        CODE_WIDTH,
        (TEXT_WIDTH - PLACE_WIDTH - ENTRY_WIDTH - sum(FIGURE_WIDTHS)) // max(criteria, 1),
    )
    figures = [code] * criteria + FIGURE_WIDTHS
    set_widths(grid, [PLACE_WIDTH, TEXT_WIDTH - PLACE_WIDTH - sum(figures), *figures])


def _entry(protocol: Protocol, current: Standing, entry_id: int) -> str:
    return _entry_name(protocol, current.entries[entry_id])


def _entry_name(protocol: Protocol, entry) -> str:
    """«№ 3 «Title», School», or «№ 3» alone while a blind contest hides names."""
    title, organization = protocol.entry_title(entry), protocol.organization(entry)
    name = f"№ {entry.number}" + (f" {quoted(title)}" if title else "")
    return name + (f", {organization}" if organization else "")


def _awards(document, protocol: Protocol, current: Standing) -> None:
    ranked = current.result.entries
    for title, heading in (
        ("winner", "Победитель"),
        ("prize_winner", "Призёры"),
        ("laureate", "Лауреаты"),
    ):
        chosen = [r for r in ranked if r.title == title]
        if not chosen:
            continue
        paragraph(document, f"{heading}:", bold=True)
        for result in chosen:
            place = f"{ROMAN.get(result.place, result.place)} место, "
            line = f"{_entry(protocol, current, result.entry_id)} — {place}"
            paragraph(document, f"{line}итоговый балл {score_text(result.total)}")
    if not any(r.title == "winner" for r in ranked):
        paragraph(document, "Победитель не определён: нет завершённых оценок.")


# Notes


def _numbers(current: Standing, results) -> str:
    """«№ 1, № 3 и № 4»"""
    numbers = [f"№ {current.entries[r.entry_id].number}" for r in results]
    return " и ".join([", ".join(numbers[:-1]), numbers[-1]] if len(numbers) > 1 else numbers)


def _tie_notes(current: Standing) -> list[str]:
    """Per group of equal totals: which priority criterion settled the places, and which places
    are still shared."""
    priority = sorted(
        (c for c in current.criteria if c.tie_priority is not None),
        key=lambda c: (c.tie_priority, c.id),
    )
    tied = [r for r in current.result.entries if r.tie_note]
    notes = []
    for total, group in groupby(tied, key=lambda r: r.total):
        group = list(group)
        notes.append(
            f"Работы {_numbers(current, group)} набрали равный итоговый балл {score_text(total)}."
        )
        used, parts = _settle(group, priority)
        for criterion in used:
            means = ", ".join(
                f"№ {current.entries[r.entry_id].number} — {score_text(r.means.get(criterion.id))}"
                for r in group
            )
            notes.append(
                f"Места распределены по приоритетному критерию {quoted(criterion.name)} "
                f"(средние баллы: {means})."
            )
        for part in (p for p in parts if len(p) > 1):
            notes.append(
                f"Работы {_numbers(current, part)} равны и по приоритетным критериям и "
                f"разделили {part[0].place} место."
            )
    return notes


def _settle(group: list, priority: list) -> tuple[list, list[list]]:
    """The priority criteria that split the group, in order, and the parts left."""
    parts, used = [group], []
    for criterion in priority:
        split = []
        for part in parts:
            by_mean = [list(g) for _, g in groupby(part, key=lambda r: r.means.get(criterion.id))]
            split.extend(by_mean)
        if len(split) > len(parts):
            used.append(criterion)
        parts = split
    return used, parts


def _scoring_notes(current: Standing) -> list[str]:
    notes = []
    for result in current.result.entries:
        number = current.entries[result.entry_id].number
        if result.jurors == 0:
            notes.append(f"Работа № {number}: завершённых оценок нет, место не определено.")
        elif result.incomplete:
            notes.append(
                f"Работа № {number}: оценили {result.jurors} из {result.assigned} членов жюри, "
                "итог рассчитан по завершённым оценкам."
            )
        sheets = {a.juror_id: a for a in current.sheets[result.entry_id]}
        for juror_id in result.outliers:
            sheet = sheets[juror_id]
            total = score_text(sheet_total(sheet, current.criteria))
            notes.append(
                f"Работа № {number}: итоговая оценка {total} ({sheet.juror.user.full_name}) "
                "существенно отличается от оценок других членов жюри — вынесено на обсуждение."
            )
    return notes


def _normalisation_note(current: Standing) -> list[str]:
    """Shown beside the raw results, never instead of them: only when jurors scored different
    sets of entries, where a strict or a lenient juror could tilt the totals."""
    result = current.result
    if not result.held or not result.normalisation_needed:
        return []
    figures = ", ".join(
        f"№ {current.entries[r.entry_id].number} — {score_text(r.normalised)}"
        for r in result.entries
        if r.normalised is not None
    )
    return [
        "Члены жюри оценивали разные наборы работ. Для справки — итоги, нормированные по "
        f"каждому члену жюри: {figures}. Места определены по итоговым баллам."
    ]


def _agreement(agreement) -> str:
    if agreement is None:
        return (
            "Согласованность оценок жюри (коэффициент конкордации Кендалла W) не рассчитана: "
            "нужны не менее двух членов жюри, оценивших не менее двух общих работ."
        )
    return (
        f"Согласованность оценок жюри: коэффициент конкордации Кендалла W = "
        f"{score_text(agreement.w)} — {AGREEMENT_WORDS[agreement.level]} "
        f"(членов жюри: {agreement.jurors}, работ: {agreement.entries})."
    )


# Conflicts and signatures


def _conflicts(document, protocol: Protocol) -> None:
    """Per nomination, the jurors who did not score an entry: its own organization's, and those
    who declared a conflict of interest, with their reason."""
    document.add_heading("Конфликты интересов", 1)
    by_nomination = [(current, protocol.sat_out(current)) for current in protocol.standings]
    if not any(sat_out for _current, sat_out in by_nomination):
        paragraph(document, "Заявлений о конфликте интересов не поступало.")
        paragraph(document, "Членов жюри из организаций, подавших работы, нет.")
        return
    header = ["Член жюри", "Работа", "Причина", "Дата"]
    for current, sat_out in by_nomination:
        if not sat_out:
            continue
        title = paragraph(document, f"Номинация {quoted(current.nomination.title)}", bold=True)
        title.paragraph_format.keep_with_next = True
        rows = [
            [
                line.juror.user.full_name,
                _entry_name(protocol, line.entry),
                line.why,
                date_filter(line.declared_at) if line.declared_at else DASH,
            ]
            for line in sat_out
        ]
        table(document, header, rows, first_left=3)
        paragraph(document)
    paragraph(document, "Работы оценены без участия указанных членов жюри.")


def _signatures(document, protocol: Protocol) -> None:
    document.add_heading("Подписи", 1)
    for juror in protocol.jurors():
        role = "Председатель жюри" if juror.is_chair else "Член жюри"
        line = paragraph(document, f"{role}: {juror.user.full_name}    {SIGNATURE}")
        line.paragraph_format.space_before = Pt(18)
