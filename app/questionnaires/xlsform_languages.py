"""The language columns of an XLSForm (``label::Русский (ru)``, ``hint::Саха тыла (sah)``,
``label:english``), read into the languages and translations of a definition (languages.py)
and written back.

A language is named by what follows the column's name; its code is the ``(xx)`` at the end of
that name, else a slug of the name. The settings' default_language (a name as written in the
columns, e.g. "Русский (ru)", or a code) is the default language; the columns without a language
are in the default language when no column is written in it (as pyxform reads them). Without
default_language the columns without a language are the default, else the first language. A
form whose texts are in one language only is read as a form in one language.
"""

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.core.spreadsheets import cell_text, sheet_rows
from app.questionnaires.languages import declared, default_code, translatable_items
from app.questionnaires.xlsform_columns import Column, Row, XLSFormError, parse_header

TRANSLATABLE = ("label", "hint", "constraint_message")
SUFFIX = re.compile(r"\(\s*([\w-]{1,40})\s*\)\s*\Z")
PLAIN_CODE = "default"
# Fields of the definition's items as XLSForm columns.
SECTION_COLUMNS = {"title": "label", "description": "hint"}
QUESTION_COLUMNS = {"label": "label", "help": "hint", "constraint_message": "constraint_message"}
OPTION_COLUMNS = {"label": "label"}
MATRIX_COLUMNS = {"label": "label", "help": "hint"}  # its constraint message is on its rows


def code_and_name(text: str) -> tuple[str, str]:
    """The code and name of a language as written after a column's name."""
    text = " ".join(text.split())
    match = SUFFIX.search(text)
    if match:
        return match.group(1).lower(), text[: match.start()].strip() or match.group(1)
    return re.sub(r"[^\w-]+", "_", text.lower()).strip("_")[:40], text


def _written_language(header: str) -> str:
    text = header.strip()
    if text.lower().startswith("jr:"):
        text = text[3:]
    match = re.match(r"[^:]*::?(.*)\Z", text, re.DOTALL)
    return match.group(1) if match else ""


@dataclass
class FormLanguages:
    """The languages of a workbook's texts: ``codes`` maps a column's language (as parsed,
    "" for columns without one) to its code; ``default`` is the default language's column
    language."""

    default: str
    codes: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)

    def code(self, column: Column) -> str:
        return self.codes[column.language]

    def foreign(self, column: Column) -> bool:
        """A column of a translatable field in another language than the default."""
        return column.field in TRANSLATABLE and self.codes.get(column.language, "") not in (
            "",
            self.codes[self.default],
        )

    def translates(self, column: Column, chosen: dict, translated: list[Column]) -> bool:
        """Whether a column is a translation of a field whose base column is ``chosen``."""
        if column.field not in TRANSLATABLE or column.language not in self.codes:
            return False
        taken = [chosen[column.field]] if column.field in chosen else []
        taken += [other for other in translated if other.field == column.field]
        return all(self.code(other) != self.code(column) for other in taken)

    def declaration(self) -> dict:
        default = self.codes[self.default]
        codes = [default, *(code for code in self.names if code != default)]
        return {
            "languages": [{"code": code, "name": self.names[code]} for code in codes],
            "default_language": default,
        }


def form_languages(workbook, limits, setting: str) -> FormLanguages | None:
    """The languages of the survey and choices sheets' texts; None for one language."""
    written: dict[str, str] = {}
    for name in ("survey", "choices"):
        for column in _filled_columns(workbook, name, limits):
            if column.field in TRANSLATABLE:
                written.setdefault(column.language, _written_language(column.header))
    if len(written) < 2:
        return None
    codes, names = _codes_and_names(written)
    default = _default(written, codes, setting)
    if "" in written:
        plain_code, plain_name = _plain_language(codes, setting, default)
        codes[""] = plain_code
        names = {plain_code: plain_name, **names}
    if len(names) < 2:
        return None
    return FormLanguages(default, codes, names)


def _codes_and_names(written: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The code of each column language and the name of each code; a name written without a
    code (``label:Русский``) is the language of the same name written with one."""
    parsed = {key: code_and_name(text) for key, text in written.items() if key}
    coded = {
        name.lower(): code for key, (code, name) in parsed.items() if SUFFIX.search(written[key])
    }
    codes, names = {}, {}
    for key, (code, name) in parsed.items():
        codes[key] = coded.get(name.lower(), code)
        names.setdefault(codes[key], name)
    return codes, names


def _default(written: dict[str, str], codes: dict[str, str], setting: str) -> str:
    setting = " ".join(setting.split())
    if not setting:
        return "" if "" in written else next(iter(written))
    wanted = code_and_name(setting)[0]
    lowered = "_".join(setting.lower().split())
    for key, code in codes.items():
        if code == wanted or key == lowered:
            return key
    if "" in written:
        return ""
    raise XLSFormError(
        _l(
            "settings sheet, column default_language: no column is written in the language "
            "“%(language)s”",
            language=setting,
        ),
        field="file",
    )


def _plain_language(codes: dict[str, str], setting: str, default: str) -> tuple[str, str]:
    """The code and name of the columns without a language."""
    if default == "" and setting.strip():
        return code_and_name(setting)
    return PLAIN_CODE, str(_l("Default language"))


def _filled_columns(workbook, name: str, limits) -> list[Column]:
    titles = [title for title in workbook.sheetnames if title.strip().lower() == name]
    if not titles:
        return []
    rows = sheet_rows(workbook[titles[0]], limits)
    columns = parse_header(next(rows, ()))
    filled: set[int] = set()
    for values in rows:
        filled.update(index for index, value in enumerate(values) if cell_text(value))
    return [column for column in columns if column.index in filled]


def row_translations(columns: list[Column], languages: FormLanguages, cell) -> dict:
    """{code: {field: text}} of a row's translation columns (``cell(index)`` reads a cell)."""
    translations: dict[str, dict[str, str]] = {}
    for column in columns:
        text = cell(column.index)
        if text:
            translations.setdefault(languages.code(column), {})[column.field] = text
    return translations


def labelled(row: Row) -> bool:
    return bool(row.get("label")) or any(texts.get("label") for texts in row.translations.values())


# Reading into the definition


def choice_translations(row: Row) -> dict:
    return {"translations": row.translations} if row.translations else {}


def add_translations(sections: list[dict], paths: dict[str, int], rows: list[Row]) -> None:
    """Puts the translations of the survey rows into the items read from them (``paths`` maps
    an item's path to its row number, as SurveyReader keeps it)."""
    by_number = {row.number: row for row in rows}
    for item, path, _fields in translatable_items({"sections": sections}):
        row = by_number.get(paths.get(path))
        if row is None or not row.translations:
            continue
        if re.fullmatch(r"sections\[\d+\]", path):
            if _is_group(row):
                _translate(item, row.translations, SECTION_COLUMNS)
        elif re.search(r"\.rows\[\d+\]\Z", path):
            _translate(item, row.translations, OPTION_COLUMNS)
        else:
            _translate(item, row.translations, QUESTION_COLUMNS)
            if item.get("type") == "matrix":
                _matrix_message(item, by_number.get(paths.get(f"{path}.rows[0]")))


def _is_group(row: Row) -> bool:
    return re.match(r"begin[ _]group\b", row.get("type").strip(), re.IGNORECASE) is not None


def _matrix_message(matrix: dict, first: Row | None) -> None:
    """A matrix's constraint message is its rows' (see xlsform_matrix.py)."""
    if first is not None:
        _translate(matrix, first.translations, {"constraint_message": "constraint_message"})


def _translate(item: dict, translations: dict, columns: dict[str, str]) -> None:
    for code, texts in translations.items():
        mine = {name: texts[column] for name, column in columns.items() if texts.get(column)}
        if mine:
            item.setdefault("translations", {}).setdefault(code, {}).update(mine)


# Writing


def written_translations(item: dict, columns: dict[str, str]) -> dict:
    """An item's translations as a written row's: {code: {column: text}}."""
    return {
        code: {columns[name]: text for name, text in texts.items() if name in columns}
        for code, texts in (item.get("translations") or {}).items()
    }


def language_table(definition: dict, columns: tuple, rows: list[dict]) -> list[list[str]]:
    """A sheet with every language's column of each translatable field: ``label::Name (code)``
    (the default language first, from the row's own fields; the others from its
    "translations")."""
    languages = declared(definition)
    if not languages:
        return [list(columns), *([row.get(name, "") for name in columns] for row in rows)]
    default = default_code(definition)
    header, cells = [], []
    for name in columns:
        if name not in TRANSLATABLE:
            header.append(name)
            cells.append((name, None))
            continue
        for language in languages:
            header.append(f"{name}::{language_label(language)}")
            cells.append((name, None if language["code"] == default else language["code"]))
    return [header, *(_language_row(row, cells) for row in rows)]


def _language_row(row: dict, cells: list[tuple[str, str | None]]) -> list[str]:
    translations = row.get("translations") or {}
    return [
        row.get(name, "") if code is None else translations.get(code, {}).get(name, "")
        for name, code in cells
    ]


def language_label(language: dict) -> str:
    return f"{language['name']} ({language['code']})"


def default_language_setting(definition: dict) -> dict:
    """The settings' default_language of a form in several languages."""
    default = default_code(definition)
    for language in declared(definition):
        if language["code"] == default:
            return {"default_language": language_label(language)}
    return {}
