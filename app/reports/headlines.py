"""The main findings of a report, stated once for the report page and the справка.

The page's summary: who answered and the few figures that matter most (each indicator against
its norm, the yes/no question with the lowest share of «yes»). The справка's findings in words a
ministry reads: the share behind a yes/no or choice question, the best and the worst school by
each indicator, the schools beyond a norm, the change against the previous monitoring.

A finding is structured (kind, key, schools, text). A school's value that the plausibility
checks flagged and nobody confirmed is never named as the best or the worst."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.campaigns.models import ResponseStatus
from app.core.text import quoted
from app.questionnaires.spec import YES
from app.reports.plausibility import Suspect
from app.reports.rounding import PERCENT, figure_text, value_places

MOST = 5
DASH = "\u2013"


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


@dataclass(frozen=True)
class Finding:
    kind: str  # share, top, best, worst, outside, change
    key: str
    text: str
    schools: tuple[str, ...] = ()


def unconfirmed(suspects: Iterable[Suspect]) -> set[tuple[str, str]]:
    """{(organization, key)} of the flagged values nobody has confirmed."""
    return {(s.organization, s.key) for s in suspects if not s.checked}


def _label(question: dict) -> str:
    return question["label"].strip().rstrip("?:").rstrip()


def _schools_word(n: int) -> str:
    return "организации" if n % 10 == 1 and n % 100 != 11 else "организаций"


def _share(part: int, whole: int) -> str:
    percent = figure_text(100 * part / whole, PERCENT) if whole else "—"
    return f"{part} из {whole} {_schools_word(whole)} ({percent}\u00a0%)"


def choice_finding(question: dict, report: dict) -> Finding | None:
    """«Есть ли Интернет: да – 7 из 20 организаций (35,0 %)», or the most chosen option."""
    whole = report.get("respondents")
    if report["kind"] != "choices" or not whole:
        return None
    if question["type"] == "yesno":
        yes = next(o for o in report["options"] if o["code"] == YES)
        text = f"{_label(question)}: да {DASH} {_share(yes['count'], whole)}"
        return Finding("share", question["key"], text)
    top = max(report["options"], key=lambda option: option["count"])
    share = _share(top["count"], whole)
    text = f"{_label(question)}: чаще всего {DASH} {quoted(top['label'])}, {share}"
    return Finding("top", question["key"], text)


def block_headline(section: dict) -> str | None:
    """The opening sentence of a block: its choice findings joined, at most three."""
    findings = [choice_finding(e["question"], e["report"]) for e in section["questions"]]
    texts = [finding.text for finding in findings if finding][:3]
    return "; ".join(texts) + "." if texts else None


def indicator_findings(item: dict, suspects: Sequence[Suspect] = ()) -> list[Finding]:
    """The best and the worst school by an indicator (leaving out unconfirmed suspicious values)
    and the schools beyond its norm."""
    indicator, places = item["indicator"], item["places"]
    key = f"indicator:{indicator.key}"
    doubtful = unconfirmed(suspects)
    known = [
        (name, v) for name, v in item["schools"] if v is not None and (name, key) not in doubtful
    ]
    findings = []
    unit = f" {indicator.unit}".rstrip()
    if len(known) >= 2:
        higher_is_better = indicator.threshold_direction != "above"
        ranked = sorted(known, key=lambda row: row[1], reverse=higher_is_better)
        for kind, (name, value), word in (
            ("best", ranked[0], "лучшее значение"),
            ("worst", ranked[-1], "худшее значение"),
        ):
            text = f"{word} {DASH} {name} ({figure_text(value, value_places(value, places))}{unit})"
            findings.append(Finding(kind, key, text, (name,)))
    if indicator.threshold is not None:
        outside = item["below"]
        side = "выше" if indicator.threshold_direction == "above" else "ниже"
        norm = figure_text(indicator.threshold, value_places(indicator.threshold, places))
        if outside:
            names = ", ".join(name for name, _ in outside)
            text = f"{side} нормы ({norm}{unit}) {DASH} {_share(len(outside), item['n'])}: {names}"
        else:
            text = f"значений {side} нормы ({norm}{unit}) нет"
        findings.append(Finding("outside", key, text, tuple(name for name, _ in outside)))
    return findings


def change_finding(key: str, label: str, before, now, places: int) -> Finding | None:
    """«Читаемость: выросло с 12,5 до 14,0»."""
    if before is None or now is None:
        return None
    was, is_ = (figure_text(v, value_places(v, places)) for v in (before, now))
    if was == is_:
        text = f"{label}: не изменилось ({is_})"
    else:
        verb = "выросло" if now > before else "снизилось"
        text = f"{label}: {verb} с {was} до {is_}"
    return Finding("change", key, text)
