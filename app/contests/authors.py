"""The people a contest entry names as its authors: the answer to the application form's
question marked ``authors`` (a text naming them one per line, or separated by ";" or ",").
Diplomas and the сборник of practices name them; the school comes below."""

import re

from app.contests.entries import definition_of
from app.contests.models import Entry

SEPARATORS = re.compile(r"[\n;,]+")


def authors_key(definition: dict) -> str | None:
    """The key of the form's first question marked as holding the authors, if any."""
    for section in definition["sections"]:
        for question in section["questions"]:
            if question.get("authors"):
                return question["key"]
    return None


def names(text: str) -> list[str]:
    """The names in an answer, in their order, each with its spaces tidied."""
    found = (" ".join(part.split()) for part in SEPARATORS.split(text or ""))
    return [name for name in found if name]


def entry_authors(entry: Entry) -> list[str]:
    """The entry's authors, or an empty list when its form has no authors question or the
    question was left empty."""
    if entry.contest.form_version is None:
        return []
    key = authors_key(definition_of(entry))
    value = entry.data.get(key) if key else None
    return names(value) if isinstance(value, str) else []
