"""Campaign reports: per-question aggregates over a small monitoring whose figures are known.

Five schools of district A answer; their answers (by school, in the order of the organizations'
names):

    school               locality      status            building  gym  area    clubs
    Арангастахская (a3)  г. Нюрба      submitted, late   typical   yes  162     robotics chess
                                                                                theatre
    Кюндядинская (a4)    с. Антоновка  submitted         other     yes  540.25  none ticked
    Маарская (a2)        с. Маар       accepted          adapted   no   —       chess
    Нюрбинская (a1)      г. Нюрба      submitted         typical   yes  288.5   robotics chess
    Хатынская (a5)       с. Маар       draft (recalled)  adapted   no   —       chess

    school  pupils  licensed    projector / computer  staff (rate, category)             scan
    a3      610     2019-01-20  full / full           0.25 none, 1 first, — higher       —
    a4      33      2021-06-30  partial / —           —                                  —
    a2      85      2012-03-15  none / partial        1.5 higher                         —
    a1      420     2015-09-01  full / partial        1 higher, 0.5 first                yes
    a5      1000    2020-02-02  none / none           2 first                            —

Comments: a3 «Всё хорошо», a4 «Ждём учителя информатики», a1 «Нужен ремонт спортзала».
The recalled draft keeps its answer rows, so only the status filter keeps it out.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.campaigns import responses
from app.campaigns import services as campaigns
from app.campaigns.models import Campaign, ResponseFile
from app.db import utcnow
from app.extensions import db
from app.questionnaires.builder import find_question
from app.questionnaires.definition import version_definition
from app.reports.aggregates import (
    ReportFilter,
    campaign_report,
    completion,
    question_report,
)
from app.reports.breakdowns import breakdown
from tests.factories import make_org, make_user
from tests.monitoring import make_campaign, make_form, response_of


def _question(key, kind, label, **settings) -> dict:
    return {"key": key, "type": kind, "label": label, "help": "", "required": False, **settings}


def _options(*pairs) -> list[dict]:
    return [{"code": code, "label": label} for code, label in pairs]


DEFINITION = {
    "title": "Паспорт школы",
    "description": "",
    "form_id": "passport",
    "version": "1",
    "sections": [
        {
            "key": "general",
            "title": "Общие сведения",
            "description": "",
            "condition": None,
            "questions": [
                _question(
                    "building",
                    "single",
                    "Здание",
                    choices=_options(
                        ("typical", "Типовое"), ("adapted", "Приспособленное"), ("other", "Иное")
                    ),
                ),
                _question("has_gym", "yesno", "Есть спортзал?"),
                _question(
                    "gym_area",
                    "decimal",
                    "Площадь спортзала, м²",
                    condition={"key": "has_gym", "op": "eq", "value": "yes"},
                ),
                _question(
                    "clubs",
                    "multiple",
                    "Кружки",
                    choices=_options(
                        ("robotics", "Робототехника"), ("chess", "Шахматы"), ("theatre", "Театр")
                    ),
                ),
                _question("pupils", "integer", "Число учащихся"),
                _question("licensed_on", "date", "Дата лицензии"),
                _question("comment", "textarea", "Комментарий"),
            ],
        },
        {
            "key": "equipment_section",
            "title": "Оснащение",
            "description": "",
            "condition": None,
            "questions": [
                _question(
                    "equipment",
                    "matrix",
                    "Оборудование",
                    rows=_options(("projector", "Проекторы"), ("computer", "Компьютеры")),
                    choices=_options(
                        ("none", "Нет"), ("partial", "Частично"), ("full", "Полностью")
                    ),
                ),
                _question(
                    "staff",
                    "table",
                    "Педагоги",
                    columns=[
                        _question("full_name", "text", "ФИО"),
                        _question("rate", "decimal", "Ставка"),
                        _question(
                            "category",
                            "single",
                            "Категория",
                            choices=_options(
                                ("higher", "Высшая"), ("first", "Первая"), ("none", "Без категории")
                            ),
                        ),
                    ],
                ),
                _question("remark", "note", "Спасибо!"),
                _question("scan", "file", "Скан лицензии"),
            ],
        },
    ],
}

ANSWERS = {
    "a1": {
        "building": "typical",
        "has_gym": "yes",
        "gym_area": "288.5",
        "clubs": ["robotics", "chess"],
        "pupils": 420,
        "licensed_on": "2015-09-01",
        "comment": "Нужен ремонт спортзала",
        "equipment": {"projector": "full", "computer": "partial"},
        "staff": [
            {"full_name": "Иванова А. П.", "rate": "1", "category": "higher"},
            {"full_name": "Петров С. И.", "rate": "0.5", "category": "first"},
        ],
        "scan": {"id": 1, "name": "license.pdf"},
    },
    "a2": {
        "building": "adapted",
        "has_gym": "no",
        "clubs": ["chess"],
        "pupils": 85,
        "licensed_on": "2012-03-15",
        "equipment": {"projector": "none", "computer": "partial"},
        "staff": [{"full_name": "Сидорова Е. В.", "rate": "1.5", "category": "higher"}],
    },
    "a3": {
        "building": "typical",
        "has_gym": "yes",
        "gym_area": "162",
        "clubs": ["robotics", "chess", "theatre"],
        "pupils": 610,
        "licensed_on": "2019-01-20",
        "comment": "Всё хорошо",
        "equipment": {"projector": "full", "computer": "full"},
        "staff": [
            {"full_name": "Кузьмина О. Н.", "rate": "0.25", "category": "none"},
            {"full_name": "Алексеев Д. Д.", "rate": "1", "category": "first"},
            {"full_name": "Борисова Л. М.", "category": "higher"},
        ],
    },
    "a4": {
        "building": "other",
        "has_gym": "yes",
        "gym_area": "540.25",
        "pupils": 33,
        "licensed_on": "2021-06-30",
        "comment": "Ждём учителя информатики",
        "equipment": {"projector": "partial"},
    },
    "a5": {
        "building": "adapted",
        "has_gym": "no",
        "clubs": ["chess"],
        "pupils": 1000,
        "licensed_on": "2020-02-02",
        "equipment": {"projector": "none", "computer": "none"},
        "staff": [{"full_name": "Ефимов Г. Г.", "rate": "2", "category": "first"}],
    },
}


@dataclass
class Survey:
    campaign: Campaign
    definition: dict

    def question(self, key: str) -> dict:
        return find_question(self.definition, key)


def _fill(user, response, answers) -> None:
    responses.save_draft(user, response, answers, response.revision)
    responses.submit(user, response, response.revision)


@pytest.fixture
def survey(world) -> Survey:
    schools = {
        "a1": world.school_a1,
        "a2": world.school_a2,
        "a3": make_org("Арангастахская СОШ", parent=world.district_a, locality="г. Нюрба"),
        "a4": make_org("Кюндядинская СОШ", parent=world.district_a, locality="с. Антоновка"),
        "a5": make_org("Хатынская СОШ", parent=world.district_a, locality="с. Маар"),
    }
    campaign = make_campaign(world.admin_a, make_form(world.admin_a, DEFINITION), schools.values())
    users = {name: make_user(Role.SCHOOL, school) for name, school in schools.items()}
    mine = {name: response_of(campaign, school) for name, school in schools.items()}
    scan = ResponseFile(
        response=mine["a1"], question_key="scan", stored_name="aggregates-license.pdf",
        original_name="license.pdf", content_type="application/pdf", size=13,
    )  # fmt: skip
    db.session.add(scan)
    db.session.flush()
    answers = {**ANSWERS, "a1": {**ANSWERS["a1"], "scan": {"id": scan.id, "name": "license.pdf"}}}
    for name in ("a1", "a2", "a3", "a5"):
        _fill(users[name], mine[name], answers[name])
    responses.accept(world.admin_a, mine["a2"])
    responses.recall(users["a5"], mine["a5"])
    # a3 is returned for revision and sends it again after its deadline has passed.
    responses.return_for_revision(world.admin_a, mine["a3"], "", {"staff": "Уточните штат"})
    mine["a3"].deadline = utcnow() - timedelta(hours=1)
    _fill(users["a3"], mine["a3"], ANSWERS["a3"])
    # a4 has a deadline of its own, and submits within it.
    campaigns.extend_deadline(world.admin_a, mine["a4"], utcnow() + timedelta(days=10))
    _fill(users["a4"], mine["a4"], ANSWERS["a4"])
    db.session.commit()
    return Survey(campaign, version_definition(campaign.form_version))


def _report(world, survey, key, report_filter=None, **pages):
    return question_report(
        world.admin_a, survey.campaign, survey.question(key), report_filter, **pages
    )


def _counts(report) -> dict:
    return {option["code"]: (option["count"], option["percent"]) for option in report["options"]}


def test_completion_counts_every_status_and_separates_late_submissions(world, survey):
    report = completion(world.admin_a, survey.campaign)
    assert report["statuses"] == {
        "not_started": 0, "draft": 1, "submitted": 3, "returned": 0, "accepted": 1,
    }  # fmt: skip
    assert report["total"] == 5
    assert (report["on_time"], report["late"]) == (3, 1)


def test_single_choice_counts_respondents_and_keeps_unchosen_options(world, survey):
    report = _report(world, survey, "building")
    assert report["kind"] == "choices" and report["respondents"] == 4
    assert _counts(report) == {
        "typical": (2, Decimal("50.0")),
        "adapted": (1, Decimal("25.0")),
        "other": (1, Decimal("25.0")),
    }
    assert [option["label"] for option in report["options"]] == [
        "Типовое", "Приспособленное", "Иное",
    ]  # fmt: skip


def test_yes_no_is_labelled_in_russian(world, survey):
    report = _report(world, survey, "has_gym")
    assert report["respondents"] == 4
    assert [(o["label"], o["count"], o["percent"]) for o in report["options"]] == [
        ("Да", 3, Decimal("75.0")),
        ("Нет", 1, Decimal("25.0")),
    ]


def test_multiple_choice_percents_are_of_respondents_and_may_exceed_100_together(world, survey):
    report = _report(world, survey, "clubs")
    assert report["respondents"] == 4  # a4 ticked none: it answered
    assert _counts(report) == {
        "robotics": (2, Decimal("50.0")),
        "chess": (3, Decimal("75.0")),
        "theatre": (1, Decimal("25.0")),
    }


def _figures(report) -> tuple:
    return tuple(report[name] for name in ("n", "sum", "mean", "median", "min", "max"))


def test_integer_figures_with_an_even_count(world, survey):
    report = _report(world, survey, "pupils")
    assert report["kind"] == "numbers"
    # 33, 85, 420, 610: the median is the mean of 85 and 420.
    assert _figures(report) == (4, 1148, 287, Decimal("252.5"), 33, 610)


def test_conditional_decimal_counts_only_the_schools_that_were_asked(world, survey):
    report = _report(world, survey, "gym_area")
    # 162, 288.5, 540.25
    assert _figures(report) == (
        3, Decimal("990.75"), Decimal("330.25"), Decimal("288.5"), 162, Decimal("540.25"),
    )  # fmt: skip


def test_draft_counts_only_when_its_status_is_asked_for(world, survey):
    drafts_too = ReportFilter(statuses=("submitted", "accepted", "draft"))
    # 33, 85, 420, 610, 1000
    assert _figures(_report(world, survey, "pupils", drafts_too)) == (
        5, 2148, Decimal("429.6"), 420, 33, 1000,
    )  # fmt: skip
    only_accepted = ReportFilter(statuses=("accepted",))
    assert _figures(_report(world, survey, "pupils", only_accepted)) == (1, 85, 85, 85, 85, 85)


def test_dates_give_the_earliest_and_the_latest(world, survey):
    assert _report(world, survey, "licensed_on") == {
        "kind": "dates",
        "n": 4,
        "earliest": date(2012, 3, 15),
        "latest": date(2021, 6, 30),
    }


def test_matrix_counts_each_row_with_zeros(world, survey):
    report = _report(world, survey, "equipment")
    assert report["respondents"] == 4
    assert [choice["code"] for choice in report["choices"]] == ["none", "partial", "full"]
    assert [(row["label"], row["counts"]) for row in report["rows"]] == [
        ("Проекторы", {"none": 1, "partial": 1, "full": 2}),
        ("Компьютеры", {"none": 0, "partial": 2, "full": 1}),
    ]


def test_table_totals_rows_schools_and_columns(world, survey):
    report = _report(world, survey, "staff")
    assert (report["rows_total"], report["schools"], report["per_school_mean"]) == (6, 3, 2)
    assert report["columns"] == {
        "full_name": {"n": 6},
        "rate": {"n": 5, "sum": Decimal("4.25"), "mean": Decimal("0.85")},
        "category": {"counts": {"higher": 3, "first": 2, "none": 1}},
    }


def test_texts_are_paged_in_the_order_of_the_organizations(world, survey):
    first = _report(world, survey, "comment", per_page=2)
    assert first["kind"] == "texts" and first["n"] == 3
    assert [(a.organization.name, a.value_text) for a in first["page"].items] == [
        ("Арангастахская СОШ", "Всё хорошо"),
        ("Кюндядинская СОШ", "Ждём учителя информатики"),
    ]
    assert first["page"].pages == 2
    second = _report(world, survey, "comment", page=2, per_page=2)
    assert [a.value_text for a in second["page"].items] == ["Нужен ремонт спортзала"]
    assert len(_report(world, survey, "comment")["page"].items) == 3


def test_files_are_counted_and_notes_have_no_report(world, survey):
    assert _report(world, survey, "scan") == {"kind": "files", "n": 1}
    assert _report(world, survey, "remark") is None


def test_locality_filter_narrows_answers_and_completion(world, survey):
    town = ReportFilter(locality="г. Нюрба")
    assert _figures(_report(world, survey, "pupils", town)) == (2, 1030, 515, 515, 420, 610)
    assert _counts(_report(world, survey, "building", town))["typical"] == (2, Decimal("100.0"))
    report = completion(world.admin_a, survey.campaign, town)
    assert (report["total"], report["on_time"], report["late"]) == (2, 1, 1)


def test_organization_filter(world, survey):
    one = ReportFilter(organization_ids=[world.school_a2.id])
    assert _figures(_report(world, survey, "pupils", one)) == (1, 85, 85, 85, 85, 85)


def test_admin_of_another_district_sees_nothing_of_the_campaign(world, survey):
    question = survey.question("pupils")
    report = question_report(world.admin_b, survey.campaign, question)
    assert _figures(report) == (0, 0, None, None, None, None)
    assert completion(world.admin_b, survey.campaign)["total"] == 0
    assert breakdown(world.admin_b, survey.campaign, question, "locality") == []


def test_school_sees_only_its_own_answers(world, survey):
    report = question_report(world.school_user_a1, survey.campaign, survey.question("pupils"))
    assert _figures(report) == (1, 420, 420, 420, 420, 420)


def test_breakdown_of_a_yes_no_question_by_locality(world, survey):
    rows = breakdown(world.admin_a, survey.campaign, survey.question("has_gym"), "locality")
    assert [(r["label"], r["respondents"], r["counts"]) for r in rows] == [
        ("г. Нюрба", 2, {"yes": 2, "no": 0}),
        ("с. Антоновка", 1, {"yes": 1, "no": 0}),
        ("с. Маар", 1, {"yes": 0, "no": 1}),
    ]
    assert rows[0]["percents"] == {"yes": Decimal("100.0"), "no": Decimal("0.0")}


def test_breakdown_of_a_multiple_choice_counts_respondents_once(world, survey):
    rows = breakdown(world.admin_a, survey.campaign, survey.question("clubs"), "locality")
    assert [(r["label"], r["respondents"], r["counts"]) for r in rows] == [
        ("г. Нюрба", 2, {"robotics": 2, "chess": 2, "theatre": 1}),
        ("с. Антоновка", 1, {"robotics": 0, "chess": 0, "theatre": 0}),
        ("с. Маар", 1, {"robotics": 0, "chess": 1, "theatre": 0}),
    ]


def test_breakdown_of_a_number_by_locality_and_by_organization(world, survey):
    question = survey.question("pupils")
    rows = breakdown(world.admin_a, survey.campaign, question, "locality")
    assert [(r["label"], r["n"], r["sum"], r["mean"]) for r in rows] == [
        ("г. Нюрба", 2, 1030, 515),
        ("с. Антоновка", 1, 33, 33),
        ("с. Маар", 1, 85, 85),
    ]
    rows = breakdown(world.admin_a, survey.campaign, question, "organization")
    assert [(r["label"], r["sum"]) for r in rows] == [
        ("Арангастахская СОШ", 610),
        ("Кюндядинская СОШ", 33),
        ("Маарская СОШ", 85),
        ("НСОШ1", 420),
    ]
    assert rows[-1]["key"] == world.school_a1.id


def test_breakdown_refuses_questions_it_cannot_cross(world, survey):
    with pytest.raises(ValueError):
        breakdown(world.admin_a, survey.campaign, survey.question("comment"), "locality")
    with pytest.raises(ValueError):
        breakdown(world.admin_a, survey.campaign, survey.question("pupils"), "district")


def test_campaign_report_follows_the_form(world, survey):
    report = campaign_report(world.admin_a, survey.campaign)
    assert report["completion"]["total"] == 5
    assert [
        (section["title"], [entry["question"]["key"] for entry in section["questions"]])
        for section in report["sections"]
    ] == [
        ("Общие сведения", [
            "building", "has_gym", "gym_area", "clubs", "pupils", "licensed_on", "comment",
        ]),
        ("Оснащение", ["equipment", "staff", "scan"]),
    ]  # fmt: skip
    first = report["sections"][0]["questions"][0]["report"]
    assert first["respondents"] == 4


def test_on_postgresql_the_report_sorts_in_the_memory_configured(app, world, survey):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("work_mem is a PostgreSQL setting")
    campaign_report(world.admin_a, survey.campaign)
    assert db.session.scalar(sa.text("SHOW work_mem")) == "64MB"
    db.session.rollback()  # SET LOCAL ends with the transaction
    assert db.session.scalar(sa.text("SHOW work_mem")) != "64MB"
