"""How many decimals each figure of a report is shown with, the same on the page, in the summary
``.xlsx`` and in the справка.

Counts are whole numbers; percentages have one decimal; means, medians and indicators have 0–2
decimals by the size of the quantity (a fund of 5 400 books needs none, 40,5 books per pupil
one, 0,85 computers per class two), or one for a quantity measured in percent. The stored values
stay exact: only their writing is rounded (a spreadsheet keeps the value and gets a number
format with these decimals).
"""

from decimal import ROUND_HALF_UP, Decimal

from app.core.numbers import grouped, rounded

COUNT, PERCENT = 0, 1
PERCENT_UNITS = frozenset({"%", "процент", "проценты", "процентов"})


def measure_places(reference, unit: str = "") -> int:
    """Decimals for a mean, median or indicator whose typical size is ``reference`` (its mean
    across the schools): 0 from 100 up, 1 from 10 up, else 2; 1 for percentages."""
    if unit.strip().lower() in PERCENT_UNITS:
        return PERCENT
    if reference is None:
        return 2
    size = abs(Decimal(reference))
    return 0 if size >= 100 else 1 if size >= 10 else 2


def value_places(value, places: int) -> int:
    """Decimals for a sum, minimum or maximum: none when the value is whole (a sum of whole
    answers), else the quantity's."""
    if value is None:
        return places
    number = Decimal(value)
    return 0 if number.is_finite() and number == number.to_integral_value() else places


def figure_text(value, places: int) -> str:
    """``value`` with ``places`` decimals as Russians write it: 5 400; 40,5; 0,85; — for none."""
    if value is None:
        return "—"
    number = rounded(value, Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if number is None:
        return "—"
    return grouped(number, "#,##0" + ("." + "0" * places if places else ""))


def excel_format(places: int) -> str:
    """The spreadsheet number format with ``places`` decimals and grouped thousands (shown with
    the reader's own separators: 5 400,5 in a Russian Excel or LibreOffice)."""
    return "#,##0" + ("." + "0" * places if places else "")


def percent_format() -> str:
    return excel_format(PERCENT)
