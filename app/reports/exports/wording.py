"""Russian wording in documents: percents, plurals, «N из M организаций», periods, labels (the
figures themselves are written by app/reports/rounding.py)."""

from decimal import ROUND_HALF_UP, Decimal

from app.campaigns.models import Campaign
from app.core.timefmt import date_filter
from app.reports.rounding import PERCENT, figure_text

NBSP, DASH = "\u00a0", "\u2013"
PERCENT_PLACES = Decimal("0.1")


def percent_of(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / whole).quantize(PERCENT_PLACES, ROUND_HALF_UP) if whole else None


def percent_text(value) -> str:
    return "—" if value is None else f"{figure_text(value, PERCENT)}{NBSP}%"


def plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many


def share_text(part: int, whole: int) -> str:
    """«2 из 3 организаций (66,7 %)»"""
    noun = plural(whole, "организации", "организаций", "организаций")
    return f"{part} из {whole} {noun} ({percent_text(percent_of(part, whole))})"


def lower_first(text: str) -> str:
    """«Анализ оснащения» after a colon; «ИБЦ …» stays as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def period_text(campaign: Campaign) -> str:
    return f"{date_filter(campaign.opens_at)}{DASH}{date_filter(campaign.closes_at)}"


def sentence_label(question: dict) -> str:
    """The label to start a sentence with: «Есть ли Интернет: да …», «Фонд, экз.: …»."""
    return question["label"].strip().rstrip("?:").rstrip()
