"""The аналитическая справка of a campaign: a Word document a methodologist edits, not rewrites.

The parts follow shared/DOMAIN.md: introduction, coverage and method; a section per block of the
form with tables and sentences that state the figures; indicators; dynamics against an earlier
campaign; conclusions and the recommendations that follow from them; the organizations that did
not answer; executor and date; appendices per school. Every figure comes from campaign_report
and indicator_report, so the document agrees with the report page.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

import sqlalchemy as sa

from app.accounts.models import User
from app.campaigns.models import Answer, Campaign, Response, ResponseStatus
from app.campaigns.visits import NOT_VISITED, VISITED
from app.core.text import quoted
from app.core.timefmt import date_filter
from app.core.word import Writer
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import reported_definition
from app.questionnaires.spec import YES
from app.reports import headlines
from app.reports.aggregates import (
    COUNTED,
    ReportFilter,
    campaign_report,
    missing_responses,
    options_of,
    responses_clause,
)
from app.reports.exports import charts
from app.reports.exports.letterhead import write_document
from app.reports.exports.wording import (
    DASH,
    lower_first,
    percent_of,
    percent_text,
    period_text,
    plural,
    sentence_label,
    share_text,
)
from app.reports.indicators import indicator_report
from app.reports.plausibility import Suspect
from app.reports.rounding import figure_text, measure_places, value_places

CHARTED = ("single", "multiple")
TEXT_QUESTIONS = ("text", "textarea")
NUMBERS_HEADER = ["Вопрос", "Ответили", "Сумма", "Среднее", "Медиана", "Мин.", "Макс."]
VISIT_SENTENCES = {
    VISITED: "Учтены только анкеты, заполненные специалистами управления образования при "
    "посещении библиотек.",
    NOT_VISITED: "Учтены только анкеты, заполненные без посещений библиотек.",
}


# What the document says


@dataclass
class _Brief:
    viewer: User
    campaign: Campaign
    report_filter: ReportFilter
    suspects: Sequence[Suspect] = ()
    report: dict = field(init=False)
    indicators: list[dict] = field(init=False)
    missing: list[tuple[str, ResponseStatus]] = field(init=False)

    def __post_init__(self):
        self.report = campaign_report(self.viewer, self.campaign, self.report_filter)
        self.indicators = indicator_report(self.viewer, self.campaign, self.report_filter)
        missing = missing_responses(self.viewer, self.campaign, self.report_filter)
        self.missing = [(row.name, row.status) for row in missing]

    def entries(self, *kinds: str):
        for section in self.report["sections"]:
            yield from (e for e in section["questions"] if e["question"]["type"] in kinds)

    def doubtful(self, key: str) -> list[Suspect]:
        """The unconfirmed suspicious values a district figure of ``key`` includes."""
        return [s for s in self.suspects if s.key == key and not s.checked]

    def marked(self, key: str, value, places: int, unit: str = "") -> str:
        """A district figure of ``key`` with its unit, starred when it includes an unconfirmed
        value."""
        mark = "*" if self.doubtful(key) else ""
        return f"{figure_text(value, places)} {unit}".rstrip() + mark

    def coverage(self) -> tuple[int, int]:
        completion = self.report["completion"]
        return sum(completion["statuses"][s] for s in COUNTED), completion["total"]


def write_docx(
    viewer: User,
    campaign: Campaign,
    report_filter: ReportFilter | None,
    target,
    *,
    executor: str,
    previous: Campaign | None = None,
    suspects: Sequence[Suspect] = (),
    template: bytes | None = None,
) -> None:
    """Writes the справка to ``target`` (a path or a binary file object); with ``template``
    (a district's .docx with docxtpl variables), into that template (exports/templates.py)."""
    brief = _Brief(viewer, campaign, report_filter or ReportFilter(), suspects)
    title = f"Аналитическая справка по итогам мониторинга {quoted(campaign.title)}"
    write_document(
        campaign.organization,
        title,
        executor,
        target,
        lambda writer: _body(writer, brief, previous),
        template,
    )


def _body(writer: Writer, brief: _Brief, previous: Campaign | None) -> None:
    _introduction(writer, brief)
    appendix = _Appendix(brief)
    writer.heading("Результаты мониторинга")
    for section in brief.report["sections"]:
        _block(writer, section, appendix)
    _indicators(writer, brief)
    if previous is not None:
        _dynamics(writer, brief, _Brief(brief.viewer, previous, brief.report_filter))
    _conclusions(writer, brief)
    _missing(writer, brief)
    _remarks(writer, brief)
    appendix.write(writer)


def _introduction(writer: Writer, brief: _Brief) -> None:
    campaign, definition = brief.campaign, reported_definition(brief.campaign.form_version)
    purpose = lower_first(definition["description"].strip().rstrip(".")) or (
        f"сбор и анализ сведений по теме {quoted(definition['title'])}"
    )
    answered, total = brief.coverage()
    completion = brief.report["completion"]
    statuses = ", ".join(f"«{ResponseStatus(s).label}»" for s in brief.report_filter.statuses)
    writer.heading("Общие сведения")
    writer.text(f"Цель мониторинга: {purpose}.")
    writer.text(f"Объект мониторинга: организации, которым направлена анкета ({total}).")
    writer.text(f"Сроки проведения: {period_text(campaign)}.")
    writer.text(f"Основание: приказ {campaign.organization.display_name} от ___ № ___.")
    verb = plural(answered, "Ответила", "Ответили", "Ответили")
    writer.text(
        f"{verb} {share_text(answered, total)}: в срок {DASH} {completion['on_time']}, "
        f"с опозданием {DASH} {completion['late']}."
    )
    writer.text(
        "Мониторинг проведён на информационной платформе управления образования: организации "
        f"заполнили электронную анкету {quoted(definition['title'])} "
        f"(версия {definition['version']}). "
        f"В анализ включены анкеты в статусах {statuses}; проценты рассчитаны от числа "
        "организаций, ответивших на вопрос."
    )
    if brief.report_filter.visits in VISIT_SENTENCES:
        writer.text(VISIT_SENTENCES[brief.report_filter.visits])


# The blocks of the form


def _block(writer: Writer, section: dict, appendix: "_Appendix") -> None:
    title = section["name"]
    writer.heading(title, 2)
    headline = headlines.block_headline(section)
    if headline:
        writer.text(headline)
    entries = section["questions"]
    _yes_no_chart(writer, title, entries)
    for numeric, run in groupby(entries, key=lambda e: e["report"]["kind"] == "numbers"):
        if numeric:
            _numbers(
                writer, appendix.brief, list(run), f"Числовые показатели раздела {quoted(title)}"
            )
        else:
            for entry in run:
                _question(writer, entry["question"], entry["report"])
    number = appendix.number_of(section)
    if number:
        writer.text(f"Сведения по организациям приведены в приложении {number}.")
    if any(entry["question"]["key"] in appendix.texts for entry in entries):
        writer.text(f"Текстовые ответы приведены в приложении {appendix.text_number}.")


def _yes_no_chart(writer: Writer, title: str, entries: list[dict]) -> None:
    rows = []
    for entry in entries:
        report = entry["report"]
        if entry["question"]["type"] == "yesno" and report["respondents"]:
            yes = next(o["count"] for o in report["options"] if o["code"] == YES)
            rows.append((sentence_label(entry["question"]), yes, report["respondents"] - yes))
    if rows:
        writer.picture(charts.yes_no_bars(rows), f"Ответы «да» и «нет»: {lower_first(title)}")


def _numbers(writer: Writer, brief: _Brief, entries: list[dict], caption: str) -> None:
    rows = []
    for e in entries:
        report, places = e["report"], e["report"].get("places", 2)
        rows.append(
            [sentence_label(e["question"]), report["n"]]
            + [
                _figure(report["sum"], places),
                brief.marked(e["question"]["key"], report["mean"], places),
            ]
            + [_figure(report[name], places) for name in ("median", "min", "max")]
        )
    for row, entry in zip(rows, entries, strict=True):
        if entry["question"]["type"] == "scale":
            row[2] = "—"  # a sum of marks means nothing
    writer.table(
        sentence_label(entries[0]["question"]) if len(rows) == 1 else caption, NUMBERS_HEADER, rows
    )
    for entry in entries:
        writer.text(_numbers_sentence(brief, entry["question"], entry["report"]))
        _doubt_note(writer, brief, entry["question"]["key"])


def _figure(value, places: int) -> str:
    return figure_text(value, value_places(value, places))


def _doubt_note(writer: Writer, brief: _Brief, key: str) -> None:
    doubtful = brief.doubtful(key)
    if doubtful:
        values = ", ".join(f"{s.organization} ({s.value_text})" for s in doubtful)
        writer.text(f"* с учётом значений, не подтверждённых школами: {values}.")


def _numbers_sentence(brief: _Brief, question: dict, report: dict) -> str:
    """The mean, the total and the spread; an unconfirmed suspicious value is never quoted as
    the minimum or the maximum."""
    if not report["n"]:
        return f"{sentence_label(question)}: ответов нет."
    places, key = report.get("places", 2), question["key"]
    total = "" if question["type"] == "scale" else f", всего {_figure(report['sum'], places)}"
    spread = (
        " (разброс не приводится до проверки данных)"
        if brief.doubtful(key)
        else f" (от {_figure(report['min'], places)} до {_figure(report['max'], places)})"
    )
    mean = brief.marked(key, report["mean"], places)
    return f"{sentence_label(question)}: в среднем {mean}{spread}{total}."


def _question(writer: Writer, question: dict, report: dict) -> None:
    kind, label = report["kind"], sentence_label(question)
    if kind == "choices":
        rows = [[o["label"], o["count"], percent_text(o["percent"])] for o in report["options"]]
        writer.table(label, ["Вариант ответа", "Организаций", "%"], rows)
        if question["type"] in CHARTED and report["respondents"]:
            options = [(o["label"], o["count"], o["percent"]) for o in report["options"]]
            writer.picture(charts.choice_bars(options), label)
        writer.text(_choice_sentence(question, report))
    elif kind == "matrix":
        header = ["", *(choice["label"] for choice in report["choices"])]
        rows = [[row["label"], *row["counts"].values()] for row in report["rows"]]
        writer.table(label, header, rows)
    elif kind == "table":
        writer.text(_table_sentence(question, report))
        _table_breakdowns(writer, question, report)
    elif kind == "dates" and report["n"]:
        span = f"с {date_filter(report['earliest'])} по {date_filter(report['latest'])}"
        answers = plural(report["n"], "ответ", "ответа", "ответов")
        writer.text(f"{label}: {report['n']} {answers}, {span}.")
    elif kind == "files":
        forms = plural(report["n"], "анкете", "анкетах", "анкетах")
        writer.text(f"{label}: файлы приложены в {report['n']} {forms}.")


def _choice_sentence(question: dict, report: dict) -> str:
    whole = report["respondents"]
    if not whole:
        return f"{sentence_label(question)}: ответов нет."
    if question["type"] == "yesno":
        yes = next(o for o in report["options"] if o["code"] == YES)
        share = f"{yes['count']} из {whole} ({percent_text(yes['percent'])})"
        return f"{sentence_label(question)}: да {DASH} {share}."
    top = max(report["options"], key=lambda option: option["count"])
    share = f"{top['count']} из {whole} ({percent_text(top['percent'])})"
    several = "; можно было выбрать несколько вариантов" if question["type"] == "multiple" else ""
    return f"{sentence_label(question)}: {quoted(top['label'])} {DASH} {share}{several}."


def _table_sentence(question: dict, report: dict) -> str:
    rows, schools = report["rows_total"], report["schools"]
    if not rows:
        return f"{sentence_label(question)}: строк нет."
    parts = [
        f"{sentence_label(question)}: {rows} {plural(rows, 'строка', 'строки', 'строк')} "
        f"в {schools} "
        f"{plural(schools, 'организации', 'организациях', 'организациях')} (в среднем "
        f"{figure_text(report['per_school_mean'], 1)} на организацию)"
    ]
    for column in question["columns"]:
        summary = report["columns"][column["key"]]
        if "sum" in summary and summary["n"]:
            total = _figure(summary["sum"], measure_places(summary["mean"]))
            parts.append(f"{column['label']} {DASH} всего {total}")
    return "; ".join(parts) + "."


def _table_breakdowns(writer: Writer, question: dict, report: dict) -> None:
    """The rows of a table by each choice column (staff by position), as on the report page:
    rows per option and their share of all the rows."""
    for column in question["columns"]:
        counts = report["columns"][column["key"]].get("counts")
        if counts is None or not report["rows_total"]:
            continue
        labels = {option["code"]: option["label"] for option in options_of(column)}
        rows = [
            [labels[code], count, percent_text(percent_of(count, report["rows_total"]))]
            for code, count in counts.items()
        ]
        caption = f"{sentence_label(question)}: {lower_first(column['label'])}"
        writer.table(caption, ["Вариант ответа", "Строк", "% строк"], rows)


# Indicators and dynamics


def _indicators(writer: Writer, brief: _Brief) -> None:
    indicators = brief.indicators
    if not indicators:
        return
    writer.heading("Расчётные показатели")
    header = ["Показатель, единица измерения", "Данных", "Среднее", "Медиана", "Мин.", "Макс."]
    rows = []
    for item in indicators:
        places, key = item["places"], f"indicator:{item['indicator'].key}"
        figures = [brief.marked(key, item[n], places) for n in ("mean", "median", "min", "max")]
        title = ", ".join(filter(None, (item["indicator"].title, item["indicator"].unit)))
        rows.append([title, item["n"], *figures])
    writer.table("Расчётные показатели", header, rows)
    for item in indicators:
        _indicator(writer, brief, item)


def _indicator(writer: Writer, brief: _Brief, item: dict) -> None:
    indicator, places = item["indicator"], item["places"]
    key = f"indicator:{indicator.key}"
    findings = headlines.indicator_findings(item, brief.suspects)
    mean = brief.marked(key, item["mean"], places, indicator.unit)
    parts = [f"{quoted(indicator.title)}: в среднем {mean}"]
    writer.text("; ".join(parts + [finding.text for finding in findings]) + ".")
    _doubt_note(writer, brief, key)
    doubtful = {s.organization for s in brief.doubtful(key)}
    schools = [(name, value) for name, value in item["schools"] if name not in doubtful]
    if any(value is not None for _, value in schools):
        outside = [name for name, _ in item["below"]]
        image = charts.school_bars(schools, indicator.threshold, outside, places, indicator.unit)
        writer.picture(image, f"{indicator.title} по организациям")


def _means(brief: _Brief) -> dict[str, tuple[str, Decimal | None, int]]:
    """{key: (label, mean, places)} of the numeric questions and the indicators."""
    means = {
        e["question"]["key"]: (
            sentence_label(e["question"]),
            e["report"]["mean"],
            e["report"].get("places", 2),
        )
        for section in brief.report["sections"]
        for e in section["questions"]
        if e["report"]["kind"] == "numbers"
    }
    for item in brief.indicators:
        indicator = item["indicator"]
        title = f"{indicator.title}, {indicator.unit}" if indicator.unit else indicator.title
        means[f"indicator:{indicator.key}"] = (title, item["mean"], item["places"])
    return means


def _dynamics(writer: Writer, brief: _Brief, earlier: _Brief) -> None:
    writer.heading("Динамика")
    before, now = _means(earlier), _means(brief)
    common = [(key, label, before[key][1], value, places)
              for key, (label, value, places) in now.items() if key in before]  # fmt: skip
    writer.text(
        f"Сравнение с мониторингом {quoted(earlier.campaign.title)} "
        f"({period_text(earlier.campaign)}): "
        "средние значения по организациям."
    )
    if not common:
        writer.text("Общих числовых вопросов и показателей нет.")
        return
    then, current = date_filter(earlier.campaign.closes_at), date_filter(brief.campaign.closes_at)
    header = ["Показатель", f"Было ({then})", f"Стало ({current})", "Изменение"]
    rows = [
        [
            label,
            _figure(was, places),
            brief.marked(key, value, places),
            _change(was, value, places),
        ]
        for key, label, was, value, places in common
    ]
    writer.table("Динамика средних значений", header, rows)
    changes = [headlines.change_finding(*row) for row in common]
    texts = [finding.text for finding in changes if finding]
    if texts:
        writer.text("; ".join(texts) + ".")
    charted = [
        (label, was, value, places)
        for key, label, was, value, places in common
        if key.startswith("indicator:") and was is not None and value is not None
    ]
    if charted:
        writer.picture(charts.paired_bars(charted, then, current), "Динамика расчётных показателей")


def _change(before, now, places: int) -> str:
    if before is None or now is None:
        return "—"
    change = now - before
    sign = "+" if change > 0 else "\u2212" if change < 0 else ""
    return sign + _figure(abs(change), places)


# Conclusions, recommendations, those who did not answer


def _conclusions(writer: Writer, brief: _Brief) -> None:
    findings = [_coverage_finding(brief), _indicator_finding(brief)]
    for entry in brief.entries("yesno"):
        findings.append(_yes_finding(entry["question"], entry["report"]))
    findings = [finding for finding in findings if finding]
    writer.heading("Выводы")
    writer.numbered([conclusion for conclusion, _ in findings])
    writer.heading("Рекомендации")
    proposals = [proposal for _, proposal in findings if proposal]
    proposals.append("Рассмотреть итоги мониторинга на совещании руководителей ОО ___.")
    writer.numbered(proposals)


def _coverage_finding(brief: _Brief) -> tuple[str, str | None]:
    answered, total = brief.coverage()
    completion = brief.report["completion"]
    text = (
        f"Сведения представили {share_text(answered, total)}, "
        f"в срок {DASH} {completion['on_time']}, "
        f"с опозданием {DASH} {completion['late']}."
    )
    if not brief.missing:
        return text, None
    district = brief.campaign.organization.display_name
    return text, f"Руководителям ОО, не представившим сведения, представить их в {district} до ___."


def _indicator_finding(brief: _Brief) -> tuple[str, str] | None:
    """The indicator with the largest share of schools beyond its norm; without norms, the one
    whose worst school (leaving out unconfirmed suspicious values) is furthest below the mean."""
    indicators = brief.indicators
    normed = [i for i in indicators if i["indicator"].threshold is not None and i["below"]]
    if normed:
        worst = max(normed, key=lambda item: len(item["below"]) / item["n"])
        title, schools = worst["indicator"].title, ", ".join(n for n, _ in worst["below"])
        return (
            f"Наиболее проблемный показатель {DASH} {quoted(title)}: не соответствуют норме "
            f"{share_text(len(worst['below']), worst['n'])}.",
            f"Руководителям ОО, в которых показатель {quoted(title)} не соответствует норме "
            f"({schools}), ___ в срок до ___.",
        )
    ranked = []
    for item in indicators:
        findings = {f.kind: f for f in headlines.indicator_findings(item, brief.suspects)}
        if "worst" in findings and item["mean"]:
            ranked.append((item, findings["worst"]))
    if not ranked:
        return None
    item, worst = min(
        ranked, key=lambda pair: _value_of(pair[0], pair[1].schools[0]) / pair[0]["mean"]
    )
    title, places = item["indicator"].title, item["places"]
    indicator = item["indicator"]
    mean = brief.marked(f"indicator:{indicator.key}", item["mean"], places, indicator.unit)
    return (
        f"Наибольший разрыв между организациями {DASH} по показателю {quoted(title)} "
        f"(в среднем {mean}): {worst.text}.",
        f"Изучить причины низкого значения показателя {quoted(title)} в {worst.schools[0]} ___.",
    )


def _value_of(item: dict, school: str):
    return next(value for name, value in item["schools"] if name == school)


def _yes_finding(question: dict, report: dict) -> tuple[str, str] | None:
    yes = next(o for o in report["options"] if o["code"] == YES)
    if not report["respondents"] or yes["percent"] >= 50:
        return None
    label = sentence_label(question)
    share = f"{yes['count']} из {report['respondents']} ({percent_text(yes['percent'])})"
    return (
        f"{label}: ответ «да» дали менее половины организаций {DASH} {share}.",
        f"По вопросу {quoted(label)}: руководителям ОО, ответившим «нет», ___ в срок до ___.",
    )


def _missing(writer: Writer, brief: _Brief) -> None:
    writer.heading("Организации, не представившие сведения")
    if not brief.missing:
        writer.text("Сведения представили все организации.")
        return
    writer.numbered([f"{name} ({str(status.label).lower()})" for name, status in brief.missing])


def _remarks(writer: Writer, brief: _Brief) -> None:
    """Every flagged value, confirmed or not, so the reader knows what the figures include."""
    if not brief.suspects:
        return
    writer.heading("Замечания к данным")
    writer.text(
        "Значения, выявленные при проверке данных как сомнительные. Не подтверждённые школами "
        "значения не приводятся в выводах как наибольшие или наименьшие; средние и другие "
        "сводные значения, включающие их, отмечены знаком «*»."
    )
    rows = [
        [s.organization, s.label, s.value_text, s.reason,
         "подтверждено школой" if s.checked else "не подтверждено"]
        for s in brief.suspects
    ]  # fmt: skip
    header = ["Организация", "Вопрос или показатель", "Значение", "Причина", "Проверка"]
    writer.table("Сомнительные значения", header, rows)


# Appendices


class _Appendix:
    """Per school: an appendix for each block with numeric answers (Приложение 1, 2, …), then
    the text answers."""

    def __init__(self, brief: _Brief):
        self.brief = brief
        self.sections = [
            s for s in brief.report["sections"] if any(e["report"]["n"] for e in _numeric(s))
        ]
        self.texts = self._texts()
        self.text_number = len(self.sections) + 1

    def number_of(self, section: dict) -> int | None:
        numbers = {id(s): n for n, s in enumerate(self.sections, 1)}
        return numbers.get(id(section))

    def _query(self, keys: list[str], *columns) -> sa.Select:
        brief = self.brief
        return (
            sa.select(Response.id, Organization.name, *columns)
            .select_from(Response)
            .join(Response.organization)
            .outerjoin(
                Answer,
                sa.and_(
                    Answer.response_id == Response.id,
                    Answer.question_key.in_(keys),
                    Answer.row_index.is_(None),
                ),
            )
            .where(responses_clause(brief.viewer, brief.campaign, brief.report_filter))
            .order_by(Organization.sort_key, Response.id, Answer.id)
        )

    def _texts(self) -> dict[str, list[tuple[str, str]]]:
        keys = [entry["question"]["key"] for entry in self.brief.entries(*TEXT_QUESTIONS)]
        texts: dict[str, list[tuple[str, str]]] = {}
        if not keys:
            return texts
        statement = self._query(keys, Answer.question_key, Answer.value_text)
        for _id, name, key, text in db.session.execute(statement):
            if key is not None:
                texts.setdefault(key, []).append((name, text))
        return texts

    def write(self, writer: Writer) -> None:
        for number, section in enumerate(self.sections, 1):
            title = f"Приложение {number}. Сведения по организациям: {section['name']}"
            writer.heading(title, new_page=True)
            self._schools(writer, section)
        if self.texts:
            writer.heading(f"Приложение {self.text_number}. Текстовые ответы", new_page=True)
            for entry in self.brief.entries(*TEXT_QUESTIONS):
                rows = [list(answer) for answer in self.texts.get(entry["question"]["key"], [])]
                if rows:
                    writer.table(sentence_label(entry["question"]), ["Организация", "Ответ"], rows)

    def _schools(self, writer: Writer, section: dict) -> None:
        entries = _numeric(section)
        questions = [e["question"] for e in entries]
        places = {e["question"]["key"]: e["report"].get("places", 2) for e in entries}
        keys = [question["key"] for question in questions]
        schools: dict[int, tuple[str, dict]] = {}
        for response_id, name, key, value in db.session.execute(
            self._query(keys, Answer.question_key, Answer.value_number)
        ):
            schools.setdefault(response_id, (name, {}))[1][key] = value
        rows = [
            [name, *(_figure(values.get(k), places[k]) for k in keys)]
            for name, values in schools.values()
        ]
        writer.table("Ответы организаций", ["Организация", *map(sentence_label, questions)], rows)


def _numeric(section: dict) -> list[dict]:
    return [e for e in section["questions"] if e["report"]["kind"] == "numbers"]
