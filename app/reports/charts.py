"""What each chart of the report page shows, as data for app/static/js/report-charts.js.

A chart is a dict turned into JSON: its kind, labels and values, the decimals of the values, the
axis titles and, for the screen reader, a sentence that says what the chart shows (``summary``).
The page's tables carry the same figures for readers without JavaScript.
"""

from flask_babel import gettext as _

from app.reports.rounding import COUNT, PERCENT, figure_text, value_places

SCHOOLS_DRAWN = 60  # more bars than this would not be read one by one


def _number(value) -> float | None:
    return None if value is None else float(value)


def statuses_chart(completion: dict) -> dict:
    labels = [status.label for status in completion["statuses"]]
    values = list(completion["statuses"].values())
    return {
        "kind": "counts",
        "labels": labels,
        "values": values,
        "places": COUNT,
        "x_title": _("Number of organizations"),
        "series": _("Number of organizations"),
        "summary": _("Chart: responses by status.")
        + " "
        + "; ".join(f"{label} — {value}" for label, value in zip(labels, values, strict=True)),
    }


def choice_chart(question: dict, report: dict) -> dict:
    options = report["options"]
    return {
        "kind": "shares",
        "labels": [option["label"] for option in options],
        "values": [_number(option["percent"]) or 0 for option in options],
        "counts": [option["count"] for option in options],
        "places": PERCENT,
        "x_title": _("Percent of those who answered"),
        "series": _("Percent of those who answered"),
        "summary": _("Chart: %(question)s.", question=question["label"])
        + " "
        + "; ".join(
            f"{option['label']} — {option['count']} ({figure_text(option['percent'], PERCENT)} %)"
            for option in options
        ),
    }


def histogram_chart(question: dict, bins: list[dict]) -> dict:
    counts = [item["count"] for item in bins]
    fullest = max(range(len(bins)), key=counts.__getitem__)
    total = sum(counts)
    return {
        "kind": "histogram",
        "labels": [item["label"] for item in bins],
        "values": counts,
        "places": COUNT,
        "x_title": _("Answer, intervals of values"),
        "y_title": _("Number of organizations"),
        "series": _("Number of organizations"),
        "summary": _(
            "Histogram: %(question)s. %(total)s answered; values from %(first)s to %(last)s; "
            "most organizations (%(count)s) in %(fullest)s.",
            question=question["label"],
            total=total,
            first=bins[0]["label"].split("–")[0],
            last=bins[-1]["label"].split("–")[-1],
            count=counts[fullest],
            fullest=bins[fullest]["label"],
        ),
    }


def schools_chart(item: dict) -> dict | None:
    """An indicator school by school, highest first, the schools beyond the norm marked and the
    norm drawn; None when no school has a value or there are too many schools to read."""
    indicator = item["indicator"]
    known = sorted(
        ((name, value) for name, value in item["schools"] if value is not None),
        key=lambda row: row[1],
        reverse=True,
    )
    if not known or len(known) > SCHOOLS_DRAWN:
        return None
    beyond = set(item["below"])
    title = indicator.title + (f", {indicator.unit}" if indicator.unit else "")
    norm = None
    if indicator.threshold is not None:
        norm_places = value_places(indicator.threshold, item["places"])
        norm = {
            "value": _number(indicator.threshold),
            "label": _("Norm: %(norm)s", norm=figure_text(indicator.threshold, norm_places)),
        }
    below = indicator.threshold_direction != "above"
    places = item["places"]
    summary = _(
        "Chart: %(indicator)s by organization, from %(high)s (%(first)s) to %(low)s (%(last)s).",
        indicator=title,
        high=figure_text(known[0][1], places),
        first=known[0][0],
        low=figure_text(known[-1][1], places),
        last=known[-1][0],
    )
    if norm:
        counts = {"n": len(beyond), "total": len(known)}
        summary += " " + (
            _("Below the norm: %(n)s of %(total)s.", **counts)
            if below
            else _("Above the norm: %(n)s of %(total)s.", **counts)
        )
    return {
        "kind": "schools",
        "labels": [name for name, _value in known],
        "values": [_number(value) for _name, value in known],
        "beyond": [row in beyond for row in known],
        "places": places,
        "x_title": title,
        "series": _("Within the norm") if norm else title,
        "beyond_series": _("Below the norm") if below else _("Above the norm"),
        "norm": norm,
        "summary": summary,
    }


def numeric_entries(report: dict) -> list[tuple[dict, dict]]:
    """(question, its report) of the numeric questions of a campaign report."""
    return [
        (entry["question"], entry["report"])
        for section in report["sections"]
        for entry in section["questions"]
        if entry["report"]["kind"] == "numbers"
    ]


def page_charts(report: dict, indicator_items: list[dict], bins: dict[str, list]) -> dict:
    """The charts of the report page: "completion", each question's by its key and each
    indicator's by "indicator-<key>"; a question without answers has none."""
    charts = {"completion": statuses_chart(report["completion"])}
    for section in report["sections"]:
        for entry in section["questions"]:
            question, figures = entry["question"], entry["report"]
            if figures["kind"] == "choices" and figures["respondents"]:
                charts[question["key"]] = choice_chart(question, figures)
            elif bins.get(question["key"]):
                charts[question["key"]] = histogram_chart(question, bins[question["key"]])
    for item in indicator_items:
        chart = schools_chart(item)
        if chart:
            charts[f"indicator-{item['indicator'].key}"] = chart
    return charts
