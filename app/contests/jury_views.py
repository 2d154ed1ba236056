"""Jury pages: the contests a juror judges, their assigned entries with progress, and the
entry beside the score sheet. A juror reaches an entry only through their own active
assignment; with blind judging nothing shown or downloaded names the participant."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.contests import assignment as assigning
from app.contests import entries, jury_sight, scoring, standings
from app.contests.access import juror_of
from app.contests.models import Assignment, Contest
from app.contests.views import bp
from app.core.errors import Conflict, DomainError, NotFound
from app.core.permissions import role_required
from app.core.uploads import send_download
from app.core.views import attach_error, form_status, form_succeeded
from app.extensions import db
from forms.contest_scoring import comment_field, score_form, value_field
from forms.contests import ReasonForm

jury_required = role_required(Role.JURY)


@bp.get("/jury")
@jury_required
def jury_index():
    return render_template("contests/jury_index.html", rows=scoring.juror_overview(current_user))


def _judged_contest(contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None or juror_of(current_user, contest) is None:
        raise NotFound(_("Contest not found."))
    return contest


@bp.get("/jury/contests/<int:contest_id>")
@jury_required
def jury_contest(contest_id):
    contest = _judged_contest(contest_id)
    assignments = scoring.juror_assignments(current_user, contest)
    declined = [a for a in assigning.conflicts(contest) if a.juror.user_id == current_user.id]
    return render_template(
        "contests/jury_contest.html",
        contest=contest,
        assignments=assignments,
        states={a.id: scoring.sheet_state(a) for a in assignments},
        progress=scoring.progress_of(assignments),
        declined=declined,
        is_chair=standings.can_finalize(current_user, contest),
    )


# The entry and its score sheet


def _plain(number) -> str:
    """A Decimal as an HTML number attribute: 10, 0.5."""
    return f"{number.normalize():f}"


def _stored_sheet(assignment: Assignment) -> dict:
    data = {"comment": assignment.comment}
    for score in assignment.scores:
        value = "" if score.value is None else _plain(score.value)
        data[value_field(score.criterion_id)] = value
        data[comment_field(score.criterion_id)] = score.comment
    return data


def _lock_message(assignment: Assignment) -> str:
    try:
        scoring.check_open(assignment)
    except Conflict as locked:
        return str(locked.message)
    return ""


def _assignment_page(assignment: Assignment, form=None, conflict_form=None, status=200):
    entry = assignment.entry
    criteria = scoring.criteria_for(assignment)
    page = render_template(
        "contests/assignment.html",
        assignment=assignment,
        entry=entry,
        contest=entry.contest,
        application=jury_sight.application(entry),
        file_names={f.id: jury_sight.neutral_name(entry, f) for f in entry.files},
        criteria=criteria,
        scales={c.id: (_plain(c.min_score), _plain(c.max_score), _plain(c.step)) for c in criteria},
        form=form or score_form(criteria, _stored_sheet(assignment)),
        conflict_form=conflict_form or ReasonForm(formdata=None),
        locked=_lock_message(assignment),
        others=scoring.others_sheets(current_user, assignment),
        value_field=value_field,
        comment_field=comment_field,
    )
    return page, status


@bp.get("/jury/assignments/<int:assignment_id>")
@jury_required
def assignment_page(assignment_id):
    return _assignment_page(scoring.get_assignment(current_user, assignment_id))


@bp.post("/jury/assignments/<int:assignment_id>/scores")
@jury_required
def save_scores(assignment_id):
    """``action``: save (a draft), next (save, then the next entry to score) or complete."""
    assignment = scoring.get_assignment(current_user, assignment_id)
    criteria = scoring.criteria_for(assignment)
    form = score_form(criteria)
    if not form.validate_on_submit():
        return _assignment_page(assignment, form, status=400)
    marks = {
        c.id: scoring.Mark(form[value_field(c.id)].data or "", form[comment_field(c.id)].data or "")
        for c in criteria
    }
    action = form.action.data
    try:
        scoring.save_scores(
            current_user, assignment, marks, form.comment.data or "", complete=action == "complete"
        )
    except DomainError as error:
        db.session.rollback()
        if error.field is None:
            raise
        attach_error(form, error)
        return _assignment_page(assignment, form, status=error.status_code)
    db.session.commit()
    return _after_saving(assignment, action)


def _after_saving(assignment: Assignment, action: str):
    """Back to the sheet, or on to the next entry to score (the list when none is left)."""
    if action == "complete":
        flash(_("The scoring of this entry is completed."), "success")
        return redirect(url_for("contests.assignment_page", assignment_id=assignment.id))
    flash(_("The scores are saved."), "success")
    if action == "next":
        following = scoring.next_assignment(current_user, assignment)
        if following is None:
            contest_id = assignment.entry.contest_id
            return redirect(url_for("contests.jury_contest", contest_id=contest_id))
        assignment = following
    return redirect(url_for("contests.assignment_page", assignment_id=assignment.id))


@bp.post("/jury/assignments/<int:assignment_id>/conflict")
@jury_required
def declare_conflict(assignment_id):
    assignment = scoring.get_assignment(current_user, assignment_id)
    contest_id = assignment.entry.contest_id
    form = ReasonForm()
    if form_succeeded(
        form, lambda: assigning.declare_conflict(current_user, assignment, form.reason.data)
    ):
        flash(_("The conflict of interest is recorded; the entry is no longer yours to score."),
              "info")  # fmt: skip
        return redirect(url_for("contests.jury_contest", contest_id=contest_id))
    return _assignment_page(assignment, conflict_form=form, status=form_status(form))


@bp.get("/jury/assignments/<int:assignment_id>/files/<int:file_id>")
@jury_required
def assignment_file(assignment_id, file_id):
    """A material of the entry: shown in the browser where the type allows, under a neutral
    name whatever the contest's settings (a file name often names its author)."""
    assignment = scoring.get_assignment(current_user, assignment_id)
    entry = assignment.entry
    record = jury_sight.visible_material(entry, file_id)
    return send_download(
        entries.file_path(record),
        jury_sight.neutral_name(entry, record),
        record.content_type,
        inline=True,
    )
