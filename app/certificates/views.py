"""The district's document settings page: the signatory, the emblem and signature images and
the page templates of diplomas, certificates and thank-you letters."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.certificates import services
from app.certificates.documents import KINDS, default_template
from app.certificates.samples import sample_pages
from app.core.errors import DomainError
from app.core.permissions import staff_required
from app.core.uploads import send_download, stored_type, upload_folder
from app.core.views import DOCX_MIMETYPE, attach_error
from app.extensions import db
from forms.certificates import ImageForm, PageTemplateForm, SignatoryForm
from forms.common import ActionForm

bp = Blueprint("certificates", __name__, url_prefix="/documents")
# «Шаблон …», «Образец …» of each kind, the names of the files downloaded.
OF_KIND = {"diploma": "диплома", "certificate": "сертификата", "letter": "благодарственного письма"}


@bp.before_request
@staff_required
def _configuring_staff_only():
    if not services.can_configure(current_user):
        abort(403)


def _page(failed: str = "", form=None):
    """The settings page; ``failed`` names the form that comes back with its errors."""
    settings = services.own_settings(current_user)
    forms = {
        "signatory": SignatoryForm(prefix="signatory", obj=settings, formdata=None),
        **{which: ImageForm(prefix=which, formdata=None) for which in services.IMAGES},
        **{kind: PageTemplateForm(prefix=kind, formdata=None) for kind in KINDS},
    }
    if failed:
        forms[failed] = form
    page = render_template(
        "certificates/settings.html",
        settings=settings,
        forms=forms,
        templates=services.own_templates(current_user),
        kinds=KINDS,
        action=ActionForm(),
    )
    return page, (getattr(form, "refused_with", 400) if failed else 200)


def _done(message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("certificates.settings"))


@bp.get("/settings")
def settings():
    return _page()


@bp.post("/settings/signatory")
def save_signatory():
    form = SignatoryForm(prefix="signatory")
    if not form.validate_on_submit():
        return _page("signatory", form)
    services.save_signatory(
        current_user, form.head_name.data, form.head_position.data, form.diplomas_signed_by.data
    )
    return _done(_("The signatory is saved."))


def _upload(name: str, form, save, message: str):
    """Saves the file of ``form`` with ``save``, or shows the page with the refusal beside it."""
    if form.validate_on_submit():
        try:
            save(form.file.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            return _done(message)
    return _page(name, form)


@bp.post("/settings/<any(emblem, signature):which>")
def upload_image(which):
    return _upload(
        which,
        ImageForm(prefix=which),
        lambda upload: services.save_image(current_user, which, upload),
        _("The image is saved: the documents will print it."),
    )


@bp.post("/settings/<any(emblem, signature):which>/remove")
def remove_image(which):
    if not ActionForm().validate_on_submit():
        abort(400)
    services.remove_image(current_user, which)
    return _done(_("The image is removed."))


@bp.get("/settings/<any(emblem, signature):which>.img")
def image(which):
    settings = services.own_settings(current_user)
    stored = getattr(settings, f"{which}_name") if settings else None
    if not stored:
        abort(404)
    return send_download(upload_folder() / stored, which, stored_type(stored), inline=True)


@bp.post("/templates/<any(diploma, certificate, letter):kind>")
def upload_template(kind):
    return _upload(
        kind,
        PageTemplateForm(prefix=kind),
        lambda upload: services.save_template(current_user, kind, upload),
        _("The template is saved: the documents of this kind will use it."),
    )


@bp.post("/templates/<any(diploma, certificate, letter):kind>/remove")
def remove_template(kind):
    if not ActionForm().validate_on_submit():
        abort(400)
    services.remove_template(current_user, kind)
    return _done(_("The template is removed: the documents use the standard layout."))


@bp.get("/templates/<any(diploma, certificate, letter):kind>/default.docx")
def default_page_template(kind):
    return send_download(
        io.BytesIO(default_template(kind)), f"Шаблон {OF_KIND[kind]}", DOCX_MIMETYPE
    )


@bp.get("/templates/<any(diploma, certificate, letter):kind>/current.docx")
def current_template(kind):
    template = services.own_templates(current_user)[kind]
    if template is None:
        abort(404)
    return send_download(
        upload_folder() / template.stored_name, template.original_name, DOCX_MIMETYPE
    )


@bp.get("/templates/<any(diploma, certificate, letter):kind>/sample.docx")
def sample(kind):
    """A page of ``kind`` as the settings make it now, with sample names."""
    buffer = io.BytesIO()
    services.write_document(current_user.organization, sample_pages(kind), buffer)
    buffer.seek(0)
    return send_download(buffer, f"Образец {OF_KIND[kind]}", DOCX_MIMETYPE)
