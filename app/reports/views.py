"""The report of a monitoring: completion, per-question figures, indicators, exports."""

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.campaigns import services as campaigns
from app.campaigns.models import STATUS_LABELS, ResponseStatus
from app.core.errors import DomainError
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.views import XLSX_MIMETYPE, attach_error
from app.extensions import db
from app.organizations import services as organizations
from app.questionnaires.definition import version_definition
from app.questionnaires.services import can_edit
from app.reports import aggregates, indicators
from app.reports.exports.raw import write_raw
from forms.common import ActionForm, choices
from forms.reports import IndicatorForm, ReportFilterForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
COUNTED = (ResponseStatus.SUBMITTED.value, ResponseStatus.ACCEPTED.value)


def _filters(campaign) -> tuple[ReportFilterForm, aggregates.ReportFilter]:
    form = ReportFilterForm(request.args)
    form.status.choices = choices((s.value, label) for s, label in STATUS_LABELS.items())
    form.locality.choices = choices(
        [("", _("All localities"))]
        + [(name, name) for name in organizations.localities(current_user)]
    )
    definition = version_definition(campaign.form_version)
    form.breakdown.choices = choices(
        [("", "—")]
        + [
            (q["key"], q["label"])
            for s in definition["sections"]
            for q in s["questions"]
            if q["type"] in aggregates.BREAKDOWN_TYPES
        ]
    )
    statuses = tuple(form.status.data or ()) or COUNTED
    form.status.data = list(statuses)
    return form, aggregates.ReportFilter(
        statuses=statuses, locality=form.locality.data or "", kind=form.kind.data or ""
    )


@bp.get("/campaigns/<int:campaign_id>")
@staff_or_viewer_required
def campaign(campaign_id):
    campaign = campaigns.get_visible(current_user, campaign_id)
    filters, report_filter = _filters(campaign)
    report = aggregates.campaign_report(
        current_user, campaign, report_filter, page=request.args.get("page", 1, type=int)
    )
    cross = None
    if filters.breakdown.data:
        question = _question(campaign, filters.breakdown.data)
        cross = {
            "question": question,
            "by": filters.by.data or "locality",
            "rows": aggregates.breakdown(
                current_user, campaign, question, filters.by.data or "locality", report_filter
            ),
        }
    form = campaign.form_version.form
    return render_template(
        "reports/campaign.html",
        campaign=campaign,
        report=report,
        filters=filters,
        cross=cross,
        indicators=indicators.indicator_report(current_user, campaign, report_filter),
        indicator_form=IndicatorForm(),
        action=ActionForm(),
        can_edit_indicators=can_edit(current_user, form),
    )


def _question(campaign, key: str) -> dict:
    definition = version_definition(campaign.form_version)
    for section in definition["sections"]:
        for question in section["questions"]:
            if question["key"] == key and question["type"] in aggregates.BREAKDOWN_TYPES:
                return question
    raise DomainError(_("Choose a question from the list."), field="breakdown")


@bp.post("/campaigns/<int:campaign_id>/indicators")
@staff_required
def add_indicator(campaign_id):
    campaign = campaigns.get_visible(current_user, campaign_id)
    form = IndicatorForm()
    if form.validate_on_submit():
        try:
            indicators.add_indicator(
                current_user,
                campaign.form_version.form,
                key=form.key.data,
                title=form.title.data,
                formula=form.formula.data,
                unit=form.unit.data or "",
                threshold=form.threshold.data,
                direction=form.direction.data,
            )
        except DomainError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The indicator is added."), "success")
            return redirect(url_for("reports.campaign", campaign_id=campaign.id) + "#indicators")
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}", "danger")
    for message in form.form_errors:
        flash(message, "danger")
    return redirect(url_for("reports.campaign", campaign_id=campaign.id) + "#indicators")


@bp.post("/campaigns/<int:campaign_id>/indicators/<int:indicator_id>/delete")
@staff_required
def delete_indicator(campaign_id, indicator_id):
    campaign = campaigns.get_visible(current_user, campaign_id)
    if ActionForm().validate_on_submit():
        indicators.remove_indicator(current_user, campaign.form_version.form, indicator_id)
        db.session.commit()
        flash(_("The indicator is deleted."), "success")
    return redirect(url_for("reports.campaign", campaign_id=campaign.id) + "#indicators")


@bp.get("/campaigns/<int:campaign_id>/raw.xlsx")
@staff_or_viewer_required
def raw(campaign_id):
    campaign = campaigns.get_visible(current_user, campaign_id)
    _, report_filter = _filters(campaign)
    buffer = io.BytesIO()
    write_raw(current_user, campaign, report_filter, buffer)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"monitoring-{campaign.id}-data.xlsx",
    )
