"""Redis stopped (rate-limit counters and the export queue): logging in still works and failed
logins are still limited, each process counting in its own memory; starting an export says
the queue is unavailable (503, in Russian) instead of a 500; once Redis is back exports start
and the counters are kept in Redis again, without restarting the app."""

import itertools
import re

from tests.factories import PASSWORD
from tests.faults.browser import Browser
from tests.faults.services import ACCOUNT_LIMIT, wait_until
from tests.monitoring import one_section, question

DEFINITION = one_section("faults-queue", question("books", "integer", "Книг в фонде"))
QUEUE_UNAVAILABLE = (
    "Служба фоновых задач (выгрузок) сейчас недоступна. Повторите через несколько минут."
)
WORKERS = 2
_strangers = itertools.count(1)


def _start_export(staff: Browser, campaign_id: int):
    staff.get(f"/reports/campaigns/{campaign_id}")
    return staff.post(f"/reports/campaigns/{campaign_id}/exports", {"format": "xlsx"})


def _export_started(staff: Browser, campaign_id: int) -> bool:
    reply = _start_export(staff, campaign_id)
    return reply.status_code == 302 and "/reports/exports/" in reply.headers["Location"]


def _fail_login(url: str, login: str) -> int:
    return Browser(url).log_in(login, PASSWORD + "-wrong").status_code


def _counters_in_redis(stack) -> bool:
    """A failed login of a new name, then whether Redis holds login counters."""
    _fail_login(stack.server.url, f"stranger-{next(_strangers)}")
    return stack.redis.client(0).dbsize() > 0


def test_redis_stopped_then_back(stack, seed):
    seeded = seed(DEFINITION)
    url = stack.server.url
    staff = Browser(url)
    assert staff.log_in(seeded.admin_login).status_code == 302
    assert _export_started(staff, seeded.campaign_id)
    assert _fail_login(url, seeded.school_login) == 400
    assert stack.redis.client(0).dbsize() > 0  # the counters live in Redis

    stack.redis.stop()
    try:
        newcomer = Browser(url)
        login = newcomer.log_in(seeded.admin_login)
        assert login.status_code == 302
        assert newcomer.get("/").status_code == 200
        attempts = WORKERS * ACCOUNT_LIMIT + 1
        failures = [_fail_login(url, seeded.school_login) for _ in range(attempts)]
        refused_at = failures.index(429) + 1 if 429 in failures else None
        # Each worker counts on its own: the limit holds, at most once per worker.
        assert refused_at is not None
        assert ACCOUNT_LIMIT < refused_at <= attempts
        export = _start_export(staff, seeded.campaign_id)
        assert export.status_code == 503
        assert QUEUE_UNAVAILABLE in re.sub(r"\s+", " ", export.text)
    finally:
        stack.redis.start()

    wait_until(lambda: _export_started(staff, seeded.campaign_id), 30, "exports to start again")
    wait_until(lambda: _counters_in_redis(stack), 60, "login counters back in Redis", 0.5)
    print(
        f"\n[redis down] login with Redis stopped: {login.status_code} → home 200; failed logins"
        f" of one account: {failures} (limit {ACCOUNT_LIMIT}/min per process); export start:"
        f" {export.status_code} «{QUEUE_UNAVAILABLE}»; Redis started again: exports start (302)"
        f" and login counters are written to Redis again"
    )
