"""Contest pages for district staff: the list, settings, nominations, criteria and jury."""

from datetime import timedelta
from decimal import Decimal

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.campaigns import services as campaigns
from app.contests import entries, jury, services
from app.contests.access import can_manage_contest
from app.contests.models import PHASE_ORDER, Contest, Phase
from app.contests.results import format_score
from app.core.errors import DomainError
from app.core.pagination import paginate
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.timefmt import local_to_utc, utc_to_local
from app.core.views import form_status, form_succeeded, render_form, run_action
from app.db import utcnow
from app.extensions import db
from app.questionnaires.definition import version_definition
from forms.common import ActionForm, choices
from forms.contests import ContestForm, CriterionForm, JurorForm, NominationForm, RulesFileForm

bp = Blueprint("contests", __name__)
bp.add_app_template_filter(format_score, "score")
MOMENTS = ("entries_open_at", "entries_close_at", "judging_close_at", "results_at")


@bp.get("/contests/")
@staff_or_viewer_required
def index():
    query = services.visible_query(current_user)
    phase = request.args.get("phase", "")
    if phase in {p.value for p in Phase}:
        query = query.where(Contest.phase == phase)
    return render_template("contests/index.html", page=paginate(query), phase=phase, phases=Phase)


def _contest_form(contest=None) -> ContestForm:
    form = ContestForm(obj=contest) if request.method == "GET" else ContestForm()
    form.form_version_id.choices = choices(
        [(0, _("— not chosen yet —"))]
        + [
            (version.id, f"{version.title} (v{version.number})")
            for version in campaigns.publishable_versions(current_user)
        ]
    )
    schools = db.session.scalars(campaigns.target_organizations(current_user, kind=""))
    form.eligible_ids.choices = choices((o.id, o.name) for o in schools)
    version = contest.form_version if contest else None
    form.hidden_keys.choices = choices(_question_choices(version))
    if request.method == "GET":
        _fill_form(form, contest)
    return form


def _question_choices(version) -> list[tuple[str, str]]:
    if version is None:
        return []
    sections = version_definition(version)["sections"]
    return [(q["key"], q["label"]) for section in sections for q in section["questions"]]


def _fill_form(form: ContestForm, contest) -> None:
    if contest is None:
        start = utc_to_local(utcnow()).replace(hour=9, minute=0, second=0, microsecond=0)
        for days, name in zip((1, 22, 36, 43), MOMENTS, strict=True):
            getattr(form, name).data = start + timedelta(days=days)
        return
    for name in MOMENTS:
        getattr(form, name).data = utc_to_local(getattr(contest, name))
    form.form_version_id.data = contest.form_version_id or 0
    form.open_to_all.data = "all" if contest.open_to_all else "named"
    form.eligible_ids.data = [organization.id for organization in contest.eligible]
    form.assignment_mode.data = contest.assignment_mode.value


def _settings(form: ContestForm) -> services.ContestSettings:
    return services.ContestSettings(
        title=form.title.data,
        description=form.description.data or "",
        rules_text=form.rules_text.data or "",
        form_version_id=form.form_version_id.data or None,
        **{name: local_to_utc(getattr(form, name).data) for name in MOMENTS},
        open_to_all=form.open_to_all.data != "named",
        eligible_ids=form.eligible_ids.data or [],
        blind=form.blind.data,
        hidden_keys=form.hidden_keys.data or [],
        assignment_mode=form.assignment_mode.data,
        jurors_per_entry=form.jurors_per_entry.data or 1,
        show_scores_after_completion=form.show_scores_after_completion.data,
        show_juror_names=form.show_juror_names.data,
        min_entries=form.min_entries.data or 1,
        laureates=form.laureates.data or 0,
        laureate_share=form.laureate_share.data,
    )


@bp.route("/contests/new", methods=["GET", "POST"])
@staff_required
def new():
    form = _contest_form()
    if contest := form_succeeded(
        form, lambda: services.create_contest(current_user, _settings(form))
    ):
        flash(_("The contest is created. Add nominations, criteria and the jury."), "success")
        return redirect(url_for("contests.contest", contest_id=contest.id))
    return render_form("contests/edit.html", form, contest=None)


@bp.route("/contests/<int:contest_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(contest_id):
    contest = services.get_manageable(current_user, contest_id)
    form = _contest_form(contest)
    if form_succeeded(
        form, lambda: services.update_contest(current_user, contest, _settings(form))
    ):
        flash(_("The contest settings are saved."), "success")
        return redirect(url_for("contests.contest", contest_id=contest.id))
    return render_form("contests/edit.html", form, contest=contest)


@bp.get("/contests/<int:contest_id>")
@staff_or_viewer_required
def contest(contest_id):
    contest = services.get_visible(current_user, contest_id)
    return _setup_page(contest)


def _setup_page(contest, status: int = 200, **forms):
    """The contest's page: stages, nominations, criteria, jury; a form with errors comes back
    here with them (``forms``) and a 400."""
    nomination_form = forms.get("nomination_form") or NominationForm(formdata=None)
    criterion_form = forms.get("criterion_form") or CriterionForm(formdata=None)
    juror_form = forms.get("juror_form") or JurorForm(formdata=None)
    _criterion_choices(contest, criterion_form)
    _juror_choices(contest, juror_form)
    page = render_template(
        "contests/contest.html",
        contest=contest,
        can_manage=can_manage_contest(current_user, contest),
        nomination_form=nomination_form,
        criterion_form=criterion_form,
        juror_form=juror_form,
        rules_form=forms.get("rules_form") or RulesFileForm(formdata=None),
        action=ActionForm(),
        phases=PHASE_ORDER,
        entry_counts=entries.counts_by_status(contest),
    )
    return page, status


def _criterion_choices(contest, form: CriterionForm) -> None:
    form.nomination_id.choices = choices(
        [(0, _("All nominations"))] + [(n.id, n.title) for n in contest.nominations]
    )


def _juror_choices(contest, form: JurorForm) -> None:
    taken = {juror.user_id for juror in contest.jurors}
    form.user_id.choices = choices(
        (user.id, f"{user.full_name} ({user.organization.display_name})")
        for user in jury.jury_candidates(current_user)
        if user.id not in taken
    )
    form.nomination_ids.choices = choices((n.id, n.title) for n in contest.nominations)


def _back(contest, anchor: str = ""):
    return redirect(url_for("contests.contest", contest_id=contest.id) + anchor)


def _post_on_setup_page(contest, form_name: str, form, action, message: str, anchor: str):
    """A form of the contest's page: on success back to its section, else the page again with
    the form's errors and the refusal's status."""
    if form_succeeded(form, action):
        flash(message, "success")
        return _back(contest, anchor)
    return _setup_page(contest, form_status(form), **{form_name: form})


@bp.post("/contests/<int:contest_id>/phase")
@staff_required
def move_phase(contest_id):
    contest = services.get_manageable(current_user, contest_id)
    phase = request.form.get("phase", "")
    if phase not in {p.value for p in Phase}:
        return _back(contest)
    return run_action(
        lambda: services.move_phase(current_user, contest, Phase(phase)),
        _("The contest moved to the stage: %(stage)s.", stage=Phase(phase).label),
        url_for("contests.contest", contest_id=contest.id),
    )


@bp.post("/contests/<int:contest_id>/rules")
@staff_required
def upload_rules(contest_id):
    contest = services.get_manageable(current_user, contest_id)
    form = RulesFileForm()
    return _post_on_setup_page(
        contest, "rules_form", form,
        lambda: entries.set_rules_file(current_user, contest, form.file.data),
        _("The rules file is uploaded."), "",
    )  # fmt: skip


# Nominations


@bp.post("/contests/<int:contest_id>/nominations")
@staff_required
def add_nomination(contest_id):
    contest = services.get_manageable(current_user, contest_id)
    form = NominationForm()
    return _post_on_setup_page(
        contest, "nomination_form", form,
        lambda: services.add_nomination(
            current_user, contest, form.title.data, form.description.data or ""
        ),
        _("The nomination is added."), "#nominations",
    )  # fmt: skip


@bp.post("/contests/<int:contest_id>/nominations/<int:nomination_id>/delete")
@staff_required
def delete_nomination(contest_id, nomination_id):
    contest = services.get_manageable(current_user, contest_id)
    nomination = services.get_nomination(contest, nomination_id)
    return run_action(
        lambda: services.delete_nomination(current_user, nomination),
        _("The nomination is deleted."),
        url_for("contests.contest", contest_id=contest.id, _anchor="nominations"),
    )


# Criteria


def _criterion_settings(form: CriterionForm) -> services.CriterionSettings:
    if form.preset.data in services.PRESETS:
        low, high, step = services.PRESETS[form.preset.data]
    else:
        low = form.min_score.data if form.min_score.data is not None else Decimal(0)
        high = form.max_score.data if form.max_score.data is not None else Decimal(0)
        step = Decimal(form.step.data)
    return services.CriterionSettings(
        name=form.name.data,
        description=form.description.data or "",
        min_score=low,
        max_score=high,
        step=step,
        weight=form.weight.data,
        nomination_id=form.nomination_id.data or None,
        tie_priority=form.tie_priority.data,
    )


@bp.post("/contests/<int:contest_id>/criteria")
@staff_required
def add_criterion(contest_id):
    contest = services.get_manageable(current_user, contest_id)
    form = CriterionForm()
    _criterion_choices(contest, form)
    return _post_on_setup_page(
        contest, "criterion_form", form,
        lambda: services.add_criterion(current_user, contest, _criterion_settings(form)),
        _("The criterion is added."), "#criteria",
    )  # fmt: skip


@bp.route("/contests/<int:contest_id>/criteria/<int:criterion_id>", methods=["GET", "POST"])
@staff_required
def edit_criterion(contest_id, criterion_id):
    contest = services.get_manageable(current_user, contest_id)
    criterion = services.get_criterion(contest, criterion_id)
    form = CriterionForm(obj=criterion) if request.method == "GET" else CriterionForm()
    _criterion_choices(contest, form)
    if request.method == "GET":
        form.preset.data = "custom"
        form.step.data = "0.5" if criterion.step == Decimal("0.5") else "1"
        form.nomination_id.data = criterion.nomination_id or 0
    if form_succeeded(
        form, lambda: services.update_criterion(current_user, criterion, _criterion_settings(form))
    ):
        flash(_("The criterion is saved."), "success")
        return _back(contest, "#criteria")
    return render_form("contests/criterion.html", form, contest=contest, criterion=criterion)


@bp.post("/contests/<int:contest_id>/criteria/<int:criterion_id>/delete")
@staff_required
def delete_criterion(contest_id, criterion_id):
    contest = services.get_manageable(current_user, contest_id)
    criterion = services.get_criterion(contest, criterion_id)
    return run_action(
        lambda: services.delete_criterion(current_user, criterion),
        _("The criterion is deleted."),
        url_for("contests.contest", contest_id=contest.id, _anchor="criteria"),
    )


# Jury


@bp.post("/contests/<int:contest_id>/jurors")
@staff_required
def add_juror(contest_id):
    contest = services.get_manageable(current_user, contest_id)
    form = JurorForm()
    _juror_choices(contest, form)

    def add():
        offered = {choice.value for choice in form.user_id.choices}
        user = db.session.get(User, form.user_id.data) if form.user_id.data in offered else None
        if user is None:
            raise DomainError(_("Choose an active jury member of your organizations."), "user_id")
        jury.add_juror(
            current_user, contest, user, form.nomination_ids.data or [], form.is_chair.data
        )

    return _post_on_setup_page(
        contest, "juror_form", form, add, _("The jury member is added."), "#jury"
    )


@bp.post("/contests/<int:contest_id>/jurors/<int:juror_id>/chair")
@staff_required
def make_chair(contest_id, juror_id):
    contest = services.get_manageable(current_user, contest_id)
    juror = jury.get_juror(contest, juror_id)
    nominations = [nomination.id for nomination in juror.nominations]
    return run_action(
        lambda: jury.update_juror(current_user, juror, nominations, True),
        _("%(name)s is the chair of the jury.", name=juror.user.full_name),
        url_for("contests.contest", contest_id=contest.id, _anchor="jury"),
    )


@bp.post("/contests/<int:contest_id>/jurors/<int:juror_id>/delete")
@staff_required
def remove_juror(contest_id, juror_id):
    contest = services.get_manageable(current_user, contest_id)
    juror = jury.get_juror(contest, juror_id)
    return run_action(
        lambda: jury.remove_juror(current_user, juror),
        _("The jury member is removed."),
        url_for("contests.contest", contest_id=contest.id, _anchor="jury"),
    )
