"""Computed indicators: defined per form by staff, computed per school, aggregated."""

from decimal import Decimal
from statistics import median

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit import services as audit
from app.campaigns.models import Answer, Campaign, Response
from app.core.errors import DomainError, NotFound
from app.core.numbers import grouped
from app.extensions import db
from app.organizations.models import Organization
from app.questionnaires.definition import reported_definition
from app.questionnaires.models import Form
from app.questionnaires.services import check_editable
from app.questionnaires.spec import DEFAULT_NUMBER_RANGE
from app.reports.aggregates import ReportFilter, responses_clause
from app.reports.formula import STANDARD_INDICATORS, parse
from app.reports.models import Indicator
from app.reports.rounding import measure_places


def indicators_of(form: Form) -> list[Indicator]:
    statement = sa.select(Indicator).where(Indicator.form_id == form.id)
    return list(db.session.scalars(statement.order_by(Indicator.position, Indicator.id)))


def _question_types(form: Form) -> dict[str, str]:
    definition = reported_definition(form.latest)
    return {q["key"]: q["type"] for s in definition["sections"] for q in s["questions"]}


def add_indicator(
    actor: User,
    form: Form,
    *,
    key: str,
    title: str,
    formula: str,
    unit: str = "",
    threshold: Decimal | None = None,
    direction: str = "below",
    plausible_min: Decimal | None = None,
    plausible_max: Decimal | None = None,
) -> Indicator:
    check_editable(actor, form)
    parsed = parse(formula)
    parsed.check(_question_types(form))
    _check_threshold(threshold)
    _check_range(plausible_min, plausible_max)
    if any(indicator.key == key for indicator in indicators_of(form)):
        raise DomainError(_l("An indicator with this key already exists."), field="key")
    indicator = Indicator(
        form=form,
        key=key,
        title=title.strip(),
        formula=parsed.text,
        unit=unit.strip(),
        threshold=threshold,
        threshold_direction=direction,
        plausible_min=plausible_min,
        plausible_max=plausible_max,
        position=len(indicators_of(form)),
    )
    db.session.add(indicator)
    db.session.flush()
    audit.record(
        "create",
        indicator,
        actor=actor,
        object_type="indicator",
        label=indicator.title,
        organization=form.organization,
        after={"formula": indicator.formula},
    )
    return indicator


def _check_threshold(threshold: Decimal | None, field: str = "threshold") -> None:
    low, high = DEFAULT_NUMBER_RANGE
    if threshold is not None and not (threshold.is_finite() and low <= threshold <= high):
        raise DomainError(
            _l(
                "The norm must lie between %(min)s and %(max)s.",
                min=grouped(low),
                max=grouped(high),
            ),
            field=field,
        )


def _check_range(low: Decimal | None, high: Decimal | None) -> None:
    _check_threshold(low, "plausible_min")
    _check_threshold(high, "plausible_max")
    if low is not None and high is not None and low > high:
        raise DomainError(
            _l("The least plausible value must not exceed the greatest."), field="plausible_max"
        )


def remove_indicator(actor: User, form: Form, indicator_id: int) -> None:
    check_editable(actor, form)
    indicator = db.session.get(Indicator, indicator_id)
    if indicator is None or indicator.form_id != form.id:
        raise NotFound(_l("Indicator not found."))
    audit.record(
        "delete",
        indicator,
        actor=actor,
        object_type="indicator",
        label=indicator.title,
        organization=form.organization,
        before={"formula": indicator.formula},
    )
    db.session.delete(indicator)


def add_standard_indicators(actor: User, form: Form) -> None:
    """The library indicators of shared/DOMAIN.md, for a form that has their questions."""
    types = _question_types(form)
    existing = {indicator.key for indicator in indicators_of(form)}
    for spec in STANDARD_INDICATORS:
        if spec["key"] not in existing and parse(spec["formula"]).keys <= types.keys():
            add_indicator(
                actor,
                form,
                key=spec["key"],
                title=spec["title"],
                formula=spec["formula"],
                unit=spec.get("unit") or "",
                threshold=spec.get("threshold"),
                direction=spec.get("threshold_direction") or "below",
            )


def _school_values(viewer, campaign, report_filter, keys) -> dict[int, tuple[str, dict]]:
    """Numeric answers to ``keys`` of every counted response: {response id: (school, values)}."""
    statement = (
        sa.select(Response.id, Organization.name, Answer.question_key, Answer.value_number)
        .join(Answer, Answer.response_id == Response.id)
        .join(Organization, Organization.id == Response.organization_id)
        .where(
            responses_clause(viewer, campaign, report_filter),
            Answer.question_key.in_(keys),
            Answer.row_index.is_(None),
        )
    )
    schools: dict[int, tuple[str, dict]] = {}
    names = (
        sa.select(Response.id, Organization.name)
        .join(Response.organization)
        .where(responses_clause(viewer, campaign, report_filter))
    )
    for response_id, name in db.session.execute(names):
        schools[response_id] = (name, {})
    for response_id, _name, key, value in db.session.execute(statement):
        schools[response_id][1][key] = value
    return schools


def _below(indicator: Indicator, value: Decimal | None) -> bool:
    if indicator.threshold is None or value is None:
        return False
    if indicator.threshold_direction == "above":
        return value > indicator.threshold
    return value < indicator.threshold


def indicator_report(
    viewer: User, campaign: Campaign, report_filter: ReportFilter | None = None
) -> list[dict]:
    """For each indicator of the campaign's form: per-school values and their aggregates."""
    report_filter = report_filter or ReportFilter()
    indicators = indicators_of(campaign.form_version.form)
    formulas = {indicator.id: parse(indicator.formula) for indicator in indicators}
    keys = set().union(*(formula.keys for formula in formulas.values())) if formulas else set()
    schools = _school_values(viewer, campaign, report_filter, keys) if keys else {}
    report = []
    for indicator in indicators:
        per_school = sorted(
            ((name, formulas[indicator.id].evaluate(values)) for name, values in schools.values()),
            key=lambda row: row[0],
        )
        known = [value for _, value in per_school if value is not None]
        mean = sum(known) / len(known) if known else None
        report.append(
            {
                "indicator": indicator,
                "schools": per_school,
                "n": len(known),
                "no_data": len(per_school) - len(known),
                "mean": mean,
                "places": measure_places(mean, indicator.unit),
                "median": median(known) if known else None,
                "min": min(known) if known else None,
                "max": max(known) if known else None,
                "below": [(name, value) for name, value in per_school if _below(indicator, value)],
            }
        )
    return report
