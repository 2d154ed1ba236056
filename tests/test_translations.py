"""The Russian catalogue is complete: every string of the sources is there and translated.

When a test here fails after a UI change, run ``make messages``, translate the new entries in
``app/translations/ru/LC_MESSAGES/messages.po`` and run ``make translations``.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "app" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
PYBABEL = Path(sys.executable).parent / "pybabel"

# A %-style placeholder: %(name)s, %(count)d, %(size).1f ...; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def forms(value) -> tuple[str, ...]:
    """A message id or string as a tuple: plural entries have several forms."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def placeholders(text: str) -> set[tuple[str | None, str]]:
    return {match.groups() for match in PLACEHOLDER.finditer(text) if match.group(2) != "%"}


def label(message) -> str:
    return repr(forms(message.id)[0]) + (
        f" (context {message.context!r})" if message.context else ""
    )


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE.open("rb") as file:
        return read_po(file, locale="ru")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages of the current sources, extracted as ``make messages`` does."""
    template = tmp_path_factory.mktemp("babel") / "messages.pot"
    result = subprocess.run(
        [
            str(PYBABEL),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--no-location",
            "--sort-output",
            "-o",
            str(template),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    with template.open("rb") as file:
        return read_po(file)


def entries(catalog):
    return [message for message in catalog if message.id]


def test_catalogue_header_is_not_fuzzy(catalogue):
    # pybabel compile skips a whole catalogue whose header is marked fuzzy.
    assert not catalogue.fuzzy


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    assert entries(catalogue)
    empty = [label(m) for m in entries(catalogue) if not all(s.strip() for s in forms(m.string))]
    fuzzy = [label(m) for m in entries(catalogue) if m.fuzzy]
    assert not empty, f"untranslated entries in {CATALOGUE.name}: {empty}"
    assert not fuzzy, f"fuzzy entries in {CATALOGUE.name}: {fuzzy}"


def test_every_source_message_is_in_the_catalogue(catalogue, extracted):
    assert len(entries(extracted)) > 100, "extraction found suspiciously few messages"
    missing = [
        label(message)
        for message in entries(extracted)
        if catalogue.get(message.id, message.context) is None
    ]
    assert not missing, f"not in the catalogue (run `make messages` and translate): {missing}"


def test_placeholders_are_kept(catalogue):
    wrong = []
    for message in entries(catalogue):
        expected = set().union(*(placeholders(text) for text in forms(message.id)))
        for text in forms(message.string):
            if text and placeholders(text) != expected:
                wrong.append(f"{label(message)} -> {text!r}")
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


def test_translations_format_like_their_ids(catalogue):
    """Jinja's gettext always applies ``%``, so each translation must format without error."""
    broken = []
    for message in entries(catalogue):
        names = {name for text in forms(message.id) for name, _ in placeholders(text) if name}
        values = dict.fromkeys(names, 1)
        for text in forms(message.string):
            try:
                text % values
            except (KeyError, ValueError, TypeError) as error:
                broken.append(f"{label(message)} -> {text!r}: {error!r}")
    assert not broken, f"translations that fail to format: {broken}"


def test_templates_follow_a_locale_forced_in_the_middle_of_a_request(app):
    """Templates keep the request's catalogue (app/core/translations.py) yet a document written
    in another language in the same request is written in it."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = "{{ _('Home') }} {{ ngettext('%(num)s practice', '%(num)s practices', 5) }}"
    with app.test_request_context("/"):
        russian = render_template_string(page)
        with force_locale("en"):
            english = render_template_string(page)
        again = render_template_string(page)
    assert english == "Home 5 practices"
    assert russian == again == "Главная 5 практик"
