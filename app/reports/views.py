"""The report of a monitoring: completion, per-question figures, indicators, exports."""

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.campaigns import services as campaigns
from app.campaigns import visits
from app.campaigns.access import can_manage_campaign
from app.campaigns.models import STATUS_LABELS, ResponseStatus
from app.core.errors import DomainError
from app.core.pagination import requested_page
from app.core.permissions import staff_or_viewer_required, staff_required
from app.core.timefmt import date_filter
from app.core.uploads import send_download
from app.core.views import attach_error
from app.extensions import db
from app.organizations import services as organizations
from app.questionnaires.definition import reported_definition, version_definition
from app.questionnaires.languages import other_languages
from app.questionnaires.services import can_edit
from app.reports import (
    aggregates,
    cache,
    charts,
    dynamics,
    first_view,
    headlines,
    indicators,
    jobs,
    rounding,
)
from app.reports.exports.runner import filter_fields
from forms.common import ActionForm, choices
from forms.reports import IndicatorForm, ReportFilterForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.add_app_template_filter(rounding.figure_text, "figure")
bp.add_app_template_filter(rounding.value_places, "value_places")
bp.add_app_template_global(rounding.measure_places, "measure_places")
COUNTED = (ResponseStatus.SUBMITTED.value, ResponseStatus.ACCEPTED.value)


def _filters(campaign) -> tuple[ReportFilterForm, aggregates.ReportFilter]:
    form = ReportFilterForm(request.args)
    form.status.choices = choices((s.value, label) for s, label in STATUS_LABELS.items())
    form.locality.choices = choices(
        [("", _("All localities"))]
        + [(name, name) for name in organizations.localities(current_user)]
    )
    form.visits.choices = choices(visits.filter_choices())
    definition = reported_definition(campaign.form_version)
    form.breakdown.choices = choices(
        [("", "—")]
        + [
            (q["key"], q["label"])
            for s in definition["sections"]
            for q in s["questions"]
            if q["type"] in aggregates.BREAKDOWN_TYPES
        ]
    )
    form.compare.choices = choices(
        [
            ("", _("Against the previous monitoring of this form")),
            (dynamics.NO_COMPARISON, _("Without dynamics")),
        ]
        + [
            (str(other.id), _("Against %(title)s (closed %(date)s)", title=other.title,
                              date=date_filter(other.closes_at)))
            for other in dynamics.comparable_campaigns(current_user, campaign)
        ]
    )  # fmt: skip
    return form, _report_filter(form)


def _report_filter(form: ReportFilterForm) -> aggregates.ReportFilter:
    statuses = tuple(form.status.data or ()) or COUNTED
    form.status.data = list(statuses)
    return aggregates.ReportFilter(
        statuses=statuses,
        locality=form.locality.data or "",
        kind=form.kind.data or "",
        visits=form.visits.data or "",
    )


def _asked(
    campaign, filters: ReportFilterForm
) -> tuple[aggregates.ReportFilter, dict | None, cache.Request]:
    """The filter, the question broken down and the rest of what the page's arguments ask."""
    question = _question(campaign, filters.breakdown.data) if filters.breakdown.data else None
    asked = cache.Request(
        page=requested_page(),
        breakdown=question["key"] if question else "",
        by=(filters.by.data or "locality") if question else "",
    )
    return _report_filter(filters), question, asked


@bp.get("/campaigns/<int:campaign_id>")
@staff_or_viewer_required
def campaign(campaign_id):
    campaign = campaigns.get_visible(current_user, campaign_id)
    filters, _report = _filters(campaign)
    report_filter, question, asked = _asked(campaign, filters)
    figures = first_view.page_figures(current_user, campaign, report_filter, asked, question)
    if isinstance(figures, first_view.Pending):
        return render_template(
            "reports/computing.html", campaign=campaign, pending=figures, action=ActionForm()
        )
    report, indicator_items = figures.report, figures.indicators
    cross = None
    if question is not None:
        cross = {"question": question, "by": asked.by, "rows": figures.cross}
    form = campaign.form_version.form
    return render_template(
        "reports/campaign.html",
        campaign=campaign,
        report=report,
        filters=filters,
        cross=cross,
        indicators=indicator_items,
        coverage=headlines.coverage(report["completion"]),
        headlines=headlines.headlines(report, indicator_items),
        charts=charts.page_charts(report, indicator_items, figures.bins),
        bins=figures.bins,
        checks_count=sum(not suspect.checked for suspect in figures.suspects),
        indicator_form=IndicatorForm(),
        action=ActionForm(),
        can_edit_indicators=can_edit(current_user, form),
        staff=current_user.role == Role.ADMIN,
        languages=other_languages(version_definition(campaign.form_version)),
        suspects=figures.suspects,
        can_check=can_manage_campaign(current_user, campaign),
        computed_at=figures.computed_at,
        figures_current=figures.current,
    )


@bp.get("/campaigns/<int:campaign_id>/figures.json")
@staff_or_viewer_required
def figures_status(campaign_id):
    """Whether the figures of the page with these arguments are stored, for its polling."""
    campaign = campaigns.get_visible(current_user, campaign_id)
    report_filter, _breakdown, asked = _asked(campaign, ReportFilterForm(request.args))
    return jsonify(first_view.status(current_user, campaign, report_filter, asked))


@bp.post("/campaigns/<int:campaign_id>/figures")
@staff_or_viewer_required
def compute_again(campaign_id):
    """Queues again the computation of the figures that failed."""
    campaign = campaigns.get_visible(current_user, campaign_id)
    report_filter, _breakdown, asked = _asked(campaign, ReportFilterForm(request.args))
    if ActionForm().validate_on_submit():
        first_view.try_again(current_user, campaign, report_filter, asked)
    return redirect(
        url_for("reports.campaign", campaign_id=campaign.id, **request.args.to_dict(flat=False))
    )


def _question(campaign, key: str) -> dict:
    definition = reported_definition(campaign.form_version)
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
                plausible_min=form.plausible_min.data,
                plausible_max=form.plausible_max.data,
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


@bp.post("/campaigns/<int:campaign_id>/exports")
@staff_or_viewer_required
def start_export(campaign_id):
    """Queues an export in the background and shows its progress."""
    campaign = campaigns.get_visible(current_user, campaign_id)
    fmt = request.form.get("format", "")
    if fmt not in jobs.FORMATS or not ActionForm().validate_on_submit():
        abort(400)
    filters, report_filter = _filters(campaign)
    job_id = jobs.start_export(
        current_user.id,
        campaign.id,
        fmt,
        filter_fields(report_filter),
        compare=filters.compare.data or "",
        language=request.args.get("lang", ""),
    )
    return redirect(url_for("reports.export_status", job_id=job_id))


def _own_job(job_id: str) -> dict:
    state = jobs.job_state(job_id)
    if state is None or state["user_id"] != current_user.id:
        abort(404)
    return state


@bp.get("/exports/<job_id>")
@staff_or_viewer_required
def export_status(job_id):
    state = _own_job(job_id)
    campaign = campaigns.get_visible(current_user, state["campaign_id"])
    return render_template("reports/export.html", job_id=job_id, state=state, campaign=campaign)


@bp.get("/exports/<job_id>.json")
@staff_or_viewer_required
def export_progress(job_id):
    state = _own_job(job_id)
    return jsonify(
        status=state["status"],
        done=state["done"],
        total=state["total"],
        error=_("The export failed. Try again or ask the administrator.")
        if state["status"] == "failed"
        else "",
    )


@bp.get("/exports/<job_id>/download")
@staff_or_viewer_required
def export_download(job_id):
    state = _own_job(job_id)
    if state["status"] != "done":
        abort(404)
    _extension, mimetype = jobs.FORMATS[state["format"]]
    campaign = campaigns.get_visible(current_user, state["campaign_id"])
    name = jobs.file_name(campaign.title, state["format"])
    return send_download(jobs.export_folder() / state["file"], name, mimetype)


@bp.get("/campaigns/<int:campaign_id>/dynamics")
@staff_or_viewer_required
def dynamics_page(campaign_id):
    """The campaign against an earlier one: figures then, now and the change."""
    campaign = campaigns.get_visible(current_user, campaign_id)
    options = dynamics.comparable_campaigns(current_user, campaign)
    earlier = dynamics.previous_campaign(current_user, campaign, request.args.get("with", ""))
    rows = school_rows = question = places = None
    if earlier is not None:
        rows = dynamics.compare(current_user, earlier, campaign)
        chosen = next(
            (
                row
                for row in rows
                if row["question"]["key"] == request.args.get("question")
                and row["kind"] == "numbers"
            ),
            None,
        )
        if chosen is not None:
            question, places = chosen["question"], chosen["now"]["places"]
            school_rows = dynamics.per_school(current_user, earlier, campaign, question)
    return render_template(
        "reports/dynamics.html",
        campaign=campaign,
        options=options,
        earlier=earlier,
        rows=rows,
        question=question,
        school_rows=school_rows,
        places=places,
    )
