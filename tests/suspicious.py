"""A monitoring with suspicious values, for the plausibility checks: six schools of district A
and one of district B answer how many computers and pupils they have."""

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import Role
from app.campaigns import responses
from app.campaigns.models import Answer, Campaign, Response
from app.extensions import db
from app.questionnaires.expressions import parse
from app.reports import indicators
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, one_section, question, response_of

DEFINITION = one_section(
    "computers",
    question("computers", "integer", "Число компьютеров", min=0, max=100),
    question("computers_online", "integer", "Компьютеры с Интернетом", min=0),
    question("pupils", "integer", "Число обучающихся", min=0),
    title="Оснащение",
)
# School A1 has ten times the pupils of the others: an outlier within the question's bounds.
ANSWERS = {
    "a1": {"computers": 10, "computers_online": 8, "pupils": 2000},
    "a2": {"computers": 12, "computers_online": 12, "pupils": 200},
    "a3": {"computers": 11, "computers_online": 10, "pupils": 210},
    "a4": {"computers": 13, "computers_online": 13, "pupils": 190},
    "a5": {"computers": 12, "computers_online": 11, "pupils": 205},
    "a6": {"computers": 9, "computers_online": 9, "pupils": 195},
    "b1": {"computers": 10, "computers_online": 10, "pupils": 5000},
}
# The same, with a table of staff: the second librarian of school A3 has sixty years of
# experience, far from the 9 to 13 of every other row of every school.
STAFF = question("staff", "table", "Сотрудники", columns=[
    {"key": "position", "type": "text", "label": "Должность"},
    {"key": "rate", "type": "decimal", "label": "Ставка", "min": 0, "max": 2,
     "constraint": parse(". <= 1.5"), "constraint_message": "Не больше полутора ставок"},
    {"key": "experience", "type": "integer", "label": "Стаж, лет", "min": 0},
])  # fmt: skip
STAFFED = one_section(
    "computers", *DEFINITION["sections"][0]["questions"], STAFF, title="Оснащение"
)
STAFF_ROWS = {
    "a1": [("1", 10), ("0.5", 12)],
    "a2": [("1", 11)],
    "a3": [("0.75", 9), ("1", 60)],
    "a4": [("1", 13)],
    "a5": [("0.5", 10)],
    "a6": [("1", 12)],
    "b1": [("1", 11)],
}
STAFFED_ANSWERS = {
    name: {**answers, "staff": [{"position": "Библиотекарь", "rate": rate, "experience": years}
                                for rate, years in STAFF_ROWS[name]]}
    for name, answers in ANSWERS.items()
}  # fmt: skip


@dataclass
class Checked:
    campaign: Campaign
    responses: dict[str, Response]  # by the keys of ANSWERS
    users: dict[str, object]  # the school accounts, by the same keys


def make_suspicious(world, whole_region: bool = False, staff: bool = False) -> Checked:
    """District A's monitoring of its six schools; with ``whole_region``, the region's, with
    school B1 as well; with ``staff``, the form has the table of staff too."""
    schools = {"a1": world.school_a1, "a2": world.school_a2}
    users = {"a1": world.school_user_a1}
    for name in ("a3", "a4", "a5", "a6"):
        schools[name] = make_org(f"Школа {name.upper()}", parent=world.district_a)
    if whole_region:
        schools["b1"], users["b1"] = world.school_b1, world.school_user_b1
    for name, school in schools.items():
        if name not in users:
            users[name] = make_user(Role.SCHOOL, school, f"school-{name}")
    author = world.region_admin if whole_region else world.admin_a
    form = make_form(author, STAFFED if staff else DEFINITION)
    indicators.add_indicator(
        author,
        form,
        key="online_share",
        title="Доля компьютеров с Интернетом",
        formula="computers_online * 100 / computers",
        unit="%",
    )
    campaign = make_campaign(author, form, list(schools.values()))
    found = {}
    for name, school in schools.items():
        response = found[name] = response_of(campaign, school)
        answers = (STAFFED_ANSWERS if staff else ANSWERS)[name]
        responses.save_draft(users[name], response, answers, 0)
        responses.submit(users[name], response, response.revision)
    db.session.commit()
    return Checked(campaign, found, users)


def force_answer(response: Response, key: str, value) -> None:
    """A stored answer the form would refuse now, as an import or an older rule left it."""
    db.session.execute(
        sa.update(Answer)
        .where(Answer.response_id == response.id, Answer.question_key == key)
        .values(value_number=Decimal(value))
    )
    response.data = {**response.data, key: value}
    db.session.commit()


def force_cell(response: Response, key: str, row_index: int, column: str, value) -> None:
    """A stored table cell the form would refuse now."""
    db.session.execute(
        sa.update(Answer)
        .where(
            Answer.response_id == response.id,
            Answer.question_key == key,
            Answer.row_index == row_index,
            Answer.part == column,
        )
        .values(value_number=Decimal(value))
    )
    rows = [dict(row) for row in response.data[key]]
    rows[row_index][column] = value
    response.data = {**response.data, key: rows}
    db.session.commit()
