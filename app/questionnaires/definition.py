"""Between a form version's rows and its definition dict (spec.py)."""

from datetime import datetime

import orjson
import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.questionnaires.evaluation import OTHER_LABEL
from app.questionnaires.expressions import result_type
from app.questionnaires.languages import localized, stored_languages, with_stored_languages
from app.questionnaires.models import FormVersion, Question, Section
from app.questionnaires.spec import OTHER

SETTINGS = (
    "min", "max", "choices", "rows", "columns", "display", "constraint_message", "constraint",
    "calculation", "default", "read_only", "choice_filter", "other", "repeat_count",
    "translations", "authors",
)  # fmt: skip


def question_dict(question: Question) -> dict:
    return {
        "key": question.key,
        "type": question.type,
        "label": question.label,
        "help": question.help,
        # a condition under which the question is required is kept among the settings
        "required": question.settings.get("required", question.required),
        "condition": question.condition,
        **{name: question.settings.get(name) for name in SETTINGS if name in question.settings},
    }


def section_name(section: dict, number: int) -> str:
    """The name of the ``number``-th section (from 1) everywhere it is shown: its title, or
    "Раздел 2" when it has none."""
    return section.get("title") or _("Section %(number)s", number=number)


# A published (or archived) version never changes, and a school's every save and page reads its
# definition: each process builds it once, as JSON bytes, so that every caller gets its own copy
# to change. Keyed by the publication too: a test database reuses ids.
_published: dict[tuple[int, datetime | None], bytes] = {}
PUBLISHED_KEPT = 256


def version_definition(version: FormVersion) -> dict:
    if version.is_draft:
        return _built_definition(version)
    key = (version.id, version.published_at)
    built = _published.get(key)
    if built is None:
        if len(_published) >= PUBLISHED_KEPT:
            del _published[next(iter(_published))]
        built = _published[key] = orjson.dumps(_built_definition(version))
    return orjson.loads(built)


def _built_definition(version: FormVersion) -> dict:
    return with_stored_languages(_version_definition(version), version.languages)


def _version_definition(version: FormVersion) -> dict:
    return {
        "title": version.title,
        "description": version.description,
        "form_id": version.form.slug,
        "version": version.label,
        **({"style": version.style} if version.style else {}),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "description": section.description,
                "condition": section.condition,
                "questions": [question_dict(question) for question in section.questions],
            }
            for section in version.sections
        ],
    }


def reported_type(question: dict) -> str:
    """The type a question is reported and exported as: a calculate question is a decimal when
    its calculation gives a number, a text otherwise."""
    if question["type"] != "calculate":
        return question["type"]
    return "decimal" if result_type(question["calculation"]) == "number" else "text"


def as_reported(definition: dict) -> dict:
    """The definition as reports, exports and typed answer rows read it: calculate questions
    and columns typed by reported_type, and a choice with "other" offering it, followed by a
    text question for its text."""
    return {
        **definition,
        "sections": [
            {**section, "questions": _reported_questions(section["questions"])}
            for section in definition["sections"]
        ],
    }


def _reported_questions(questions: list[dict]) -> list[dict]:
    reported = []
    for question in questions:
        question = _reported(question)
        if question.get("columns"):
            question["columns"] = [_reported(column) for column in question["columns"]]
        reported.append(question)
        if question.get("other"):
            reported.append(_other_text(question))
    return reported


def _reported(question: dict) -> dict:
    question = {**question, "type": reported_type(question)}
    if question.get("other"):
        other = {"code": OTHER, "label": str(OTHER_LABEL)}
        question["choices"] = [*question.get("choices", []), other]
    return question


def _other_text(question: dict) -> dict:
    return {
        "key": f"{question['key']}_{OTHER}",
        "type": "text",
        "label": f"{question['label']}: {OTHER_LABEL}",
        "help": "",
        "required": False,
        "condition": None,
    }


def reported_definition(version: FormVersion, language: str = "") -> dict:
    """The definition as reported, in the form's default language or in ``language``."""
    definition = version_definition(version)
    return as_reported(localized(definition, language) if language else definition)


def write_definition(version: FormVersion, definition: dict) -> None:
    """Replaces the sections and questions of a draft version with those of ``definition``.

    The version must have been flushed (it needs its id).
    """
    version.title = definition.get("title") or version.title
    version.description = definition.get("description") or ""
    version.label = str(definition.get("version") or "")[:64]
    version.style = definition.get("style") or ""
    version.languages = stored_languages(definition)
    if version.id is not None:
        db.session.execute(sa.delete(Question).where(Question.version_id == version.id))
        db.session.execute(sa.delete(Section).where(Section.version_id == version.id))
        db.session.expire(version, ["sections", "questions"])
    position = 0
    for index, spec in enumerate(definition["sections"]):
        section = Section(
            version=version,
            position=index,
            key=spec["key"],
            title=spec.get("title") or "",
            description=spec.get("description") or "",
            condition=spec.get("condition"),
        )
        db.session.add(section)
        for question_spec in spec["questions"]:
            question = _question(question_spec, section, position)
            question.version_id = version.id
            db.session.add(question)
            position += 1
    db.session.flush()
    db.session.expire(version, ["sections", "questions"])


def _question(spec: dict, section: Section, position: int) -> Question:
    return Question(
        section=section,
        position=position,
        key=spec["key"],
        type=spec["type"],
        label=spec.get("label") or "",
        help=spec.get("help") or "",
        required=bool(spec.get("required")),
        condition=spec.get("condition"),
        settings=_settings(spec),
    )


def _settings(spec: dict) -> dict:
    settings = {
        name: spec[name]
        for name in SETTINGS
        if spec.get(name) not in (None, "", []) and spec.get(name) is not False
    }
    if isinstance(spec.get("required"), dict):
        settings["required"] = spec["required"]
    return settings
