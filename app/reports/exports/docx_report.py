"""The аналитическая справка of a campaign: a Word document a methodologist edits, not rewrites.

The parts follow shared/DOMAIN.md: introduction, coverage and method; a section per block of the
form with tables and sentences that state the figures; indicators; dynamics against an earlier
campaign; conclusions and the recommendations that follow from them; the organizations that did
not answer; executor and date; appendices per school. Every figure comes from campaign_report
and indicator_report, so the document agrees with the report page.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import groupby

import sqlalchemy as sa

from app.accounts.models import User
from app.campaigns.models import Answer, Campaign, Response, ResponseStatus
from app.campaigns.visits import NOT_VISITED, VISITED
from app.core.timefmt import date_filter
from app.core.word import Writer
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import reported_definition
from app.questionnaires.spec import YES
from app.reports.aggregates import (
    COUNTED,
    ReportFilter,
    campaign_report,
    missing_responses,
    options_of,
    responses_clause,
)
from app.reports.exports.wording import (
    DASH,
    lower_first,
    number_text,
    percent_of,
    percent_text,
    period_text,
    plural,
    quoted,
    sentence_label,
    share_text,
    signed_text,
)
from app.reports.indicators import indicator_report

TABLE_PT = 12
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
    writer = Writer(table_pt=TABLE_PT)
    writer.document.core_properties.author = executor
    writer.heading(f'Аналитическая справка по итогам мониторинга "{campaign.title}"', 0)
    _introduction(writer, brief)
    appendix = _Appendix(brief)
    writer.heading("Результаты мониторинга")
    for section in brief.report["sections"]:
        _block(writer, section, appendix)
    _indicators(writer, brief.indicators)
    if previous is not None:
        _dynamics(writer, brief, _Brief(viewer, previous, brief.report_filter))
    _conclusions(writer, brief)
    _missing(writer, brief)
    writer.text(f"Исполнитель: {executor}", indent=False)
    writer.text(f"Дата: {date_filter(datetime.now(UTC))}", indent=False)
    appendix.write(writer)
    writer.document.save(target)


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
    entries = section["questions"]
    for numeric, run in groupby(entries, key=lambda e: e["report"]["kind"] == "numbers"):
        if numeric:
            _numbers(writer, list(run), f"Числовые показатели раздела {quoted(title)}")
        else:
            for entry in run:
                _question(writer, entry["question"], entry["report"])
    if any(entry["question"]["key"] in appendix.texts for entry in entries):
        writer.text(f"Текстовые ответы приведены в приложении {appendix.text_number}.")


def _numbers(writer: Writer, entries: list[dict], caption: str) -> None:
    rows = [
        [sentence_label(e["question"]), e["report"]["n"]]
        + [number_text(e["report"][name]) for name in ("sum", "mean", "median", "min", "max")]
        for e in entries
    ]
    for row, entry in zip(rows, entries, strict=True):
        if entry["question"]["type"] == "scale":
            row[2] = "—"  # a sum of marks means nothing
    writer.table(
        sentence_label(entries[0]["question"]) if len(rows) == 1 else caption, NUMBERS_HEADER, rows
    )
    for entry in entries:
        writer.text(_numbers_sentence(entry["question"], entry["report"]))


def _numbers_sentence(question: dict, report: dict) -> str:
    if not report["n"]:
        return f"{sentence_label(question)}: ответов нет."
    total = "" if question["type"] == "scale" else f", всего {number_text(report['sum'])}"
    spread = f"от {number_text(report['min'])} до {number_text(report['max'])}"
    return f"{sentence_label(question)}: в среднем {number_text(report['mean'])} ({spread}){total}."


def _question(writer: Writer, question: dict, report: dict) -> None:
    kind, label = report["kind"], sentence_label(question)
    if kind == "choices":
        rows = [[o["label"], o["count"], percent_text(o["percent"])] for o in report["options"]]
        writer.table(label, ["Вариант ответа", "Организаций", "%"], rows)
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
        f"{number_text(report['per_school_mean'])} на организацию)"
    ]
    for column in question["columns"]:
        summary = report["columns"][column["key"]]
        if "sum" in summary and summary["n"]:
            parts.append(f"{column['label']} {DASH} всего {number_text(summary['sum'])}")
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


def _indicators(writer: Writer, indicators: list[dict]) -> None:
    if not indicators:
        return
    writer.heading("Расчётные показатели")
    header = ["Показатель", "Ед. изм.", "Данных", "Среднее", "Медиана", "Мин.", "Макс."]
    rows = [
        [item["indicator"].title, item["indicator"].unit, item["n"]]
        + [number_text(item[name]) for name in ("mean", "median", "min", "max")]
        for item in indicators
    ]
    writer.table("Расчётные показатели", header, rows)
    for item in indicators:
        indicator = item["indicator"]
        if indicator.threshold is not None:
            side = "Выше" if indicator.threshold_direction == "above" else "Ниже"
            schools = ", ".join(f"{name} ({number_text(value)})" for name, value in item["below"])
            norm = f"{number_text(indicator.threshold)} {indicator.unit}".strip()
            writer.text(
                f"{quoted(indicator.title)} (норма {norm}). {side} нормы: {schools or 'нет'}."
            )


def _means(brief: _Brief) -> dict[str, tuple[str, Decimal | None]]:
    """{key: (label, mean)} of the numeric questions and the indicators."""
    means = {
        e["question"]["key"]: (sentence_label(e["question"]), e["report"]["mean"])
        for section in brief.report["sections"]
        for e in section["questions"]
        if e["report"]["kind"] == "numbers"
    }
    for item in brief.indicators:
        indicator = item["indicator"]
        title = f"{indicator.title}, {indicator.unit}" if indicator.unit else indicator.title
        means[f"indicator:{indicator.key}"] = (title, item["mean"])
    return means


def _dynamics(writer: Writer, brief: _Brief, earlier: _Brief) -> None:
    writer.heading("Динамика")
    before, now = _means(earlier), _means(brief)
    rows = [
        [label, number_text(before[key][1]), number_text(value), _change(before[key][1], value)]
        for key, (label, value) in now.items()
        if key in before
    ]
    writer.text(
        f'Сравнение с мониторингом "{earlier.campaign.title}" '
        f"({period_text(earlier.campaign)}): "
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
    return signed_text(now - before) if before is not None and now is not None else "—"


# Conclusions, recommendations, those who did not answer


def _conclusions(writer: Writer, brief: _Brief) -> None:
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
        f"Сведения представили {share_text(answered, total)}, "
        f"в срок {DASH} {completion['on_time']}, "
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
            f"Наиболее проблемный показатель {DASH} {quoted(title)}: не соответствуют норме "
            f"{share_text(len(worst['below']), worst['n'])}.",
            f"Руководителям ОО, в которых показатель {quoted(title)} не соответствует норме "
            f"({schools}), ___ в срок до ___.",
        )
    spread = [i for i in indicators if i["n"] and i["mean"] and i["mean"] > 0]
    if not spread:
        return None
    worst = min(spread, key=lambda item: item["min"] / item["mean"])
    title = worst["indicator"].title
    lowest = next(name for name, value in worst["schools"] if value == worst["min"])
    return (
        f"Наибольший разрыв между организациями {DASH} по показателю {quoted(title)}: от "
        f"{number_text(worst['min'])} ({lowest}) до {number_text(worst['max'])}, в среднем "
        f"{number_text(worst['mean'])}.",
        f"Изучить причины низкого значения показателя {quoted(title)} в {lowest} ___.",
    )


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

    def write(self, writer: Writer) -> None:
        if self.section:
            title = f"Приложение 1. Сведения по организациям: {self.section['name']}"
            writer.heading(title, new_page=True)
            self._schools(writer)
        if self.texts:
            writer.heading(f"Приложение {self.text_number}. Текстовые ответы", new_page=True)
            for entry in self.brief.entries(*TEXT_QUESTIONS):
                rows = [list(answer) for answer in self.texts.get(entry["question"]["key"], [])]
                if rows:
                    writer.table(sentence_label(entry["question"]), ["Организация", "Ответ"], rows)

    def _schools(self, writer: Writer) -> None:
        questions = [e["question"] for e in _numeric(self.section)]
        keys = [question["key"] for question in questions]
        schools: dict[int, tuple[str, dict]] = {}
        for response_id, name, key, value in db.session.execute(
            self._query(keys, Answer.question_key, Answer.value_number)
        ):
            schools.setdefault(response_id, (name, {}))[1][key] = value
        rows = [
            [name, *(number_text(values.get(k)) for k in keys)] for name, values in schools.values()
        ]
        writer.table("Ответы организаций", ["Организация", *map(sentence_label, questions)], rows)


def _numeric(section: dict) -> list[dict]:
    return [e for e in section["questions"] if e["report"]["kind"] == "numbers"]
