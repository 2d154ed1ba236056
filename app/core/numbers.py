"""Rounding and writing decimals of any size.

The default decimal context keeps 28 digits: rounding a number of 22 digits or more to six
places, or Babel writing one of 25 digits or more, raises InvalidOperation. Figures computed
from stored answers or from formulas go through these two, which widen the context as needed.
"""

from contextlib import contextmanager
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

from flask_babel import format_decimal


@contextmanager
def _digits_for(number: Decimal, places: int):
    with localcontext() as context:
        context.prec = max(context.prec, number.adjusted() + places + 3)
        yield


def rounded(value, places: Decimal, rounding: str = ROUND_HALF_EVEN) -> Decimal | None:
    """``value`` rounded to the exponent of ``places`` (e.g. Decimal("0.01")); None for None, NaN
    and infinities."""
    if value is None:
        return None
    number = Decimal(value)
    if not number.is_finite():
        return None
    with _digits_for(number, -places.as_tuple().exponent):
        return number.quantize(places, rounding)


def grouped(value, pattern: str | None = None) -> str:
    """``value`` as Russians write it (1 000 000; 40,5), whatever its size."""
    number = Decimal(value)
    if not number.is_finite():
        return str(number)
    with _digits_for(number, max(-number.as_tuple().exponent, 0) + 6):
        return format_decimal(number, pattern)
