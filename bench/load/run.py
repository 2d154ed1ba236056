"""The deadline-day load scenario, from a fresh database to its figures.

    python -m bench.load.run [--database URL] [--workers 5] [--spawn-rate 2]

1. ``bench.load.seed`` makes the database: 650 schools, a 60-question form, 5 staff, 10 jurors.
2. The app starts as ``make prod`` starts it (scripts/prod.sh: gunicorn with ``--workers``
   workers on PostgreSQL, Redis for the rate-limit counters and the task queue, huey worker).
3. Throughput: the smallest page, then a school's editable form page, each as fast as the
   server answers for THROUGHPUT_SECONDS; the form page's requests/s ÷ the smallest page's.
4. The scenario (locustfile.py): every school logs in, autosaves every 5–10 s and submits,
   staff read the dashboard and the report, jurors score.
5. ``bench.load.check`` compares the database with what each school sent.

Prints requests/s, p50/p95/p99 per kind of request and errors, and the goals' verdicts.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.load import check, seed

ROOT = Path(__file__).resolve().parents[2]
LOAD = Path(__file__).resolve().parent
THROUGHPUT_SECONDS = 20
THROUGHPUT_USERS = 10
GOAL_P95_MS = 300
GOAL_RATIO = 0.3


def _server(url: str, port: int, workers: int, out: str) -> subprocess.Popen:
    """The production-like start (scripts/prod.sh, as ``make prod``) on the seeded database."""
    env = {**os.environ, "PROD_DATABASE": url.rsplit("/", 1)[1], "PORT": str(port),
           "WEB_CONCURRENCY": str(workers), "GUNICORN_LOG_LEVEL": "warning"}  # fmt: skip
    log = open(f"{out}-server.log", "w")  # noqa: SIM115 (the server's, closed with it)
    server = subprocess.Popen(["bash", "scripts/prod.sh"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                health = json.load(answer)
            print(f"healthz: {health}")
            return server
        except OSError:
            time.sleep(0.5)
    _stop(server)
    raise SystemExit("the production-like start did not answer /healthz within 120 s")


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)


def _locust(locustfile: str, port: int, users: int, rate: float, seconds: int, prefix: str,
            **env) -> list[dict]:  # fmt: skip
    command = [
        sys.executable, "-m", "locust", "-f", str(LOAD / locustfile), "--headless",
        "--host", f"http://127.0.0.1:{port}", "-u", str(users), "-r", str(rate),
        "--run-time", f"{seconds}s", "--csv", prefix, "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, check=False)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _row(rows: list[dict], name: str) -> dict:
    return next(row for row in rows if row["Name"] == name)


def _throughput(port: int, prefix: str) -> dict:
    figures = {}
    for page in ("minimal", "login", "fill"):
        rows = _locust("throughput.py", port, THROUGHPUT_USERS, THROUGHPUT_USERS,
                       THROUGHPUT_SECONDS, f"{prefix}-{page}", LOAD_PAGE=page)  # fmt: skip
        figures[page] = float(_row(rows, page)["Requests/s"])
    figures["ratio"] = figures["fill"] / figures["minimal"]
    figures["ratio_to_login"] = figures["fill"] / figures["login"]
    return figures


def _report(rows: list[dict], throughput: dict, checked: dict, schools: int) -> dict:
    kinds = [row for row in rows if row["Name"] != "Aggregated"]
    print(f"\n{'request':<14}{'count':>8}{'errors':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    for row in [*kinds, _row(rows, "Aggregated")]:
        print(
            f"{row['Name']:<14}{row['Request Count']:>8}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
    total = _row(rows, "Aggregated")
    slowest = max(int(row["95%"]) for row in kinds)
    verdicts = {
        "errors": int(total["Failure Count"]) == 0,
        "answers": not checked["problems"]
        and checked["submitted_in_database"] == checked["schools_sent"] == schools,
        f"p95 < {GOAL_P95_MS} ms": slowest < GOAL_P95_MS,
        f"form page ÷ smallest page ≥ {GOAL_RATIO}": throughput["ratio"] >= GOAL_RATIO,
    }
    print(
        f"\nthroughput: smallest page {throughput['minimal']:.0f} req/s, login page"
        f" {throughput['login']:.0f} req/s, form page {throughput['fill']:.0f} req/s; ratio"
        f" {throughput['ratio']:.3f} (to the login page {throughput['ratio_to_login']:.3f})"
    )
    print(
        f"answers: {checked['schools_sent']} schools sent, {checked['submitted_in_database']}"
        f" submitted, {checked['fields_compared']} fields compared,"
        f" {len(checked['problems'])} differences"
    )
    for goal, met in verdicts.items():
        print(f"  {goal}: {'PASS' if met else 'FAIL'}")
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1/load")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--schools", type=int, default=seed.SCHOOLS)
    parser.add_argument("--port", type=int, default=8750)
    parser.add_argument("--spawn-rate", type=float, default=2, help="schools logging in per s")
    parser.add_argument("--minutes", type=float, default=15, help="longest run of the scenario")
    parser.add_argument("--out", default="/tmp/load", help="prefix of the files written")
    parser.add_argument("--throughput-only", action="store_true", help="skip the scenario")
    args = parser.parse_args()
    os.environ.setdefault("LOAD_PLAN", f"{args.out}-plan.json")
    os.environ.setdefault("LOAD_SENT", f"{args.out}-sent.jsonl")
    plan = seed.seed(args.database, args.schools)
    with open(os.environ["LOAD_PLAN"], "w", encoding="utf-8") as handle:
        json.dump(plan, handle, ensure_ascii=False)
    server = _server(args.database, args.port, args.workers, args.out)
    try:
        throughput = _throughput(args.port, args.out)
        if args.throughput_only:
            print(json.dumps(throughput))
            return
        people = len(plan["schools"]) + len(plan["staff"]) + len(plan["jurors"])
        rows = _locust("locustfile.py", args.port, people, args.spawn_rate,
                       int(args.minutes * 60), args.out)  # fmt: skip
    finally:
        _stop(server)
    checked = check.check(args.database, os.environ["LOAD_SENT"], plan)
    verdicts = _report(rows, throughput, checked, len(plan["schools"]))
    with open(f"{args.out}-result.json", "w", encoding="utf-8") as handle:
        json.dump({"throughput": throughput, "stats": rows, "check": checked,
                   "verdicts": verdicts}, handle, ensure_ascii=False, indent=1)  # fmt: skip
    for problem in checked["problems"][:20]:
        print("  ", problem)


if __name__ == "__main__":
    main()
