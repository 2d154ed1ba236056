"""Dates and times shown in the district's timezone: 25.11.2026 and 25.11.2026 14:30."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_location
from flask import current_app
from flask_babel import format_date, format_datetime, get_locale

from app.core.numbers import grouped


def local_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_today() -> date:
    """Today's date in the district (the server's clock may be in another zone)."""
    return datetime.now(local_timezone()).date()


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
    return "" if value is None else grouped(value)


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


def zone_label() -> str:
    """The district's timezone as its people name it, for the headers of exported times:
    "Якутск, UTC+9" (the city in the interface's language, the offset of today)."""
    zone = local_timezone()
    city = get_timezone_location(zone.key, locale=get_locale() or "ru", return_city=True)
    minutes = int(datetime.now(zone).utcoffset().total_seconds()) // 60
    sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
    offset = f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
    return offset if city in ("UTC", "GMT") else f"{city}, {offset}"


def zoned(title) -> str:
    """A column header of exported times naming the zone: "Отправлено (Якутск, UTC+9)"."""
    return f"{title} ({zone_label()})"


def export_moment(moment: datetime | None) -> datetime | None:
    """A stored moment as the district's wall-clock time, naive as spreadsheet cells need it
    (a naive ``moment`` is taken as UTC); goes with a ``zoned`` header."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return utc_to_local(moment)
