"""The before/after values of an audit event as Russian lines a person reads."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import ROLE_LABELS
from app.campaigns.models import STATUS_LABELS
from app.contests.models import ENTRY_STATUS_LABELS, PHASE_LABELS
from app.core.timefmt import datetime_filter, number_filter
from app.organizations.models import KIND_LABELS

FIELD_LABELS = {
    "name": _l("Name"),
    "short_name": _l("Short name"),
    "kind": _l("Kind"),
    "locality": _l("Locality"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "parent_id": _l("Parent organization (number)"),
    "is_active": _l("Active"),
    "active": _l("Active"),
    "username": _l("Login"),
    "full_name": _l("Full name"),
    "role": _l("Role"),
    "organization_id": _l("Organization (number)"),
    "status": _l("Status"),
    "formula": _l("Formula"),
    "from": _l("Taken from response (number)"),
    "keys": _l("Questions"),
    "organizations": _l("Organizations"),
    "closes_at": _l("Deadline"),
    "emails": _l("E-mails sent"),
    "version": _l("Version"),
    "reason": _l("Reason"),
    "title": _l("Title"),
    "user": _l("User"),
    "chair": _l("Chair of the jury"),
    "left": _l("Entries left to score"),
    "completed": _l("Scoring completed"),
    "incomplete": _l("Entries not fully scored"),
    "published": _l("Results were published"),
    "before": _l("Stage before"),
    "after": _l("Stage after"),
    "created": _l("Created"),
    "updated": _l("Updated"),
    "count": _l("Count"),
    "year": _l("Year"),
    "section": _l("Section"),
    "practice": _l("Practice (number)"),
    "practices": _l("Practices"),
    "step": _l("Direction (−1 up, +1 down)"),
    "entry": _l("Contest entries (numbers)"),
    "response": _l("Responses (numbers)"),
}

# Values that are names of states: shown by their Russian label.
_ENUM_LABELS = {
    "status": {**{str(k): v for k, v in ENTRY_STATUS_LABELS.items()}, **STATUS_LABELS},
    "kind": KIND_LABELS,
    "role": ROLE_LABELS,
    "before": PHASE_LABELS,
    "after": PHASE_LABELS,
}


def describe(values: dict | None) -> list[tuple[str, str]]:
    """(field, value) pairs in Russian; a criterion's score is keyed by the criterion number."""
    return [(_field_label(key), _value_text(key, value)) for key, value in (values or {}).items()]


def _field_label(key: str) -> str:
    if key.isdigit():
        return _("Criterion no. %(number)s", number=key)
    return str(FIELD_LABELS.get(key, key))


def _value_text(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return number_filter(value)
    if isinstance(value, list):
        return ", ".join(_value_text(key, item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_field_label(k)}: {_value_text(k, v)}" for k, v in value.items())
    return _text(key, str(value))


def _text(key: str, value: str) -> str:
    labels = _ENUM_LABELS.get(key, {})
    if value in labels:
        return str(labels[value])
    if key.endswith("_at"):
        try:
            return datetime_filter(datetime.fromisoformat(value))
        except ValueError:
            return value
    if key.isdigit():
        try:
            return number_filter(Decimal(value))
        except InvalidOperation:
            return value
    return value
