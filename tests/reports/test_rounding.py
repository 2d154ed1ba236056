from decimal import Decimal

import pytest

from app.reports.rounding import excel_format, figure_text, measure_places, value_places


@pytest.mark.parametrize(
    ("reference", "unit", "places"),
    [
        (Decimal("5400.3"), "", 0),
        (Decimal("100"), "экз.", 0),
        (Decimal("40.0598604"), "экз. на 1 обучающегося", 1),
        (Decimal("-12"), "", 1),
        (Decimal("0.85"), "", 2),
        (Decimal("250"), "%", 1),
        (Decimal("0.5"), " % ", 1),
        (None, "", 2),
    ],
)
def test_measures_take_decimals_by_their_size_and_percentages_one(reference, unit, places):
    assert measure_places(reference, unit) == places


def test_whole_sums_and_extremes_have_no_decimals():
    assert value_places(Decimal("5400.000000"), 2) == 0
    assert value_places(Decimal("12.5"), 2) == 2
    assert value_places(None, 1) == 1


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("5400"), 0, "5\u00a0400"),
        (Decimal("40.0598604"), 1, "40,1"),
        (Decimal("0.845"), 2, "0,85"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("12"), 1, "12,0"),
        (Decimal("-1234567.891"), 2, "-1\u00a0234\u00a0567,89"),
        (Decimal("1E+30"), 0, "1" + "\u00a0000" * 10),
        (None, 1, "—"),
    ],
)
def test_figures_are_written_as_russians_write_them(app, value, places, text):
    with app.test_request_context():
        assert figure_text(value, places) == text


def test_spreadsheet_formats_carry_the_same_decimals():
    assert excel_format(0) == "#,##0"
    assert excel_format(2) == "#,##0.00"
