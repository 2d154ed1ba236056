"""Fields typed the Russian way: a decimal comma and spaces between thousands."""

from decimal import Decimal

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from forms.common import LocalDecimalField


class _Form(FlaskForm):
    class Meta:
        csrf = False

    amount = LocalDecimalField()


@pytest.mark.parametrize(
    ("typed", "read"),
    [("0,5", Decimal("0.5")), ("1 500,25", Decimal("1500.25")), ("2.75", Decimal("2.75"))],
)
def test_a_decimal_is_read_with_a_comma_or_a_point(app, typed, read):
    with app.test_request_context():
        form = _Form(MultiDict({"amount": typed}))
        assert form.validate()
        assert form.amount.data == read


def test_a_decimal_is_shown_with_a_comma(app):
    with app.test_request_context():
        form = _Form(data={"amount": Decimal("0.25")})
        html = form.amount()
        assert 'value="0,25"' in html
        assert 'type="text"' in html and 'inputmode="decimal"' in html  # a comma is accepted


def test_text_that_is_no_number_is_refused(app):
    with app.test_request_context():
        form = _Form(MultiDict({"amount": "пять"}))
        assert not form.validate()
        assert form.amount.errors
