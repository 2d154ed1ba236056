"""format-date(): the subset of its directives Russian dates need."""

from datetime import date as Date

# Genitive: «25 ноября 2026».
MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def format_date(day: Date, pattern: str) -> str:
    """%Y %y %m %n %d %e %b are replaced; any other "%x" is kept as it is."""
    directives = {
        "Y": f"{day.year:04d}",
        "y": f"{day.year % 100:02d}",
        "m": f"{day.month:02d}",
        "n": str(day.month),
        "d": f"{day.day:02d}",
        "e": str(day.day),
        "b": MONTHS[day.month - 1],
    }
    parts, at = [], 0
    while at < len(pattern):
        directive = pattern[at + 1 : at + 2] if pattern[at] == "%" else ""
        if directive in directives:
            parts.append(directives[directive])
            at += 2
        else:
            parts.append(pattern[at])
            at += 1
    return "".join(parts)
