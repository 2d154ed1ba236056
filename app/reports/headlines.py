"""The summary at the top of the report page: who answered, and the few figures that matter
most — each indicator against its norm, and the yes/no question with the lowest share of «yes».
"""

from app.campaigns.models import ResponseStatus
from app.questionnaires.spec import YES
from app.reports.rounding import PERCENT

MOST = 5


def coverage(completion: dict) -> dict:
    statuses = completion["statuses"]
    answered = statuses[ResponseStatus.SUBMITTED] + statuses[ResponseStatus.ACCEPTED]
    total = completion["total"]
    return {
        "answered": answered,
        "total": total,
        "percent": answered * 100 / total if total else None,
        "on_time": completion["on_time"],
        "late": completion["late"],
        "missing": total - answered,
    }


def headlines(report: dict, indicator_items: list[dict]) -> list[dict]:
    """Up to MOST figures: {"title", "value", "places", "unit", "norm", "beyond", "of",
    "kind"} with kind "indicator" or "yes_share"."""
    found = [
        {
            "kind": "indicator",
            "title": item["indicator"].title,
            "value": item["mean"],
            "places": item["places"],
            "unit": item["indicator"].unit,
            "norm": item["indicator"].threshold,
            "direction": item["indicator"].threshold_direction,
            "beyond": len(item["below"]),
            "of": item["n"],
        }
        for item in indicator_items
        if item["mean"] is not None
    ][: MOST - 1]
    shares = [
        (option["percent"], entry["question"], option["count"], entry["report"]["respondents"])
        for section in report["sections"]
        for entry in section["questions"]
        if entry["question"]["type"] == "yesno" and entry["report"]["respondents"]
        for option in entry["report"]["options"]
        if option["code"] == YES
    ]
    if shares:
        percent, question, count, respondents = min(shares, key=lambda share: share[0])
        found.append(
            {
                "kind": "yes_share",
                "title": question["label"],
                "value": percent,
                "places": PERCENT,
                "unit": "%",
                "count": count,
                "of": respondents,
            }
        )
    return found
