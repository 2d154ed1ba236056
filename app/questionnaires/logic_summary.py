"""What a question's logic says, in words a methodologist reads: the builder's badges and the
phrase its min/max amount to."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from app.core.numbers import grouped
from app.questionnaires.expressions import to_text
from app.questionnaires.relevant import to_relevant
from app.questionnaires.xlsform_expressions import MEASURES as XLSFORM_MEASURES
from app.questionnaires.xlsform_expressions import write_constraint, write_default

# What min and max measure, by question type.
MEASURES = {
    **dict.fromkeys(("integer", "decimal", "scale"), "value"),
    "date": "date",
    **dict.fromkeys(("text", "textarea"), "length"),
    "multiple": "count",
    "table": "rows",
}


def _phrases(measure: str) -> dict[str, str]:
    """Phrases with {min} and {max} in them: both bounds, the minimum only, the maximum only."""
    names = {"min": "{min}", "max": "{max}"}
    if measure == "date":
        return {
            "both": _("date from %(min)s to %(max)s", **names),
            "min": _("date not before %(min)s", **names),
            "max": _("date not after %(max)s", **names),
        }
    if measure == "value":
        return {
            "both": _("value from %(min)s to %(max)s", **names),
            "min": _("value at least %(min)s", **names),
            "max": _("value at most %(max)s", **names),
        }
    subject = {
        "length": _("characters"),
        "count": _("options chosen"),
        "rows": _("rows"),
    }[measure]
    return {
        "both": _("%(subject)s: from %(min)s to %(max)s", subject=subject, **names),
        "min": _("%(subject)s: at least %(min)s", subject=subject, **names),
        "max": _("%(subject)s: at most %(max)s", subject=subject, **names),
    }


def all_phrases() -> dict[str, dict[str, str]]:
    """The phrases of every measure, for the page that writes them again as the user types."""
    return {measure: _phrases(measure) for measure in set(MEASURES.values())}


def measures() -> dict[str, dict[str, str]]:
    """By question type: which phrases its bounds take, and what XLSForm compares them with."""
    xlsform = {kind: to_text(measure) for kind, measure in XLSFORM_MEASURES.items()}
    return {"phrases": MEASURES, "xlsform": xlsform}


def _shown(value: str, measure: str) -> str:
    """A bound as Russians write it (2 000; 0,5; 01.09.2024), or as typed when it is no bound."""
    text = value.strip().replace(",", ".")
    try:
        if measure == "date":
            return date.fromisoformat(text).strftime("%d.%m.%Y")
        return grouped(Decimal(text))
    except (ValueError, InvalidOperation):
        return value.strip()


@dataclass(frozen=True)
class Bounds:
    phrase: str  # «значение от 0 до 2 000»
    constraint: str  # the XLSForm constraint they amount to: ". >= 0 and . <= 2000"


def bounds(kind: str, low, high) -> Bounds | None:
    """The check a question's min and max amount to; None when it has neither."""
    measure = MEASURES.get(kind)
    low, high = (str(v).strip() if v is not None else "" for v in (low, high))
    if measure is None or not (low or high):
        return None
    which = "both" if low and high else "min" if low else "max"
    phrase = _phrases(measure)[which].format(min=_shown(low, measure), max=_shown(high, measure))
    question = {
        "type": kind,
        "min": low.replace(",", ".") or None,
        "max": high.replace(",", ".") or None,
    }
    return Bounds(phrase, write_constraint(question))


@dataclass(frozen=True)
class Badge:
    label: str
    text: str = ""  # an expression, shown as code


def badges(question: dict) -> list[Badge]:
    """Short notes of the logic a question carries beyond its type and choices."""
    result = []
    for name, label in (
        ("calculation", _("formula")),
        ("constraint", _("check")),
        ("default", _("default")),
        ("choice_filter", _("option filter")),
        ("repeat_count", _("number of rows")),
    ):
        if question.get(name) is not None:
            text = write_default(question) if name == "default" else to_text(question[name])
            result.append(Badge(label, text))
    found = bounds(question["type"], question.get("min"), question.get("max"))
    if found:
        result.append(Badge(found.phrase))
    if isinstance(question.get("required"), dict):
        result.append(Badge(_("required if"), to_relevant(question["required"])))
    if question.get("read_only") is True:
        result.append(Badge(_("read only")))
    if question.get("other") is True:
        result.append(Badge(_("+ Other")))
    return result


def column_badges(question: dict) -> list[tuple[str, list[Badge]]]:
    """The badges of a table's columns that have any, with the column's key."""
    columns = question.get("columns") if question.get("type") == "table" else None
    found = [(column["key"], badges(column)) for column in columns or ()]
    return [(key, items) for key, items in found if items]
