"""The аналитическая справка of the bench campaign, charts included, timed in a fresh process:

    python -m bench.spravka --database URL [--repeat 3]

The bench form has no indicators; two are added (and rolled back afterwards) so that the
справка draws its charts by school and its norms as it would for a district's form. Prints
one JSON line: seconds of each run, pictures and pages of the document (goal: under 60 s for
1,000 schools on 2 cores)."""

import argparse
import io
import json
import time
from decimal import Decimal

from docx import Document

from app.extensions import db
from app.questionnaires.definition import version_definition
from app.reports import indicators
from app.reports.aggregates import ReportFilter
from app.reports.exports.docx_report import write_docx
from bench.generate import make_app, read_meta
from bench.measure import _load, peak_mb

GOAL_SECONDS = 60


def _add_indicators(viewer, campaign) -> None:
    definition = version_definition(campaign.form_version)
    numbers = [q["key"] for s in definition["sections"] for q in s["questions"]
               if q["type"] == "integer"][:3]  # fmt: skip
    form = campaign.form_version.form
    indicators.add_indicator(viewer, form, key="bench_ratio", title="Отношение показателей",
                             formula=f"{numbers[0]} / {numbers[1]}", unit="",
                             threshold=Decimal(1))  # fmt: skip
    indicators.add_indicator(viewer, form, key="bench_sum", title="Сумма показателей",
                             formula=f"{numbers[1]} + {numbers[2]}", unit="шт.",
                             threshold=None)  # fmt: skip
    db.session.flush()


def measure(url: str, repeat: int) -> dict:
    meta = read_meta(url)
    app = make_app(url)
    runs, size = [], 0
    with app.app_context(), app.test_request_context():
        for _ in range(repeat):
            viewer, campaign = _load(meta)
            _add_indicators(viewer, campaign)
            target = io.BytesIO()
            started = time.perf_counter()
            write_docx(viewer, campaign, ReportFilter(), target, executor="Бенчмарк")
            runs.append(round(time.perf_counter() - started, 2))
            db.session.rollback()
            size = len(target.getvalue())
        peak = peak_mb()  # before the document is read back for its counts
        document = Document(io.BytesIO(target.getvalue()))
    return {
        "schools": meta["size"],
        "seconds": runs,
        "best": min(runs),
        "goal": GOAL_SECONDS,
        "pass": max(runs) < GOAL_SECONDS,
        "pictures": len(document.inline_shapes),
        "tables": len(document.tables),
        "bytes": size,
        "peak_mb": round(peak),
    }


def command(measure_of, description: str) -> None:
    """Reads --database and --repeat, measures, prints one JSON line (this bench's and
    bench.plausibility's command line)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    print(json.dumps(measure_of(arguments.database, arguments.repeat), ensure_ascii=False))


def main() -> None:
    command(measure, __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
