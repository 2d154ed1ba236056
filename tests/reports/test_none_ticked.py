"""A multiple choice seen and left unticked is an answer; one hidden by its condition is not.

Three schools: Нюрбинская ticks fiction and science, Маарская has a library and ticks nothing,
Арангастахская has no library, so the genres question is never shown to it. The genres have two
respondents: shares are of 2, the raw workbook writes 1/0/1, 0/0/0 and empty cells.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa

from app.accounts import api_tokens
from app.accounts.models import Role
from app.campaigns import responses
from app.campaigns.models import Answer
from app.extensions import db
from app.questionnaires.builder import find_question
from app.questionnaires.definition import version_definition
from app.reports.aggregates import question_report
from app.reports.breakdowns import breakdown
from tests.conftest import login
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, one_section, response_of
from tests.reports.test_report_page import export

GENRES = [("fiction", "Художественная"), ("poetry", "Поэзия"), ("science", "Научная")]

DEFINITION = one_section(
    "fund",
    {
        "key": "has_library",
        "type": "yesno",
        "label": "Есть библиотека?",
        "help": "",
        "required": True,
        "condition": None,
    },
    {
        "key": "genres",
        "type": "multiple",
        "label": "Жанры",
        "help": "",
        "required": False,
        "condition": {"key": "has_library", "op": "eq", "value": "yes"},
        "choices": [{"code": code, "label": label} for code, label in GENRES],
    },
)

ANSWERS = {
    "ticked": {"has_library": "yes", "genres": ["fiction", "science"]},
    "none": {"has_library": "yes", "genres": []},
    "hidden": {"has_library": "no", "genres": ["poetry"]},
}


@pytest.fixture
def fund(world):
    schools = {
        "ticked": world.school_a1,
        "none": world.school_a2,
        "hidden": make_org("Арангастахская СОШ", parent=world.district_a, locality="г. Нюрба"),
    }
    campaign = make_campaign(world.admin_a, make_form(world.admin_a, DEFINITION), schools.values())
    for name, school in schools.items():
        user = make_user(Role.SCHOOL, school)
        response = response_of(campaign, school)
        responses.save_draft(user, response, ANSWERS[name], 0)
        responses.submit(user, response, response.revision)
    db.session.commit()
    return campaign


def _genres(campaign) -> dict:
    return find_question(version_definition(campaign.form_version), "genres")


def test_none_ticked_is_stored_as_an_empty_selection_and_not_shown_is_not_stored(world, fund):
    stored = {
        response.organization.name: (
            response.data.get("genres"),
            db.session.execute(
                sa.select(Answer.value_choice)
                .where(Answer.response_id == response.id, Answer.question_key == "genres")
                .order_by(Answer.id)
            )
            .scalars()
            .all(),
        )
        for response in fund.responses
    }
    assert stored == {
        "Нюрбинская СОШ №1": (["fiction", "science"], ["fiction", "science"]),
        "Маарская СОШ": ([], [None]),
        "Арангастахская СОШ": (None, []),
    }


def test_school_that_ticked_nothing_is_a_respondent_and_the_base_of_the_shares(world, fund):
    report = question_report(world.admin_a, fund, _genres(fund))
    assert report["respondents"] == 2
    assert [(o["code"], o["count"], o["percent"]) for o in report["options"]] == [
        ("fiction", 1, Decimal("50.0")),
        ("poetry", 0, Decimal("0.0")),
        ("science", 1, Decimal("50.0")),
    ]


def test_breakdown_counts_the_school_that_ticked_nothing_in_its_group(world, fund):
    rows = breakdown(world.admin_a, fund, _genres(fund), "organization")
    assert [(r["label"], r["respondents"], r["counts"]) for r in rows] == [
        ("Маарская СОШ", 1, {"fiction": 0, "poetry": 0, "science": 0}),
        ("НСОШ1", 1, {"fiction": 1, "poetry": 0, "science": 1}),
    ]
    assert rows[0]["percents"] == dict.fromkeys(("fiction", "poetry", "science"), Decimal("0.0"))


def test_api_report_has_the_same_base(client, world, fund):
    _token, secret = api_tokens.create_token(world.viewer_a, "Скрипт")
    db.session.commit()
    reply = client.get(
        f"/api/v1/campaigns/{fund.id}/report", headers={"Authorization": f"Bearer {secret}"}
    )
    genres = reply.get_json()["questions"]["genres"]
    assert genres["respondents"] == 2
    assert [(o["count"], o["percent"]) for o in genres["options"]] == [
        (1, "50"),
        (0, "0"),
        (1, "50"),
    ]


def test_raw_workbook_writes_zeros_for_none_ticked_and_empty_cells_for_not_shown(
    client, world, fund
):
    login(client, world.admin_a)
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, fund).data))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    keys = rows[1]
    cells = {
        row[0]: tuple(row[keys.index(f"genres.{code}")] for code, _label in GENRES)
        for row in rows[2:]
    }
    assert cells == {
        "Нюрбинская СОШ №1": (1, 0, 1),
        "Маарская СОШ": (0, 0, 0),
        "Арангастахская СОШ": (None, None, None),
    }
