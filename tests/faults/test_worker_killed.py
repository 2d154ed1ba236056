"""A gunicorn worker killed (SIGKILL) while it submits a school's answers: nothing of that
submission is kept, the arbiter brings up a new worker, the client retries (twice at once, as a
double click reaching both workers) and the answers are submitted exactly once and whole; a
repeated submission (a retry after a lost reply) answers like a success and records nothing."""

import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.faults.browser import Browser, flashes
from tests.faults.services import DATABASE, wait_until
from tests.monitoring import one_section, question

DEFINITION = one_section(
    "faults-submit",
    question("library_name", "text", "Название библиотеки", required=True),
    question("books", "integer", "Книг в фонде", required=True),
    question("readers", "integer", "Читателей"),
    question("has_internet", "yesno", "Есть ли Интернет?", required=True),
)
DRAFT = {"library_name": "Библиотека им. А. Е. Кулаковского", "books": 12400, "readers": 530,
         "has_internet": "yes"}  # fmt: skip
SUBMITTED = "Анкета отправлена в управление образования."
REPEATED = (
    "Анкета уже была отправлена в управление образования; повторная отправка ничего не изменила."
)


def _stored(stack, response_id: int) -> dict:
    """What the database holds about the response: its status, revision and answers, its
    answer rows and how many submissions the audit log recorded."""
    with stack.connect() as connection:
        status, revision, data = connection.execute(
            "SELECT status, revision, data FROM response WHERE id = %s", (response_id,)
        ).fetchone()
        rows = connection.execute(
            "SELECT id, question_key, value_text, value_number, value_choice FROM answer"
            " WHERE response_id = %s ORDER BY id",
            (response_id,),
        ).fetchall()
        audited = connection.execute(
            "SELECT count(*) FROM audit_event WHERE action = 'submit' AND object_type = 'response'"
            " AND object_id = %s",
            (response_id,),
        ).fetchone()[0]
    return {"status": status, "revision": revision, "data": data, "rows": rows,
            "audited": audited}  # fmt: skip


def _blocked_backends(stack) -> list[tuple[int, int]]:
    """(backend pid, client port) of the sessions of the database waiting for a row lock."""
    with stack.connect() as connection:
        return connection.execute(
            "SELECT pid, client_port FROM pg_stat_activity WHERE datname = %s"
            " AND wait_event_type = 'Lock'",
            (DATABASE,),
        ).fetchall()


def _backend_gone(stack, pid: int) -> bool:
    with stack.connect() as connection:
        return not connection.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)
        ).fetchone()


def _lock_response(stack, response_id: int):
    """Another transaction holding the response's row: a submission reaching its write waits."""
    connection = stack.connect(autocommit=False)
    connection.execute("SELECT id FROM response WHERE id = %s FOR UPDATE", (response_id,))
    return connection


def _replaced(server, killed: int) -> set[int]:
    """The workers, once the arbiter runs as many as before and the killed one is not among
    them."""
    workers = server.workers()
    return workers if len(workers) == server.expected_workers and killed not in workers else set()


def _submit(browser: Browser, response_id: int, revision: int) -> requests.Response:
    return browser.post(f"/responses/{response_id}/submit", {"revision": revision})


def _school(server, seeded) -> Browser:
    browser = Browser(server.url)
    assert browser.log_in(seeded.school_login).status_code == 302
    assert browser.get(f"/responses/{seeded.response_id}").status_code == 200
    return browser


def test_worker_killed_mid_submit_then_the_retry_submits_once(stack, seed):
    seeded = seed(DEFINITION, DRAFT)
    server = stack.server
    school = _school(server, seeded)
    before = _stored(stack, seeded.response_id)
    revision = before["revision"]

    lock = _lock_response(stack, seeded.response_id)
    try:
        with ThreadPoolExecutor(1) as pool:
            sending = pool.submit(_submit, school, seeded.response_id, revision)
            blocked = wait_until(
                lambda: _blocked_backends(stack), 30, "the submission to reach its write"
            )
            backend, client_port = blocked[0]
            worker = server.worker_connected_from(client_port)
            os.kill(worker, signal.SIGKILL)
            with pytest.raises(requests.ConnectionError):
                sending.result(timeout=30)
    finally:
        lock.rollback()
        lock.close()
    wait_until(lambda: _backend_gone(stack, backend), 30, "the killed worker's session to end")
    after_kill = _stored(stack, seeded.response_id)
    print(f"\n[worker killed] pid {worker} SIGKILLed while its submission waited on the row;"
          f" the client saw a dropped connection; the database holds status"
          f" {after_kill['status']!r}, revision {after_kill['revision']},"
          f" {after_kill['audited']} submit events")  # fmt: skip
    assert after_kill == before  # the killed transaction left nothing behind

    workers = wait_until(
        lambda: _replaced(server, worker), 60, "the arbiter to replace the killed worker"
    )
    # The school retries, double-clicking: both workers take a request (the new one too), one
    # submits, the other waits for its commit and finds the submission done.
    tabs = (school, school.copy())
    replies = _submit_at_once(stack, tabs, seeded.response_id, revision)
    assert [reply.status_code for reply in replies] == [302, 302]
    page = f"/responses/{seeded.response_id}"
    assert all(reply.headers["Location"].endswith(page) for reply in replies)
    shown = sorted(flashes(tab.get(page).text) for tab in tabs)
    assert shown == sorted([[("success", SUBMITTED)], [("info", REPEATED)]])
    submitted = _stored(stack, seeded.response_id)
    assert submitted["status"] == "submitted"
    assert submitted["audited"] == 1
    assert submitted["data"] == {**before["data"], **DRAFT}
    assert sorted(row[1] for row in submitted["rows"]) == sorted(DRAFT)

    # The replies of those were lost too: the school sends it once more.
    again = _submit(school, seeded.response_id, revision)
    assert again.status_code == 302 and again.headers["Location"].endswith(page)
    assert flashes(school.get(page).text) == [("info", REPEATED)]
    assert _stored(stack, seeded.response_id) == submitted
    print(
        f"[worker killed] the arbiter replaced it: workers {sorted(workers)}; two retries at"
        f" once, one per worker, answered {shown}; one more answered «{REPEATED}»; the"
        f" database holds status {submitted['status']!r}, {len(submitted['rows'])} answer rows"
        f" equal to the draft, {submitted['audited']} submit event"
    )


def _submit_at_once(stack, tabs, response_id: int, revision: int) -> list[requests.Response]:
    """The submission from each tab at the same moment: all wait on the locked row (each in its
    own worker) until it is released."""
    lock = _lock_response(stack, response_id)
    try:
        with ThreadPoolExecutor(len(tabs)) as pool:
            sent = [pool.submit(_submit, tab, response_id, revision) for tab in tabs]
            wait_until(
                lambda: len(_blocked_backends(stack)) == len(tabs),
                60,
                "a submission waiting in each worker",
            )
            lock.rollback()
            return [sending.result(timeout=30) for sending in sent]
    finally:
        lock.close()
