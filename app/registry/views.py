"""The register of library staff: the list with search and filters, a person's card with
courses and consent, add and edit (by the school), withdrawal of consent."""

import io

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.core.pagination import paginate
from app.core.permissions import role_required, staff_or_viewer_required, staff_required
from app.core.timefmt import date_filter, local_today
from app.core.uploads import send_download, stored_type
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
from app.registry import difficulties, imports, services, staffing, staffing_docx
from app.registry.exports import write_register
from app.reports import spravka_templates
from forms.common import ActionForm, choices
from forms.registry import (
    CourseForm,
    ExportForm,
    RecordFilterForm,
    RecordForm,
    TopicForm,
    VacancyForm,
    WithdrawForm,
)

bp = Blueprint("registry", __name__, url_prefix="/registry")
personal_required = role_required(*services.PERSONAL_ROLES)
school_required = role_required(Role.SCHOOL)


@bp.get("/")
@personal_required
def index():
    school = current_user.role == Role.SCHOOL
    vacancy = services.vacancy_of(current_user.organization) if school else None
    return _list_page(VacancyForm(obj=vacancy) if school else None)


def _list_page(vacancy_form: VacancyForm | None, status: int = 200):
    filters = RecordFilterForm(request.args)
    schools = services.schools(current_user) if current_user.role == Role.ADMIN else []
    filters.organization_id.choices += choices((school.id, school.name) for school in schools)
    filters.validate()
    today = local_today()
    page = paginate(
        services.search(
            current_user,
            today,
            text=filters.q.data or "",
            organization_id=request.args.get("organization_id", type=int),
            position=filters.position.data if not filters.position.errors else "",
            status=filters.status.data or "active",
            due=bool(filters.due.data),
        )
    )
    html = render_template(
        "registry/index.html",
        page=page,
        vacancy_form=vacancy_form,
        filters=filters,
        today=today,
        course_due=services.course_due,
        last_course_end=services.last_course_end,
        full_years=services.full_years,
        can_add=current_user.role == Role.SCHOOL,
    )
    return html, status


@bp.post("/vacancy")
@school_required
def vacancy():
    form = VacancyForm()
    note = (form.note.data or "").strip()
    if form_succeeded(form, lambda: services.report_vacancy(current_user, form.rate.data, note)):
        flash(_("The vacancies are saved."), "success")
        return redirect(url_for("registry.index"))
    return _list_page(form, form_status(form))


@bp.route("/import", methods=["GET", "POST"])
@school_required
def import_records():
    def to_list(created):
        flash(_("Imported people: %(count)s.", count=len(created)), "success")
        return redirect(url_for("registry.index"))

    return import_page(
        "registry/import.html",
        lambda stream: imports.import_records(current_user, stream, local_today()),
        to_list,
    )


@bp.get("/import/template.xlsx")
@school_required
def import_template():
    return send_xlsx(imports.template(), "Педагоги-библиотекари — шаблон.xlsx")


@bp.route("/export", methods=["GET", "POST"])
@personal_required
def export():
    form = ExportForm(request.form if request.method == "POST" else request.args)
    today = local_today()
    if request.method == "POST" and form.validate():
        records = services.records_for_export(current_user, today, form.reason.data, form.filters())
        db.session.commit()
        buffer = io.BytesIO()
        write_register(records, today, buffer)
        buffer.seek(0)
        title = _("Due for courses") if form.filters()["due"] else _("Library staff")
        name = f"{title} — {date_filter(today)}.xlsx"
        return send_download(buffer, name, XLSX_MIMETYPE)
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            services.search(current_user, today, **form.filters()).subquery()
        )
    )
    page = render_template("registry/export.html", form=form, count=count)
    return page, form_status(form)


@bp.get("/<int:record_id>")
@personal_required
def detail(record_id):
    record = services.get_visible(current_user, record_id)
    db.session.commit()  # the log of district staff's view
    return _card(record, CourseForm(), WithdrawForm())


def _card(record, course_form, withdraw_form, status: int = 200):
    today = local_today()
    page = render_template(
        "registry/detail.html",
        record=record,
        today=today,
        editable=services.can_edit(current_user, record.organization_id),
        due=services.course_due(record, today),
        participation=services.participation(record),
        full_years=services.full_years,
        course_form=course_form,
        withdraw_form=withdraw_form,
        action=ActionForm(),
    )
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@school_required
def new():
    form = RecordForm()
    form.organization_id.choices = choices(
        [(current_user.organization_id, current_user.organization.name)]
    )
    _offer_difficulties(form, current_user.organization)
    if request.method == "GET":
        form.organization_id.data = current_user.organization_id
        form.consent_on.data = local_today()

    def create():
        fields = {**form.data_fields(), "organization": current_user.organization}
        record = services.save_record(
            current_user, None, fields, local_today(), consent=form.consent_file.data or None
        )
        _save_difficulties(form, record)
        return record

    record = form_succeeded(form, create)
    if record:
        flash(_("The person is added to the register."), "success")
        return redirect(url_for("registry.detail", record_id=record.id))
    return render_form("registry/form.html", form, record=None)


def _offer_difficulties(form: RecordForm, school) -> None:
    topics = difficulties.topics_for(school)
    form.difficulties.choices = choices((topic.id, topic.title) for topic in topics)


def _save_difficulties(form: RecordForm, record) -> None:
    note = (form.difficulties_note.data or "").strip()
    difficulties.set_difficulties(record, form.difficulties.data or [], note)


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@school_required
def edit(record_id):
    record = services.get_editable(current_user, record_id)
    form = RecordForm(obj=record)
    form.organization_id.choices = choices([(record.organization_id, record.organization.name)])
    _offer_difficulties(form, record.organization)
    if request.method == "GET":
        form.difficulties.data = [topic.id for topic in record.difficulties]

    def update():
        fields = form.data_fields()
        services.save_record(
            current_user, record, fields, local_today(), consent=form.consent_file.data or None
        )
        _save_difficulties(form, record)

    if form_succeeded(form, update):
        flash(_("The changes are saved."), "success")
        return redirect(url_for("registry.detail", record_id=record.id))
    return render_form("registry/form.html", form, record=record)


@bp.post("/<int:record_id>/courses")
@school_required
def add_course(record_id):
    record = services.get_editable(current_user, record_id)
    form = CourseForm()
    if form_succeeded(
        form, lambda: services.add_course(current_user, record, form.data_fields(), local_today())
    ):
        flash(_("The course is added."), "success")
        return redirect(url_for("registry.detail", record_id=record.id, _anchor="courses"))
    return _card(record, form, WithdrawForm(), 400)


@bp.post("/<int:record_id>/courses/<int:course_id>/delete")
@school_required
def delete_course(record_id, course_id):
    record = services.get_editable(current_user, record_id)
    return run_action(
        lambda: services.delete_course(current_user, record, course_id),
        _("The course is deleted."),
        url_for("registry.detail", record_id=record.id, _anchor="courses"),
    )


@bp.post("/<int:record_id>/withdraw")
@school_required
def withdraw(record_id):
    record = services.get_editable(current_user, record_id)
    form = WithdrawForm()
    if form_succeeded(
        form,
        lambda: services.withdraw_consent(
            current_user, record, form.withdrawn_on.data, local_today()
        ),
    ):
        flash(
            _("The consent is withdrawn: the personal data is erased, the record is anonymous."),
            "success",
        )
        return redirect(url_for("registry.index"))
    return _card(record, CourseForm(), form, 400)


@bp.get("/<int:record_id>/consent")
@personal_required
def consent_document(record_id):
    record = services.get_visible(current_user, record_id)
    path = services.consent_file(current_user, record)
    db.session.commit()
    return send_download(path, record.consent_original_name, stored_type(path.name))


@bp.route("/difficulties", methods=["GET", "POST"])
@staff_or_viewer_required
def difficulty_map():
    form = TopicForm()
    if request.method == "POST" and current_user.role != Role.ADMIN:
        abort(403)
    if form_succeeded(form, lambda: difficulties.add_topic(current_user, form.title.data)):
        flash(_("The topic is added."), "success")
        return redirect(url_for("registry.difficulty_map"))
    page = render_template(
        "registry/difficulties.html",
        form=form,
        map=difficulties.difficulty_map(current_user),
        managed=difficulties.managed_topics(current_user)
        if current_user.role == Role.ADMIN
        else [],
    )
    return page, form_status(form)


@bp.route("/difficulties/<int:topic_id>", methods=["GET", "POST"])
@staff_required
def edit_topic(topic_id):
    topic = difficulties.get_managed_topic(current_user, topic_id)
    form = TopicForm(obj=topic)
    if form_succeeded(
        form,
        lambda: difficulties.update_topic(
            current_user, topic, form.title.data, form.is_active.data
        ),
    ):
        flash(_("The changes are saved."), "success")
        return redirect(url_for("registry.difficulty_map"))
    return render_form("registry/topic.html", form, topic=topic)


@bp.get("/staffing")
@staff_or_viewer_required
def staffing_report():
    figures = staffing.staffing(current_user, local_today())
    specs = {breakdown.key: _chart(breakdown) for breakdown in figures.breakdowns}
    return render_template("registry/staffing.html", figures=figures, specs=specs)


def _chart(breakdown) -> dict:
    """The spec report-charts.js draws as shares (the report page's choice charts)."""
    rows = breakdown.rows
    return {
        "kind": "shares",
        "labels": [label for label, _count, _percent in rows],
        "values": [float(percent or 0) for _label, _count, percent in rows],
        "counts": [count for _label, count, _percent in rows],
        "places": 1,
        "x_title": _("Percent of the staff"),
        "series": _("Percent of the staff"),
        "summary": _("Chart: %(title)s.", title=breakdown.title)
        + " "
        + "; ".join(f"{label} — {count}" for label, count, _percent in rows),
    }


@bp.get("/staffing.docx")
@staff_or_viewer_required
def staffing_document():
    figures = staffing.staffing(current_user, local_today())
    organization = current_user.organization
    buffer = io.BytesIO()
    staffing_docx.write_staffing(
        organization,
        figures,
        buffer,
        executor=current_user.full_name,
        template=spravka_templates.template_bytes(spravka_templates.template_for(organization)),
    )
    buffer.seek(0)
    name = f"Кадровое обеспечение школьных библиотек — {date_filter(local_today())}.docx"
    return send_download(buffer, name, DOCX_MIMETYPE)
