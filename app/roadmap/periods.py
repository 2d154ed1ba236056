"""A roadmap period as a plan writes it, read as dates of the academic year.

Plans write «октябрь», «Январь -февраль», «Декабрь –март -май-июнь- июль 2024 г.», «в течение
года», «В период посещения библиотек» or dates. The academic year runs from 1 September to 31
August: September–December fall in its first calendar year, January–August in its second. A
range runs from its first month's first day to its last month's last day; text naming no month
or date means the whole year. (dateparser reads single Russian dates, not these ranges within
an academic year, so the few rules are written here.)"""

import calendar
import re
from datetime import date

MONTH_PREFIXES = (
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("июн", 6), ("июл", 7), ("авг", 8),
    ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
)  # fmt: skip
MAY = {"май", "мая", "мае"}
FIRST_MONTH = 9  # the academic year begins in September
DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
WORD = re.compile(r"[а-яё]+")


def _month(word: str) -> int | None:
    if word in MAY:
        return 5
    return next((number for prefix, number in MONTH_PREFIXES if word.startswith(prefix)), None)


def months(text: str) -> list[int]:
    """The months the text names, in its order."""
    found = (_month(word) for word in WORD.findall(text.lower()))
    return [month for month in found if month is not None]


def calendar_year(month: int, year: int) -> int:
    """The calendar year of ``month`` in the academic year that begins in ``year``."""
    return year if month >= FIRST_MONTH else year + 1


def _real_date(parts: tuple[str, str, str]) -> date | None:
    day, month, year = (int(part) for part in parts)
    try:
        return date(year, month, day)
    except ValueError:  # 31.02.2024, 00.00.0000
        return None


def impossible_date(text: str) -> str | None:
    """The first date written in ``text`` that no calendar has, if any."""
    wrong = (parts for parts in DATE.findall(text) if _real_date(parts) is None)
    return next((".".join(parts) for parts in wrong), None)


def period_dates(text: str, year: int) -> tuple[date, date]:
    """The first and last day of the period ``text`` in the academic year ``year``–``year+1``
    (dates no calendar has are not read)."""
    dates = [day for parts in DATE.findall(text) if (day := _real_date(parts))]
    if dates:
        return min(dates), max(dates)
    named = months(text)
    if not named:
        return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)
    first, last = named[0], named[-1]
    start = date(calendar_year(first, year), first, 1)
    end_year = calendar_year(last, year)
    end = date(end_year, last, calendar.monthrange(end_year, last)[1])
    if start > end:  # «Август – сентябрь»: the August before the year
        start = start.replace(year=start.year - 1)
    return start, end


def next_year_text(text: str) -> str:
    """The period written for the next academic year: every year in it one later (a 29
    February that does not exist then becomes the 28th)."""
    moved = re.sub(r"\b(20\d\d)\b", lambda match: str(int(match.group(1)) + 1), text)

    def real(match: re.Match) -> str:
        day, month, year = (int(part) for part in match.groups())
        if (day, month) == (29, 2) and not calendar.isleap(year):
            return f"28.02.{year}"
        return match.group(0)

    return DATE.sub(real, moved)
