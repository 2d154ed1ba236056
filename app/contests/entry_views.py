"""Contest pages of participants: the contests a school may enter, its entries (the application
form filled as a questionnaire is, with materials) and their results; staff registering an
entry on a participant's behalf or rejecting one. Routes of the contests blueprint."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.campaigns.formdata import collect_answers
from app.contests import entries, services, standings
from app.contests.access import can_manage_contest
from app.contests.models import Contest, EntryStatus
from app.contests.views import bp
from app.core.errors import DomainError
from app.core.permissions import role_required, staff_required
from app.core.uploads import send_download
from app.core.views import attach_error, form_status, form_succeeded, render_form, run_action
from app.extensions import db
from app.questionnaires.validation import validate_answers
from forms.common import ActionForm, choices
from forms.contests import EntryStartForm, ReasonForm

school_required = role_required(Role.SCHOOL)
entrant_required = role_required(Role.SCHOOL, Role.ADMIN)  # staff act on a participant's behalf


@bp.get("/my/contests")
@school_required
def my_contests():
    mine = entries.school_entries(current_user)
    results = {}
    for contest in {entry.contest for entry in mine}:
        results.update(standings.published_results(current_user, contest))
    return render_template(
        "contests/my_contests.html",
        contests=entries.open_contests(current_user),
        entries=mine,
        results=results,
    )


def _contest_to_enter(contest_id: int) -> Contest:
    if current_user.role == Role.SCHOOL:
        return entries.get_contest_to_enter(current_user, contest_id)
    return services.get_manageable(current_user, contest_id)


def _start_form(contest: Contest) -> EntryStartForm:
    form = EntryStartForm()
    form.nomination_id.choices = choices((n.id, n.title) for n in contest.nominations)
    form.nomination_id.validate_choice = True
    if current_user.role == Role.SCHOOL:
        del form.organization_id
    else:
        participants = entries.participants(current_user, contest)
        form.organization_id.choices = choices(
            [(0, _("— choose —")), *((o.id, o.name) for o in participants)]
        )
    return form


@bp.route("/contests/<int:contest_id>/enter", methods=["GET", "POST"])
@entrant_required
def enter(contest_id):
    contest = _contest_to_enter(contest_id)
    form = _start_form(contest)
    if form.validate_on_submit():
        participant = form.organization_id.data if "organization_id" in form else None
        try:
            entry = entries.create_entry(
                current_user, contest, form.nomination_id.data, form.title.data, participant
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
            return render_template("contests/enter.html", form=form, contest=contest), (
                error.status_code
            )
        db.session.commit()
        flash(_("The entry is created. Fill in the application and submit it."), "success")
        return redirect(url_for("contests.entry_page", entry_id=entry.id))
    return render_form("contests/enter.html", form, contest=contest)


def _can_change(entry) -> bool:
    try:
        entries.check_can_change(current_user, entry)
    except DomainError:
        return False
    return True


def _entry_page(entry, errors=None, reject_form=None, status=200):
    definition = entries.definition_of(entry)
    if errors is None:
        _clean, errors = validate_answers(definition, entry.data or {}, complete=False)
    page = render_template(
        "contests/entry.html",
        entry=entry,
        definition=definition,
        errors=errors,
        can_change=_can_change(entry),
        can_reject=(
            can_manage_contest(current_user, entry.contest)
            and entry.status == EntryStatus.SUBMITTED
            and not entry.nomination.is_finalized
        ),
        action=ActionForm(),
        reject_form=reject_form or ReasonForm(formdata=None),
    )
    return page, status


@bp.get("/entries/<int:entry_id>")
@login_required
def entry_page(entry_id):
    """The entrant school fills (or reads) its entry; staff of the contest see it too."""
    return _entry_page(entries.get_visible(current_user, entry_id))


def _entry_url(entry) -> str:
    return url_for("contests.entry_page", entry_id=entry.id)


def _back(entry):
    return redirect(_entry_url(entry))


@bp.post("/entries/<int:entry_id>/save")
@entrant_required
def save_entry(entry_id):
    """Autosave (JSON) and the plain "save" button (redirect) share this endpoint."""
    entry = entries.get_visible(current_user, entry_id)
    wants_json = request.accept_mimetypes.best == "application/json"
    if not ActionForm().validate_on_submit():
        if wants_json:
            return jsonify(error=_("The page has expired; reload it.")), 400
        return _back(entry)
    answers = collect_answers(entries.definition_of(entry), request.form)
    revision = request.form.get("revision", type=int, default=-1)
    try:
        errors = entries.save_draft(
            current_user, entry, answers, revision, request.form.get("title", "")
        )
    except DomainError as refused:
        db.session.rollback()
        if wants_json:
            reply = jsonify(error=str(refused.message), revision=entry.revision)
            return reply, refused.status_code
        raise
    db.session.commit()
    if wants_json:
        return jsonify(
            revision=entry.revision,
            status=entry.status.value,
            errors={k: v if isinstance(v, dict) else str(v) for k, v in errors.items()},
            saved_at=entry.updated_at.isoformat(),
        )
    flash(_("The application is saved."), "success")
    return _back(entry)


@bp.post("/entries/<int:entry_id>/submit")
@entrant_required
def submit_entry(entry_id):
    entry = entries.get_visible(current_user, entry_id)
    if ActionForm().validate_on_submit():
        revision = request.form.get("revision", type=int, default=-1)
        try:
            entries.submit(current_user, entry, revision)
        except entries.InvalidEntry as refused:
            db.session.rollback()
            flash(str(refused.message), "danger")
            return _entry_page(entry, errors=refused.errors, status=refused.status_code)
        except entries.AlreadySubmitted as repeated:
            db.session.rollback()
            flash(str(repeated.message), "info")
            return _back(entry)
        db.session.commit()
        flash(_("The entry is submitted to the contest."), "success")
    return _back(entry)


@bp.post("/entries/<int:entry_id>/withdraw")
@entrant_required
def withdraw_entry(entry_id):
    entry = entries.get_visible(current_user, entry_id)
    return run_action(
        lambda: entries.withdraw(current_user, entry),
        _("The entry is withdrawn from the contest."),
        _entry_url(entry),
    )


@bp.post("/entries/<int:entry_id>/reopen")
@entrant_required
def reopen_entry(entry_id):
    entry = entries.get_visible(current_user, entry_id)
    return run_action(
        lambda: entries.reopen(current_user, entry),
        _("The entry is a draft again; submit it once you have changed it."),
        _entry_url(entry),
    )


@bp.post("/entries/<int:entry_id>/reject")
@staff_required
def reject_entry(entry_id):
    entry = entries.get_visible(current_user, entry_id)
    form = ReasonForm()
    if form_succeeded(form, lambda: entries.reject(current_user, entry, form.reason.data)):
        flash(_("The entry is rejected; the participant sees the reason."), "success")
        return _back(entry)
    return _entry_page(entry, reject_form=form, status=form_status(form))


@bp.post("/entries/<int:entry_id>/files")
@entrant_required
def upload_entry_file(entry_id):
    entry = entries.get_visible(current_user, entry_id)
    upload = request.files.get("file")
    if upload is None or not ActionForm().validate_on_submit():
        return jsonify(error=_("Choose a file.")), 400
    try:
        record = entries.attach(current_user, entry, request.form.get("key", ""), upload)
    except DomainError as error:
        db.session.rollback()
        return jsonify(error=str(error.message)), error.status_code
    db.session.commit()
    return jsonify(id=record.id, name=record.original_name)


@bp.get("/entry-files/<int:file_id>")
@login_required
def entry_file(file_id):
    """A material, under its original name, for the entrant and staff (never for jurors)."""
    record = entries.get_entry_file(current_user, file_id)
    return send_download(entries.file_path(record), record.original_name, record.content_type)


@bp.get("/contests/<int:contest_id>/rules-file")
@login_required
def rules_file(contest_id):
    """The rules (Положение) for staff and observers of the contest, the schools that may enter
    it and its jury."""
    record = entries.get_rules_file(current_user, contest_id)
    return send_download(
        entries.file_path(record), record.original_name, record.content_type, inline=True
    )
