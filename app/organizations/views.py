"""Organizations: the list with search and filters, the card, create, edit, deactivate, import."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import services as accounts
from app.core.errors import DomainError
from app.core.pagination import paginate
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.views import attach_error, import_page, render_form, send_xlsx
from app.extensions import db
from app.organizations import imports, services
from app.organizations.models import OrganizationKind
from app.organizations.scope import can_manage
from forms.common import ActionForm, choices
from forms.organizations import OrganizationFilterForm, OrganizationForm

bp = Blueprint("organizations", __name__, url_prefix="/organizations")


@bp.get("/")
@staff_or_viewer_required
def index():
    filters = OrganizationFilterForm(request.args)
    filters.locality.choices += choices((name, name) for name in services.localities(current_user))
    filters.validate()
    page = paginate(
        services.search(
            current_user,
            text=filters.q.data or "",
            kind=filters.kind.data if not filters.kind.errors else "",
            locality=filters.locality.data or "",
            status=filters.status.data or "active",
        )
    )
    return render_template("organizations/index.html", page=page, filters=filters)


@bp.get("/<int:organization_id>")
@staff_or_viewer_required
def detail(organization_id):
    organization = services.get_visible(current_user, organization_id)
    children = paginate(services.search(current_user, status="all", parent=organization))
    users = []
    if can_manage(current_user, organization):
        users = db.session.scalars(
            accounts.search(current_user, organization_id=organization.id)
        ).all()
    return render_template(
        "organizations/detail.html",
        organization=organization,
        children=children,
        users=users,
        can_manage=can_manage(current_user, organization),
        action=ActionForm(),
    )


def _form(obj=None) -> OrganizationForm:
    form = OrganizationForm(obj=obj)
    form.parent_id.choices = choices(
        (parent.id, "— " * parent.depth + parent.name)
        for parent in services.parent_choices(current_user)
        if obj is None or not parent.is_within(obj)
    )
    if obj is not None and obj.id == current_user.organization_id:
        form.parent_id.choices = choices(
            [(obj.parent_id or 0, obj.parent.name if obj.parent else "—")]
        )
    return form


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = _form()
    if request.method == "GET":
        form.kind.data = OrganizationKind.SCHOOL.value
        form.parent_id.data = request.args.get("parent", current_user.organization_id, type=int)
    if form.validate_on_submit():
        try:
            parent = services.get_visible(current_user, form.parent_id.data)
            organization = services.create_organization(current_user, parent, **_fields(form))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The organization is created."), "success")
            return redirect(url_for("organizations.detail", organization_id=organization.id))
    return render_form("organizations/form.html", form, organization=None)


def _fields(form: OrganizationForm) -> dict:
    fields = form.data_fields()
    fields["kind"] = OrganizationKind(fields["kind"])
    return fields


@bp.route("/<int:organization_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(organization_id):
    organization = services.get_manageable(current_user, organization_id)
    form = _form(obj=organization)
    if form.validate_on_submit():
        try:
            parent = None
            if organization.id != current_user.organization_id:
                parent = services.get_visible(current_user, form.parent_id.data)
            services.update_organization(current_user, organization, parent, **_fields(form))
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The changes are saved."), "success")
            return redirect(url_for("organizations.detail", organization_id=organization.id))
    return render_form("organizations/form.html", form, organization=organization)


def _set_active(organization_id, active: bool):
    organization = services.get_manageable(current_user, organization_id)
    if ActionForm().validate_on_submit():
        try:
            if active:
                services.activate_organization(current_user, organization)
            else:
                services.deactivate_organization(current_user, organization)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(
                _("The organization is active again.")
                if active
                else _("The organization is deactivated."),
                "success",
            )
    return redirect(url_for("organizations.detail", organization_id=organization.id))


@bp.post("/<int:organization_id>/deactivate")
@staff_required
def deactivate(organization_id):
    return _set_active(organization_id, False)


@bp.post("/<int:organization_id>/activate")
@staff_required
def activate(organization_id):
    return _set_active(organization_id, True)


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_organizations():
    def to_list(created):
        flash(_("Imported organizations: %(count)s.", count=len(created)), "success")
        return redirect(url_for("organizations.index", status="active"))

    return import_page(
        "organizations/import.html",
        lambda stream: imports.import_organizations(current_user, stream),
        to_list,
    )


@bp.get("/import/template.xlsx")
@staff_required
def import_template():
    return send_xlsx(imports.template(), "organizations-template.xlsx")
