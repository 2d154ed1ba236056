"""The аналитическая справка of a campaign: a Word document a methodologist edits, not rewrites.

The parts follow shared/DOMAIN.md: introduction, coverage and method; a section per block of the
form with tables and sentences that state the figures; indicators; dynamics against an earlier
campaign; conclusions and the recommendations that follow from them; the organizations that did
not answer; executor and date; appendices per school. Every figure comes from campaign_report
and indicator_report, so the document agrees with the report page.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

import sqlalchemy as sa
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from flask_babel import format_decimal

from app.accounts.models import User
from app.campaigns.models import Answer, Campaign, Response, ResponseStatus
from app.campaigns.services import NOT_SUBMITTED
from app.core.timefmt import date_filter
from app.core.word import clean, new_document, table
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import version_definition
from app.questionnaires.spec import YES
from app.reports.aggregates import COUNTED, ReportFilter, campaign_report, responses_clause
from app.reports.indicators import indicator_report

TABLE_PT = 12
NBSP, MINUS, DASH = "\u00a0", "\u2212", "\u2013"
PLACES, PERCENT_PLACES = Decimal("0.01"), Decimal("0.1")
TEXT_QUESTIONS = ("text", "textarea")
NUMBERS_HEADER = ["Вопрос", "Ответили", "Сумма", "Среднее", "Медиана", "Мин.", "Макс."]


# Words and numbers


def _number(value) -> str:
    if value is None:
        return "—"
    return format_decimal(Decimal(value).quantize(PLACES, ROUND_HALF_UP), "#,##0.##")


def _signed(value) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    return sign + _number(abs(value))


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / whole).quantize(PERCENT_PLACES, ROUND_HALF_UP) if whole else None


def _pct(value) -> str:
    return "—" if value is None else f"{format_decimal(value, '#,##0.#')}{NBSP}%"


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def _of(part: int, whole: int) -> str:
    """«2 из 3 организаций (66,7 %)»"""
    noun = _plural(whole, "организации", "организаций", "организаций")
    return f"{part} из {whole} {noun} ({_pct(_percent(part, whole))})"


def _lower_first(text: str) -> str:
    """«Анализ оснащения» after a colon; «ИБЦ …» stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _period(campaign: Campaign) -> str:
    return f"{date_filter(campaign.opens_at)}{DASH}{date_filter(campaign.closes_at)}"


def _label(question: dict) -> str:
    """The label to start a sentence with: «Есть ли Интернет: да …», «Фонд, экз.: …»."""
    return question["label"].strip().rstrip("?:").rstrip()


def _quoted(text: str) -> str:
    return text if text.startswith("«") else f"«{text}»"


# The document


class _Writer:
    def __init__(self):
        self.document = new_document()
        self.tables = 0

    def heading(self, text: str, level: int = 1, *, new_page: bool = False) -> None:
        heading = self.document.add_heading(clean(text), level)
        if new_page:
            heading.paragraph_format.page_break_before = True

    def text(self, text: str, *, indent: bool = True) -> None:
        paragraph = self.document.add_paragraph(clean(text))
        if indent:
            paragraph.paragraph_format.first_line_indent = Cm(1.25)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def numbered(self, items: list[str]) -> None:
        """A "List Number" list that starts again from 1."""
        num_id = self._new_numbering()
        for item in items:
            paragraph = self.document.add_paragraph(clean(item), style="List Number")
            numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_ilvl().val = 0
            numbering.get_or_add_numId().val = num_id

    def _new_numbering(self) -> int:
        numbering = self.document.part.numbering_part.element
        style_num = self.document.styles["List Number"].element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return num.numId

    def table(self, caption: str, header: list[str], rows: list[list]) -> None:
        self.tables += 1
        self.document.add_paragraph(clean(f"Таблица {self.tables}. {caption}"), style="Caption")
        table(self.document, header, rows, first_left=1, size=TABLE_PT)


# What the document says


@dataclass
class _Brief:
    viewer: User
    campaign: Campaign
    report_filter: ReportFilter
    report: dict = field(init=False)
    indicators: list[dict] = field(init=False)
    missing: list[tuple[str, ResponseStatus]] = field(init=False)

    def __post_init__(self):
        self.report = campaign_report(self.viewer, self.campaign, self.report_filter)
        self.indicators = indicator_report(self.viewer, self.campaign, self.report_filter)
        not_counted = replace(self.report_filter, statuses=NOT_SUBMITTED)
        statement = (
            sa.select(Organization.name, Response.status)
            .join(Response.organization)
            .where(responses_clause(self.viewer, self.campaign, not_counted))
            .order_by(Organization.sort_key)
        )
        self.missing = [tuple(row) for row in db.session.execute(statement)]

    def entries(self, *kinds: str):
        for section in self.report["sections"]:
            yield from (e for e in section["questions"] if e["question"]["type"] in kinds)

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
) -> None:
    """Writes the справка to ``target`` (a path or a binary file object)."""
    brief = _Brief(viewer, campaign, report_filter or ReportFilter())
    writer = _Writer()
    writer.document.core_properties.author = executor
    writer.heading(f'Аналитическая справка по итогам мониторинга "{campaign.title}"', 0)
    _introduction(writer, brief)
    appendix = _Appendix(brief)
    writer.heading("Результаты мониторинга")
    for number, section in enumerate(brief.report["sections"], start=1):
        _block(writer, section, number, appendix)
    _indicators(writer, brief.indicators)
    if previous is not None:
        _dynamics(writer, brief, _Brief(viewer, previous, brief.report_filter))
    _conclusions(writer, brief)
    _missing(writer, brief)
    writer.text(f"Исполнитель: {executor}", indent=False)
    writer.text(f"Дата: {date_filter(datetime.now(UTC))}", indent=False)
    appendix.write(writer)
    writer.document.save(target)


def _introduction(writer: _Writer, brief: _Brief) -> None:
    campaign, definition = brief.campaign, version_definition(brief.campaign.form_version)
    purpose = _lower_first(definition["description"].strip().rstrip(".")) or (
        f"сбор и анализ сведений по теме {_quoted(definition['title'])}"
    )
    answered, total = brief.coverage()
    completion = brief.report["completion"]
    statuses = ", ".join(f"«{ResponseStatus(s).label}»" for s in brief.report_filter.statuses)
    writer.heading("Общие сведения")
    writer.text(f"Цель мониторинга: {purpose}.")
    writer.text(f"Объект мониторинга: организации, которым направлена анкета ({total}).")
    writer.text(f"Сроки проведения: {_period(campaign)}.")
    writer.text(f"Основание: приказ {campaign.organization.display_name} от ___ № ___.")
    verb = _plural(answered, "Ответила", "Ответили", "Ответили")
    writer.text(
        f"{verb} {_of(answered, total)}: в срок {DASH} {completion['on_time']}, "
        f"с опозданием {DASH} {completion['late']}."
    )
    writer.text(
        "Мониторинг проведён на информационной платформе управления образования: организации "
        f"заполнили электронную анкету {_quoted(definition['title'])} "
        f"(версия {definition['version']}). "
        f"В анализ включены анкеты в статусах {statuses}; проценты рассчитаны от числа "
        "организаций, ответивших на вопрос."
    )


# The blocks of the form


def _block(writer: _Writer, section: dict, number: int, appendix: "_Appendix") -> None:
    title = section["title"] or f"Раздел {number}"
    writer.heading(title, 2)
    entries = section["questions"]
    for numeric, run in groupby(entries, key=lambda e: e["report"]["kind"] == "numbers"):
        if numeric:
            _numbers(writer, list(run), f"Числовые показатели раздела {_quoted(title)}")
        else:
            for entry in run:
                _question(writer, entry["question"], entry["report"])
    if any(entry["question"]["key"] in appendix.texts for entry in entries):
        writer.text(f"Текстовые ответы приведены в приложении {appendix.text_number}.")


def _numbers(writer: _Writer, entries: list[dict], caption: str) -> None:
    rows = [
        [_label(e["question"]), e["report"]["n"]]
        + [_number(e["report"][name]) for name in ("sum", "mean", "median", "min", "max")]
        for e in entries
    ]
    for row, entry in zip(rows, entries, strict=True):
        if entry["question"]["type"] == "scale":
            row[2] = "—"  # a sum of marks means nothing
    writer.table(
        _label(entries[0]["question"]) if len(rows) == 1 else caption, NUMBERS_HEADER, rows
    )
    for entry in entries:
        writer.text(_numbers_sentence(entry["question"], entry["report"]))


def _numbers_sentence(question: dict, report: dict) -> str:
    if not report["n"]:
        return f"{_label(question)}: ответов нет."
    total = "" if question["type"] == "scale" else f", всего {_number(report['sum'])}"
    spread = f"от {_number(report['min'])} до {_number(report['max'])}"
    return f"{_label(question)}: в среднем {_number(report['mean'])} ({spread}){total}."


def _question(writer: _Writer, question: dict, report: dict) -> None:
    kind, label = report["kind"], _label(question)
    if kind == "choices":
        rows = [[o["label"], o["count"], _pct(o["percent"])] for o in report["options"]]
        writer.table(label, ["Вариант ответа", "Организаций", "%"], rows)
        writer.text(_choice_sentence(question, report))
    elif kind == "matrix":
        header = ["", *(choice["label"] for choice in report["choices"])]
        rows = [[row["label"], *row["counts"].values()] for row in report["rows"]]
        writer.table(label, header, rows)
    elif kind == "table":
        writer.text(_table_sentence(question, report))
    elif kind == "dates" and report["n"]:
        span = f"с {date_filter(report['earliest'])} по {date_filter(report['latest'])}"
        answers = _plural(report["n"], "ответ", "ответа", "ответов")
        writer.text(f"{label}: {report['n']} {answers}, {span}.")
    elif kind == "files":
        forms = _plural(report["n"], "анкете", "анкетах", "анкетах")
        writer.text(f"{label}: файлы приложены в {report['n']} {forms}.")


def _choice_sentence(question: dict, report: dict) -> str:
    whole = report["respondents"]
    if not whole:
        return f"{_label(question)}: ответов нет."
    if question["type"] == "yesno":
        yes = next(o for o in report["options"] if o["code"] == YES)
        return f"{_label(question)}: да {DASH} {yes['count']} из {whole} ({_pct(yes['percent'])})."
    top = max(report["options"], key=lambda option: option["count"])
    share = f"{top['count']} из {whole} ({_pct(top['percent'])})"
    several = "; можно было выбрать несколько вариантов" if question["type"] == "multiple" else ""
    return f"{_label(question)}: {_quoted(top['label'])} {DASH} {share}{several}."


def _table_sentence(question: dict, report: dict) -> str:
    rows, schools = report["rows_total"], report["schools"]
    if not rows:
        return f"{_label(question)}: строк нет."
    parts = [
        f"{_label(question)}: {rows} {_plural(rows, 'строка', 'строки', 'строк')} в {schools} "
        f"{_plural(schools, 'организации', 'организациях', 'организациях')} (в среднем "
        f"{_number(report['per_school_mean'])} на организацию)"
    ]
    for column in question["columns"]:
        summary = report["columns"][column["key"]]
        if "sum" in summary and summary["n"]:
            parts.append(f"{column['label']} {DASH} всего {_number(summary['sum'])}")
    return "; ".join(parts) + "."


# Indicators and dynamics


def _indicators(writer: _Writer, indicators: list[dict]) -> None:
    if not indicators:
        return
    writer.heading("Расчётные показатели")
    header = ["Показатель", "Ед. изм.", "Данных", "Среднее", "Медиана", "Мин.", "Макс."]
    rows = [
        [item["indicator"].title, item["indicator"].unit, item["n"]]
        + [_number(item[name]) for name in ("mean", "median", "min", "max")]
        for item in indicators
    ]
    writer.table("Расчётные показатели", header, rows)
    for item in indicators:
        indicator = item["indicator"]
        if indicator.threshold is not None:
            side = "Выше" if indicator.threshold_direction == "above" else "Ниже"
            schools = ", ".join(f"{name} ({_number(value)})" for name, value in item["below"])
            norm = f"{_number(indicator.threshold)} {indicator.unit}".strip()
            writer.text(
                f"{_quoted(indicator.title)} (норма {norm}). {side} нормы: {schools or 'нет'}."
            )


def _means(brief: _Brief) -> dict[str, tuple[str, Decimal | None]]:
    """{key: (label, mean)} of the numeric questions and the indicators."""
    means = {
        e["question"]["key"]: (_label(e["question"]), e["report"]["mean"])
        for section in brief.report["sections"]
        for e in section["questions"]
        if e["report"]["kind"] == "numbers"
    }
    for item in brief.indicators:
        indicator = item["indicator"]
        title = f"{indicator.title}, {indicator.unit}" if indicator.unit else indicator.title
        means[f"indicator:{indicator.key}"] = (title, item["mean"])
    return means


def _dynamics(writer: _Writer, brief: _Brief, earlier: _Brief) -> None:
    writer.heading("Динамика")
    before, now = _means(earlier), _means(brief)
    rows = [
        [label, _number(before[key][1]), _number(value), _change(before[key][1], value)]
        for key, (label, value) in now.items()
        if key in before
    ]
    writer.text(
        f'Сравнение с мониторингом "{earlier.campaign.title}" '
        f"({_period(earlier.campaign)}): "
        "средние значения по организациям."
    )
    if rows:
        then, current = (
            date_filter(earlier.campaign.closes_at),
            date_filter(brief.campaign.closes_at),
        )
        header = ["Показатель", f"Было ({then})", f"Стало ({current})", "Изменение"]
        writer.table("Динамика средних значений", header, rows)
    else:
        writer.text("Общих числовых вопросов и показателей нет.")


def _change(before, now) -> str:
    return _signed(now - before) if before is not None and now is not None else "—"


# Conclusions, recommendations, those who did not answer


def _conclusions(writer: _Writer, brief: _Brief) -> None:
    findings = [_coverage_finding(brief), _indicator_finding(brief.indicators)]
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
        f"Сведения представили {_of(answered, total)}, в срок {DASH} {completion['on_time']}, "
        f"с опозданием {DASH} {completion['late']}."
    )
    if not brief.missing:
        return text, None
    district = brief.campaign.organization.display_name
    return text, f"Руководителям ОО, не представившим сведения, представить их в {district} до ___."


def _indicator_finding(indicators: list[dict]) -> tuple[str, str] | None:
    """The indicator with the largest share of schools beyond its norm; without norms, the one
    whose lowest school is furthest below the district mean."""
    normed = [i for i in indicators if i["indicator"].threshold is not None and i["below"]]
    if normed:
        worst = max(normed, key=lambda item: len(item["below"]) / item["n"])
        title, schools = worst["indicator"].title, ", ".join(n for n, _ in worst["below"])
        return (
            f"Наиболее проблемный показатель {DASH} {_quoted(title)}: не соответствуют норме "
            f"{_of(len(worst['below']), worst['n'])}.",
            f"Руководителям ОО, в которых показатель {_quoted(title)} не соответствует норме "
            f"({schools}), ___ в срок до ___.",
        )
    spread = [i for i in indicators if i["n"] and i["mean"] and i["mean"] > 0]
    if not spread:
        return None
    worst = min(spread, key=lambda item: item["min"] / item["mean"])
    title = worst["indicator"].title
    lowest = next(name for name, value in worst["schools"] if value == worst["min"])
    return (
        f"Наибольший разрыв между организациями {DASH} по показателю {_quoted(title)}: от "
        f"{_number(worst['min'])} ({lowest}) до {_number(worst['max'])}, в среднем "
        f"{_number(worst['mean'])}.",
        f"Изучить причины низкого значения показателя {_quoted(title)} в {lowest} ___.",
    )


def _yes_finding(question: dict, report: dict) -> tuple[str, str] | None:
    yes = next(o for o in report["options"] if o["code"] == YES)
    if not report["respondents"] or yes["percent"] >= 50:
        return None
    label = _label(question)
    share = f"{yes['count']} из {report['respondents']} ({_pct(yes['percent'])})"
    return (
        f"{label}: ответ «да» дали менее половины организаций {DASH} {share}.",
        f"По вопросу {_quoted(label)}: руководителям ОО, ответившим «нет», ___ в срок до ___.",
    )


def _missing(writer: _Writer, brief: _Brief) -> None:
    writer.heading("Организации, не представившие сведения")
    if not brief.missing:
        writer.text("Сведения представили все организации.")
        return
    writer.numbered([f"{name} ({str(status.label).lower()})" for name, status in brief.missing])


# Appendices


class _Appendix:
    """Per school: the numeric answers of the first block that has any; the text answers."""

    def __init__(self, brief: _Brief):
        self.brief = brief
        sections = [s for s in brief.report["sections"] if _numeric(s)]
        self.section = sections[0] if sections else None
        self.texts = self._texts()
        self.text_number = 2 if self.section else 1

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

    def write(self, writer: _Writer) -> None:
        if self.section:
            title = f"Приложение 1. Сведения по организациям: {self.section['title']}"
            writer.heading(title, new_page=True)
            self._schools(writer)
        if self.texts:
            writer.heading(f"Приложение {self.text_number}. Текстовые ответы", new_page=True)
            for entry in self.brief.entries(*TEXT_QUESTIONS):
                rows = [list(answer) for answer in self.texts.get(entry["question"]["key"], [])]
                if rows:
                    writer.table(_label(entry["question"]), ["Организация", "Ответ"], rows)

    def _schools(self, writer: _Writer) -> None:
        questions = [e["question"] for e in _numeric(self.section)]
        keys = [question["key"] for question in questions]
        schools: dict[int, tuple[str, dict]] = {}
        for response_id, name, key, value in db.session.execute(
            self._query(keys, Answer.question_key, Answer.value_number)
        ):
            schools.setdefault(response_id, (name, {}))[1][key] = value
        rows = [
            [name, *(_number(values.get(k)) for k in keys)] for name, values in schools.values()
        ]
        writer.table("Ответы организаций", ["Организация", *map(_label, questions)], rows)


def _numeric(section: dict) -> list[dict]:
    return [e for e in section["questions"] if e["report"]["kind"] == "numbers"]
