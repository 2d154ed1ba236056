"""Dates and times shown in the district's timezone: 25.11.2026 and 25.11.2026 14:30."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date, format_datetime, format_decimal


def local_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_day_start(day: date) -> datetime:
    """The UTC moment a calendar day begins in the district's timezone."""
    return datetime.combine(day, time.min, tzinfo=local_timezone()).astimezone(UTC)


def date_filter(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return format_datetime(value, "dd.MM.yyyy")
    return format_date(value, "dd.MM.yyyy")


def datetime_filter(value) -> str:
    return "" if value is None else format_datetime(value, "dd.MM.yyyy HH:mm")


def number_filter(value) -> str:
    return "" if value is None else format_decimal(value)


def register_filters(app) -> None:
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["number"] = number_filter
    app.jinja_env.globals["now_utc"] = lambda: datetime.now(UTC)


def local_to_utc(moment: datetime) -> datetime:
    """A naive date-time typed in the district's timezone, as aware UTC."""
    return moment.replace(tzinfo=local_timezone()).astimezone(UTC)


def utc_to_local(moment: datetime) -> datetime:
    """Aware UTC as a naive date-time of the district, for form inputs."""
    return moment.astimezone(local_timezone()).replace(tzinfo=None)
