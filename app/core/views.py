"""Helpers every domain's views share: form rendering, field errors, safe redirects, files."""

import io
from urllib.parse import urlsplit

from flask import render_template, send_file

from app.core.errors import DomainError

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_form(template: str, form, **context):
    """The page with the form; a submitted form with errors answers 400."""
    status = 400 if form.errors else 200
    return render_template(template, form=form, **context), status


def attach_error(form, error: DomainError) -> None:
    """Shows a service's refusal beside the field it names, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(str(error.message))
    else:
        field.errors = [*field.errors, str(error.message)]


def safe_next(target: str | None) -> str | None:
    """A local path to go to after login; anything pointing elsewhere is dropped."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def send_xlsx(data: bytes, filename: str):
    return send_file(
        io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=filename
    )
