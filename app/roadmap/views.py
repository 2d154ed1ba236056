"""The roadmap tracker: the list of roadmaps, a roadmap's dashboard, an activity's page with
its status and evidence, adding and editing activities, a copy for the next year."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.timefmt import date_filter, local_today
from app.core.uploads import send_download, stored_type, upload_folder
from app.core.views import (
    DOCX_MIMETYPE,
    XLSX_MIMETYPE,
    form_status,
    form_succeeded,
    import_page,
    render_form,
    run_action,
    send_xlsx,
)
from app.extensions import db
from app.reports import spravka_templates
from app.roadmap import imports, reports, services
from app.roadmap.models import EvidenceKind, Status
from forms.common import ActionForm, choices
from forms.roadmap import EvidenceForm, ItemForm, RoadmapForm, StatusForm

bp = Blueprint("roadmap", __name__, url_prefix="/roadmap")


@bp.get("/")
@staff_or_viewer_required
def index():
    roadmaps = db.session.scalars(services.visible_query(current_user)).all()
    return render_template("roadmap/index.html", roadmaps=roadmaps)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = RoadmapForm()
    if request.method == "GET":
        today = local_today()
        form.year.data = today.year if today.month >= 9 else today.year - 1
    created = form_succeeded(
        form, lambda: services.create_roadmap(current_user, form.title.data, form.year.data)
    )
    if created:
        flash(_("The roadmap is created: add its activities."), "success")
        return redirect(url_for("roadmap.dashboard", roadmap_id=created.id))
    return render_form("roadmap/new.html", form)


@bp.get("/<int:roadmap_id>")
@staff_or_viewer_required
def dashboard(roadmap_id):
    roadmap = services.get_visible(current_user, roadmap_id)
    today = local_today()
    overall, sections = services.progress(roadmap, today)
    status = request.args.get("status", "")
    items = [item for item in roadmap.items if _shown(item, status, today)]
    return render_template(
        "roadmap/dashboard.html",
        roadmap=roadmap,
        today=today,
        overall=overall,
        sections=sections,
        items=items,
        status=status,
        overdue=[item for item in roadmap.items if item.overdue(today)],
        due=services.due_this_month(roadmap, today),
        editable=services.can_edit(current_user, roadmap),
        action=ActionForm(),
    )


def _shown(item, status: str, today) -> bool:
    if status == "overdue":
        return item.overdue(today)
    return not status or item.status.value == status


def _item_form(roadmap, obj=None) -> ItemForm:
    form = ItemForm(obj=obj)
    if obj is not None and request.method == "GET":
        form.section.data = obj.section.title if obj.section else ""
    if obj is None and request.method == "GET":
        form.number.data = max((item.number for item in roadmap.items), default=0) + 1
    return form


@bp.route("/<int:roadmap_id>/items/new", methods=["GET", "POST"])
@staff_required
def new_item(roadmap_id):
    roadmap = services.get_editable(current_user, roadmap_id)
    form = _item_form(roadmap)
    item = form_succeeded(
        form,
        lambda: services.add_item(
            current_user, roadmap, form.data_fields(), form.section.data or ""
        ),
    )
    if item:
        flash(_("The activity is added."), "success")
        return redirect(
            url_for("roadmap.dashboard", roadmap_id=roadmap.id, _anchor=f"item-{item.id}")
        )
    return render_form("roadmap/item_form.html", form, roadmap=roadmap, item=None)


@bp.route("/<int:roadmap_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_item(roadmap_id, item_id):
    roadmap = services.get_editable(current_user, roadmap_id)
    item = services.get_item(roadmap, item_id)
    form = _item_form(roadmap, item)
    if form_succeeded(
        form,
        lambda: services.update_item(
            current_user, roadmap, item, form.data_fields(), form.section.data or ""
        ),
    ):
        flash(_("The changes are saved."), "success")
        return redirect(url_for("roadmap.item", roadmap_id=roadmap.id, item_id=item.id))
    return render_form("roadmap/item_form.html", form, roadmap=roadmap, item=item)


@bp.get("/<int:roadmap_id>/items/<int:item_id>")
@staff_or_viewer_required
def item(roadmap_id, item_id):
    roadmap = services.get_visible(current_user, roadmap_id)
    activity = services.get_item(roadmap, item_id)
    return _item_page(roadmap, activity, StatusForm(obj=activity), _evidence_form())


def _evidence_form() -> EvidenceForm:
    form = EvidenceForm()
    campaigns, contests, compendia = services.evidence_choices(current_user)
    form.campaign_id.choices = choices((c.id, c.title) for c in campaigns)
    form.contest_id.choices = choices((c.id, c.title) for c in contests)
    form.compendium_id.choices = choices((c.id, f"{c.title} ({c.year})") for c in compendia)
    return form


def _item_page(roadmap, activity, status_form, evidence_form, status: int = 200):
    if request.method == "GET":
        status_form.status.data = activity.status.value
    page = render_template(
        "roadmap/item.html",
        roadmap=roadmap,
        item=activity,
        today=local_today(),
        editable=services.can_edit(current_user, roadmap),
        status_form=status_form,
        evidence_form=evidence_form,
        action=ActionForm(),
    )
    return page, status


@bp.post("/<int:roadmap_id>/items/<int:item_id>/status")
@staff_required
def set_status(roadmap_id, item_id):
    roadmap = services.get_editable(current_user, roadmap_id)
    activity = services.get_item(roadmap, item_id)
    form = StatusForm()
    if form_succeeded(
        form,
        lambda: services.set_status(
            current_user, roadmap, activity, Status(form.status.data), form.done_on.data,
            (form.result_note.data or "").strip(), local_today(),
        ),
    ):  # fmt: skip
        flash(_("The status is saved."), "success")
        return redirect(url_for("roadmap.item", roadmap_id=roadmap.id, item_id=activity.id))
    return _item_page(roadmap, activity, form, _evidence_form(), form_status(form))


@bp.post("/<int:roadmap_id>/items/<int:item_id>/evidence")
@staff_required
def add_evidence(roadmap_id, item_id):
    roadmap = services.get_editable(current_user, roadmap_id)
    activity = services.get_item(roadmap, item_id)
    form = _evidence_form()
    fields = {
        "campaign_id": form.campaign_id.data,
        "contest_id": form.contest_id.data,
        "compendium_id": form.compendium_id.data,
        "url": (form.url.data or "").strip(),
        "upload": form.file.data or None,
        "note": (form.note.data or "").strip(),
    }
    if form_succeeded(
        form,
        lambda: services.add_evidence(
            current_user, roadmap, activity, EvidenceKind(form.kind.data), fields
        ),
    ):
        flash(_("The evidence is added."), "success")
        return redirect(url_for("roadmap.item", roadmap_id=roadmap.id, item_id=activity.id))
    return _item_page(roadmap, activity, StatusForm(obj=activity), form, form_status(form))


@bp.post("/<int:roadmap_id>/items/<int:item_id>/evidence/<int:evidence_id>/delete")
@staff_required
def delete_evidence(roadmap_id, item_id, evidence_id):
    roadmap = services.get_editable(current_user, roadmap_id)
    activity = services.get_item(roadmap, item_id)
    evidence = services.get_evidence(activity, evidence_id)
    return run_action(
        lambda: services.delete_evidence(current_user, roadmap, activity, evidence),
        _("The evidence is removed."),
        url_for("roadmap.item", roadmap_id=roadmap.id, item_id=activity.id),
    )


@bp.get("/<int:roadmap_id>/items/<int:item_id>/evidence/<int:evidence_id>")
@staff_or_viewer_required
def evidence_file(roadmap_id, item_id, evidence_id):
    roadmap = services.get_visible(current_user, roadmap_id)
    evidence = services.get_evidence(services.get_item(roadmap, item_id), evidence_id)
    if not evidence.stored_name:
        abort(404)
    path = upload_folder() / evidence.stored_name
    return send_download(path, evidence.original_name, stored_type(evidence.stored_name))


@bp.post("/<int:roadmap_id>/copy")
@staff_required
def copy(roadmap_id):
    roadmap = services.get_editable(current_user, roadmap_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    created = services.copy_to_next_year(current_user, roadmap)
    db.session.commit()
    flash(
        _(
            "The roadmap is copied to %(year)s: every activity is planned again.",
            year=created.year_label,
        ),
        "success",
    )
    return redirect(url_for("roadmap.dashboard", roadmap_id=created.id))


@bp.route("/<int:roadmap_id>/import", methods=["GET", "POST"])
@staff_required
def import_activities(roadmap_id):
    roadmap = services.get_editable(current_user, roadmap_id)

    def to_dashboard(created):
        flash(_("Imported activities: %(count)s.", count=len(created)), "success")
        return redirect(url_for("roadmap.dashboard", roadmap_id=roadmap.id))

    return import_page(
        "roadmap/import.html",
        lambda stream: imports.import_activities(current_user, roadmap, stream),
        to_dashboard,
        roadmap=roadmap,
    )


@bp.get("/import/template.xlsx")
@staff_required
def import_template():
    return send_xlsx(imports.template(), "Дорожная карта — шаблон.xlsx")


@bp.get("/<int:roadmap_id>/report.<any(docx, xlsx):fmt>")
@staff_or_viewer_required
def report(roadmap_id, fmt):
    roadmap = services.get_visible(current_user, roadmap_id)
    today = local_today()
    buffer = io.BytesIO()
    if fmt == "docx":
        template = spravka_templates.template_for(roadmap.organization)
        reports.write_docx(roadmap, today, buffer, executor=current_user.full_name,
                           template=spravka_templates.template_bytes(template))  # fmt: skip
        mimetype = DOCX_MIMETYPE
    else:
        reports.write_xlsx(roadmap, today, buffer)
        mimetype = XLSX_MIMETYPE
    buffer.seek(0)
    name = f"Отчёт о выполнении дорожной карты {roadmap.year_label} — {date_filter(today)}.{fmt}"
    return send_download(buffer, name, mimetype)
