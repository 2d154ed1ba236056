"""What a practice prints: its questions by label and their answers as Russian text, its title,
annotation and authors, and its pictures (image files among its uploads)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from app.campaigns.models import ResponseFile
from app.contests.authors import entry_authors, names
from app.contests.models import ContestFile
from app.core.numbers import grouped
from app.core.uploads import upload_folder
from app.extensions import db
from app.questionnaires.conditions import all_questions, is_unanswered
from app.questionnaires.definition import version_definition
from app.questionnaires.evaluation import choice_labels

WORDED = ("text", "textarea", "single", "integer", "decimal", "date", "email", "phone")


def questions(practice) -> list[dict]:
    """The questions of the practice's form, in the form's order (tables and files too)."""
    source = practice.source
    version = (
        source.contest.form_version if practice.entry is not None else source.campaign.form_version
    )
    return [] if version is None else list(all_questions(version_definition(version)))


def text_questions(practice) -> list[dict]:
    """The questions whose answer reads as a line or a paragraph: a title, annotation, authors."""
    return [question for question in questions(practice) if question["type"] in WORDED]


def answer_text(question: dict, value) -> str:
    """An answer as the сборник prints it: option labels, «Да»/«Нет», 25.11.2026, 5 400."""
    if is_unanswered(value):
        return "—" if value != [] else "ничего не отмечено"
    kind = question["type"]
    labels = choice_labels(question)
    if kind == "single":
        return labels.get(value, str(value))
    if kind == "multiple":
        return "; ".join(labels.get(code, str(code)) for code in value)
    if kind == "yesno":
        return "Да" if value == "yes" else "Нет"
    if kind == "date" and isinstance(value, str) and len(value) >= 10:
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    if kind in ("integer", "decimal", "calculate"):
        return _number(value)
    if kind == "file":
        return value.get("name", "") if isinstance(value, dict) else str(value)
    if kind == "matrix" and isinstance(value, dict):
        return "; ".join(
            f"{row['label']}: {labels.get(value[row['code']], value[row['code']])}"
            for row in question.get("rows") or ()
            if value.get(row["code"])
        )
    if kind == "table" and isinstance(value, list):
        return "\n".join(_row_text(question, number, row) for number, row in enumerate(value, 1))
    return str(value)


def _number(value) -> str:
    try:
        return grouped(Decimal(str(value)).normalize())
    except (InvalidOperation, ValueError):
        return str(value)


def _row_text(question: dict, number: int, row: dict) -> str:
    cells = (
        f"{column['label']}: {answer_text(column, row.get(column['key']))}"
        for column in question.get("columns") or ()
    )
    return f"{number}) " + "; ".join(cells)


def answer_of(practice, key: str) -> str:
    question = next((q for q in questions(practice) if q["key"] == key), None)
    if question is None:
        return ""
    value = practice.data.get(key)
    return "" if is_unanswered(value) else answer_text(question, value)


@dataclass
class Printed:
    label: str
    text: str


def chosen_answers(practice) -> list[Printed]:
    """The chosen questions answered, in the form's order, with their answers."""
    chosen = set(practice.answer_keys or ())
    return [
        Printed(question["label"], answer_text(question, practice.data.get(question["key"])))
        for question in questions(practice)
        if question["key"] in chosen
        and question["type"] != "file"
        and not is_unanswered(practice.data.get(question["key"]))
    ]


def title_of(practice) -> str:
    if practice.title_key:
        return answer_of(practice, practice.title_key) or practice.title
    if practice.title:
        return practice.title
    return practice.entry.title if practice.entry is not None else practice.organization.name


def annotation_of(practice) -> str:
    if practice.annotation_key:
        return answer_of(practice, practice.annotation_key) or practice.annotation
    return practice.annotation


def authors_of(practice) -> list[str]:
    """The typed authors, else the chosen question's, else what the entry's form marks."""
    if practice.authors.strip():
        return names(practice.authors)
    if practice.authors_key:
        return names(answer_of(practice, practice.authors_key))
    return entry_authors(practice.entry) if practice.entry is not None else []


@dataclass
class Upload:
    name: str
    path: Path

    @property
    def is_picture(self) -> bool:
        try:
            with Image.open(self.path) as image:
                image.verify()
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
            return False
        return True


def uploads(practice) -> list[Upload]:
    """The files answering the practice's file questions, in the form's order."""
    model = ContestFile if practice.entry is not None else ResponseFile
    found = []
    for question in questions(practice):
        value = practice.data.get(question["key"])
        if question["type"] != "file" or not isinstance(value, dict):
            continue
        record = db.session.get(model, value.get("id")) if type(value.get("id")) is int else None
        if record is not None and _owner(record) == practice.source.id:
            found.append(Upload(record.original_name, upload_folder() / record.stored_name))
    return found


def _owner(record: ContestFile | ResponseFile) -> int | None:
    return record.entry_id if isinstance(record, ContestFile) else record.response_id
