"""Edits of a definition dict made by the form builder; each returns a new definition.

The builder never edits rows in place: it changes the definition, the definition is checked as
a whole (``definition_check.check_definition``), and the draft version is rewritten from it.
"""

import copy
import json
import re

from flask_babel import lazy_gettext as _l

from app.core.errors import Conflict, DomainError, NotFound
from app.questionnaires.definition import section_name
from app.questionnaires.feature_check import EXPRESSIONS, FLAGS
from app.questionnaires.keys import key_from_text, unique_key
from app.questionnaires.spec import CHOICE_TYPES, OTHER

# Settings only some question types take (any other suits every type), so a change of type
# leaves behind the settings the new type has no use for.
TYPE_SETTINGS = {
    **EXPRESSIONS,
    **{name: kinds for name, kinds in FLAGS.items() if kinds is not None},
    "choices": CHOICE_TYPES,
    "rows": ("matrix",),
    "columns": ("table",),
    "display": ("single",),
    **dict.fromkeys(
        ("min", "max"),
        ("integer", "decimal", "scale", "date", "text", "textarea", "multiple", "table"),
    ),
}


def _copy(definition: dict) -> dict:
    return copy.deepcopy(definition)


def all_keys(definition: dict) -> set[str]:
    """The keys of the form's sections, questions, table columns and "other" texts."""
    keys = set()
    for section in definition["sections"]:
        keys.add(section["key"])
        for question in section["questions"]:
            keys.add(question["key"])
            keys.update(column["key"] for column in question.get("columns") or ())
            if question.get("other"):
                keys.add(f"{question['key']}_{OTHER}")
    return keys


def chosen_key(
    definition: dict, wanted: str, text: str, current: str | None, frozen: set[str]
) -> str:
    """The key a saved question or section gets: the one it has once a published version uses
    it, else the one typed under «Дополнительно», else one made from its text, unique in the
    form."""
    if current and current in frozen:
        return current
    if wanted:
        return wanted
    taken = all_keys(definition) - {current}
    return unique_key(key_from_text(text), taken)


def next_section_title(definition: dict) -> str:
    """«Раздел N» with the first number from the count of sections on that no section shows."""
    sections = definition["sections"]
    shown = {section_name(section, number) for number, section in enumerate(sections, 1)}
    number = len(sections) + 1
    while section_name({}, number) in shown:
        number += 1
    return section_name({}, number)


def free_key(definition: dict, base: str) -> str:
    """``base`` or ``base_2``, ``base_3``… whichever is not taken in the form; a copy of
    ``zones_2`` is ``zones_3``, while ``klass_5`` (a number of its own) gets ``klass_5_2``."""
    taken = all_keys(definition)
    stripped = re.sub(r"_\d+$", "", base)
    return unique_key(stripped if stripped in taken else base, taken)


def _locate(definition: dict, key: str) -> tuple[int, int]:
    for section_index, section in enumerate(definition["sections"]):
        for question_index, question in enumerate(section["questions"]):
            if question["key"] == key:
                return section_index, question_index
    raise NotFound(_l("Question not found."))


def _section_index(definition: dict, key: str) -> int:
    for index, section in enumerate(definition["sections"]):
        if section["key"] == key:
            return index
    raise NotFound(_l("Section not found."))


def find_question(definition: dict, key: str) -> dict:
    section_index, question_index = _locate(definition, key)
    return definition["sections"][section_index]["questions"][question_index]


def find_section(definition: dict, key: str) -> dict:
    return definition["sections"][_section_index(definition, key)]


def add_section(definition: dict, section: dict) -> dict:
    result = _copy(definition)
    result["sections"].append({"questions": [], "condition": None, **section})
    return result


def update_section(definition: dict, key: str, changes: dict) -> dict:
    result = _copy(definition)
    result["sections"][_section_index(result, key)].update(changes)
    return result


def remove_section(definition: dict, key: str) -> dict:
    if len(definition["sections"]) == 1:
        raise DomainError(_l("A form needs at least one section."))
    result = _copy(definition)
    index = _section_index(result, key)
    if result["sections"][index]["questions"]:
        raise DomainError(_l("Move or delete the questions of the section first."))
    del result["sections"][index]
    return result


def move_section(definition: dict, key: str, step: int) -> dict:
    result = _copy(definition)
    sections = result["sections"]
    index = _section_index(result, key)
    target = index + step
    if 0 <= target < len(sections):
        sections[index], sections[target] = sections[target], sections[index]
    return result


def add_question(
    definition: dict, section_key: str, question: dict, after: str | None = None
) -> dict:
    """Adds ``question`` to the section: right after the question ``after``, at the top when
    ``after`` is "", at the end when it is None or no longer in the section."""
    result = _copy(definition)
    questions = result["sections"][_section_index(result, section_key)]["questions"]
    keys = [item["key"] for item in questions]
    if after == "":
        position = 0
    elif after in keys:
        position = keys.index(after) + 1
    else:
        position = len(questions)
    questions.insert(position, question)
    return result


def suits(setting: str, kind: str) -> bool:
    return kind in TYPE_SETTINGS.get(setting, (kind,))


def left_behind(stored: dict, kind: str, edited: tuple[str, ...]) -> list[str]:
    """The settings of ``stored`` an edit does not name that a question of type ``kind`` has
    no use for: they go when the type changes."""
    return [name for name in stored if name not in edited and not suits(name, kind)]


def merged(stored: dict, edited: dict, edited_keys: tuple[str, ...]) -> dict:
    """``edited`` over ``stored``: the settings named in ``edited_keys`` come from ``edited``
    (absent there: removed), any other stays as stored while the type has a use for it."""
    kind = edited["type"]
    result = {
        name: edited.get(name, value)
        for name, value in stored.items()
        if name in edited or (name not in edited_keys and suits(name, kind))
    }
    result.update({name: value for name, value in edited.items() if name not in result})
    for name in ("choices", "rows"):
        if name in edited:
            result[name] = _merged_items(stored.get(name), edited[name])
    return result


def _merged_items(stored: list | None, edited: list[dict]) -> list[dict]:
    """Options (or rows) as edited, each keeping what the form does not show (extra columns)."""
    by_code = {item.get("code"): item for item in stored or () if isinstance(item, dict)}
    return [{**by_code.get(item["code"], {}), **item} for item in edited]


def _merged_columns(stored: list | None, edited: list[dict], edited_keys) -> list[dict]:
    """Columns as edited, each keeping what the form does not show; a column renamed in its
    place keeps what it had under its old key."""
    stored = [column for column in stored or () if isinstance(column, dict)]
    by_key = {column.get("key"): column for column in stored}
    new_keys = {column["key"] for column in edited}
    result = []
    for index, column in enumerate(edited):
        source = by_key.get(column["key"])
        if source is None and index < len(stored) and stored[index].get("key") not in new_keys:
            source = stored[index]
        result.append(merged(source, column, edited_keys) if source else column)
    return result


def update_question(
    definition: dict,
    key: str,
    question: dict,
    edited: tuple[str, ...],
    edited_in_columns: tuple[str, ...] = (),
) -> dict:
    """Replaces the settings named in ``edited`` (what the builder's form shows) by those of
    ``question``; the other settings of the stored question (an imported repeat_count, a
    choice's extra columns, a column's constraint…) are kept, since the form cannot show them
    and dropping them silently would change the form behind the user's back."""
    result = _copy(definition)
    section_index, question_index = _locate(result, key)
    questions = result["sections"][section_index]["questions"]
    stored = questions[question_index]
    question = merged(stored, question, edited)
    if "columns" in question and edited_in_columns:
        question["columns"] = _merged_columns(
            stored.get("columns"), question["columns"], edited_in_columns
        )
    questions[question_index] = question
    return result


def _options(items: list | None) -> list[tuple]:
    return [(item.get("code"), item.get("label")) for item in items or () if isinstance(item, dict)]


def sharing_choices(definition: dict, key: str | None) -> list[dict]:
    """The other questions whose list of options is the same as that of question ``key``
    (codes and texts, in order): one list used by several questions, which the builder
    changes in all of them at once when asked to."""
    if key is None:
        return []
    options = _options(find_question(definition, key).get("choices"))
    if not options:
        return []
    return [
        question
        for section in definition["sections"]
        for question in section["questions"]
        if question["key"] != key
        and question["type"] in CHOICE_TYPES
        and _options(question.get("choices")) == options
    ]


def choice_lists(definition: dict, key: str | None) -> list[dict]:
    """The option lists of the form's other questions, one per distinct list, to start a
    question's options from: ``{"label": a question's text, "choices": "code | text" lines}``."""
    seen, lists = set(), []
    for section in definition["sections"]:
        for question in section["questions"]:
            options = _options(question.get("choices"))
            if question["key"] == key or not options or tuple(options) in seen:
                continue
            seen.add(tuple(options))
            lists.append({"label": question.get("label") or question["key"], "choices": options})
    return lists


def share_choices(definition: dict, keys: list[str], choices: list[dict]) -> dict:
    """Gives the questions ``keys`` the list ``choices`` (each option keeping what the
    builder does not show, such as extra columns)."""
    result = _copy(definition)
    for section in result["sections"]:
        for question in section["questions"]:
            if question["key"] in keys:
                question["choices"] = _merged_items(question.get("choices"), choices)
    return result


def remove_question(definition: dict, key: str) -> dict:
    result = _copy(definition)
    section_index, question_index = _locate(result, key)
    del result["sections"][section_index]["questions"][question_index]
    return result


def move_question(definition: dict, key: str, step: int) -> dict:
    """Moves a question one place up or down; past a section's edge it enters the next one."""
    result = _copy(definition)
    sections = result["sections"]
    section_index, question_index = _locate(result, key)
    questions = sections[section_index]["questions"]
    target = question_index + step
    if 0 <= target < len(questions):
        questions[question_index], questions[target] = questions[target], questions[question_index]
    elif 0 <= section_index + step < len(sections):
        question = questions.pop(question_index)
        neighbour = sections[section_index + step]["questions"]
        neighbour.insert(len(neighbour) if step < 0 else 0, question)
    return result


def reorder(definition: dict, layout: list[dict]) -> dict:
    """The sections and questions in the order drag and drop left them in the builder.

    ``layout`` lists every section as ``{"key": ..., "questions": [keys]}``; it must hold the
    form's sections and questions, each once, or the form changed in another window meanwhile.
    """
    result = _copy(definition)
    sections = {section["key"]: section for section in result["sections"]}
    questions = {
        question["key"]: question
        for section in result["sections"]
        for question in section["questions"]
    }
    placed_sections = [item["key"] for item in layout]
    placed_questions = [key for item in layout for key in item["questions"]]
    if sorted(placed_sections) != sorted(sections) or sorted(placed_questions) != sorted(questions):
        raise Conflict(
            _l(
                "The form has changed in another window. The builder now shows it as it is; "
                "move the question again."
            )
        )
    result["sections"] = [
        {**sections[item["key"]], "questions": [questions[key] for key in item["questions"]]}
        for item in layout
    ]
    return result


def layout_from_text(text: str) -> list[dict]:
    """The builder's drag-and-drop layout, sent as JSON, checked for its shape."""
    try:
        layout = json.loads(text)
    except ValueError:
        layout = None
    if not isinstance(layout, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("key"), str)
        and isinstance(item.get("questions"), list)
        and all(isinstance(key, str) for key in item["questions"])
        for item in layout
    ):
        raise DomainError(_l("The new order could not be read. Reload the page and try again."))
    return layout


def removal(definition: dict, kind: str, key: str) -> dict:
    """What deleting a question or a section takes away and where it stood: enough to put it
    back (``restore``) when the deletion is undone."""
    if kind == "section":
        index = _section_index(definition, key)
        return {"kind": kind, "index": index, "item": definition["sections"][index]}
    section_index, question_index = _locate(definition, key)
    section = definition["sections"][section_index]
    after = section["questions"][question_index - 1]["key"] if question_index else ""
    return {
        "kind": kind,
        "section": section["key"],
        "after": after,
        "item": section["questions"][question_index],
    }


def restore(definition: dict, removed: dict) -> dict:
    """Puts back a deleted question or section where it stood (as near as the form allows)."""
    item = removed["item"]
    if item["key"] in all_keys(definition):
        raise Conflict(_l("It cannot be put back: the form already has %(key)s.", key=item["key"]))
    if removed["kind"] == "section":
        result = _copy(definition)
        index = min(removed["index"], len(result["sections"]))
        result["sections"].insert(index, item)
        return result
    if removed["section"] not in {section["key"] for section in definition["sections"]}:
        raise Conflict(_l("It cannot be put back: its section has been deleted."))
    return add_question(definition, removed["section"], item, removed["after"])


def duplicate_question(definition: dict, key: str) -> tuple[dict, str]:
    """A copy placed right after the original, under a free key."""
    result = _copy(definition)
    section_index, question_index = _locate(result, key)
    question = copy.deepcopy(result["sections"][section_index]["questions"][question_index])
    question["key"] = free_key(result, key)
    result["sections"][section_index]["questions"].insert(question_index + 1, question)
    return result, question["key"]


def empty_definition(title: str, description: str = "") -> dict:
    return {
        "title": title,
        "description": description,
        "form_id": "",
        "version": "",
        "sections": [
            {
                "key": "main",
                "title": section_name({}, 1),
                "description": "",
                "condition": None,
                "questions": [],
            }
        ],
    }
