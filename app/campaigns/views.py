"""Monitorings for district staff: send, follow, remind, review."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.campaigns import exports, responses, services, visits
from app.campaigns.access import can_manage_campaign, can_see_response
from app.campaigns.models import STATUS_LABELS, Response
from app.core.errors import DomainError
from app.core.pagination import paginate
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.timefmt import local_to_utc, utc_to_local
from app.core.views import attach_error, render_form, run_action, send_xlsx
from app.db import utcnow
from app.extensions import db
from app.organizations import services as organizations
from forms.campaigns import (
    CampaignForm,
    DeadlineForm,
    EditCampaignForm,
    ReopenForm,
    ResponseFilterForm,
    ReturnForm,
)
from forms.common import ActionForm, choices

bp = Blueprint("campaigns", __name__)


@bp.get("/campaigns/")
@staff_or_viewer_required
def index():
    page = paginate(services.visible_query(current_user))
    counts = {campaign.id: services.status_counts(campaign) for campaign in page.items}
    return render_template("campaigns/index.html", page=page, counts=counts, now=utcnow())


def _campaign_form() -> CampaignForm:
    form = CampaignForm()
    form.form_version_id.choices = choices(
        (version.id, f"{version.title} (v{version.number})")
        for version in services.publishable_versions(current_user)
    )
    localities = organizations.localities(current_user)
    form.locality.choices = choices((name, name) for name in localities)
    form.organization_ids.choices = choices(
        (organization.id, organization.name)
        for organization in db.session.scalars(services.target_organizations(current_user, kind=""))
    )
    if request.method == "GET":
        start = utc_to_local(utcnow()).replace(second=0, microsecond=0)
        form.opens_at.data = start
        form.closes_at.data = (start + timedelta(days=14)).replace(hour=18, minute=0)
        titles = {v.id: v.title for v in services.publishable_versions(current_user)}
        chosen = request.args.get("version", type=int)
        form.form_version_id.data = chosen if chosen in titles else next(iter(titles), None)
        form.title.data = titles.get(form.form_version_id.data, "")
    return form


def _targets(form: CampaignForm) -> list[int]:
    if form.target.data == "manual":
        return form.organization_ids.data or []
    locality = form.locality.data if form.target.data == "locality" else ""
    targets = services.target_organizations(current_user, locality=locality, kind=form.kind.data)
    return [organization.id for organization in db.session.scalars(targets)]


@bp.route("/campaigns/new", methods=["GET", "POST"])
@staff_required
def new():
    form = _campaign_form()
    summary = names = ""
    if form.validate_on_submit():
        opens_at, closes_at = local_to_utc(form.opens_at.data), local_to_utc(form.closes_at.data)
        targets = _targets(form)
        try:
            services.check_dates(opens_at, closes_at)
            if form.confirm.data != "1" and targets:
                summary = services.send_summary(len(targets), closes_at)
                names = services.names_of(targets)
            else:
                campaign = services.create_campaign(
                    current_user,
                    _chosen_version(form),
                    title=form.title.data,
                    instructions=form.instructions.data or "",
                    opens_at=opens_at,
                    closes_at=closes_at,
                    organization_ids=targets,
                    filled_on_visits=form.filled_on_visits.data,
                )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            if not summary:
                db.session.commit()
                flash(
                    _(
                        "The monitoring is sent to %(count)s organizations.",
                        count=len(campaign.responses),
                    ),
                    "success",
                )
                return redirect(url_for("campaigns.dashboard", campaign_id=campaign.id))
    return render_form(
        "campaigns/new.html", form, summary=summary, names=names, **_picker_context()
    )


def _chosen_version(form: CampaignForm):
    return next(
        v for v in services.publishable_versions(current_user) if v.id == form.form_version_id.data
    )


def _picker_context() -> dict:
    """What the organization picker shows and filters by in the browser."""
    return {
        "organizations": list(
            db.session.scalars(services.target_organizations(current_user, kind=""))
        ),
        "version_titles": {v.id: v.title for v in services.publishable_versions(current_user)},
    }


def _filters(campaign) -> ResponseFilterForm:
    filters = ResponseFilterForm(request.args)
    filters.status.choices = choices(
        [("", _("All statuses")), ("not_submitted", _("Not submitted yet"))]
        + [(status.value, label) for status, label in STATUS_LABELS.items()]
    )
    filters.locality.choices = choices(
        [("", _("All localities"))]
        + [(name, name) for name in organizations.localities(current_user)]
    )
    filters.visits.choices = choices(visits.filter_choices())
    return filters


def _filtered(campaign, filters: ResponseFilterForm):
    return services.responses_query(
        current_user,
        campaign,
        status=filters.status.data or "",
        locality=filters.locality.data or "",
        text=filters.q.data or "",
        visits=filters.visits.data or "",
    )


def _reopen_form(campaign) -> ReopenForm:
    form = ReopenForm()
    later = max(campaign.closes_at, utcnow() + timedelta(days=7))
    form.closes_at.data = utc_to_local(later).replace(second=0, microsecond=0)
    return form


def _filter_args(filters: ResponseFilterForm) -> dict:
    """The dashboard's filters, carried along to the review pages (for previous/next)."""
    fields = (filters.q, filters.status, filters.locality, filters.visits)
    return {field.name: field.data for field in fields if field.data}


@bp.get("/campaigns/<int:campaign_id>")
@staff_or_viewer_required
def dashboard(campaign_id):
    campaign = services.get_visible(current_user, campaign_id)
    filters = _filters(campaign)
    page = paginate(_filtered(campaign, filters))
    counts = services.status_counts(campaign)
    return render_template(
        "campaigns/dashboard.html",
        campaign=campaign,
        page=page,
        filters=filters,
        counts=counts,
        total=sum(counts.values()),
        action=ActionForm(),
        filter_args=_filter_args(filters),
        reopen_form=_reopen_form(campaign),
        can_manage=can_manage_campaign(current_user, campaign),
        now=utcnow(),
    )


@bp.get("/campaigns/<int:campaign_id>/not-submitted.xlsx")
@staff_or_viewer_required
def export_not_submitted(campaign_id):
    campaign = services.get_visible(current_user, campaign_id)
    data = exports.not_submitted_xlsx(campaign, services.not_submitted(current_user, campaign))
    return send_xlsx(data, f"not-submitted-{campaign.id}.xlsx")


@bp.post("/campaigns/<int:campaign_id>/remind")
@staff_required
def remind(campaign_id):
    campaign = services.get_manageable(current_user, campaign_id)
    if ActionForm().validate_on_submit():
        link = url_for("campaigns.my_questionnaires", _external=True)
        count, mailed = services.remind(current_user, campaign, link)
        db.session.commit()
        flash(_("Reminders sent: %(count)s.", count=count), "success")
        if mailed:
            flash(_("E-mails sent: %(count)s.", count=mailed), "success")
    return redirect(url_for("campaigns.dashboard", campaign_id=campaign.id))


@bp.get("/responses/<int:response_id>/review")
@staff_or_viewer_required
def review(response_id):
    response = responses.get_visible(current_user, response_id)
    filters = _filters(response.campaign)
    ids = list(
        db.session.scalars(_filtered(response.campaign, filters).with_only_columns(Response.id))
    )
    before, after = responses.neighbours(ids, response)
    deadline_form = DeadlineForm()
    deadline_form.deadline.data = utc_to_local(response.closes_at)
    return render_template(
        "campaigns/review.html",
        response=response,
        definition=responses.definition_of(response),
        return_form=ReturnForm(comment=request.args.get("comment", "")[:5000]),
        deadline_form=deadline_form,
        action=ActionForm(),
        filter_args=_filter_args(filters),
        before=before,
        after=after,
        position=(ids.index(response.id) + 1, len(ids)) if response.id in ids else None,
        can_manage=can_manage_campaign(current_user, response.campaign),
    )


def _school_link(response) -> str:
    return url_for("campaigns.response_page", response_id=response.id, _external=True)


@bp.post("/responses/<int:response_id>/return")
@staff_required
def return_response(response_id):
    response = responses.get_visible(current_user, response_id)
    form = ReturnForm()
    back = url_for("campaigns.review", response_id=response.id, **request.args)
    if not form.validate_on_submit():
        flash(_("Write what the school should correct."), "danger")
        return redirect(back)
    notes = {
        name.removeprefix("note-"): text
        for name, text in request.form.items()
        if name.startswith("note-")
    }
    try:
        responses.return_for_revision(
            current_user, response, form.comment.data or "", notes, _school_link(response)
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return redirect(back)
    db.session.commit()
    flash(_("The response is returned to the school for revision."), "success")
    return redirect(back)


@bp.post("/responses/<int:response_id>/accept")
@staff_required
def accept(response_id):
    response = responses.get_visible(current_user, response_id)
    args = request.args.to_dict()
    then = args.pop("then", "")
    target = int(then) if then.isdigit() else response.id
    return run_action(
        lambda: responses.accept(current_user, response, _school_link(response)),
        _("The response is accepted."),
        url_for("campaigns.review", response_id=target, **args),
    )


@bp.post("/campaigns/<int:campaign_id>/accept")
@staff_required
def accept_selected(campaign_id):
    campaign = services.get_manageable(current_user, campaign_id)
    back = url_for("campaigns.dashboard", campaign_id=campaign.id, **request.args)
    if not ActionForm().validate_on_submit():
        return redirect(back)
    ids = request.form.getlist("response_ids", type=int)
    chosen = [r for r in campaign.responses if r.id in ids and can_see_response(current_user, r)]
    link = url_for("campaigns.my_questionnaires", _external=True)
    try:
        count = responses.accept_many(current_user, chosen, link)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return redirect(back)
    db.session.commit()
    flash(_("Responses accepted: %(count)s.", count=count), "success")
    return redirect(back)


@bp.post("/responses/<int:response_id>/deadline")
@staff_required
def extend_deadline(response_id):
    response = responses.get_visible(current_user, response_id)
    form = DeadlineForm()
    if form.validate_on_submit():
        try:
            services.extend_deadline(current_user, response, local_to_utc(form.deadline.data))
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(_("The deadline is extended for this school."), "success")
    else:
        flash(_("Enter a date and time."), "danger")
    return redirect(url_for("campaigns.review", response_id=response.id))


def _link() -> str:
    return url_for("campaigns.my_questionnaires", _external=True)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(campaign_id):
    campaign = services.get_manageable(current_user, campaign_id)
    form = EditCampaignForm(obj=campaign if request.method == "GET" else None)
    present = {response.organization_id for response in campaign.responses}
    addable = [
        organization
        for organization in db.session.scalars(services.target_organizations(current_user, kind=""))
        if organization.id not in present
    ]
    form.organization_ids.choices = choices((org.id, org.name) for org in addable)
    if request.method == "GET":
        form.closes_at.data = utc_to_local(campaign.closes_at)
    if form.validate_on_submit():
        try:
            added = services.update_campaign(
                current_user,
                campaign,
                title=form.title.data,
                instructions=form.instructions.data or "",
                closes_at=local_to_utc(form.closes_at.data),
                added_ids=form.organization_ids.data or [],
                link=_link(),
                filled_on_visits=form.filled_on_visits.data,
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The monitoring is changed; organizations added: %(count)s.", count=added),
                "success",
            )
            return redirect(url_for("campaigns.dashboard", campaign_id=campaign.id))
    return render_form("campaigns/edit.html", form, campaign=campaign, organizations=addable)


@bp.post("/campaigns/<int:campaign_id>/close")
@staff_required
def close(campaign_id):
    campaign = services.get_manageable(current_user, campaign_id)
    return run_action(
        lambda: services.close_campaign(current_user, campaign, _link()),
        _("The monitoring is closed; schools can no longer change their answers."),
        url_for("campaigns.dashboard", campaign_id=campaign.id),
    )


@bp.post("/campaigns/<int:campaign_id>/cancel")
@staff_required
def cancel(campaign_id):
    campaign = services.get_manageable(current_user, campaign_id)
    return run_action(
        lambda: services.cancel_campaign(current_user, campaign, _link()),
        _("The monitoring is cancelled; the answers are kept."),
        url_for("campaigns.dashboard", campaign_id=campaign.id),
    )


@bp.post("/campaigns/<int:campaign_id>/reopen")
@staff_required
def reopen(campaign_id):
    campaign = services.get_manageable(current_user, campaign_id)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash(_("Enter a date and time."), "danger")
    else:
        try:
            services.reopen_campaign(
                current_user, campaign, local_to_utc(form.closes_at.data), _link()
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(_("The monitoring is open again."), "success")
    return redirect(url_for("campaigns.dashboard", campaign_id=campaign.id))
