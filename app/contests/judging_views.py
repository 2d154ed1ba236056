"""Contest pages for district staff once entries come in: entries, jury progress, results."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.contests import assignment, entries, jury, scoring, services, standings
from app.contests.access import can_manage_contest
from app.contests.models import ENTRY_STATUS_LABELS
from app.contests.views import bp
from app.core.pagination import paginate
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.views import form_status, form_succeeded, run_action
from forms.common import ActionForm, choices
from forms.contests import EntryFilterForm, FinalizeForm, ReopenForm


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
    known = {str(n.id): n.id for n in contest.nominations}  # anything else is no filter
    query = entries.entries_query(
        contest,
        nomination_id=known.get(filters.nomination.data or ""),
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
    return _results_page(standings.get_for_results(current_user, contest_id))


def _results_page(contest, status: int = 200, posted: dict | None = None):
    """``posted``: {(form class, nomination id): the form that came back with errors}."""
    posted = posted or {}

    def forms(kind) -> dict:  # one per nomination, prefixed so that their fields differ
        return {
            n.id: posted.get((kind, n.id)) or kind(formdata=None, prefix=f"n{n.id}")
            for n in contest.nominations
        }

    page = render_template(
        "contests/results.html",
        finalize_forms=forms(FinalizeForm),
        reopen_forms=forms(ReopenForm),
        can_reopen=standings.can_reopen(current_user, contest),
        contest=contest,
        **_figures(contest),
        hidden=standings.names_hidden(current_user, contest),
        can_finalize=standings.can_finalize(current_user, contest),
        can_manage=can_manage_contest(current_user, contest),
        show_normalised=request.args.get("normalised") == "1",
        action=ActionForm(),
    )
    return page, status


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
    form = FinalizeForm(prefix=f"n{nomination.id}")
    if form_succeeded(
        form, lambda: standings.finalize(current_user, contest, nomination, form.reason.data or "")
    ):
        flash(_('The results of "%(title)s" are finalized; the scores are locked.',
                title=nomination.title), "success")  # fmt: skip
        return redirect(_results_url(contest, nomination))
    return _results_page(contest, form_status(form), {(FinalizeForm, nomination.id): form})


@bp.post("/contests/<int:contest_id>/nominations/<int:nomination_id>/reopen")
@staff_required
def reopen_results(contest_id, nomination_id):
    """Staff reopen finalized results, saying why; published ones are marked as revised."""
    contest = services.get_manageable(current_user, contest_id)
    nomination = services.get_nomination(contest, nomination_id)
    form = ReopenForm(prefix=f"n{nomination.id}")
    links = standings.Links(
        participants=url_for("contests.my_contests"),
        jury=url_for("contests.jury_contest", contest_id=contest.id),
    )
    if form_succeeded(
        form, lambda: standings.reopen(current_user, contest, nomination, form.reason.data, links)
    ):
        flash(_('The results of "%(title)s" are reopened.', title=nomination.title), "success")
        return redirect(_results_url(contest, nomination))
    return _results_page(contest, form_status(form), {(ReopenForm, nomination.id): form})


def _results_url(contest, nomination) -> str:
    return url_for("contests.results", contest_id=contest.id, _anchor=f"nomination-{nomination.id}")
