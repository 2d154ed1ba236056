"""Plausibility checks: each rule on plain values, then the suspects of a report and their
confirmation."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.campaigns import responses
from app.core.errors import DomainError, Forbidden, NotFound
from app.extensions import db
from app.questionnaires.expressions import parse
from app.reports import checks
from app.reports.aggregates import ReportFilter
from app.reports.models import CheckedValue, Indicator
from app.reports.plausibility import (
    Suspect,
    bounds_reason,
    constraint_reason,
    outlier_reason,
    outliers,
    plausible_range,
    question_reason,
    stored_text,
    suspects,
)
from tests.monitoring import question
from tests.suspicious import force_answer, force_cell, make_suspicious

D = Decimal


# The rules


def test_a_value_beyond_its_bounds_says_which_bound():
    assert bounds_reason(D(175), D(0), D(100)) == "больше возможного (100)"
    assert bounds_reason(D(-1), D(0), None) == "меньше возможного (0)"
    assert bounds_reason(D("0.5"), D("0.25"), D("1.5")) is None
    assert bounds_reason(D(2), None, D("1.500000")) == "больше возможного (1,5)"
    assert bounds_reason(D(100), D(0), D(100)) is None


def test_a_question_reads_its_own_min_and_max():
    computers = question("computers", "integer", "Компьютеры", min=0, max="100")
    assert question_reason(computers, D(175)) == "больше возможного (100)"
    assert question_reason(computers, D(50)) is None
    speed = question("speed", "decimal", "Скорость", min="0.5")
    assert question_reason(speed, D("0.25")) == "меньше возможного (0,5)"
    assert question_reason(question("free", "integer", "Любое"), D(10**12)) is None


def test_a_constraint_of_the_answer_itself_is_checked():
    seats = question("seats", "integer", "Места", constraint=parse(". >= 5 and . <= 40"))
    assert question_reason(seats, D(60)) == "не выполнено условие вопроса"
    assert question_reason(seats, D(20)) is None
    told = {**seats, "constraint_message": "От 5 до 40 мест"}
    assert constraint_reason(told, D(2)) == "не выполнено условие вопроса: От 5 до 40 мест"
    speed = question("speed", "decimal", "Скорость", constraint=parse(". < 2.5"))
    assert constraint_reason(speed, D("2.75")) == "не выполнено условие вопроса"
    assert constraint_reason(speed, D("2.25")) is None


def test_a_constraint_reading_other_answers_is_left_to_those_answers():
    online = question("online", "integer", "С Интернетом", constraint=parse(". <= ${total}"))
    assert constraint_reason(online, D(10**6)) is None


def _indicator(**fields) -> Indicator:
    return Indicator(**{"key": "own", "title": "Показатель", "formula": "a / b", "unit": "",
                        "plausible_min": None, "plausible_max": None, **fields})  # fmt: skip


def test_an_indicator_range_is_its_own_else_standard_else_a_percentage():
    assert plausible_range(_indicator()) == (None, None)
    assert plausible_range(_indicator(unit="%")) == (0, 100)
    assert plausible_range(_indicator(unit="%", plausible_max=D(120))) == (0, D(120))
    assert plausible_range(_indicator(key="textbooks_per_pupil")) == (0, 100)
    assert plausible_range(_indicator(key="computers_online_share", unit="%")) == (0, 100)
    own = _indicator(key="textbooks_per_pupil", plausible_min=D(1), plausible_max=D(50))
    assert plausible_range(own) == (D(1), D(50))


def test_an_outlier_is_far_from_the_median_by_the_median_absolute_deviation():
    values = {1: D(10), 2: D(12), 3: D(11), 4: D(13), 5: D(12), 6: D(100)}
    assert list(outliers(values, 1)) == [6]
    assert outliers(values, 1)[6] == "в 8 раз больше медианы по школам (12,0)"
    lower = {**values, 6: D("0.5")}
    assert outliers(lower, 1) == {6: "в 23 раза меньше медианы по школам (11,5)"}


def test_no_outliers_among_fewer_than_five_values_or_without_spread():
    assert outliers({1: D(10), 2: D(11), 3: D(12), 4: D(1000)}) == {}
    assert outliers({1: D(10), 2: D(10), 3: D(10), 4: D(10), 5: D(10), 6: D(1000)}) == {}


def test_a_near_outlier_is_described_without_times():
    assert outlier_reason(D(18), D("12.5"), 1) == (
        "намного больше, чем у других школ (медиана 12,5)"
    )
    assert outlier_reason(D(8), D("12.5"), 1) == "намного меньше, чем у других школ (медиана 12,5)"
    assert outlier_reason(D(-5), D("12.5"), 1) == (
        "намного меньше, чем у других школ (медиана 12,5)"
    )
    assert outlier_reason(D(21), D(1), 0) == "в 21 раз больше медианы по школам (1)"


def test_the_comment_of_a_return_names_the_question_the_value_and_the_reason():
    suspect = Suspect(1, "Школа", "computers", "Число компьютеров", D(175),
                      "больше возможного (100)", places=0)  # fmt: skip
    assert suspect.comment == (
        "Проверьте ответ на вопрос «Число компьютеров»: 175 — больше возможного (100). "
        "Исправьте его или подтвердите."
    )
    share = Suspect(1, "Школа", "indicator:share", "Доля", D(175), "больше возможного (100)",
                    places=1, unit="%")  # fmt: skip
    assert share.value_text == "175,0 %"
    assert "показатель «Доля»: 175,0 %" in share.comment


def test_a_confirmation_keeps_any_value_an_indicator_can_take():
    assert stored_text(D("363.63636363636363636")) == "363.636364"
    assert stored_text(D(10**14) * D(10**14)) == "1" + "0" * 28 + ".000000"
    huge = stored_text(D("1e100"))
    assert huge == "1.00000000000000000000e+100" and len(huge) <= 80


# The suspects of a report


def _found(viewer, campaign, report_filter=None) -> dict:
    return {(s.organization, s.key): s for s in suspects(viewer, campaign, report_filter)}


def test_suspects_list_bounds_outliers_and_indicators_of_the_counted_responses(world):
    data = make_suspicious(world)
    force_answer(data.responses["a2"], "computers", 175)
    force_answer(data.responses["a3"], "computers_online", 40)
    found = _found(world.admin_a, data.campaign)
    assert set(found) == {
        ("Нюрбинская СОШ №1", "pupils"),
        ("Маарская СОШ", "computers"),
        ("Маарская СОШ", "indicator:online_share"),  # 12 of 175 computers: 6,9 %
        ("Школа A3", "computers_online"),
        ("Школа A3", "indicator:online_share"),
    }
    pupils = found[("Нюрбинская СОШ №1", "pupils")]
    assert pupils.value == 2000 and pupils.label == "Число обучающихся"
    assert pupils.reason == "в 10 раз больше медианы по школам (203)"
    assert pupils.response_id == data.responses["a1"].id and not pupils.checked
    assert found[("Маарская СОШ", "computers")].reason == "больше возможного (100)"
    share = found[("Школа A3", "indicator:online_share")]
    assert share.label == "Доля компьютеров с Интернетом"
    assert share.value_text == "363,6 %" and share.reason == "больше возможного (100)"
    only_a2 = ReportFilter(organization_ids=[world.school_a2.id])
    assert set(_found(world.admin_a, data.campaign, only_a2)) == {("Маарская СОШ", "computers")}


def test_staff_of_a_district_see_only_their_own_schools_suspects(world):
    data = make_suspicious(world, whole_region=True)
    for_a = _found(world.admin_a, data.campaign)
    for_b = _found(world.admin_b, data.campaign)
    for_region = _found(world.region_admin, data.campaign)
    assert ("Нюрбинская СОШ №1", "pupils") in for_a
    assert all(name != "Сунтарская СОШ №1" for name, _key in for_a)
    assert for_b == {}  # one school is too few to judge outliers, and its answers are possible
    assert ("Сунтарская СОШ №1", "pupils") in for_region


def test_a_draft_is_not_checked_until_counted(world):
    data = make_suspicious(world)
    response = data.responses["a1"]
    responses.recall(data.users["a1"], response)
    db.session.commit()
    assert ("Нюрбинская СОШ №1", "pupils") not in _found(world.admin_a, data.campaign)


def test_a_confirmed_value_is_checked_until_the_school_changes_it(world):
    data = make_suspicious(world)
    response = data.responses["a1"]
    checks.confirm(world.admin_a, data.campaign, response.id, "pupils")
    db.session.commit()
    assert _found(world.admin_a, data.campaign)[("Нюрбинская СОШ №1", "pupils")].checked
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="confirm"))
    assert event.after == {"key": "pupils", "value": "2000.000000"}
    assert event.object_label == "Нюрбинская СОШ №1: Число обучающихся"
    force_answer(response, "pupils", 2100)
    again = _found(world.admin_a, data.campaign)[("Нюрбинская СОШ №1", "pupils")]
    assert again.value == 2100 and not again.checked


def test_an_indicator_value_is_confirmed_by_its_computed_value(world):
    data = make_suspicious(world)
    response = data.responses["a3"]
    force_answer(response, "computers_online", 40)
    checks.confirm(world.admin_a, data.campaign, response.id, "indicator:online_share")
    db.session.commit()
    stored = db.session.scalar(sa.select(CheckedValue))
    assert stored.value == "363.636364" and stored.checked_by_id == world.admin_a.id
    assert _found(world.admin_a, data.campaign)[("Школа A3", "indicator:online_share")].checked
    force_answer(response, "computers", 40)
    assert ("Школа A3", "indicator:online_share") not in _found(world.admin_a, data.campaign)


def test_only_the_campaigns_staff_confirm_values_they_see(world):
    data = make_suspicious(world, whole_region=True)
    a1, b1 = data.responses["a1"], data.responses["b1"]
    with pytest.raises(Forbidden):
        checks.confirm(world.viewer_a, data.campaign, a1.id, "pupils")
    with pytest.raises(Forbidden):
        checks.confirm(world.admin_a, data.campaign, a1.id, "pupils")  # the region's monitoring
    checks.confirm(world.region_admin, data.campaign, b1.id, "pupils")
    with pytest.raises(NotFound):
        checks.confirm(world.region_admin, data.campaign, b1.id, "no_such_question")
    with pytest.raises(NotFound):
        checks.confirm(world.region_admin, data.campaign, 10**6, "pupils")


# Table cells


def test_a_table_cell_far_from_every_row_of_every_school_is_listed_by_its_row(world):
    data = make_suspicious(world, staff=True)
    cells = {key: s for (_name, key), s in _found(world.admin_a, data.campaign).items()
             if key.startswith("staff.")}  # fmt: skip
    assert list(cells) == ["staff.experience#2"]
    experience = cells["staff.experience#2"]
    assert experience.organization == "Школа A3"
    assert experience.response_id == data.responses["a3"].id
    assert experience.label == "Сотрудники: Стаж, лет (строка 2)"
    assert experience.value == 60 and experience.value_text == "60"
    assert experience.reason == "в 5 раз больше медианы по школам (11,5)"
    assert experience.comment.startswith(
        "Проверьте ответ на вопрос «Сотрудники: Стаж, лет (строка 2)»: 60 — в 5 раз больше"
    )


def test_a_table_cell_beyond_its_columns_bounds_is_listed(world):
    data = make_suspicious(world, staff=True)
    force_answer(data.responses["a3"], "computers_online", 40)
    force_cell(data.responses["a2"], "staff", 0, "rate", "3.5")
    force_cell(data.responses["a5"], "staff", 0, "experience", -2)
    found = _found(world.admin_a, data.campaign)
    rate = found[("Маарская СОШ", "staff.rate#1")]
    assert rate.label == "Сотрудники: Ставка (строка 1)"
    assert rate.value_text == "3,50" and rate.reason == "больше возможного (2)"
    below = found[("Школа A5", "staff.experience#1")]
    assert below.value == -2 and below.reason == "меньше возможного (0)"
    keys = [s.key for s in suspects(world.admin_a, data.campaign)]
    # the form's order: questions, then the table's columns, then the indicators
    assert keys.index("pupils") < keys.index("staff.rate#1") < keys.index("staff.experience#1")
    assert keys.index("staff.experience#2") < keys.index("indicator:online_share")


def test_a_table_cells_own_constraint_is_checked(world):
    data = make_suspicious(world, staff=True)
    force_cell(data.responses["a4"], "staff", 0, "rate", "1.75")
    found = _found(world.admin_a, data.campaign)
    assert found[("Школа A4", "staff.rate#1")].reason == (
        "не выполнено условие вопроса: Не больше полутора ставок"
    )


def test_a_confirmed_table_cell_is_checked_until_it_changes(world):
    data = make_suspicious(world, staff=True)
    response = data.responses["a3"]
    checks.confirm(world.admin_a, data.campaign, response.id, "staff.experience#2")
    db.session.commit()
    assert _found(world.admin_a, data.campaign)[("Школа A3", "staff.experience#2")].checked
    event = db.session.scalar(sa.select(AuditEvent).filter_by(action="confirm"))
    assert event.after == {"key": "staff.experience#2", "value": "60.000000"}
    assert event.object_label == "Школа A3: Сотрудники: Стаж, лет (строка 2)"
    force_cell(response, "staff", 1, "experience", 61)
    again = _found(world.admin_a, data.campaign)[("Школа A3", "staff.experience#2")]
    assert again.value == 61 and not again.checked


def test_only_numeric_cells_of_existing_rows_are_confirmed(world):
    data = make_suspicious(world, staff=True)
    response = data.responses["a3"]
    with pytest.raises(NotFound):
        checks.confirm(world.admin_a, data.campaign, response.id, "staff.position#1")
    with pytest.raises(NotFound):
        checks.confirm(world.admin_a, data.campaign, response.id, "fund.rate#1")
    with pytest.raises(DomainError):
        checks.confirm(world.admin_a, data.campaign, response.id, "staff.rate#3")


def test_answers_are_judged_in_exact_millionths():
    # 0.6745 · 48.5 / 1.5 > 3.5 for 60 among these; a deviation one millionth short of the
    # bound is not an outlier, one millionth beyond is
    values = {n: D(v) for n, v in enumerate(["9", "10", "10", "11", "12", "12", "13", "60"])}
    assert list(outliers(values, 1)) == [7]
    bound = D("11.5") + D("3.5") * D("1.5") / D("0.6745")  # 19.283...
    near = {**values, 7: bound.quantize(D("0.000001"), rounding="ROUND_FLOOR")}
    assert outliers(near, 1) == {}
    beyond = {**values, 7: bound.quantize(D("0.000001"), rounding="ROUND_CEILING")}
    assert list(outliers(beyond, 1)) == [7]


def test_a_value_beyond_a_floats_exactness_is_read_exactly(world):
    data = make_suspicious(world)
    force_answer(data.responses["a2"], "pupils", "123456789012.5")
    pupils = _found(world.admin_a, data.campaign)[("Маарская СОШ", "pupils")]
    assert pupils.value == D("123456789012.5")
    assert pupils.value_text == "123\u00a0456\u00a0789\u00a0012,50"
