"""Monitorings for district staff: send, follow, remind, review."""

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.campaigns import exports, responses, services
from app.campaigns.access import can_manage_campaign
from app.campaigns.models import STATUS_LABELS
from app.core.errors import DomainError
from app.core.pagination import paginate
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.timefmt import local_to_utc, utc_to_local
from app.core.views import attach_error, render_form, run_action, send_xlsx
from app.db import utcnow
from app.extensions import db
from app.organizations import services as organizations
from app.questionnaires.conditions import all_questions
from forms.campaigns import CampaignForm, DeadlineForm, ResponseFilterForm, ReturnForm
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
        form.form_version_id.data = request.args.get("version", type=int)
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
    if form.validate_on_submit():
        try:
            version = next(
                v
                for v in services.publishable_versions(current_user)
                if v.id == form.form_version_id.data
            )
            campaign = services.create_campaign(
                current_user,
                version,
                title=form.title.data,
                instructions=form.instructions.data or "",
                opens_at=local_to_utc(form.opens_at.data),
                closes_at=local_to_utc(form.closes_at.data),
                organization_ids=_targets(form),
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "The monitoring is sent to %(count)s organizations.",
                    count=len(campaign.responses),
                ),
                "success",
            )
            return redirect(url_for("campaigns.dashboard", campaign_id=campaign.id))
    return render_form("campaigns/new.html", form)


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
    return filters


@bp.get("/campaigns/<int:campaign_id>")
@staff_or_viewer_required
def dashboard(campaign_id):
    campaign = services.get_visible(current_user, campaign_id)
    filters = _filters(campaign)
    page = paginate(
        services.responses_query(
            current_user,
            campaign,
            status=filters.status.data or "",
            locality=filters.locality.data or "",
            text=filters.q.data or "",
        )
    )
    counts = services.status_counts(campaign)
    return render_template(
        "campaigns/dashboard.html",
        campaign=campaign,
        page=page,
        filters=filters,
        counts=counts,
        total=sum(counts.values()),
        action=ActionForm(),
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
    return_form = ReturnForm()
    definition = responses.definition_of(response)
    return_form.keys.choices = choices(
        (q["key"], q["label"] or q["key"]) for q in all_questions(definition) if q["type"] != "note"
    )
    deadline_form = DeadlineForm()
    deadline_form.deadline.data = utc_to_local(response.closes_at)
    return render_template(
        "campaigns/review.html",
        response=response,
        definition=definition,
        return_form=return_form,
        deadline_form=deadline_form,
        action=ActionForm(),
        can_manage=can_manage_campaign(current_user, response.campaign),
    )


@bp.post("/responses/<int:response_id>/return")
@staff_required
def return_response(response_id):
    response = responses.get_visible(current_user, response_id)
    form = ReturnForm()
    form.keys.choices = choices((key, key) for key in request.form.getlist("keys"))
    if form.validate_on_submit():
        responses.return_for_revision(
            current_user, response, form.comment.data, form.keys.data or []
        )
        db.session.commit()
        flash(_("The response is returned to the school for revision."), "success")
    else:
        flash(_("Write what the school should correct."), "danger")
    return redirect(url_for("campaigns.review", response_id=response.id))


@bp.post("/responses/<int:response_id>/accept")
@staff_required
def accept(response_id):
    response = responses.get_visible(current_user, response_id)
    return run_action(
        lambda: responses.accept(current_user, response),
        _("The response is accepted."),
        url_for("campaigns.review", response_id=response.id),
    )


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
