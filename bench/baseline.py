"""The yardstick of the report: hand-written SQL computing the same figures in a few statements.

Where campaign_report asks two or three questions of the database per question of the form,
this asks one statement per kind of figure for all questions at once, each a GROUP BY over the
answers of the responses counted (the same campaign, statuses and viewer's subtree). Where the
stored rows guarantee it, the cheaper aggregate is used: one row per respondent for a single
choice or yes/no question makes ``count(*)`` its respondents. Medians: ``percentile_cont`` on
PostgreSQL, numbered rows on SQLite (which has no ordered-set aggregates).

``figures_of_report`` and ``figures_of_baseline`` bring both to one shape, so ``differences``
can check that the yardstick computes the same numbers as the report it measures.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from app.campaigns.answers import TEXT_TYPES
from app.db import UTCDateTime
from app.extensions import db
from app.questionnaires.spec import NUMERIC_TYPES
from app.reports import figures

PAGE = 20
COUNTED = ("submitted", "accepted")
SCOPE = """
    FROM answer a
    JOIN response r ON r.id = a.response_id
    JOIN organization o ON o.id = r.organization_id
    WHERE r.campaign_id = :campaign AND r.status IN ('submitted', 'accepted')
      AND o.path LIKE :prefix AND a.question_key IN :keys
"""
NUMBERS = "SELECT a.question_key, count(a.value_number), sum(a.value_number), "
NUMBERS_SQLITE = NUMBERS + "min(a.value_number), max(a.value_number)" + SCOPE + "GROUP BY 1"
NUMBERS_POSTGRES = (
    NUMBERS + "min(a.value_number), max(a.value_number), "
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY a.value_number)" + SCOPE + "GROUP BY 1"
)
MEDIANS_SQLITE = f"""
    SELECT question_key, avg(value) FROM (
      SELECT a.question_key, a.value_number AS value,
             row_number() OVER (PARTITION BY a.question_key ORDER BY a.value_number) AS position,
             count(*) OVER (PARTITION BY a.question_key) AS total
      {SCOPE} AND a.value_number IS NOT NULL
    ) ranked
    WHERE position IN ((total + 1) / 2, (total + 2) / 2)
    GROUP BY question_key
"""
CHOICES = f"""
    SELECT a.question_key, a.part, a.value_choice, count(*), sum(a.value_number)
    {SCOPE} GROUP BY 1, 2, 3
"""
RESPONDENTS = f"SELECT a.question_key, count(DISTINCT a.response_id) {SCOPE} GROUP BY 1"
DATES = f"""
    SELECT a.question_key, count(a.value_date), min(a.value_date), max(a.value_date)
    {SCOPE} GROUP BY 1
"""
TABLE_ROWS = f"""
    SELECT question_key, count(*), count(DISTINCT response_id) FROM (
      SELECT DISTINCT a.question_key, a.response_id, a.row_index {SCOPE}
    ) table_rows GROUP BY 1
"""
TEXTS = f"""
    SELECT question_key, id, value_text, name, total FROM (
      SELECT a.question_key, a.id, a.value_text, o.name,
             row_number() OVER (PARTITION BY a.question_key ORDER BY o.sort_key, a.id) AS position,
             count(*) OVER (PARTITION BY a.question_key) AS total
      {SCOPE}
    ) ranked
    WHERE position <= {PAGE}
    ORDER BY question_key, position
"""
COMPLETION = """
    SELECT r.status, count(*),
           sum(CASE WHEN r.submitted_at <= coalesce(r.deadline, :closes) THEN 1 ELSE 0 END)
    FROM response r JOIN organization o ON o.id = r.organization_id
    WHERE r.campaign_id = :campaign AND o.path LIKE :prefix
    GROUP BY r.status
"""


def _questions(definition: dict) -> list[dict]:
    return [q for section in definition["sections"] for q in section["questions"]]


def _keys(questions: list[dict], *kinds) -> list[str]:
    return [q["key"] for q in questions if q["type"] in kinds]


def statements(definition: dict, dialect: str) -> list[tuple[str, sa.TextClause, dict]]:
    """(name, statement, extra parameters) of every query of the yardstick."""
    questions = _questions(definition)
    numeric = _keys(questions, *NUMERIC_TYPES)
    plan = [
        ("numbers", NUMBERS_POSTGRES if dialect == "postgresql" else NUMBERS_SQLITE, numeric),
        ("choices", CHOICES, _keys(questions, "single", "yesno", "multiple", "matrix", "table")),
        ("respondents", RESPONDENTS, _keys(questions, "multiple", "matrix", "file")),
        ("dates", DATES, _keys(questions, "date")),
        ("table_rows", TABLE_ROWS, _keys(questions, "table")),
        ("texts", TEXTS, _keys(questions, *TEXT_TYPES)),
    ]
    if dialect != "postgresql":
        plan.insert(1, ("medians", MEDIANS_SQLITE, numeric))
    keys = sa.bindparam("keys", expanding=True)
    built = [(name, sa.text(sql).bindparams(keys), {"keys": k}) for name, sql, k in plan]
    completion = sa.text(COMPLETION).bindparams(sa.bindparam("closes", type_=UTCDateTime()))
    return [*built, ("completion", completion, {})]


def run(viewer, campaign, prepared: list) -> dict[str, list]:
    """Every statement's rows, fetched: the part that is timed. The session gets the report's
    own settings (PostgreSQL's work_mem), so both sort in the same memory."""
    figures.prepare_session()
    common = {
        "campaign": campaign.id,
        "prefix": viewer.organization.path + "%",
        "closes": campaign.closes_at,
    }
    return {
        name: db.session.execute(statement, {**common, **extra}).all()
        for name, statement, extra in prepared
    }


# One shape for both


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _day(value) -> str | None:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return value


def figures_of_baseline(definition: dict, rows: dict[str, list]) -> dict:
    questions = {q["key"]: q for q in _questions(definition)}
    completion = rows["completion"]
    figures = {"completion": {str(status): count for status, count, _ in completion}}
    figures["on_time"] = sum(punctual for status, _, punctual in completion if status in COUNTED)
    medians = {key: value for key, value in rows.get("medians", [])}
    for key, count, total, low, high, *median in rows["numbers"]:
        figures[key] = {
            "n": count, "sum": _number(total), "min": _number(low), "max": _number(high),
            "median": _number(median[0] if median else medians.get(key)),
        }  # fmt: skip
    cells: dict[str, dict] = {}
    for key, part, choice, count, total in rows["choices"]:
        cells.setdefault(key, {})[(part, choice)] = (count, _number(total))
    respondents = dict(rows["respondents"])
    for key, cell in cells.items():
        kind = questions[key]["type"]
        if kind in ("single", "yesno", "multiple"):
            figures[key] = {
                "respondents": respondents.get(key, sum(count for count, _ in cell.values())),
                # a multiple choice left with none ticked is a respondent, not an option
                "counts": {
                    choice: count for (_, choice), (count, _) in cell.items() if choice is not None
                },
            }
        elif kind == "matrix":
            figures[key] = {
                "respondents": respondents[key],
                "counts": {pair: count for pair, (count, _) in cell.items()},
            }
        else:
            figures[key] = {"cells": _table_cells(questions[key], cell)}
    for key, total, schools in rows["table_rows"]:
        figures[key].update(rows_total=total, schools=schools)
    for key, count, low, high in rows["dates"]:
        figures[key] = {"n": count, "earliest": _day(low), "latest": _day(high)}
    for key, answer_id, _text, _name, total in rows["texts"]:
        figures.setdefault(key, {"n": total, "page": []})["page"].append(answer_id)
    for key in _keys(list(questions.values()), "file"):
        figures[key] = {"n": respondents.get(key, 0)}
    return figures


def _table_cells(question: dict, cell: dict) -> dict:
    summary = {}
    for column in question["columns"]:
        groups = [
            (choice, *value) for (part, choice), value in cell.items() if part == column["key"]
        ]
        count = sum(cells for _, cells, _ in groups)
        if column["type"] in NUMERIC_TYPES:
            summary[column["key"]] = (count, sum((t for *_, t in groups if t is not None), 0))
        elif column["type"] in ("single", "yesno", "multiple"):
            summary[column["key"]] = {choice: cells for choice, cells, _ in groups}
        else:
            summary[column["key"]] = count
    return summary


def figures_of_report(report: dict) -> dict:
    completion = report["completion"]["statuses"]
    figures = {"completion": {str(status): count for status, count in completion.items() if count}}
    figures["on_time"] = report["completion"]["on_time"]
    for section in report["sections"]:
        for entry in section["questions"]:
            figures[entry["question"]["key"]] = _report_figures(entry["question"], entry["report"])
    return figures


def _report_figures(question: dict, report: dict) -> dict:
    kind = report["kind"]
    if kind == "choices":
        counts = {o["code"]: o["count"] for o in report["options"] if o["count"]}
        return {"respondents": report["respondents"], "counts": counts}
    if kind == "numbers":
        return {name: report[name] for name in ("n", "sum", "min", "max", "median")}
    if kind == "dates":
        return {"n": report["n"], "earliest": _day(report["earliest"]),
                "latest": _day(report["latest"])}  # fmt: skip
    if kind == "matrix":
        counts = {
            (row["code"], code): count
            for row in report["rows"]
            for code, count in row["counts"].items()
            if count
        }
        return {"respondents": report["respondents"], "counts": counts}
    if kind == "table":
        cells = {}
        for column in question["columns"]:
            summary = report["columns"][column["key"]]
            if "counts" in summary:
                cells[column["key"]] = {c: n for c, n in summary["counts"].items() if n}
            elif "sum" in summary:
                cells[column["key"]] = (summary["n"], summary["sum"])
            else:
                cells[column["key"]] = summary["n"]
        return {"cells": cells, "rows_total": report["rows_total"], "schools": report["schools"]}
    if kind == "texts":
        return {"n": report["n"], "page": [answer.id for answer in report["page"].items]}
    return {"n": report["n"]}


def differences(expected: dict, actual: dict, path: str = "") -> list[str]:
    """Where two figures disagree; numbers may differ in the sixth decimal place."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in expected.keys() | actual.keys():
            if not _empty(expected.get(key)) or not _empty(actual.get(key)):
                found += differences(expected.get(key), actual.get(key), f"{path}/{key}")
        return found
    if isinstance(expected, tuple | list) and isinstance(actual, tuple | list):
        if len(expected) != len(actual):
            return [f"{path}: {expected!r} != {actual!r}"]
        return [d for i, pair in enumerate(zip(expected, actual, strict=True)) for d in
                differences(*pair, f"{path}[{i}]")]  # fmt: skip
    if _is_number(expected) and _is_number(actual):
        close = abs(Decimal(expected) - Decimal(actual)) <= Decimal("1e-6") * max(
            1, abs(Decimal(expected))
        )
        return [] if close else [f"{path}: {expected} != {actual}"]
    return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]


def _empty(value) -> bool:
    return value in (None, 0, {}, [])


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
