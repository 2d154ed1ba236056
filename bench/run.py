"""Report and raw-export benchmarks at several sizes, each set against its yardstick.

    python -m bench.run [--sizes 1000,10000] [--with-40k] [--database POSTGRES_URL]

For each size: generate the database (or reuse it when bench_meta says it holds that size),
then, each in a fresh process, time the campaign report and the hand-written SQL computing
the same figures, the raw .xlsx export, and openpyxl writing the same cells from memory.
Prints a table with the ratios and their goals. Nothing is asserted: this is a measurement.

SQLite databases are /tmp/bench_<size>.db; with ``--database`` (a PostgreSQL URL) each size
lives in its own schema bench_n<size> of that database.
"""

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.generate import GENERATOR, read_meta, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
REPORT_GOAL = 2.0  # report time ÷ yardstick SQL time, at most
EXPORT_GOAL = 0.75  # export cells/s ÷ openpyxl cells/s, at least
XLSXWRITER_GOAL = 0.9  # export cells/s ÷ XlsxWriter (constant memory) cells/s, at least
MEMORY_GOAL = 300  # MB, peak RSS of the export process
MEMORY_GROWTH_GOAL = 1.5  # peak RSS at 40,000 ÷ peak RSS at 1,000, at most
GROWTH_GOAL = 1.1  # (time ratio ÷ size ratio) between sizes; 1.0 is linear, 10 % for noise
SMALL = 2000  # sizes up to this are cheap enough to repeat


def target(base: str | None, size: int) -> str:
    """The database URL of one size: a SQLite file, or a schema of the PostgreSQL database."""
    if not base:
        return sqlite_url(size)
    schema = f"bench_n{size}"
    engine = sa.create_engine(base)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def child(module: str, *args: str) -> dict:
    """Runs ``python -m module args`` and returns the JSON of its last line of output."""
    command = [sys.executable, "-m", module, *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"{module} {args[0]} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def ensure_database(url: str, size: int, seed: int, regenerate: bool) -> float | None:
    """Seconds spent generating, or None when an existing database was reused."""
    meta = read_meta(url)
    fits = meta and (meta["size"], meta["seed"], meta["generator"]) == (size, seed, GENERATOR)
    if fits and not regenerate:
        print(f"  reusing the database of {size} (generated in {meta['seconds']} s)")
        return None
    began = time.perf_counter()
    command = [sys.executable, "-m", "bench.generate", "--size", str(size), "--seed", str(seed)]
    result = subprocess.run(
        [*command, "--database", url], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )  # stdout shows the progress; stderr holds Alembic's log, shown only on failure
    if result.returncode:
        sys.stderr.write(result.stderr[-3000:])
        raise SystemExit(f"generating {size} schools failed")
    return time.perf_counter() - began


def measure(url: str, size: int, runs: int) -> dict:
    print(f"  report and yardstick SQL, {runs} timed run(s) each after a warm-up ...")
    report = child("bench.measure", "report", "--database", url, "--repeat", str(runs))
    print(f"  export and openpyxl alone, {runs} run(s) each ...")
    with tempfile.TemporaryDirectory(prefix="bench_") as folder:
        export = child(
            "bench.measure", "export", "--database", url, "--folder", folder, "--repeat", str(runs)
        )
    return {"size": size, "report": report, "export": export}


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def figures(result: dict) -> dict:
    report, export = result["report"], result["export"]
    return {
        "report_ratio": report["report_s"] / report["baseline_s"],
        "report_cpu_ratio": report["report_cpu_s"] / report["baseline_cpu_s"],
        "export_speed": export["cells"] / export["export_s"],
        "openpyxl_speed": export["cells"] / export["openpyxl_s"],
        "export_ratio": export["openpyxl_s"] / export["export_s"],
        "export_cpu_ratio": export["openpyxl_cpu_s"] / export["export_cpu_s"],
        "xlsxwriter_speed": export["cells"] / export["xlsxwriter_s"],
        "xlsxwriter_ratio": export["xlsxwriter_s"] / export["export_s"],
        "xlsxwriter_cpu_ratio": export["xlsxwriter_cpu_s"] / export["export_cpu_s"],
    }


def print_results(results: list[dict], label: str) -> None:
    print(f"\n=== {label} ===")
    print(
        f"{'schools':>8} {'report s':>9} {'SQL s':>7} {'ratio':>6} goal≤{REPORT_GOAL:<5}"
        f"{'export s':>9} {'cells':>9} {'cells/s':>8} {'openpyxl/s':>10} {'ratio':>6} "
        f"goal≥{EXPORT_GOAL:<5}{'xlsxw/s':>8} {'ratio':>6} goal≥{XLSXWRITER_GOAL:<5}"
        f"{'peak MB':>8} goal≤{MEMORY_GOAL}"
    )
    for result in results:
        report, export, got = result["report"], result["export"], figures(result)
        print(
            f"{result['size']:>8} {report['report_s']:>9.2f} {report['baseline_s']:>7.2f} "
            f"{got['report_ratio']:>6.2f} {verdict(got['report_ratio'] <= REPORT_GOAL):<10}"
            f"{export['export_s']:>9.2f} {export['cells']:>9} {got['export_speed']:>8.0f} "
            f"{got['openpyxl_speed']:>10.0f} {got['export_ratio']:>6.2f} "
            f"{verdict(got['export_ratio'] >= EXPORT_GOAL):<10}"
            f"{got['xlsxwriter_speed']:>8.0f} {got['xlsxwriter_ratio']:>6.2f} "
            f"{verdict(got['xlsxwriter_ratio'] >= XLSXWRITER_GOAL):<10}{export['peak_mb']:>8.0f} "
            f"{verdict(export['peak_mb'] <= MEMORY_GOAL)}"
        )
    server = "PostgreSQL" in label
    print(
        "the same ratios from CPU time (user + system of the measuring process), less shaken by "
        "other programs"
        + ("; the report's is left out: its work is in the server" if server else "")
    )
    for result in results:
        got = figures(result)
        report = "" if server else f"report ÷ SQL {got['report_cpu_ratio']:.2f}   "
        print(
            f"{result['size']:>8}  {report}export ÷ openpyxl speed {got['export_cpu_ratio']:.2f}"
            f"   export ÷ XlsxWriter speed {got['xlsxwriter_cpu_ratio']:.2f}"
        )
    _print_growth(results)
    _print_checks(results)


def _print_growth(results: list[dict]) -> None:
    ordered = sorted(results, key=lambda result: result["size"])
    smallest = ordered[0]
    for before, after in zip(ordered, ordered[1:], strict=False):
        scale = after["size"] / before["size"]
        # Medians: the fastest of five runs at a small size against the one run at a large
        # size would make growth look worse than it is.
        report = after["report"]["report_median_s"] / before["report"]["report_median_s"] / scale
        export = after["export"]["export_median_s"] / before["export"]["export_median_s"] / scale
        memory = after["export"]["peak_mb"] / smallest["export"]["peak_mb"]
        memory_goal = (
            f"goal≤{MEMORY_GROWTH_GOAL} at 40,000: {verdict(memory <= MEMORY_GROWTH_GOAL)}"
            if after["size"] >= 40000 and smallest["size"] <= 1000
            else "(goal applies at 40,000 vs 1,000)"
        )
        print(
            f"growth {before['size']} → {after['size']} (time ratio ÷ size ratio, "
            f"goal≤{GROWTH_GOAL}): report {report:.2f} {verdict(report <= GROWTH_GOAL)}, "
            f"export {export:.2f} {verdict(export <= GROWTH_GOAL)}; export peak memory "
            f"{memory:.2f}× that at {smallest['size']} {memory_goal}"
        )


def _print_checks(results: list[dict]) -> None:
    for result in results:
        report = result["report"]
        agreed = "agree" if not report["difference_count"] else "DISAGREE"
        print(
            f"{result['size']}: report and yardstick {agreed} on {report['figures_compared']} "
            f"questions; report {report['report_statements']} statements, yardstick "
            f"{report['baseline_statements']}; yardstick per statement "
            f"{report['baseline_by_statement']}"
        )
        for difference in report["differences"]:
            print(f"    {difference}")
        print(f"    report per kind of figure (warm-up run): {report['report_by_figure']}")
        export = result["export"]
        generated = result["generate_s"]
        print(
            f"    export: {export['rows']} rows; its query and JSON decoding alone "
            f"{export['fetch_s']:.2f}s; peak RSS {export['peak_mb']:.0f} MB, of which "
            f"{export['rss_before_mb']:.0f} MB before the export; database "
            + (f"generated in {generated:.0f}s" if generated else "reused")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated school counts")
    parser.add_argument("--with-40k", action="store_true", help="add 40,000 schools")
    parser.add_argument("--skip-40k", action="store_true", help="leave 40,000 out of --sizes")
    parser.add_argument("--database", help="PostgreSQL URL; default SQLite files in /tmp")
    parser.add_argument(
        "--repeat", type=int, help="timed runs (default 5 up to 2,000 schools, else 1)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--regenerate", action="store_true", help="never reuse a database")
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args()
    sizes = {int(size) for size in args.sizes.split(",")}
    if args.with_40k:
        sizes.add(40000)
    if args.skip_40k:
        sizes.discard(40000)
    label = _environment(args.database)
    print(label)
    began, results = time.perf_counter(), []
    for size in sorted(sizes):
        print(f"\n{size} schools")
        url = target(args.database, size)
        generated = ensure_database(url, size, args.seed, args.regenerate)
        runs = args.repeat or (5 if size <= SMALL else 1)
        result = measure(url, size, runs)
        result["generate_s"] = generated
        results.append(result)
    print_results(results, label)
    print(f"\nwhole run {time.perf_counter() - began:.0f} s; load average now {_load()}")
    if args.json:
        Path(args.json).write_text(json.dumps({"label": label, "results": results}, indent=1))


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _environment(database: str | None) -> str:
    if database:
        engine = sa.create_engine(database)
        with engine.connect() as connection:
            server = connection.execute(sa.text("SHOW server_version")).scalar()
        engine.dispose()
        name = f"PostgreSQL {server}"
    else:
        name = f"SQLite {sqlite3.sqlite_version}"
    return (
        f"{name}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {_load()}"
    )


if __name__ == "__main__":
    main()
