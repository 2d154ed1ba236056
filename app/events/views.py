"""District events: the list, an event's page with registration, the attendance list for the
day, materials, speakers, the feedback questionnaire, and who has not taken part this year."""

import io
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.core.pagination import paginate
from app.core.permissions import role_required, staff_required
from app.core.timefmt import local_to_utc, local_today, utc_to_local, zone_label
from app.core.uploads import send_download, stored_type
from app.core.views import DOCX_MIMETYPE, form_status, form_succeeded, render_form, run_action
from app.events import documents, feedback, participation, services
from app.events.exports import non_participants_xlsx
from app.extensions import db
from app.registry import services as registry
from forms.common import ActionForm, choices
from forms.events import (
    EventFilterForm,
    EventForm,
    FeedbackForm,
    LinkCampaignForm,
    MaterialForm,
    NonParticipantFilterForm,
    RegistrationForm,
    SpeakerForm,
)

bp = Blueprint("events", __name__, url_prefix="/events")
reader_required = role_required(*services.READERS)
registrar_required = role_required(Role.ADMIN, Role.SCHOOL)


@bp.get("/")
@reader_required
def index():
    filters = EventFilterForm(request.args)
    filters.validate()
    when = filters.when.data if request.args.get("when") else "upcoming"
    page = paginate(
        services.search(
            current_user, text=filters.q.data or "", kind=filters.kind.data or "", when=when
        )
    )
    return render_template(
        "events/index.html",
        page=page,
        filters=filters,
        counts=services.counts([event.id for event in page.items]),
    )


def _event_form(obj=None) -> EventForm:
    form = EventForm(obj=obj)
    form.activity_id.choices = choices(
        [
            (0, _("Not linked")),
            *(
                (item.id, f"{item.roadmap.year_label}, № {item.number}. {item.title[:90]}")
                for item in services.activities(current_user)
            ),
        ]
    )
    if request.method == "GET" and obj is not None:
        form.starts_at.data, form.ends_at.data = (
            utc_to_local(obj.starts_at),
            utc_to_local(obj.ends_at),
        )
        form.activity_id.data = obj.activity_id or 0
    return form


def _save(form: EventForm, event):
    fields = {
        **form.data_fields(),
        "starts_at": local_to_utc(form.starts_at.data),
        "ends_at": local_to_utc(form.ends_at.data),
    }
    return services.save_event(current_user, event, fields, form.programme_file.data or None)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = _event_form()
    event = form_succeeded(form, lambda: _save(form, None))
    if event:
        flash(_("The event is created."), "success")
        return redirect(url_for("events.detail", event_id=event.id))
    return render_form("events/form.html", form, event=None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(event_id):
    event = services.get_editable(current_user, event_id)
    form = _event_form(event)
    if form_succeeded(form, lambda: _save(form, event)):
        flash(_("The changes are saved."), "success")
        return redirect(url_for("events.detail", event_id=event.id))
    return render_form("events/form.html", form, event=event)


@bp.get("/<int:event_id>")
@reader_required
def detail(event_id):
    event = services.get_visible(current_user, event_id)
    return _page(event)


def _page(event, status=200, **forms):
    editable = services.can_edit(current_user, event)
    registration = forms.get("registration") or RegistrationForm()
    people = services.registrable(current_user, event)
    registration.record_id.choices = choices(
        (record.id, f"{record.full_name} ({record.organization.display_name})") for record in people
    )
    speaker = forms.get("speaker") or SpeakerForm()
    if editable:
        speaker.record_id.choices = choices([(0, "—"), *((r.id, r.full_name) for r in people)])
    registered, came = services.counts([event.id]).get(event.id, (0, 0))
    html = render_template(
        "events/detail.html",
        event=event,
        editable=editable,
        registered=registered,
        came=came,
        registrations=services.registrations(current_user, event),
        people=people,
        registration_form=registration,
        speaker_form=speaker,
        material_form=forms.get("material") or MaterialForm(),
        action=ActionForm(),
        open_registration=not event.cancelled and (editable or not event.has_started()),
    )
    return html, status


@bp.post("/<int:event_id>/cancel")
@staff_required
def cancel(event_id):
    event = services.get_editable(current_user, event_id)
    return run_action(
        lambda: services.cancel_event(current_user, event),
        _("The event is cancelled."),
        url_for("events.detail", event_id=event.id),
    )


@bp.post("/<int:event_id>/delete")
@staff_required
def delete(event_id):
    event = services.get_editable(current_user, event_id)
    return run_action(
        lambda: services.delete_event(current_user, event),
        _("The event is deleted."),
        url_for("events.index"),
    )


@bp.get("/<int:event_id>/programme")
@reader_required
def programme(event_id):
    event = services.get_visible(current_user, event_id)
    path = services.programme_path(event)
    return send_download(path, event.programme_original_name, stored_type(path.name))


@bp.post("/<int:event_id>/registrations")
@registrar_required
def register(event_id):
    event = services.get_visible(current_user, event_id)
    form = RegistrationForm()
    form.record_id.choices = choices((r.id, "") for r in services.registrable(current_user, event))
    form.record_id.validate_choice = False  # the service says why a person cannot be registered
    if form_succeeded(form, lambda: services.register(current_user, event, form.record_id.data)):
        flash(_("The person is registered."), "success")
        return redirect(url_for("events.detail", event_id=event.id, _anchor="participants"))
    return _page(event, form_status(form), registration=form)


@bp.post("/<int:event_id>/registrations/<int:registration_id>/delete")
@registrar_required
def unregister(event_id, registration_id):
    event = services.get_visible(current_user, event_id)
    registration = services.get_registration(current_user, event, registration_id)
    return run_action(
        lambda: services.unregister(current_user, event, registration),
        _("The registration is cancelled."),
        url_for("events.detail", event_id=event.id, _anchor="participants"),
    )


@bp.get("/<int:event_id>/certificates.docx")
@reader_required
def certificates(event_id):
    """Certificates of participation of those marked present (a school: its own people)."""
    event = services.get_visible(current_user, event_id)
    return _document(event, documents.certificate_pages(current_user, event), "Сертификаты")


@bp.get("/<int:event_id>/speaker-letters.docx")
@reader_required
def speaker_letters(event_id):
    event = services.get_visible(current_user, event_id)
    pages = documents.speaker_pages(current_user, event)
    return _document(event, pages, "Благодарственные письма")


def _document(event, pages, what: str):
    buffer = io.BytesIO()
    documents.write_pages(event, pages, buffer)
    buffer.seek(0)
    return send_download(buffer, f"{what} — {event.title}.docx", DOCX_MIMETYPE)


@bp.get("/<int:event_id>/attendance")
@staff_required
def attendance(event_id):
    event = services.get_editable(current_user, event_id)
    return render_template(
        "events/attendance.html",
        event=event,
        action=ActionForm(),
        registrations=services.registrations(current_user, event),
    )


@bp.post("/<int:event_id>/attendance/<int:registration_id>")
@staff_required
def mark(event_id, registration_id):
    """Marks a person present or not: ``present`` says which (a repeated tap changes nothing),
    without it the tap turns the mark over. The attendance page's script asks for JSON and
    stays where it is; without the script the page reloads at the person."""
    event = services.get_editable(current_user, event_id)
    registration = services.get_registration(current_user, event, registration_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    if not ActionForm().validate_on_submit():
        if wants_json:
            return jsonify(error=_("The page has expired; reload it.")), 400
    else:
        present = request.form.get("present")
        attended = present == "1" if present in ("0", "1") else not registration.attended
        services.mark_attendance(current_user, event, registration, attended)
        db.session.commit()
    if wants_json:
        present, total = services.attendance_count(current_user, event)
        return jsonify(
            attended=registration.attended,
            status=_("present") if registration.attended else _("not marked"),
            count=_("Present: %(present)s of %(total)s", present=present, total=total),
        )
    return redirect(url_for("events.attendance", event_id=event.id, _anchor=f"r{registration.id}"))


@bp.post("/<int:event_id>/speakers")
@staff_required
def add_speaker(event_id):
    event = services.get_editable(current_user, event_id)
    form = SpeakerForm()
    form.record_id.choices = choices(
        [(0, "—"), *((r.id, "") for r in services.registrable(current_user, event))]
    )
    form.record_id.validate_choice = False
    if form_succeeded(form, lambda: services.add_speaker(current_user, event, form.data)):
        flash(_("The speaker is added."), "success")
        return redirect(url_for("events.detail", event_id=event.id, _anchor="speakers"))
    return _page(event, form_status(form), speaker=form)


@bp.post("/<int:event_id>/speakers/<int:speaker_id>/delete")
@staff_required
def delete_speaker(event_id, speaker_id):
    event = services.get_editable(current_user, event_id)
    return run_action(
        lambda: services.delete_speaker(current_user, event, speaker_id),
        _("The speaker is removed."),
        url_for("events.detail", event_id=event.id, _anchor="speakers"),
    )


@bp.post("/<int:event_id>/materials")
@staff_required
def add_material(event_id):
    event = services.get_editable(current_user, event_id)
    form = MaterialForm()
    if form_succeeded(
        form,
        lambda: services.add_material(
            current_user, event, form.title.data, form.url.data or "", form.file.data or None
        ),
    ):
        flash(_("The material is attached."), "success")
        return redirect(url_for("events.detail", event_id=event.id, _anchor="materials"))
    return _page(event, form_status(form), material=form)


@bp.get("/<int:event_id>/materials/<int:material_id>")
@reader_required
def material(event_id, material_id):
    event = services.get_visible(current_user, event_id)
    item = services.get_material(event, material_id)
    if not item.stored_name:
        abort(404)
    path = services.upload_folder() / item.stored_name
    return send_download(path, item.original_name, stored_type(item.stored_name))


@bp.post("/<int:event_id>/materials/<int:material_id>/delete")
@staff_required
def delete_material(event_id, material_id):
    event = services.get_editable(current_user, event_id)
    item = services.get_material(event, material_id)
    return run_action(
        lambda: services.delete_material(current_user, event, item),
        _("The material is deleted."),
        url_for("events.detail", event_id=event.id, _anchor="materials"),
    )


@bp.route("/<int:event_id>/feedback", methods=["GET", "POST"])
@staff_required
def feedback_page(event_id):
    event = services.get_editable(current_user, event_id)
    create, link = FeedbackForm(prefix="new"), LinkCampaignForm(prefix="link")
    create.form_version_id.choices = choices(
        (version.id, version.form.title) for version in feedback.form_versions(current_user)
    )
    link.campaign_id.choices = choices(
        (campaign.id, campaign.title) for campaign in feedback.linkable_campaigns(current_user)
    )
    if request.method == "GET":
        create.title.data = _("Feedback: %(title)s", title=event.title)[:300]
        create.closes_at.data = datetime.combine(local_today() + timedelta(days=14), time(18))
    done = _feedback_action(event, create, link)
    if done:
        flash(_("The feedback questionnaire is linked to the event."), "success")
        return redirect(url_for("events.detail", event_id=event.id, _anchor="feedback"))
    html = render_template(
        "events/feedback.html",
        event=event,
        create=create,
        link=link,
        schools=feedback.attended_schools(event),
    )
    return html, max(form_status(create), form_status(link))


def _feedback_action(event, create, link):
    if request.method != "POST":
        return False
    if "link-submit" in request.form:
        return form_succeeded(
            link, lambda: feedback.link_campaign(current_user, event, link.campaign_id.data)
        )
    return form_succeeded(
        create,
        lambda: feedback.create_campaign(
            current_user,
            event,
            create.form_version_id.data,
            create.title.data,
            local_to_utc(create.closes_at.data),
            url_for("campaigns.my_questionnaires", _external=True),
        ),
    )


def _non_participants_query(filters):
    return participation.non_participants(
        current_user,
        local_today(),
        text=filters.q.data or "",
        organization_id=request.args.get("organization_id", type=int),
    )


def _filters():
    filters = NonParticipantFilterForm(request.args)
    filters.organization_id.choices += choices(
        (school.id, school.name) for school in registry.schools(current_user)
    )
    filters.validate()
    return filters


@bp.get("/non-participants")
@staff_required
def non_participants():
    filters = _filters()
    page = paginate(_non_participants_query(filters))
    start = participation.academic_year_start(local_today())
    return render_template(
        "events/non_participants.html",
        page=page,
        filters=filters,
        year=f"{start.year}–{start.year + 1}",
    )


@bp.get("/non-participants.xlsx")
@staff_required
def non_participants_export():
    records = db.session.scalars(_non_participants_query(_filters())).all()
    participation.log_export(current_user, len(records))
    db.session.commit()
    return non_participants_xlsx(records, local_today())


@bp.context_processor
def _zone():
    """The city of the district's timezone, shown beside every time: «(Якутск)»."""
    return {"zone": zone_label().split(",")[0]}
