"""The district's own template of the справка: upload, replace, remove, download."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import DomainError
from app.core.permissions import staff_required
from app.core.uploads import send_download, upload_folder
from app.core.views import DOCX_MIMETYPE, attach_error, form_status
from app.extensions import db
from app.reports import spravka_templates
from app.reports.exports.templates import DEFAULT_TEMPLATE
from app.reports.views import bp
from forms.common import ActionForm
from forms.reports import ReportTemplateForm


@bp.route("/template", methods=["GET", "POST"])
@staff_required
def report_template():
    form = ReportTemplateForm()
    if form.validate_on_submit():
        try:
            spravka_templates.save_template(current_user, form.file.data)
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The template is saved: the analytical report will be written into it."),
                "success",
            )
            return redirect(url_for("reports.report_template"))
    template = spravka_templates.own_template(current_user)
    page = render_template(
        "reports/template.html", form=form, template=template, remove_form=ActionForm()
    )
    return page, form_status(form)


@bp.post("/template/remove")
@staff_required
def remove_report_template():
    if not ActionForm().validate_on_submit():
        abort(400)
    spravka_templates.remove_template(current_user)
    db.session.commit()
    flash(_("The template is removed: the analytical report uses the standard layout."), "success")
    return redirect(url_for("reports.report_template"))


@bp.get("/template/default.docx")
@staff_required
def default_report_template():
    return send_download(DEFAULT_TEMPLATE, "Шаблон справки", DOCX_MIMETYPE)


@bp.get("/template/current.docx")
@staff_required
def current_report_template():
    template = spravka_templates.own_template(current_user)
    if template is None:
        abort(404)
    path = upload_folder() / template.stored_name
    return send_download(path, template.original_name, DOCX_MIMETYPE)
