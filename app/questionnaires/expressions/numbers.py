"""Numbers as text, the same in Python and in the browser: shortest round-trip digits, no
exponent, integers without ".0"."""

import math


def format_number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    return plain_decimal(repr(float(value)))


def plain_decimal(text: str) -> str:
    """``repr``'s digits without the exponent: "1e+23" -> "100000000000000000000000"."""
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0") or "0"
    point = len(whole) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    point += int(exponent or 0)
    digits = digits.rstrip("0") or "0"
    if point <= 0:
        result = "0." + "0" * -point + digits
    elif point >= len(digits):
        result = digits + "0" * (point - len(digits))
    else:
        result = digits[:point] + "." + digits[point:]
    return sign + result
