"""Every output of a monitoring says the same: over random answers to a random form, the report
page, the API, the raw workbook, the summary workbook and the справка give the respondents,
counts, shares and sums that a hand computation over the answers gives, for every question.

A school that sees a multiple choice and ticks nothing has answered it (the empty selection
counts among the respondents); drafts and schools that never started are not counted.
"""

import io
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from itertools import count

import openpyxl
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import html

from app.accounts import api_tokens
from app.accounts.models import Role
from app.campaigns import responses
from app.core.numbers import rounded
from app.extensions import db
from app.reports.aggregates import ReportFilter
from app.reports.exports.docx_report import write_docx
from app.reports.exports.raw import safe_title, write_raw
from app.reports.exports.summary import write_summary
from app.reports.rounding import measure_places, value_places
from tests.conftest import login
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, response_of
from tests.reports.test_docx_report import _tables

KINDS = ("yesno", "single", "multiple", "integer", "decimal", "table")
YES_NO = {"yes": "Да", "no": "Нет"}
COUNTED = ("submitted", "accepted")
_forms = count(1)


# Random forms and answers


def _options(number: int, size: int) -> list[dict]:
    return [{"code": f"o{i}", "label": f"Вариант {number}.{i}"} for i in range(1, size + 1)]


@st.composite
def _question(draw, number: int) -> dict:
    kind = draw(st.sampled_from(KINDS))
    question = {
        "key": f"q{number}",
        "type": kind,
        "label": f"Вопрос {number}",
        "help": "",
        "required": False,
        "condition": None,
    }
    if kind in ("single", "multiple"):
        question["choices"] = _options(number, draw(st.integers(2, 3)))
    if kind == "table":
        question["columns"] = [
            {"key": "rate", "type": "decimal", "label": "Ставка", "required": False},
            {
                "key": "position",
                "type": "single",
                "label": "Должность",
                "required": True,
                "choices": _options(number, 2),
            },
        ]
    return question


def _codes(question: dict) -> list[str]:
    if question["type"] == "yesno":
        return list(YES_NO)
    return [option["code"] for option in question["choices"]]


def _decimals():
    return st.decimals(0, 1000, places=2).map(str)


def _answer(question: dict):
    """A value for the question, or None when the school leaves it out."""
    kind = question["type"]
    if kind in ("yesno", "single"):
        return st.none() | st.sampled_from(_codes(question))
    if kind == "multiple":  # [] is "none ticked", an answer
        return st.none() | st.lists(st.sampled_from(_codes(question)), unique=True)
    if kind == "integer":
        return st.none() | st.integers(0, 10_000).map(str)
    if kind == "decimal":
        return st.none() | _decimals()
    row = st.fixed_dictionaries(
        {"position": st.sampled_from(_codes(question["columns"][1]))},
        optional={"rate": _decimals()},
    )
    return st.none() | st.lists(row, min_size=1, max_size=3)


@st.composite
def surveys(draw) -> tuple[list[dict], list[tuple[str, dict]]]:
    """Questions of a form and, per school, its status and answers."""
    questions = [draw(_question(number)) for number in range(1, draw(st.integers(1, 5)) + 1)]
    for index, question in enumerate(questions):
        switches = [
            q["key"] for q in questions[:index] if q["type"] == "yesno" and not q["condition"]
        ]
        if switches and draw(st.booleans()):
            key = draw(st.sampled_from(switches))
            question["condition"] = {"key": key, "op": "eq", "value": "yes"}
    schools = []
    for _ in range(draw(st.integers(1, 4))):
        status = draw(st.sampled_from(("submitted", "submitted", "draft", "not_started")))
        answers = {q["key"]: draw(_answer(q)) for q in questions}
        schools.append(
            (status, {key: value for key, value in answers.items() if value is not None})
        )
    return questions, schools


# What a hand computation gives


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _labels(question: dict) -> dict[str, str]:
    if question["type"] == "yesno":
        return dict(YES_NO)
    return {option["code"]: option["label"] for option in question["choices"]}


def _shown(question: dict, answers: dict) -> bool:
    condition = question["condition"]
    return condition is None or answers.get(condition["key"]) == condition["value"]


def expected(questions: list[dict], schools: list[tuple[str, dict]]) -> dict:
    """A question hidden by its condition is not counted, whatever was typed before it hid; a
    multiple choice shown and left without ticks is the empty selection, counted."""
    counted = [answers for status, answers in schools if status in COUNTED]
    figures = {}
    for question in questions:
        key, kind = question["key"], question["type"]
        shown = [answers for answers in counted if _shown(question, answers)]
        given_values = [answers[key] for answers in shown if key in answers]
        if kind == "multiple":
            given_values = [answers.get(key, []) for answers in shown]
        if kind in ("yesno", "single", "multiple"):
            chosen = Counter(
                code
                for value in given_values
                for code in (value if isinstance(value, list) else [value])
            )
            labels = _labels(question)
            counts = {labels[code]: chosen[code] for code in labels}
            figures[key] = {
                "respondents": len(given_values),
                "counts": counts,
                "percents": {label: _share(n, len(given_values)) for label, n in counts.items()},
            }
        elif kind in ("integer", "decimal"):
            figures[key] = {
                "n": len(given_values),
                "sum": sum((Decimal(value) for value in given_values), Decimal(0)),
            }
        else:
            rows = [row for value in given_values for row in value]
            positions = Counter(row["position"] for row in rows)
            labels = _labels(question["columns"][1])
            rates = [Decimal(row["rate"]) for row in rows if "rate" in row]
            figures[key] = {
                "rows": len(rows),
                "schools": len(given_values),
                "positions": {labels[code]: positions[code] for code in labels},
                "rate_n": len(rates),
                "rate_sum": sum(rates, Decimal(0)),
            }
    return figures


# Reading each output back


def _number(text) -> Decimal | None:
    if text is None:
        return None
    text = str(text).replace("%", "").replace("\u00a0", "").replace("\u202f", "").strip()
    if text in ("", "—"):
        return None
    return Decimal(text.replace(" ", "").replace(",", ".").replace("\u2212", "-"))


def _from_page(page: str, questions: list[dict]) -> dict:
    tree = html.fromstring(page)
    figures = {}
    for question in questions:
        block = tree.get_element_by_id(f"report-{question['key']}")
        text = block.text_content()
        kind = question["type"]
        if kind in ("yesno", "single", "multiple"):
            rows = [
                [td.text_content().strip() for td in tr.findall("td")]
                for tr in block.iter("tr")
                if tr.findall("td")
            ]
            figures[question["key"]] = {
                "respondents": int(re.search(r"Ответили: (\d+)", text).group(1)),
                "counts": {row[0]: int(row[1]) for row in rows},
                "percents": {row[0]: _number(row[2]) for row in rows},
            }
        elif kind in ("integer", "decimal"):
            cells = [td.text_content() for td in block.iter("td")]
            figures[question["key"]] = {"n": int(cells[0]), "sum": _number(cells[1])}
        else:
            found = re.search(r"Всего строк: (\d+); организаций со строками: (\d+)", text)
            cells = {
                tr.find("th").text_content().strip(): tr.find("td").text_content()
                for tr in block.iter("tr")
            }
            positions = dict(
                (label.strip(), int(n))
                for label, n in re.findall(r"([^:;]+): (\d+)", cells["Должность"])
            )
            rate = re.search(r"сумма ([\d\s\u00a0,−-]+),", cells["Ставка"])
            figures[question["key"]] = {
                "rows": int(found.group(1)),
                "schools": int(found.group(2)),
                "positions": positions,
                "rate_sum": _number(rate.group(1)),
            }
    return figures


def _from_api(report: dict, questions: list[dict]) -> dict:
    figures = {}
    for question in questions:
        got = report["questions"][question["key"]]
        kind = question["type"]
        if kind in ("yesno", "single", "multiple"):
            figures[question["key"]] = {
                "respondents": got["respondents"],
                "counts": {o["label"]: o["count"] for o in got["options"]},
                "percents": {o["label"]: _number(o["percent"]) for o in got["options"]},
            }
        elif kind in ("integer", "decimal"):
            figures[question["key"]] = {"n": got["n"], "sum": _number(got["sum"])}
        else:
            labels = _labels(question["columns"][1])
            counts = got["columns"]["position"]["counts"]
            figures[question["key"]] = {
                "rows": got["rows_total"],
                "schools": got["schools"],
                "positions": {labels[code]: n for code, n in counts.items()},
                "rate_n": got["columns"]["rate"]["n"],
                "rate_sum": _number(got["columns"]["rate"]["sum"]),
            }
    return figures


def _from_raw(data: bytes, questions: list[dict]) -> dict:
    """The figures a reader of the raw workbook computes from its rows."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    answers = [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]
    figures = {}
    for question in questions:
        key, kind = question["key"], question["type"]
        if kind in ("yesno", "single"):
            given_values = [row[key] for row in answers if row[key] is not None]
            counts = {label: given_values.count(label) for label in _labels(question).values()}
        elif kind == "multiple":
            columns = {f"{key}.{code}": label for code, label in _labels(question).items()}
            given_values = [row for row in answers if row[next(iter(columns))] is not None]
            counts = {
                label: sum(row[column] for row in given_values) for column, label in columns.items()
            }
        elif kind in ("integer", "decimal"):
            numbers = [Decimal(str(row[key])) for row in answers if row[key] is not None]
            figures[key] = {"n": len(numbers), "sum": sum(numbers, Decimal(0))}
            continue
        else:
            table = list(workbook[safe_title(key)].iter_rows(min_row=3, values_only=True))
            positions = Counter(row[3] for row in table)
            rates = [Decimal(str(row[2])) for row in table if row[2] is not None]
            figures[key] = {
                "rows": len(table),
                "schools": len({row[0] for row in table}),
                "positions": {
                    label: positions[label] for label in _labels(question["columns"][1]).values()
                },  # fmt: skip
                "rate_n": len(rates),
                "rate_sum": sum(rates, Decimal(0)),
            }
            continue
        figures[key] = {
            "respondents": len(given_values),
            "counts": counts,
            "percents": {label: _share(n, len(given_values)) for label, n in counts.items()},
        }
    return figures


def _from_summary(data: bytes, questions: list[dict]) -> dict:
    sheets = openpyxl.load_workbook(io.BytesIO(data))  # a sheet per block of the form
    rows = [
        row for sheet in sheets for row in [*sheet.iter_rows(values_only=True), (None,)]
    ]  # a block ends with its sheet
    figures = {}
    for question in questions:
        start = next(i for i, row in enumerate(rows) if row[0] == question["label"]) + 1
        end = next((i for i in range(start, len(rows)) if rows[i][0] is None), len(rows))
        block = rows[start:end]
        values = {row[0]: row[1:] for row in block}
        kind = question["type"]
        if kind in ("yesno", "single", "multiple"):
            options = block[1:-1]  # between the header and «Ответили»
            figures[question["key"]] = {
                "respondents": values["Ответили"][0],
                "counts": {row[0]: row[1] for row in options},
                "percents": {row[0]: _number(row[2]) for row in options},
            }
        elif kind in ("integer", "decimal"):
            total = values["Сумма"][0]
            figures[question["key"]] = {"n": values["Число ответов"][0], "sum": _number(total)}
        else:
            labels = _labels(question["columns"][1]).values()
            figures[question["key"]] = {
                "rows": values["Строк всего"][0],
                "schools": values["Организаций со строками"][0],
                "positions": {label: values[f"Должность: {label}"][0] for label in labels},
                "rate_n": values["Ставка"][0],
                "rate_sum": _number(values["Ставка"][1]),
            }
    return figures


def _from_docx(data: bytes, questions: list[dict]) -> dict:
    document = Document(io.BytesIO(data))
    tables = _tables(document)
    text = "\n".join(p.text.replace("\u00a0", " ") for p in document.paragraphs)
    # every table of numbers, read from the document itself: two of them may share a caption
    # (numbers before and after a choice question of one section)
    every_table = [
        [[cell.text.replace("\u00a0", " ") for cell in row.cells] for row in table.rows]
        for table in document.tables
    ]
    numbers = {
        row[0]: row for rows in every_table if rows and rows[0][0] == "Вопрос" for row in rows[1:]
    }
    figures = {}
    for question in questions:
        label, kind = question["label"], question["type"]
        if kind in ("yesno", "single", "multiple"):
            options = tables[label][1:]
            whole = re.search(rf"^{label}: .* из (\d+) \(", text, re.MULTILINE)
            figures[question["key"]] = {
                "respondents": int(whole.group(1)) if whole else 0,
                "counts": {row[0]: int(row[1]) for row in options},
                "percents": {row[0]: _number(row[2]) for row in options},
            }
        elif kind in ("integer", "decimal"):
            row = numbers[label]
            figures[question["key"]] = {"n": int(row[1]), "sum": _number(row[2])}
        else:
            line = next(line for line in text.splitlines() if line.startswith(f"{label}: "))
            found = re.match(rf"{label}: (\d+) строк\w* в (\d+) ", line)
            rate = re.search("Ставка \u2013 всего ([\\d\\s,\u2212-]+)[;.]", line)
            breakdown = tables.get(f"{label}: должность", [[]])[1:]
            labels = _labels(question["columns"][1]).values()
            figures[question["key"]] = {
                "rows": int(found.group(1)) if found else 0,
                "schools": int(found.group(2)) if found else 0,
                "positions": {row[0]: int(row[1]) for row in breakdown} or dict.fromkeys(labels, 0),
                "rate_sum": _number(rate.group(1)) if rate else Decimal(0),
            }
    return figures


def _as_written(figures: dict) -> dict:
    """The hand-computed figures rounded as the report page writes them: a sum with the
    decimals of its quantity (its mean's), none when whole."""

    def written(total: Decimal, count: int) -> Decimal:
        places = value_places(total, measure_places(total / count if count else None))
        return rounded(total, Decimal(1).scaleb(-places), ROUND_HALF_UP)

    shown = {}
    for key, found in figures.items():
        found = dict(found)
        if "sum" in found:
            found["sum"] = written(found["sum"], found["n"])
        if "rate_sum" in found:
            found["rate_sum"] = written(found["rate_sum"], found["rate_n"])
        shown[key] = found
    return shown


def _only(figures: dict, names: tuple[str, ...]) -> dict:
    return {
        key: {name: value for name, value in found.items() if name in names}
        for key, found in figures.items()
    }


# The property


def _monitoring(world, questions, schools):
    number = next(_forms)
    definition = {
        "title": f"Случайная анкета {number}",
        "description": "",
        "form_id": f"random-{number}",
        "version": "1",
        "sections": [
            {"key": "main", "title": "Ответы", "description": "", "condition": None,
             "questions": questions},
        ],
    }  # fmt: skip
    form = make_form(world.admin_a, definition)
    organizations = [make_org(parent=world.district_a) for _ in schools]
    campaign = make_campaign(world.admin_a, form, organizations, title=f"Мониторинг {number}")
    for organization, (status, answers) in zip(organizations, schools, strict=True):
        if status == "not_started":
            continue
        user = make_user(Role.SCHOOL, organization)
        response = response_of(campaign, organization)
        responses.save_draft(user, response, answers, 0)
        if status == "submitted":
            responses.submit(user, response, response.revision)
    db.session.commit()
    return campaign


def _written(writer, world, campaign, **options) -> bytes:
    buffer = io.BytesIO()
    writer(world.admin_a, campaign, ReportFilter(), buffer, **options)
    return buffer.getvalue()


def _plain(number: int, kind: str, **more) -> dict:
    return {"key": f"q{number}", "type": kind, "label": f"Вопрос {number}", "help": "",
            "required": False, "condition": None, **more}  # fmt: skip


# the outputs people read write a figure rounded (app/reports/rounding.py); the others exact
ROUNDED = ("report page", "справка .docx")

# numbers split by a choice question: the справка has two tables of numbers in one section
NUMBERS_SPLIT = (
    [_plain(1, "integer"), _plain(2, "single", choices=_options(2, 2)), _plain(3, "decimal")],
    [("submitted", {"q1": "5", "q2": "o1", "q3": "7.25"})],
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(survey=NUMBERS_SPLIT)
@given(survey=surveys())
def test_page_api_and_every_export_give_the_same_figures(client, world, survey):
    questions, schools = survey
    campaign = _monitoring(world, questions, schools)
    url = f"/reports/campaigns/{campaign.id}"
    if client.get(url).status_code == 302:  # logged in once for all the examples
        login(client, world.admin_a)
    _token, secret = api_tokens.create_token(world.admin_a, "Проверка")
    db.session.commit()
    hand = expected(questions, schools)
    page = client.get(url).get_data(as_text=True)
    api = client.get(
        f"/api/v1/campaigns/{campaign.id}/report", headers={"Authorization": f"Bearer {secret}"}
    ).json
    outputs = {
        "report page": _from_page(page, questions),
        "API": _from_api(api, questions),
        "raw .xlsx": _from_raw(_written(write_raw, world, campaign), questions),
        "summary .xlsx": _from_summary(_written(write_summary, world, campaign), questions),
        "справка .docx": _from_docx(
            _written(write_docx, world, campaign, executor="Проверка"), questions
        ),
    }
    names = ("respondents", "counts", "percents", "n", "sum", "rows", "schools", "positions")
    for name, figures in outputs.items():
        wanted = _as_written(hand) if name in ROUNDED else hand
        assert _only(figures, names) == _only(wanted, names), name
    for name in ("API", "raw .xlsx", "summary .xlsx"):  # those that give a column's n
        assert _only(outputs[name], ("rate_n",)) == _only(hand, ("rate_n",)), name
    for name, figures in outputs.items():
        wanted = _as_written(hand) if name in ROUNDED else hand
        assert _only(figures, ("rate_sum",)) == _only(wanted, ("rate_sum",)), name
