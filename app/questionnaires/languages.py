"""Forms in several languages (the format is in spec.py): checking the declared languages and
translations, and the form as shown in one language.

The base fields hold the default language's texts, so whatever reads them (reports, exports,
the builder) works in the default language without knowing about languages. A translation
replaces a base text one text at a time: a text missing in a language is shown in the default
language.
"""

import copy
import re

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

CODE = re.compile(r"[\w-]{1,40}\Z")
NAME_LENGTH = 100
FORM_FIELDS = ("title", "description")
QUESTION_FIELDS = ("label", "help", "constraint_message")
OPTION_FIELDS = ("label",)
TITLE_FIELDS = {"title"}


class TranslationError(DomainError):
    """Languages or translations refused; ``path`` as check_definition names it."""

    def __init__(self, message, path: str):
        super().__init__(message)
        self.path = path


def declared(definition: dict) -> list[dict]:
    """The declared languages, [] for a form in one language."""
    languages = definition.get("languages")
    return languages if isinstance(languages, list) else []


def default_code(definition: dict) -> str:
    return definition.get("default_language") or ""


def language_names(definition: dict) -> list[tuple[str, str]]:
    """(code, name) of each language, for the picker: [] for a form in one language."""
    return [(language["code"], language["name"]) for language in declared(definition)]


def other_languages(definition: dict) -> list[tuple[str, str]]:
    """(code, name) of the languages other than the default one."""
    default = default_code(definition)
    return [(code, name) for code, name in language_names(definition) if code != default]


def choose_language(definition: dict, *wanted: str | None) -> str:
    """The first of ``wanted`` the form has, else its default language ("" for one language)."""
    codes = {code for code, _name in language_names(definition)}
    return next((code for code in wanted if code and code in codes), default_code(definition))


def translatable_items(definition: dict):
    """Every item that may carry translations, with its path and translatable fields."""
    yield definition, "", FORM_FIELDS
    for index, section in enumerate(definition.get("sections") or []):
        path = f"sections[{index}]"
        yield section, path, FORM_FIELDS
        for number, question in enumerate(section.get("questions") or []):
            yield from _question_items(question, f"{path}.questions[{number}]")


def _question_items(question: dict, path: str):
    yield question, path, QUESTION_FIELDS
    for field in ("choices", "rows"):
        for index, option in enumerate(question.get(field) or []):
            if isinstance(option, dict):
                yield option, f"{path}.{field}[{index}]", OPTION_FIELDS
    for index, column in enumerate(question.get("columns") or []):
        if isinstance(column, dict):
            yield from _question_items(column, f"{path}.columns[{index}]")


# Checking


def check_translations(definition: dict, title_length: int) -> None:
    """Refuses badly declared languages and translations into undeclared languages or of
    fields that cannot be translated."""
    translated = _check_languages(definition)
    for item, path, fields in translatable_items(definition):
        translations = item.get("translations")
        if translations is None:
            continue
        where = f"{path}.translations" if path else "translations"
        if not isinstance(translations, dict):
            raise TranslationError(_l("Translations must be a dictionary."), where)
        for code, texts in translations.items():
            if code not in translated:
                raise TranslationError(
                    _l("A translation into an undeclared language “%(code)s”.", code=code),
                    f"{where}.{code}",
                )
            _check_texts(texts, fields, f"{where}.{code}", title_length)


def _check_languages(definition: dict) -> set[str]:
    """The codes translations may use: the declared ones except the default."""
    languages = definition.get("languages")
    default = definition.get("default_language")
    if languages is None and default is None:
        return set()
    if not isinstance(languages, list) or len(languages) < 2:
        raise TranslationError(
            _l("A form in several languages declares at least two."), "languages"
        )
    codes = []
    for index, language in enumerate(languages):
        _check_language(language, f"languages[{index}]")
        if language["code"] in codes:
            raise TranslationError(
                _l("The language “%(code)s” is declared twice.", code=language["code"]),
                f"languages[{index}].code",
            )
        codes.append(language["code"])
    if default not in codes:
        raise TranslationError(
            _l("The default language must be one of the declared languages."), "default_language"
        )
    return set(codes) - {default}


def _check_language(language, path: str) -> None:
    if not isinstance(language, dict) or set(language) != {"code", "name"}:
        raise TranslationError(_l("A language is declared by its code and name."), path)
    code, name = language["code"], language["name"]
    if not isinstance(code, str) or not CODE.match(code):
        raise TranslationError(
            _l("A language code is up to 40 letters, digits, “_” or “-”."), f"{path}.code"
        )
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LENGTH:
        raise TranslationError(
            _l("A language needs a name of at most %(length)s characters.", length=NAME_LENGTH),
            f"{path}.name",
        )


def _check_texts(texts, fields: tuple, path: str, title_length: int) -> None:
    if not isinstance(texts, dict):
        raise TranslationError(_l("Translations must be a dictionary."), path)
    for field, text in texts.items():
        if field not in fields:
            raise TranslationError(
                _l("The field “%(field)s” cannot be translated here.", field=field),
                f"{path}.{field}",
            )
        if not isinstance(text, str):
            raise TranslationError(_l("A translation must be a text."), f"{path}.{field}")
        if field in TITLE_FIELDS and len(text) > title_length:
            raise TranslationError(
                _l("The title is longer than %(length)s characters.", length=title_length),
                f"{path}.{field}",
            )


# Normalising


def normalize_languages(definition: dict) -> dict:
    """Translations with stripped texts, without empty ones; the default language first."""
    languages, default = definition.get("languages"), definition.get("default_language")
    if isinstance(languages, list):
        definition["languages"] = sorted(
            languages,
            key=lambda language: not isinstance(language, dict) or language.get("code") != default,
        )
    for item, _path, _fields in translatable_items(definition):
        translations = item.get("translations")
        if not isinstance(translations, dict):
            continue
        kept = {}
        for code, texts in translations.items():
            if isinstance(texts, dict):
                texts = {f: t.strip() if isinstance(t, str) else t for f, t in texts.items()}
                texts = {field: text for field, text in texts.items() if text != ""}
            if texts:
                kept[code] = texts
        if kept:
            item["translations"] = kept
        else:
            del item["translations"]
    return definition


# Showing


def localized(definition: dict, code: str) -> dict:
    """A copy of the definition with ``code``'s texts in the base fields (each missing text
    stays in the default language) and no translations left."""
    result = copy.deepcopy(definition)
    for item, _path, _fields in translatable_items(result):
        texts = (item.pop("translations", None) or {}).get(code) or {}
        item.update({field: text for field, text in texts.items() if text})
    return result


def localized_errors(errors: dict, definition: dict, code: str) -> dict:
    """Problems found with the default language's texts, their constraint messages in
    ``code`` (the shape of validation.validate_answers' errors)."""
    messages = _message_translations(definition, code)
    if not messages:
        return errors
    result = {}
    for key, error in errors.items():
        if isinstance(error, dict):
            rows = {
                index: {column: _swap(text, messages.get(column)) for column, text in row.items()}
                for index, row in error.get("rows", {}).items()
            }
            error = {**error, "rows": rows}
            if "message" in error:
                error["message"] = _swap(error["message"], messages.get(key))
            result[key] = error
        else:
            result[key] = _swap(error, messages.get(key))
    return result


def _message_translations(definition: dict, code: str) -> dict[str, tuple[str, str]]:
    """key -> (default message, its translation) of questions and table columns."""
    found = {}
    for item, _path, fields in translatable_items(definition):
        text = ((item.get("translations") or {}).get(code) or {}).get("constraint_message")
        if fields is QUESTION_FIELDS and text and item.get("constraint_message"):
            found[item["key"]] = (item["constraint_message"], text)
    return found


def _swap(error, pair: tuple[str, str] | None):
    return pair[1] if pair and str(error) == pair[0] else error


def remember_language(user, definition: dict, code: str) -> str:
    """Remembers a language of the form as the user's language for filling forms; returns the
    language now shown (the form's default when it has no such language)."""
    chosen = choose_language(definition, code)
    if chosen and chosen == code:
        user.form_language = code
    return chosen


def shown_form(definition: dict, *wanted: str | None) -> tuple[dict, str]:
    """The form as shown in the first wanted language it has, and that language's code."""
    code = choose_language(definition, *wanted)
    return (localized(definition, code) if code else definition), code


# Storing


def stored_languages(definition: dict) -> dict | None:
    """What a form version keeps of a form in several languages beside its sections and
    questions: the languages and the translations of the form and of each section (by key)."""
    if not declared(definition):
        return None
    sections = {
        section["key"]: section["translations"]
        for section in definition.get("sections") or []
        if section.get("translations")
    }
    stored = {
        "languages": definition["languages"],
        "default_language": default_code(definition),
        "translations": definition.get("translations") or {},
        "sections": sections,
    }
    return stored


def with_stored_languages(definition: dict, stored: dict | None) -> dict:
    """The definition read from a version's rows, with what stored_languages kept."""
    if not stored:
        return definition
    result = {**definition, "languages": stored["languages"]}
    result["default_language"] = stored["default_language"]
    if stored["translations"]:
        result["translations"] = stored["translations"]
    sections = stored["sections"]
    result["sections"] = [
        {**section, "translations": sections[section["key"]]}
        if section["key"] in sections
        else section
        for section in definition["sections"]
    ]
    return result
