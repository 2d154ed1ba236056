"""A question's inputs on the filling page, written in Python rather than as Jinja macros.

The filling page is what schools open most on a deadline day, and as nested macros its 60
questions took four fifths of the page's time (issue 14). Field names follow
app/campaigns/formdata.py; fill.js reads the ``data-`` attributes (expressions.md). Texts of the
form are escaped; the interface's own texts come from the catalogue, as Jinja's ``_()`` gives
them.
"""

from collections.abc import Mapping
from functools import lru_cache
from numbers import Number

import orjson
from flask import current_app, url_for
from flask_babel import get_locale
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

from app.core.timefmt import number_filter
from app.core.translations import gettext
from app.questionnaires.cleaning import bound_messages, typed_number

CHOICE_GROUPS = ("single", "multiple", "yesno", "scale")
INPUT_KINDS = {
    "integer": ("text", "numeric"),
    "decimal": ("text", "decimal"),
    "email": ("email", "email"),
    "phone": ("tel", "tel"),
    "date": ("text", "numeric"),
}
FILE_TYPES = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.odt,.ods,.pptx"


def _e(value) -> str:
    return str(escape(value))


def _int(value) -> int:
    """Jinja's ``|int``: a number's whole part, 0 for what is no number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return 0


def _json(value) -> str:
    """``value|tojson|forceescape``: JSON safe inside a double-quoted attribute."""
    policies = current_app.jinja_env.policies
    dumps, options = policies["json.dumps_function"], policies["json.dumps_kwargs"]
    return _e(str(htmlsafe_json_dumps(value, dumps=dumps, **options)))


def _plain(value) -> bool:
    """A value Jinja's ``is iterable and is not string`` takes: a list, a dict…"""
    return not isinstance(value, str) and hasattr(value, "__iter__")


def error_text(error) -> str:
    if isinstance(error, Mapping):
        message = error.get("message")
        return _e(message) if message else gettext("Check the rows of the table.")
    return _e(error)


def is_group(q: dict) -> bool:
    kind = q["type"]
    listed = kind == "single" and q.get("display") == "list"
    return kind in ("yesno", "scale", "multiple") or (kind == "single" and not listed)


def logic_attrs(q: dict) -> str:
    """What fill.js evaluates in the browser, on the question's box or a table cell."""
    parts = []
    required = q.get("required")
    if isinstance(required, Mapping):
        parts.append(f' data-required-if="{_json(required)}"')
    elif required:
        parts.append(' data-required="true"')
    if q.get("constraint"):
        message = q.get("constraint_message")
        message = _e(message) if message else gettext(
            "The value does not meet the condition set for this question."
        )  # fmt: skip
        parts.append(
            f' data-constraint="{_json(q["constraint"])}" data-constraint-message="{message}"'
        )
    for name, attribute in (("calculation", "calculation"), ("choice_filter", "choice-filter")):
        if q.get(name):
            parts.append(f' data-{attribute}="{_json(q[name])}"')
    if q.get("read_only"):
        parts.append(' data-read-only="true"')
    if q.get("repeat_count"):
        parts.append(f' data-repeat-count="{_json(q["repeat_count"])}"')
    if q["type"] in ("integer", "decimal", "scale"):
        for bound in ("min", "max"):
            value = q.get(bound)
            if isinstance(value, Number) or value:
                parts.append(f' data-{bound}="{_e(value)}"')
        too_low, too_high = _bound_messages(q)
        parts.append(f' data-too-low="{_e(too_low)}" data-too-high="{_e(too_high)}"')
    return "".join(parts)


def _bound_messages(q: dict) -> tuple[str, str]:
    """bound_messages, kept per bounds: formatting them is most of a number question's cost."""
    key = (q["type"], q.get("min"), q.get("max"), q.get("constraint_message"))
    if not all(part is None or isinstance(part, (str, int, float)) for part in key):
        return bound_messages(q)
    return _bound_texts(str(get_locale()), *key)


@lru_cache(maxsize=4096)
def _bound_texts(_locale: str, kind: str, low, high, message) -> tuple[str, str]:
    return bound_messages({"type": kind, "min": low, "max": high, "constraint_message": message})


def live_text(text) -> str:
    """A label, help or note text: one with ${key} is filled in by fill.js from the answers."""
    if text and "${" in text:
        return f'<span data-live-text="{_e(text)}">{_e(text)}</span>'
    return _e(text)


def required_mark(q: dict) -> str:
    required = q.get("required")
    if isinstance(required, Mapping):
        return ' <span class="text-danger" aria-hidden="true" data-required-mark hidden>*</span>'
    if required:
        return ' <span class="text-danger" aria-hidden="true">*</span>'
    return ""


def calculated_text(value) -> str:
    """A calculated value as the page shows it until fill.js computes it again."""
    if isinstance(value, Number) and not isinstance(value, bool):
        return _e(number_filter(value))
    return "" if value is None else _e(value)


def field_value(q: dict, value) -> str:
    """The value of a text field as the school would type it: 5 400,5 and 25.11.2026."""
    if value is None:
        return ""
    kind = q["type"]
    if kind in ("integer", "decimal"):
        return _e(typed_number(value))
    if kind == "date" and isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return _e(f"{value[8:10]}.{value[5:7]}.{value[0:4]}")
    return _e(value)


def _options(q: dict, choices: list) -> list:
    if q["type"] == "yesno":
        return [{"code": "yes", "label": gettext("Yes")}, {"code": "no", "label": gettext("No")}]
    if q["type"] == "scale":
        low, high = _int(q.get("min") or 1), _int(q.get("max") or 5)
        return [{"code": str(n), "label": str(n)} for n in range(low, high + 1)]
    return choices


def _extra(option: dict) -> str:
    return f' data-extra="{_json(option["extra"])}"' if option.get("extra") else ""


def _label(option: dict) -> str:
    label = option.get("label", "")
    return label if isinstance(label, Markup) else _e(label)


def simple_input(q: dict, name: str, id: str, value, disabled: bool, described: str = "",
                 labelled: str = "") -> str:  # fmt: skip
    """``labelled``: the id of the element naming a group of radios or checkboxes (a <label>
    can only name one input). A read-only choice is shown disabled, and its answer is sent by
    hidden copies."""
    kind = q["type"]
    read_only = q.get("read_only")
    frozen = bool(read_only and not disabled and kind in CHOICE_GROUPS)
    attrs = (
        ("disabled " if disabled or frozen else "")
        + ("readonly " if read_only and not frozen else "")
        + (f'aria-describedby="{described}" ' if described else "")
        + ("data-read-only-view " if frozen else "")
    )
    # the options as shown: the choices, then «Другое» when the question has "other"
    choices = (q.get("choices") or []) + (
        [{"code": "other", "label": gettext("Other")}] if q.get("other") else []
    )
    out = []
    if frozen:
        codes = value if _plain(value) else [value]
        out += [
            f'<input type="hidden" name="{name}" value="{_e(code)}" data-read-only-copy>'
            for code in codes
            if code is not None
        ]
    out.append("\n")
    if kind == "textarea":
        text = _e(value or "")
        out.append(
            f'<textarea class="form-control" id="{id}" name="{name}" rows="3" {attrs}>{text}'
            "</textarea>"
        )
    elif kind == "single" and q.get("display") == "list":
        out.append(f'<select class="form-select" id="{id}" name="{name}" {attrs}>\n')
        out.append(f'<option value="">{gettext("— choose —")}</option>\n')
        for option in choices:
            selected = " selected" if option["code"] == value else ""
            out.append(
                f'<option value="{_e(option["code"])}"{_extra(option)}{selected}>'
                f"{_label(option)}</option>"
            )
        out.append("\n</select>")
    elif kind in ("single", "yesno", "scale"):
        chosen = str(value) if value is not None else None
        group_class = "d-flex flex-wrap gap-3" if kind != "single" else ""
        by = f' aria-labelledby="{labelled}"' if labelled else ""
        out.append(f'<div id="{id}" class="{group_class}" role="radiogroup"{by}>\n')
        for index, option in enumerate(_options(q, choices), start=1):
            checked = " checked" if option["code"] == chosen else ""
            out.append(
                f'<div class="form-check">\n<input class="form-check-input" type="radio"'
                f' id="{id}-{index}" name="{name}" value="{_e(option["code"])}"{_extra(option)}'
                f'{checked} {attrs}>\n<label class="form-check-label" for="{id}-{index}">'
                f"{_label(option)}</label>\n</div>\n"
            )
        out.append("</div>")
    elif kind == "multiple":
        by = f' aria-labelledby="{labelled}"' if labelled else ""
        out.append(f'<div id="{id}" role="group"{by}>\n')
        for index, option in enumerate(choices, start=1):
            checked = " checked" if value and option["code"] in value else ""
            out.append(
                f'<div class="form-check">\n<input class="form-check-input" type="checkbox"'
                f' id="{id}-{index}" name="{name}" value="{_e(option["code"])}"{_extra(option)}'
                f'{checked} {attrs}>\n<label class="form-check-label" for="{id}-{index}">'
                f"{_label(option)}</label>\n</div>\n"
            )
        out.append("</div>")
    else:
        input_type, mode = INPUT_KINDS.get(kind, ("text", ""))
        date_class = " fill-date" if kind == "date" else ""
        inputmode = f' inputmode="{mode}"' if mode else ""
        # a date is typed as 25.11.2026 whatever the browser's language (no type=date)
        date_attrs = (
            f' placeholder="{gettext("DD.MM.YYYY")}" pattern="\\d{{1,2}}\\.\\d{{1,2}}\\.\\d{{4}}"'
            ' maxlength="10" autocomplete="off" data-date'
            if kind == "date"
            else ""
        )
        out.append(
            f'<input class="form-control{date_class}" type="{input_type}"{inputmode} id="{id}"'
            f' name="{name}" value="{field_value(q, value)}"{date_attrs} {attrs}>'
        )
    out.append("\n")
    return "".join(out)


def table_row(q: dict, index, row: dict, disabled: bool, errors: dict, number=None) -> str:
    """``index`` names the fields (``q.<key>.<index>.<column>``); the row template passes
    "__index__" and "__number__", replaced by fill.js, which also renumbers rows when one is
    removed."""
    number = number if number is not None else index + 1
    row = row or {}
    cell_error = errors.get(str(index)) or errors.get(index) or {}
    out = [
        f'\n<tr data-row>\n<th scope="row" class="text-muted small" data-row-number>{number}</th>\n'
    ]
    for column in q.get("columns") or []:
        key = column["key"]
        cell_id = f"q-{q['key']}-{index}-{key}"
        cell_label = (
            f"{_e(column.get('label', ''))}, {gettext('row')} <span data-row-number>{number}</span>"
        )
        out.append(
            f'<td data-column="{_e(key)}" data-type="{_e(column["type"])}"{logic_attrs(column)}>\n'
        )
        if column["type"] == "calculate":
            out.append(
                f'<output class="d-block" id="{cell_id}" aria-labelledby="{cell_id}-label"'
                f" data-calculated>{calculated_text(row.get(key))}</output>\n"
                f'<span class="visually-hidden" id="{cell_id}-label">{cell_label}</span>\n'
            )
        else:
            if is_group(column):
                hidden = f'<span class="visually-hidden" id="{cell_id}-label">{cell_label}</span>'
            else:
                hidden = f'<label class="visually-hidden" for="{cell_id}">{cell_label}</label>'
            out.append(hidden + "\n")
            name = f"q.{q['key']}.{index}.{key}"
            out.append(
                simple_input(
                    column,
                    name,
                    cell_id,
                    row.get(key),
                    disabled,
                    f"{cell_id}-error",
                    labelled=f"{cell_id}-label",
                )  # fmt: skip
            )
            message = cell_error.get(key) or ""
            out.append(
                f'<div class="invalid-feedback d-block" id="{cell_id}-error" data-cell-error>'
                f"{_e(message)}</div>\n"
            )
        out.append("</td>\n")
    if not disabled:
        out.append(
            '<td><button type="button" class="btn btn-sm btn-outline-danger" data-remove-row'
            f' aria-label="{gettext("Delete row")}">×</button></td>\n'
        )
    out.append("</tr>\n")
    return "".join(out)


def _matrix(q: dict, id: str, value, disabled: bool) -> str:
    heads = "".join(
        f'<th scope="col" class="text-center small">{_label(option)}</th>'
        for option in q.get("choices") or []
    )
    out = [
        f'\n<div class="table-responsive"><table class="table table-sm align-middle"'
        f' aria-labelledby="{id}-label">\n<thead><tr><th scope="col"></th>{heads}</tr></thead>\n'
        "<tbody>\n"
    ]
    for row in q.get("rows") or []:
        code, row_label = _e(row["code"]), _label(row)
        out.append(f'<tr><th scope="row" class="fw-normal">{row_label}</th>\n')
        for index, option in enumerate(q.get("choices") or [], start=1):
            checked = " checked" if value and value.get(row["code"]) == option["code"] else ""
            off = " disabled" if disabled else ""
            out.append(
                f'<td class="text-center">\n<input class="form-check-input" type="radio"'
                f' id="{id}-{code}-{index}" name="q.{q["key"]}.{code}" value="{_e(option["code"])}"'
                f' aria-describedby="{id}-error"{checked}{off}>\n<label class="visually-hidden"'
                f' for="{id}-{code}-{index}">{row_label}: {_label(option)}</label>\n</td>\n'
            )
        out.append("</tr>\n")
    out.append("</tbody></table></div>\n")
    return "".join(out)


def _table(q: dict, id: str, value, error, disabled: bool) -> str:
    rows = value or []
    shown = len(rows) if disabled else max(len(rows), _int(q.get("min") or 1))
    heads = "".join(
        f'<th scope="col" class="small">{_e(column.get("label", ""))}{required_mark(column)}</th>'
        for column in q.get("columns") or []
    )
    out = [
        f'\n<div class="table-responsive"><table class="table table-sm align-middle fill-table"'
        f' data-table="{_e(q["key"])}" data-min-rows="{_e(q.get("min") or 0)}"'
        f' data-max-rows="{_e(q.get("max") or "")}" aria-labelledby="{id}-label">\n'
        f'<thead><tr><th scope="col">№</th>{heads}{"" if disabled else "<th></th>"}</tr>'
        "</thead>\n<tbody>\n"
    ]
    errors = error.get("rows") if isinstance(error, Mapping) and error.get("rows") else {}
    for index in range(shown):
        out.append(table_row(q, index, rows[index] if index < len(rows) else {}, disabled, errors))
    out.append("\n</tbody>\n</table></div>\n")
    if not disabled:
        template = table_row(q, "__index__", {}, False, {}, "__number__")
        out.append(
            f'<template data-row-template="{_e(q["key"])}">{template}</template>\n'
            f'<button type="button" class="btn btn-sm btn-outline-primary"'
            f' data-add-row="{_e(q["key"])}">{gettext("Add a row")}</button>\n'
        )
    return "".join(out)


def _file(q: dict, id: str, value, disabled: bool, file_endpoint: str) -> str:
    key = q["key"]
    file_id = _e(value["id"]) if value else ""
    file_name = _e(value["name"]) if value else ""
    if value:
        link = url_for(file_endpoint, file_id=value["id"])
        current = f'<a href="{_e(link)}">{_e(value["name"])}</a>'
    else:
        current = f'<span class="text-muted">{gettext("No file attached")}</span>'
    out = (
        f'\n<input type="hidden" name="q.{key}.id" value="{file_id}" data-file-id>\n'
        f'<input type="hidden" name="q.{key}.name" value="{file_name}" data-file-name>\n'
        f'<div class="mb-1" data-file-current>{current}</div>\n'
    )
    if not disabled:
        out += (
            f'<input class="form-control" type="file" id="{id}-file" data-upload="{key}"'
            f' aria-describedby="{id}-error" accept="{FILE_TYPES}">\n'
        )
    return out


def _box(q: dict, flagged: bool) -> str:
    kind = q["type"]
    classes = "question mb-4" + (" question-flagged" if flagged else "")
    if kind == "calculate" and not q.get("read_only"):
        classes += " d-none"
    attrs = f' data-condition="{_json(q["condition"])}"' if q.get("condition") else ""
    if kind == "table":
        attrs += f' data-columns="{_json([c["key"] for c in q.get("columns") or []])}"'
    return (
        f'<div class="{classes}" id="question-{_e(q["key"])}" data-key="{_e(q["key"])}"'
        f' data-type="{_e(kind)}"{attrs}{logic_attrs(q)}>\n'
    )


def _other(q: dict, id: str, value, disabled: bool, other, other_error) -> str:
    chosen = value == "other" or (_plain(value) and "other" in value)
    hidden = "" if chosen else " hidden"
    off = " disabled" if disabled or not chosen else ""
    read_only = " readonly" if q.get("read_only") else ""
    message = error_text(other_error) if other_error else ""
    return (
        f'<div class="mt-2 other-answer" data-other-for="{_e(q["key"])}"{hidden}>\n'
        f'<label class="form-label small" for="{id}_other">{gettext("Other (specify)")}</label>\n'
        f'<input class="form-control" type="text" id="{id}_other" name="q.{q["key"]}_other"'
        f' value="{_e(other or "")}" aria-describedby="{id}_other-error"{off}{read_only}>\n'
        f'<div class="invalid-feedback d-block" id="{id}_other-error"'
        f' data-error-for="{q["key"]}_other">{message}</div>\n</div>\n'
    )


def question(q: dict, value, error, disabled=False, flagged=False, prefilled=False,
             file_endpoint="campaigns.download", other=None, other_error=None,
             note="") -> Markup:  # fmt: skip
    """One question of the filling page. ``file_endpoint``: the route an attached file is
    downloaded from (it takes ``file_id``). ``other``: the text answer of the option «Другое».
    ``note``: the district's comment on this answer when it was returned for revision. A
    calculate question is shown only when it is read_only; fill.js computes it either way."""
    id = f"q-{q['key']}"
    kind = q["type"]
    out = [_box(q, flagged)]
    if kind == "note":
        out.append(f'<p class="fw-semibold mb-1">{live_text(q.get("label", ""))}</p>\n')
        if q.get("help"):
            out.append(f'<p class="form-text">{live_text(q["help"])}</p>\n')
    elif kind == "calculate":
        label = live_text(q.get("label", ""))
        out.append(f'<p class="form-label fw-semibold mb-1" id="{id}-label">{label}</p>\n')
        if q.get("help"):
            out.append(f'<div class="form-text mb-1">{live_text(q["help"])}</div>\n')
        out.append(
            f'<output class="d-block fs-5 calculated-value" id="{id}" aria-labelledby="{id}-label"'
            f' aria-live="polite" data-calculated>{calculated_text(value)}</output>\n'
        )
    else:
        out.append(_heading(q, id, disabled, prefilled, flagged, note))
        if kind == "matrix":
            out.append(_matrix(q, id, value, disabled))
        elif kind == "table":
            out.append(_table(q, id, value, error, disabled))
        elif kind == "file":
            out.append(_file(q, id, value, disabled, file_endpoint))
        else:
            described = (f"{id}-help " if q.get("help") else "") + f"{id}-error"
            out.append(simple_input(q, f"q.{q['key']}", id, value, disabled, described,
                                    labelled=f"{id}-label"))  # fmt: skip
            # sent while the question is shown: ticking nothing is an answer (formdata.py)
            if kind == "multiple" and not disabled:
                out.append(f'<input type="hidden" name="q.{q["key"]}.shown" value="1" data-shown>')
            out.append("\n")
        message = error_text(error) if error else ""
        out.append(
            f'<div class="invalid-feedback d-block" id="{id}-error"'
            f' data-error-for="{_e(q["key"])}">{message}</div>\n'
        )
        if q.get("other") and kind in ("single", "multiple"):
            out.append(_other(q, id, value, disabled, other, other_error))
    out.append("</div>\n")
    return Markup("".join(out))


def _heading(q, id: str, disabled: bool, prefilled: bool, flagged: bool, note) -> str:
    kind = q["type"]
    label = f"{live_text(q.get('label', ''))}{required_mark(q)}"
    if kind in ("matrix", "table") or is_group(q) or (kind == "file" and disabled):
        out = [f'<p class="form-label fw-semibold mb-1" id="{id}-label">\n{label}\n</p>\n']
    else:
        target = id + ("-file" if kind == "file" else "")
        out = [f'<label class="form-label fw-semibold" for="{target}" id="{id}-label">\n{label}\n'
               "</label>\n"]  # fmt: skip
    if prefilled:
        out.append(f'<span class="badge text-bg-info ms-1">{gettext("taken over")}</span>\n')
    if flagged:
        out.append(f'<span class="badge text-bg-warning ms-1">{gettext("to correct")}</span>\n')
    if note:
        out.append(
            f'<div class="alert alert-warning py-1 px-2 small mb-1" id="{id}-note">'
            f"{gettext('Comment on this answer')}: {_e(note)}</div>\n"
        )
    if q.get("help"):
        out.append(f'<div class="form-text mb-1" id="{id}-help">{live_text(q["help"])}</div>\n')
    return "".join(out)


def questions(
    shown: list[dict], answers: dict, errors: dict, disabled: bool, flagged=(), prefilled=(),
    notes: dict | None = None, file_endpoint: str = "campaigns.download", kept=None,
) -> Markup:  # fmt: skip
    """The questions of a section with their answers, errors, marks and the district's notes.

    ``kept``: the published version's key (published_key): a question written once for the
    same answer, error and marks is taken from this process's store, as schools' choices repeat
    (and an unanswered form is the same for every school)."""
    notes = notes or {}
    marks = (answers, errors, disabled, flagged, prefilled, notes, file_endpoint)
    if kept is None:
        return Markup("".join(question(q, **_parts(q["key"], *marks)) for q in shown))
    written = []
    locale = str(get_locale())
    for q in shown:
        key = q["key"]
        other = key + "_other"
        identity = (
            kept, locale, key, disabled, file_endpoint, key in flagged, key in prefilled,
            _identity(notes.get(key, "")), _identity(answers.get(key)), _identity(errors.get(key)),
            _identity(answers.get(other)), _identity(errors.get(other)),
        )  # fmt: skip
        html = _written.get(identity)
        if html is None:
            if len(_written) >= WRITTEN_KEPT:
                _written.clear()
            html = _written[identity] = question(q, **_parts(key, *marks))
        written.append(html)
    return Markup("".join(written))


def _parts(key, answers, errors, disabled, flagged, prefilled, notes, file_endpoint) -> dict:
    """``question``'s arguments for the question ``key``."""
    return {
        "value": answers.get(key), "error": errors.get(key), "disabled": disabled,
        "flagged": key in flagged, "prefilled": key in prefilled,
        "file_endpoint": file_endpoint, "other": answers.get(key + "_other"),
        "other_error": errors.get(key + "_other"), "note": notes.get(key, ""),
    }  # fmt: skip


WRITTEN_KEPT = 50_000  # questions kept per process, about 50 MB at most
_written: dict[tuple, Markup] = {}


def published_key(version, language: str) -> tuple | None:
    """What names a published version's questions in ``language`` for ``questions(kept=…)``;
    None for a draft, which may still change."""
    return None if version.is_draft else (version.id, version.published_at, language)


def _identity(part):
    """A hashable stand-in for an answer or an error at its place in a question's identity. Its
    type counts (True, 1 and 1.0 are one dict key): None and text stand for themselves, numbers
    carry their type, anything else is its JSON (bytes, unlike text)."""
    if part is None or type(part) is str:
        return part
    if isinstance(part, (int, float)):
        return (type(part), part)
    options = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS  # a table's errors: by row number
    return orjson.dumps(part, default=str, option=options)
