"""The campaign report page with its figures cached (app/reports/cache.py), at several sizes.

    python -m bench.report_cache [--sizes 1000,10000] [--with-40k] [--database POSTGRES_URL]

For each size, in a fresh process: the whole page (view, figures, template) as the bench admin
sees it — the first view of a large campaign (the page saying the figures are being computed,
then the worker's computation, then the page), the first view computed inside the request
(nothing cached: computed, stored, shown), a cached view (figures read from report_cache), a
view after a change (the old figures shown at once, a recomputation asked for) — against the
uncached computation of the same figures
(``cache.compute``: what every view did before the cache), measured in the same process and
alternated with the cached views. Then the background recomputation (``cache.refresh``).
Databases are those of bench.run (generated when missing, reused otherwise) brought up to
the app's latest migration. Nothing is asserted: the goal is printed with PASS or FAIL.
"""

import argparse
import json
import os
import statistics
import sys
import time

import sqlalchemy as sa
from flask_login import login_user
from flask_migrate import upgrade

from bench.generate import make_app, read_meta
from bench.run import SMALL, _environment, child, ensure_database, target

GOAL_S = 1.0  # a cached view at 40,000 schools, at most


class Clock:
    def __enter__(self):
        self.began, self.cpu_began = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_):
        self.wall = time.perf_counter() - self.began
        self.cpu = time.process_time() - self.cpu_began


def measure(url: str, repeat: int) -> dict:
    from app.accounts.models import User
    from app.campaigns.models import Campaign
    from app.extensions import db
    from app.reports import aggregates, cache, first_view, jobs, views
    from app.reports.models import ReportCache, ReportRevision

    meta = read_meta(url)
    app = make_app(url)
    path = f"/reports/campaigns/{meta['campaign_id']}"
    asked = []

    def page() -> tuple[float, float, str]:
        db.session.remove()
        with app.test_request_context(path), Clock() as clock:
            login_user(db.session.get(User, meta["admin_id"]))
            html = views.campaign(meta["campaign_id"])
        return clock.wall, clock.cpu, html

    def uncached() -> tuple[float, float]:
        db.session.remove()
        with app.test_request_context(path), Clock() as clock:
            viewer = db.session.get(User, meta["admin_id"])
            campaign = db.session.get(Campaign, meta["campaign_id"])
            cache.compute(viewer, campaign, aggregates.ReportFilter(), cache.Request())
            db.session.rollback()
        return clock.wall, clock.cpu

    queued = []
    with app.app_context():
        upgrade()
        db.session.execute(sa.delete(ReportCache))
        db.session.commit()
        cache.schedule_refresh = asked.append  # the queue is measured apart (refresh below)
        # the first view as a large campaign's: the page answers at once, the worker computes
        app.config["REPORT_SYNC_RESPONSES"] = 0
        jobs.compute_report_figures = lambda *task: queued.append(task)
        pending_s, _cpu, pending_html = page()
        with Clock() as worker:
            db.session.remove()
            first_view.compute(*queued[0])
        shown_s, _cpu, _html = page()
        # and as a small campaign's, computed inside the request
        app.config["REPORT_SYNC_RESPONSES"] = 10**9
        db.session.execute(sa.delete(ReportCache))
        db.session.commit()
        first_s, first_cpu, first_html = page()
        entry = db.session.scalar(sa.select(ReportCache))
        payload_kb = len(entry.payload.encode()) / 1024
        cached, computed = [], []
        for _ in range(repeat):
            computed.append(uncached())
            cached.append(page()[:2])
        for _ in range(max(0, 5 - repeat)):
            cached.append(page()[:2])
        same_page = _figures_part(page()[2]) == _figures_part(first_html)
        db.session.execute(
            sa.update(ReportRevision)
            .where(ReportRevision.scope == f"campaign:{meta['campaign_id']}")
            .values(revision=ReportRevision.revision + 1)
        )
        db.session.commit()
        stale_s, stale_cpu, stale_html = page()
        with Clock() as refresh:
            db.session.remove()
            recomputed = cache.refresh(meta["campaign_id"])
        after_s, _cpu, after_html = page()
        rows = db.session.scalar(sa.text("SELECT count(*) FROM answer"))
    cached_s = [wall for wall, _cpu in cached]
    computed_s = [wall for wall, _cpu in computed]
    return {
        "first_s": first_s,
        "first_cpu_s": first_cpu,
        "pending_s": pending_s,
        "pending_says_so": "считаются" in pending_html,
        "queued": len(queued),
        "worker_s": worker.wall,
        "shown_after_worker_s": shown_s,
        "cached_s": min(cached_s),
        "cached_median_s": statistics.median(cached_s),
        "cached_cpu_s": min(cpu for _wall, cpu in cached),
        "uncached_s": min(computed_s),
        "uncached_median_s": statistics.median(computed_s),
        "uncached_cpu_s": min(cpu for _wall, cpu in computed),
        "stale_s": stale_s,
        "stale_cpu_s": stale_cpu,
        "stale_says_so": "новые ответы подсчитываются" in stale_html,
        "refresh_s": refresh.wall,
        "refreshed": recomputed,
        "after_refresh_s": after_s,
        "current_after_refresh": "Цифры подсчитаны" in after_html,
        "refresh_queued": len(asked),
        "payload_kb": payload_kb,
        "same_page": same_page,
        "answer_rows": rows,
        "runs": len(cached_s),
    }


def _figures_part(html: str) -> str:
    """The page without the line saying when its figures were computed."""
    start = html.find('id="figures-time"')
    end = html.find("</p>", start)
    return html[:start] + html[end:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=("run", "measure"))
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--with-40k", action="store_true")
    parser.add_argument("--database", help="PostgreSQL URL (run), or the size's URL (measure)")
    parser.add_argument("--repeat", type=int, help="uncached computations timed (default 3/1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the raw results to this file")
    args = parser.parse_args()
    if args.command == "measure":
        print(json.dumps(measure(args.database, args.repeat or 1)))
        return
    sizes = sorted(
        {int(size) for size in args.sizes.split(",")} | ({40000} if args.with_40k else set())
    )
    label = _environment(args.database)
    print(label)
    began, results = time.perf_counter(), []
    for size in sizes:
        print(f"\n{size} schools")
        url = target(args.database, size)
        ensure_database(url, size, args.seed, False)
        repeat = args.repeat or (3 if size <= SMALL else 2)
        result = child("bench.report_cache", "measure", "--database", url, "--repeat", str(repeat))
        results.append({"size": size, **result})
    _print(results, label)
    print(f"\nwhole run {time.perf_counter() - began:.0f} s; load average {os.getloadavg()[0]:.1f}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"label": label, "results": results}, out, indent=1)


def _print(results: list[dict], label: str) -> None:
    print(f"\n=== {label} ===")
    print(
        f"{'schools':>8} {'uncached s':>10} {'first view s':>12} {'cached view s':>13} "
        f"{'cached ÷ uncached':>17} {'goal <' + str(GOAL_S) + ' s':>10} {'old figures view s':>18} "
        f"{'recompute s':>11} {'payload KB':>10}"
    )
    for r in results:
        ratio = r["cached_s"] / r["uncached_s"]
        verdict = "PASS" if r["cached_s"] < GOAL_S else "FAIL"
        print(
            f"{r['size']:>8} {r['uncached_s']:>10.2f} {r['first_s']:>12.2f} {r['cached_s']:>13.3f} "
            f"{ratio:>17.3f} {verdict:>10} {r['stale_s']:>18.3f} {r['refresh_s']:>11.2f} "
            f"{r['payload_kb']:>10.0f}"
        )
    for r in results:
        print(
            f"{r['size']}: cached view median {r['cached_median_s']:.3f} s of {r['runs']} "
            f"(CPU {r['cached_cpu_s']:.3f} s), uncached median {r['uncached_median_s']:.2f} s "
            f"(CPU {r['uncached_cpu_s']:.2f} s); cached page equal to the first: {r['same_page']}; "
            f"after a change the page says newer answers are being counted: {r['stale_says_so']}, "
            f"recomputation asked for: {r['refresh_queued']}; the background run recomputed "
            f"{r['refreshed']} entry, then the page is current: {r['current_after_refresh']} "
            f"({r['after_refresh_s']:.3f} s); {r['answer_rows']} answer rows"
        )
        print(
            f"{r['size']}: first view of a large campaign answered in {r['pending_s']:.3f} s "
            f"saying the figures are being computed: {r['pending_says_so']} ({r['queued']} "
            f"computation queued); the worker computed them in {r['worker_s']:.2f} s, then the "
            f"page showed them in {r['shown_after_worker_s']:.3f} s"
        )


if __name__ == "__main__":
    sys.exit(main())
