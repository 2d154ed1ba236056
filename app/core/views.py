"""Helpers every domain's views share: form rendering, field errors, safe redirects, files."""

import io
from urllib.parse import urlsplit

from flask import flash, redirect, render_template

from app.core.errors import DomainError
from app.core.imports import ImportRejected
from app.core.text import has_control
from app.core.uploads import send_download
from app.extensions import db
from forms.common import ActionForm, ImportForm

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def render_form(template: str, form, **context):
    """The page with the form; a submitted form with errors answers 4xx (form_status)."""
    return render_template(template, form=form, **context), form_status(form)


def form_status(form) -> int:
    """200 for a form without errors; else 400, or the status of the refusal attached to it
    (409 when the action conflicts with the state of things)."""
    if not form.errors:
        return 200
    return getattr(form, "refused_with", 400)


def attach_error(form, error: DomainError) -> None:
    """Shows a service's refusal beside the field it names, or at the top of the form."""
    form.refused_with = error.status_code
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(str(error.message))
    else:
        field.errors = [*field.errors, str(error.message)]


def import_page(template: str, load, on_success, **context):
    """The upload page of an all-or-nothing import.

    ``load(stream)`` creates everything or raises; on success the transaction is committed and
    ``on_success(created)`` answers; otherwise nothing is kept and every problem is shown.
    """
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        try:
            created = load(form.file.data.stream)
        except ImportRejected as rejected:
            db.session.rollback()
            problems = rejected.problems
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            return on_success(created)
    status = 400 if problems or form.errors else 200
    return render_template(template, form=form, problems=problems, **context), status


def safe_next(target: str | None) -> str | None:
    """A local path to go to after login; anything pointing elsewhere, or holding a control
    character (CR/LF would split the ``Location`` header), is dropped."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if has_control(target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def send_xlsx(data: bytes, filename: str):
    return send_download(io.BytesIO(data), filename, XLSX_MIMETYPE)


def form_succeeded(form, action):
    """When ``form`` was posted valid, runs ``action`` and commits; returns what it returned
    (True for nothing). Otherwise False: a refusal of the action goes beside the field it names
    (or atop the form), nothing is kept, and the caller renders the form again (render_form
    answers 400)."""
    if not form.validate_on_submit():
        return False
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        attach_error(form, error)
        return False
    db.session.commit()
    return True if result is None else result


def run_action(action, message: str, target: str):
    """A button's POST (an ``ActionForm``): runs ``action``, commits, says ``message`` and goes
    to ``target``. A refusal raised by the action becomes the 4xx error page, nothing kept."""
    if ActionForm().validate_on_submit():
        action()
        db.session.commit()
        flash(message, "success")
    return redirect(target)
