"""What a juror may see of an entry: the answers the contest does not hide (nor the form's
conditions), the materials, and neutral file names (blind judging never shows the
participant's own)."""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.contests import entries
from app.contests.models import ContestFile, Entry
from app.core.errors import NotFound
from app.questionnaires.conditions import all_questions
from app.questionnaires.conditions import visible_keys as shown_keys


def visible_keys(entry: Entry) -> set[str]:
    """Questions the jury sees: shown by the form's conditions, not hidden by the contest."""
    definition = entries.definition_of(entry)
    shown = shown_keys(definition, entry.data or {}) - set(entry.contest.hidden_keys or [])
    questions = all_questions(definition)
    return {q["key"] for q in questions if q["key"] in shown and q["type"] != "note"}


def material(entry: Entry, key: str, value) -> ContestFile | None:
    """The stored file a file answer names, if it is this entry's upload for that question."""
    if not isinstance(value, dict):
        return None
    found = (f for f in entry.files if f.id == value.get("id") and f.question_key == key)
    return next(found, None)


def application(entry: Entry) -> list[tuple[dict, list]]:
    """The sections with the answers the jury may see: (section, [(question, value, file)])."""
    visible = visible_keys(entry)
    data = entry.data or {}
    shown = []
    for section in entries.definition_of(entry)["sections"]:
        rows = [
            (q, data.get(q["key"]), material(entry, q["key"], data.get(q["key"])))
            for q in section["questions"]
            if q["key"] in visible
        ]
        if rows:
            shown.append((section, rows))
    return shown


def neutral_name(entry: Entry, record: ContestFile) -> str:
    """What a juror's download is called: never the participant's own file name."""
    return f"entry-{entry.number}-{record.question_key}{Path(record.stored_name).suffix}"


def visible_material(entry: Entry, file_id: int) -> ContestFile:
    """A material of a question the jury sees; anything else is not found."""
    data = entry.data or {}
    records = [material(entry, key, data.get(key)) for key in visible_keys(entry)]
    record = next((r for r in records if r is not None and r.id == file_id), None)
    if record is None:
        raise NotFound(_l("File not found."))
    return record
