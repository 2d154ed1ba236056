"""Contest pages for district staff once entries come in: entries, jury progress, results."""

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.contests import assignment, entries, jury, scoring, services, standings
from app.contests.access import can_manage_contest
from app.contests.models import ENTRY_STATUS_LABELS
from app.contests.views import bp
from app.core.pagination import paginate
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.views import run_action
from forms.common import ActionForm, choices
from forms.contests import EntryFilterForm


def _filters(contest) -> EntryFilterForm:
    filters = EntryFilterForm(request.args)
    filters.nomination.choices = choices(
        [("", _("All nominations"))] + [(str(n.id), n.title) for n in contest.nominations]
    )
    filters.status.choices = choices(
        [("", _("All statuses"))] + [(s.value, label) for s, label in ENTRY_STATUS_LABELS.items()]
    )
    return filters


@bp.get("/contests/<int:contest_id>/entries")
@staff_or_viewer_required
def entries_list(contest_id):
    contest = services.get_visible(current_user, contest_id)
    filters = _filters(contest)
    query = entries.entries_query(
        contest,
        nomination_id=int(filters.nomination.data) if filters.nomination.data else None,
        status=filters.status.data or "",
        search=filters.q.data or "",
    )
    return render_template(
        "contests/entries.html",
        contest=contest,
        filters=filters,
        page=paginate(query),
        can_manage=can_manage_contest(current_user, contest),
        counts=entries.counts_by_status(contest),
        status_labels={status.value: label for status, label in ENTRY_STATUS_LABELS.items()},
    )


@bp.get("/contests/<int:contest_id>/progress")
@staff_or_viewer_required
def progress(contest_id):
    contest = services.get_visible(current_user, contest_id)
    by_juror, by_entry = scoring.progress(contest)
    return render_template(
        "contests/progress.html",
        contest=contest,
        by_juror=by_juror,
        by_entry=by_entry,
        entries=assignment.submitted_entries(contest),
        conflicts=assignment.conflicts(contest),
        can_manage=can_manage_contest(current_user, contest),
        action=ActionForm(),
    )


@bp.post("/contests/<int:contest_id>/jurors/<int:juror_id>/remind")
@staff_required
def remind_juror(contest_id, juror_id):
    contest = services.get_manageable(current_user, contest_id)
    juror = jury.get_juror(contest, juror_id)
    link = url_for("contests.jury_contest", contest_id=contest.id)
    return run_action(
        lambda: scoring.remind(current_user, juror, link),
        _("A reminder is sent to %(name)s.", name=juror.user.full_name),
        url_for("contests.progress", contest_id=contest.id),
    )


@bp.get("/contests/<int:contest_id>/results")
@login_required
def results(contest_id):
    """Staff, observers and the jury's chair."""
    contest = standings.get_for_results(current_user, contest_id)
    return render_template(
        "contests/results.html",
        contest=contest,
        **_figures(contest),
        hidden=standings.names_hidden(current_user, contest),
        can_finalize=standings.can_finalize(current_user, contest),
        can_manage=can_manage_contest(current_user, contest),
        show_normalised=request.args.get("normalised") == "1",
        action=ActionForm(),
    )


def _figures(contest) -> dict:
    """The results, or only the jury's progress for a juror who has sheets of their own to
    complete first."""
    if scoring.scores_withheld(current_user, contest):
        by_juror, _by_entry = scoring.progress(contest)
        own = scoring.progress_of(scoring.juror_assignments(current_user, contest))
        return {"standings": [], "withheld": True, "own": own, "by_juror": by_juror}
    return {"standings": standings.standings(contest), "withheld": False}


@bp.post("/contests/<int:contest_id>/nominations/<int:nomination_id>/finalize")
@login_required
def finalize(contest_id, nomination_id):
    contest = standings.get_for_results(current_user, contest_id)
    nomination = services.get_nomination(contest, nomination_id)
    return run_action(
        lambda: standings.finalize(current_user, contest, nomination),
        _('The results of "%(title)s" are finalized; the scores are locked.',
          title=nomination.title),
        url_for("contests.results", contest_id=contest.id),
    )  # fmt: skip
