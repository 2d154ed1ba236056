"""The results page, the protocol workbook and the protocol Word document print the same figures,
cell for cell, for any nomination: preset and own scales, whole and half steps, weights,
tie-break priorities, two to five jurors, conflicts of interest (a juror of the entry's own school,
a declared one) and sheets left as drafts or never started. Each output is read back as its reader
gets it: the page's HTML, the workbook through openpyxl, the document through python-docx."""

import io
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.accounts.models import Role
from app.contests import assignment, documents, jury, scoring, services
from app.contests import entries as entry_services
from app.contests.documents.protocol_docx import write_protocol_docx
from app.contests.documents.protocol_xlsx import write_protocol_xlsx
from app.contests.models import Assignment, AssignmentMode, Contest, Entry, Phase
from app.extensions import db
from tests.conftest import login
from tests.contests.factory import APPLICATION
from tests.contests.factory import settings as contest_settings
from tests.factories import make_org, make_user
from tests.monitoring import make_form

CONTESTS = itertools.count(1)
WEIGHTS = [Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal(2), Decimal(3)]
HALF = Decimal("0.5")


@st.composite
def scales(draw) -> tuple[Decimal, Decimal, Decimal]:
    """(min, max, step): one of the presets, or an own scale in whole or half points."""
    if draw(st.booleans()):
        return draw(st.sampled_from(sorted(services.PRESETS.values())))
    step = draw(st.sampled_from(services.STEPS))
    low = Decimal(draw(st.integers(0, 3)))
    return low, low + step * draw(st.integers(1, 20)), step


@st.composite
def criteria(draw) -> list[dict]:
    count = draw(st.integers(1, 4))
    priorities = draw(st.permutations(range(1, count + 1)))
    chosen = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    return [
        {
            "scale": draw(scales()),
            "weight": draw(st.sampled_from(WEIGHTS)),
            "tie_priority": priority if tie else None,
        }
        for priority, tie in zip(priorities, chosen, strict=True)
    ]


@dataclass
class Places:
    district: object
    schools: list


@pytest.fixture
def places(world) -> Places:
    extra = [make_org(f"Школа № {n}", parent=world.district_a) for n in (3, 4)]
    db.session.commit()
    return Places(world.district_a, [world.school_a1, world.school_a2, *extra])


@pytest.fixture
def version_id(world) -> int:
    return make_form(world.admin_a, APPLICATION).published.id


def _contest(world, places: Places, version_id: int, data) -> Contest:
    """A contest of one nomination in the judging stage, scored at random."""
    number = next(CONTESTS)
    admin = world.admin_a
    balanced = data.draw(st.booleans(), label="balanced")
    contest = services.create_contest(
        admin,
        contest_settings(
            version_id,
            title=f"Конкурс {number}",
            assignment_mode=AssignmentMode.BALANCED if balanced else AssignmentMode.ALL,
            jurors_per_entry=data.draw(st.integers(1, 3), label="jurors per entry"),
            laureates=data.draw(st.integers(0, 2), label="laureates"),
        ),
    )
    nomination = services.add_nomination(admin, contest, "Номинация")
    for index, criterion in enumerate(data.draw(criteria(), label="criteria"), start=1):
        low, high, step = criterion["scale"]
        services.add_criterion(
            admin,
            contest,
            services.CriterionSettings(
                f"Критерий {index}", high, low, step, criterion["weight"],
                tie_priority=criterion["tie_priority"],
            ),
        )  # fmt: skip
    organizations = [places.district, *places.schools]
    jurors = data.draw(st.lists(st.sampled_from(organizations), min_size=2, max_size=5))
    for index, organization in enumerate(jurors):
        user = make_user(Role.JURY, organization, f"jury-{number}-{index}")
        user.full_name = f"Эксперт {number}-{index}"
        jury.add_juror(admin, contest, user, [], is_chair=index == 0)
    services.move_phase(admin, contest, Phase.ACCEPTING)
    for index, organization in enumerate(
        data.draw(st.lists(st.sampled_from(places.schools), min_size=1, max_size=5))
    ):
        entry = entry_services.create_entry(
            admin, contest, nomination.id, f"Работа {index}", organization.id
        )
        entry_services.save_draft(admin, entry, {"author": "А", "summary": "Б"}, entry.revision)
        entry_services.submit(admin, entry, entry.revision)
    services.move_phase(admin, contest, Phase.JUDGING)
    _judge(contest, data)
    db.session.commit()
    return contest


def _judge(contest: Contest, data) -> None:
    """Every sheet completed, left a draft, never started, or declined for a conflict."""
    sheets = list(
        db.session.scalars(
            db.select(Assignment)
            .join(Assignment.entry)
            .where(Entry.contest_id == contest.id)
            .order_by(Assignment.id)
        )
    )
    for sheet in sheets:
        user = sheet.juror.user
        action = data.draw(
            st.sampled_from(["complete"] * 5 + ["draft", "none", "conflict"]), label="sheet"
        )
        if action == "conflict":
            assignment.declare_conflict(user, sheet, "Родственник в этой школе")
            continue
        if action == "none":
            continue
        marks = {}
        for criterion in scoring.criteria_for(sheet):
            steps = int((criterion.max_score - criterion.min_score) / criterion.step)
            value = criterion.min_score + criterion.step * data.draw(st.integers(0, steps))
            if action == "draft" and data.draw(st.booleans()):
                continue
            marks[criterion.id] = scoring.Mark(f"{value.normalize():f}".replace(".", ","))
        scoring.save_scores(user, sheet, marks, "", complete=action == "complete")


# Reading the three outputs back, every figure as text: "18,50", "" for none


def _figure(value) -> str:
    if value is None or value in ("", "—"):
        return ""
    if isinstance(value, int | float):
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}".replace(".", ",")
    return str(value).strip()


def _place(value) -> str:
    return "" if value in (None, "", "—") else str(value).strip()


def _page_rows(html: str, criteria: int) -> list[dict]:
    rows = []
    for number, row in re.findall(r'<tr data-entry="(\d+)">(.*?)</tr>', html, re.S):
        cells = [
            unescape(re.sub(r"<[^>]+>", " ", cell)).split()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        text = [" ".join(cell) for cell in cells]
        figures = text[2 : 2 + criteria]
        total, median, sd, spread, jurors, normalised, title = text[2 + criteria :]
        done, assigned = jurors.split("/")
        rows.append(
            {
                "number": int(number), "place": _place(text[0]), "means": figures,
                "total": total, "median": median, "sd": sd, "spread": spread,
                "jurors": (int(done), int(assigned)), "normalised": normalised, "title": title,
            }
        )  # fmt: skip
    return rows


def _docx_rows(document: Document, criteria: int) -> list[dict]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Место")
    rows = []
    for row in table.rows[1:]:
        text = [cell.text for cell in row.cells]
        done, _of, assigned = text[3 + criteria].split()
        rows.append(
            {
                "number": int(text[1].split()[1]), "place": _place(text[0]),
                "means": [_figure(v) for v in text[2 : 2 + criteria]],
                "total": _figure(text[2 + criteria]), "jurors": (int(done), int(assigned)),
                "sd": _figure(text[4 + criteria]),
            }
        )  # fmt: skip
    return rows


def _xlsx_rows(workbook: openpyxl.Workbook, criteria: int) -> list[dict]:
    cells = list(workbook["Итоги"].iter_rows(values_only=True))
    top = next(i for i, row in enumerate(cells) if row[0] == "Номинация")
    column = {title: index for index, title in enumerate(cells[top])}
    rows = []
    for row in cells[top + 1 :]:
        if row[1] is None:
            continue
        rows.append(
            {
                "number": row[column["№"]], "place": _place(row[column["Место"]]),
                "means": [_figure(v) for v in row[4 : 4 + criteria]],
                "total": _figure(row[column["Итог"]]), "median": _figure(row[column["Медиана"]]),
                "sd": _figure(row[column["Ст. откл."]]), "spread": _figure(row[column["Размах"]]),
                "jurors": (row[column["Оценили"]], row[column["Назначено"]]),
                "normalised": _figure(row[column["Нормированный итог"]]),
                "title": row[column["Звание"]] or "",
            }
        )  # fmt: skip
    return rows


def _ranking_rows(workbook: openpyxl.Workbook) -> list[dict]:
    cells = list(workbook["Рейтинг"].iter_rows(values_only=True))
    top = next(i for i, row in enumerate(cells) if row[0] == "Место")
    rows = []
    for row in cells[top + 1 :]:
        if isinstance(row[0], str) or row[1] is None:  # the agreement line, or the end
            break
        rows.append(
            {"number": row[1], "place": _place(row[0]), "total": _figure(row[4]),
             "title": row[5] or ""}
        )  # fmt: skip
    return rows


def _agreement(text: str) -> str:
    found = re.search(r"W (?:Кендалла )?= (\d+,\d\d)", text)
    return found.group(1) if found else ""


def _only(rows: list[dict], keys) -> list[dict]:
    return [{key: row[key] for key in keys} for row in rows]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_page_workbook_and_document_print_the_same_figures(app, world, places, version_id, data):
    contest = _contest(world, places, version_id, data)
    count = len(contest.criteria)
    client = app.test_client()
    assert login(client, world.admin_a).status_code == 302
    html = client.get(f"/contests/{contest.id}/results?normalised=1").get_data(as_text=True)
    protocol = documents.protocol(world.admin_a, contest)
    buffer = io.BytesIO()
    write_protocol_xlsx(protocol, buffer)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    buffer = io.BytesIO()
    write_protocol_docx(protocol, buffer)
    document = Document(io.BytesIO(buffer.getvalue()))

    page = _page_rows(html, count)
    assert len(page) == db.session.scalar(
        db.select(db.func.count(Entry.id)).where(Entry.contest_id == contest.id)
    )
    xlsx = _xlsx_rows(workbook, count)
    assert xlsx == page
    shared = ("number", "place", "means", "total", "jurors", "sd")
    assert _only(_docx_rows(document, count), shared) == _only(page, shared)
    ranking = ("number", "place", "total", "title")
    assert _ranking_rows(workbook) == _only(page, ranking)

    docx_text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    w_row = [row for row in workbook["Рейтинг"].iter_rows(values_only=True) if row[0] and
             str(row[0]).startswith("Согласованность")]  # fmt: skip
    assert _agreement(html) == _agreement(docx_text) == (_figure(w_row[0][1]) if w_row else "")
