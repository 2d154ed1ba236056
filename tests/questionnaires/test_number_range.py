"""Every number question has a sane range: a default one, or its own within what can be stored."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.campaigns.answers import answer_rows
from app.questionnaires.definition_check import DefinitionError, check_definition
from app.questionnaires.validation import AnswerError, clean_value, validate_answers


def _question(kind, **bounds) -> dict:
    return {"key": "q", "type": kind, "label": "Q", **bounds}


def _form(*questions) -> dict:
    return {"sections": [{"key": "s", "title": "", "questions": list(questions)}]}


@pytest.mark.parametrize("kind", ["integer", "decimal"])
def test_default_range_refuses_a_trillion_and_one_and_keeps_a_trillion(app, kind):
    assert clean_value(_question(kind), "1000000000000") in (10**12, "1000000000000")
    assert clean_value(_question(kind), "-1000000000000") in (-(10**12), "-1000000000000")
    for raw in ("1000000000001", "-1000000000001", "9" * 40, 10**40):
        with pytest.raises(AnswerError):
            clean_value(_question(kind), raw)


def test_a_question_sets_its_own_range_within_what_is_stored(app):
    wide = _question("decimal", min=0, max="50000000000000")
    assert clean_value(wide, "40000000000000.5") == "40000000000000.5"
    with pytest.raises(AnswerError):
        clean_value(wide, "-1")
    narrow = _question("integer", max=10)
    with pytest.raises(AnswerError):
        clean_value(narrow, 11)


def test_a_question_set_only_a_minimum_keeps_the_default_maximum(app):
    with pytest.raises(AnswerError):
        clean_value(_question("integer", min=5), "9" * 20)


@pytest.mark.parametrize("kind", ["integer", "decimal"])
@pytest.mark.parametrize("name", ["min", "max"])
def test_a_bound_beyond_what_is_stored_is_refused_in_the_definition(app, kind, name):
    bound = 10**14 if name == "max" else -(10**14)
    with pytest.raises(DefinitionError) as refused:
        check_definition(_form(_question(kind, **{name: bound})))
    assert refused.value.path == f"sections[0].questions[0].{name}"
    check_definition(_form(_question(kind, **{name: 99_999_999_999_999 * (bound // abs(bound))})))


def test_a_table_column_bound_beyond_what_is_stored_is_refused(app):
    table = _question("table", columns=[_question("decimal", max=Decimal("1e20"))])
    with pytest.raises(DefinitionError):
        check_definition(_form(table))


def test_a_huge_cell_is_refused_beside_the_cell(app):
    table = _question("table", columns=[{"key": "rate", "type": "decimal", "label": "Ставка"}])
    _answers, errors = validate_answers(
        _form(table), {"q": [{"rate": "1"}, {"rate": "9" * 40}]}, complete=False
    )
    assert list(errors["q"]["rows"]) == [1] and "rate" in errors["q"]["rows"][1]


NUMBER_TEXT = st.one_of(
    st.from_regex(r"-?[0-9]{1,40}([.,][0-9]{0,12})?", fullmatch=True),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(["NaN", "sNaN", "-Infinity", "inf", "1e400", "1E+30", "0x10", "١٢"]),
)


@settings(max_examples=300, deadline=None, database=None)
@given(raw=NUMBER_TEXT, kind=st.sampled_from(["integer", "decimal"]))
def test_every_number_accepted_fits_the_default_range_and_the_answer_table(app, raw, kind):
    try:
        value = clean_value(_question(kind), raw)
    except AnswerError:
        return
    number = Decimal(str(value))
    assert number.is_finite() and abs(number) <= 10**12
    (row,) = answer_rows([_question(kind)], {"q": value})
    assert abs(row.value_number) < 10**14


def test_a_scale_of_more_than_101_points_is_refused(app):
    check_definition(_form(_question("scale", min=0, max=100)))
    with pytest.raises(DefinitionError) as refused:
        check_definition(_form(_question("scale", min=0, max=10**13)))
    assert refused.value.path == "sections[0].questions[0].max"
