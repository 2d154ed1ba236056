"""One measurement in a fresh process; bench.run starts one per size and reads its JSON line.

    python -m bench.measure report --database URL [--repeat 3]
    python -m bench.measure export --database URL --folder DIR [--repeat 3]

A fresh process per measurement keeps the sizes apart: the export's peak RSS (``ru_maxrss``,
read right after the first export) is the memory one export needed, imports and app included.
Each yardstick runs in the same process as what it measures, alternated with it, so that the
load of other programs on the machine falls on both alike.
"""

import argparse
import json
import re
import resource
import statistics
import sys
import time
import zipfile
from collections import defaultdict
from datetime import datetime
from datetime import time as time_of_day
from decimal import Decimal

import sqlalchemy as sa
import xlsxwriter
from openpyxl import Workbook, load_workbook

from app.accounts.models import User
from app.campaigns.models import Campaign
from app.extensions import db
from app.questionnaires.definition import version_definition
from app.reports import aggregates, figures
from app.reports.aggregates import ReportFilter, campaign_report
from app.reports.exports import raw
from app.reports.exports.raw import write_raw
from bench import baseline
from bench.generate import make_app, read_meta

SAMPLE = 200  # data rows per sheet read back from the export for the openpyxl yardstick


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _load(meta: dict) -> tuple[User, Campaign]:
    """The viewer and campaign, as a request would have loaded them before reporting."""
    db.session.remove()
    return db.session.get(User, meta["admin_id"]), db.session.get(Campaign, meta["campaign_id"])


def measure_report(url: str, repeat: int) -> dict:
    """Fastest of ``repeat`` runs of each, alternated, after a warm-up run of each that is
    also profiled and whose figures are compared."""
    meta = read_meta(url)
    app = make_app(url)
    with app.app_context():
        viewer, campaign = _load(meta)
        definition = version_definition(campaign.form_version)
        prepared = baseline.statements(definition, db.engine.dialect.name)
        report, profile = _profiled_report(viewer, campaign)
        viewer, campaign = _load(meta)
        rows, baseline_profile = _profiled_baseline(viewer, campaign, prepared)
        expected = baseline.figures_of_report(report)
        problems = baseline.differences(expected, baseline.figures_of_baseline(definition, rows))
        reports, baselines = [], []
        for _ in range(repeat):
            viewer, campaign = _load(meta)
            with Clock() as clock:
                campaign_report(viewer, campaign)
            reports.append(clock)
            viewer, campaign = _load(meta)
            with Clock() as clock:
                baseline.run(viewer, campaign, prepared)
            baselines.append(clock)
        return {
            "report_s": min(clock.wall for clock in reports),
            "report_median_s": statistics.median(clock.wall for clock in reports),
            "report_cpu_s": min(clock.cpu for clock in reports),
            "baseline_s": min(clock.wall for clock in baselines),
            "baseline_median_s": statistics.median(clock.wall for clock in baselines),
            "baseline_cpu_s": min(clock.cpu for clock in baselines),
            "figures_compared": len(expected),
            "differences": problems[:10],
            "difference_count": len(problems),
            **profile,
            **baseline_profile,
            "peak_mb": peak_mb(),
        }


class _StatementClock:
    """Counts the statements an engine runs."""

    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        sa.event.listen(self.engine, "after_cursor_execute", self._count)
        return self

    def __exit__(self, *_):
        sa.event.remove(self.engine, "after_cursor_execute", self._count)

    def _count(self, *_):
        self.count += 1


FIGURES = ("numbers", "cells", "respondents", "dates", "table_rows", "text_pages")


def _profiled_report(viewer, campaign) -> tuple[dict, dict]:
    """One campaign_report, its statements counted and its time split by kind of figure (the
    functions of app.reports.figures)."""
    by_figure: dict[str, float] = defaultdict(float)
    originals = {name: getattr(figures, name) for name in FIGURES}

    def timed(name):
        def measured(*args, **kwargs):
            began = time.perf_counter()
            try:
                return originals[name](*args, **kwargs)
            finally:
                by_figure[name] += time.perf_counter() - began

        return measured

    for name in FIGURES:
        setattr(figures, name, timed(name))
    try:
        with _StatementClock(db.engine) as clock:
            began = time.perf_counter()
            report = aggregates.campaign_report(viewer, campaign)
            seconds = time.perf_counter() - began
    finally:
        for name, original in originals.items():
            setattr(figures, name, original)
    return report, {
        "report_statements": clock.count,
        "report_warmup_s": seconds,
        "report_by_figure": {name: round(s, 3) for name, s in by_figure.items()},
    }


def _profiled_baseline(viewer, campaign, prepared) -> tuple[dict, dict]:
    rows, times = {}, {}
    for name, statement, extra in prepared:
        began = time.perf_counter()
        rows.update(baseline.run(viewer, campaign, [(name, statement, extra)]))
        times[name] = round(time.perf_counter() - began, 3)
    return rows, {"baseline_statements": len(prepared), "baseline_by_statement": times}


# Export


def count_cells(path: str) -> dict[str, list[int]]:
    """[rows, non-empty cells] of every worksheet of an .xlsx, by its part name.

    openpyxl writes a <row> per appended row and a <c> per cell that holds a value.
    """
    counts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            rows = cells = 0
            tail = b""
            with archive.open(name) as part:
                while block := part.read(1 << 20):
                    text = tail + block
                    rows += text.count(b"<row ") - tail.count(b"<row ")
                    cells += text.count(b"<c ") - tail.count(b"<c ")
                    tail = block[-8:]
            counts[name] = [rows, cells]
    return counts


def _cells(path: str) -> dict:
    """Cells appended (rows × width of every sheet) and, of them, the non-empty ones written."""
    shapes = sheet_shapes(path)
    return {
        "cells": sum(shape["rows"] * shape["width"] for shape in shapes),
        "filled": sum(shape["filled"] for shape in shapes),
        "sheets": {shape["title"]: [shape["rows"], shape["width"]] for shape in shapes},
    }


def measure_export(url: str, folder: str, repeat: int) -> dict:
    """write_raw, then openpyxl alone and XlsxWriter alone writing the same cells, alternated
    ``repeat`` times in this process; the fastest of each. Memory is the peak after the first
    export, before anything else has run."""
    meta = read_meta(url)
    app = make_app(url)
    exported, written = f"{folder}/export.xlsx", f"{folder}/openpyxl.xlsx"
    streamed = f"{folder}/xlsxwriter.xlsx"
    exports, writes, streams = [], [], []
    with app.app_context():
        for run in range(repeat):
            viewer, campaign = _load(meta)
            before = current_mb()
            with Clock() as clock:
                rows = write_raw(viewer, campaign, ReportFilter(), exported)
            exports.append(clock)
            if run == 0:
                memory = {"rss_before_mb": before, "peak_mb": peak_mb(), "rows": rows}
                shapes = sheet_shapes(exported, SAMPLE)
                with Clock() as fetch:  # the export's query alone, JSON decoding included
                    responses = raw._responses(viewer, campaign, ReportFilter())
                    for _row in raw._with_answers(responses):
                        pass
            sheets = [(shape["title"], _rows_in_memory(shape["rows"], shape["sample"]))
                      for shape in shapes]  # fmt: skip
            with Clock() as clock:
                _write_alone(sheets, written)
            writes.append(clock)
            with Clock() as clock:
                _write_streamed(sheets, streamed)
            streams.append(clock)
            del sheets
    export, alone, other = _cells(exported), _cells(written), _cells(streamed)
    for name, cells in (("openpyxl", alone), ("XlsxWriter", other)):
        if export["cells"] != cells["cells"]:
            raise SystemExit(f"{name} alone wrote {cells['cells']} cells, not {export['cells']}")
    return {
        "export_s": min(clock.wall for clock in exports),
        "export_median_s": statistics.median(clock.wall for clock in exports),
        "export_cpu_s": min(clock.cpu for clock in exports),
        "openpyxl_s": min(clock.wall for clock in writes),
        "openpyxl_cpu_s": min(clock.cpu for clock in writes),
        "xlsxwriter_s": min(clock.wall for clock in streams),
        "xlsxwriter_cpu_s": min(clock.cpu for clock in streams),
        "fetch_s": fetch.wall,
        "runs": repeat,
        **export,
        "openpyxl_filled": alone["filled"],
        **memory,
    }


class Clock:
    """Wall and CPU (user + system) seconds of a block."""

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def _write_alone(sheets: list[tuple[str, list[list]]], out: str) -> None:
    """openpyxl alone in write-only mode, every value already in memory."""
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(out)


def _write_streamed(sheets: list[tuple[str, list[list]]], out: str) -> None:
    """XlsxWriter alone in constant-memory mode, every value already in memory (dates with a
    date format, as a reader needs them)."""
    options = {"constant_memory": True, "default_date_format": "DD.MM.YYYY"}
    workbook = xlsxwriter.Workbook(out, options)
    for title, rows in sheets:
        sheet = workbook.add_worksheet(title)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
    workbook.close()


def sheet_shapes(path: str, sample: int = 0) -> list[dict]:
    """Title, rows, width (cells of the header row) and the first ``sample`` rows (padded to
    the width) of every sheet of a workbook that write_raw wrote: every row of one of its
    sheets has the same number of cells."""
    counts = count_cells(path)
    workbook = load_workbook(path, read_only=True)
    shapes = []
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) >= sample + 2:
                break
        width = len(rows[0])
        shapes.append(
            {"title": sheet.title, "rows": counts[sheet._worksheet_path][0], "width": width,
             "filled": counts[sheet._worksheet_path][1],
             "sample": [row + [None] * (width - len(row)) for row in rows]}
        )  # fmt: skip
    workbook.close()
    return shapes


def _as_exported(value):
    """The value as write_raw gave it: reading back turns its Decimals into floats and its
    dates into datetimes at midnight (its one datetime, the submission, is never at 0:00)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, datetime) and value.time() == time_of_day.min:
        return value.date()
    return value


def _rows_in_memory(total: int, sample: list[list]) -> list[list]:
    """``total`` rows: the two header rows, then the sample's data rows over and over, the
    first cell (an organization's name) made unique as in the export."""
    sample = [[_as_exported(value) for value in row] for row in sample]
    if total <= len(sample):
        return sample[:total]
    header, data = sample[:2], sample[2:]
    rows = list(header)
    for number in range(total - 2):
        row = data[number % len(data)]
        rows.append([f"{row[0]} {number}", *row[1:]])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("report", "export"))
    parser.add_argument("--database", required=True)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--folder", help="where the export writes its workbooks")
    args = parser.parse_args()
    if args.what == "report":
        result = measure_report(args.database, args.repeat)
    else:
        result = measure_export(args.database, args.folder, args.repeat)
    sys.stdout.write(json.dumps(result, default=str) + "\n")


if __name__ == "__main__":
    main()
