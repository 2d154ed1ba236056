"""Values a methodologist should check before she signs: impossible by a question's or an
indicator's bounds, or far from the other schools of the district."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Suspect:
    """One suspicious value of one school's response.

    ``key`` is a question's key, or ``indicator:<key>`` for an indicator; ``reason`` says in
    Russian why the value is suspicious; ``checked`` is true once staff marked it as confirmed by
    the school (and the value has not changed since)."""

    response_id: int
    organization: str
    key: str
    label: str
    value: Decimal
    reason: str
    checked: bool = False
