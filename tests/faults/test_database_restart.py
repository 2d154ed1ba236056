"""PostgreSQL restarted (``pg_ctl restart -m fast``) while a school autosaves every 100 ms:
saves during the outage get a retryable 503 with a Russian JSON message (no 500 page), a draft
is always the answers of one whole save, and once the database is back the next save
succeeds without restarting the app (``pool_pre_ping``)."""

import threading
import time

from tests.faults.browser import Browser
from tests.monitoring import one_section, question

QUESTIONS = ("library_name", "books", "readers", "computers", "events", "notes")
DEFINITION = one_section(
    "faults-autosave",
    question("library_name", "text", "Название библиотеки"),
    question("books", "integer", "Книг в фонде"),
    question("readers", "integer", "Читателей"),
    question("computers", "integer", "Компьютеров"),
    question("events", "integer", "Мероприятий за год"),
    question("notes", "textarea", "Примечания"),
)
UNAVAILABLE = (
    "Сервер сейчас не может связаться с базой данных. Ничего не сохранено; повторите через минуту."
)


def _answers(number: int) -> dict:
    """Every answer of save ``number`` carries the number, so a mixed draft would show."""
    return {
        "library_name": f"Библиотека, сохранение {number}",
        "books": 1000 + number,
        "readers": 2000 + number,
        "computers": number,
        "events": 3000 + number,
        "notes": f"Примечание {number}",
    }


class Autosaver:
    """Saves the draft every 100 ms as the filling page does, and keeps every reply."""

    def __init__(self, browser: Browser, response_id: int, revision: int):
        self.browser, self.response_id, self.revision = browser, response_id, revision
        self.replies: list[tuple[int, int, dict | None, str]] = []  # number, status, JSON, retry
        self.saved = None  # the number of the last save the server accepted
        self.number = 0
        self.stop = threading.Event()

    def save(self) -> int:
        self.number += 1
        fields = {f"q.{key}": value for key, value in _answers(self.number).items()}
        reply = self.browser.post(
            f"/responses/{self.response_id}/save",
            {"revision": self.revision, **fields},
            headers={"Accept": "application/json"},
        )
        is_json = reply.headers.get("Content-Type", "").startswith("application/json")
        body = reply.json() if is_json else None
        retry_after = reply.headers.get("Retry-After")
        self.replies.append((self.number, reply.status_code, body, retry_after))
        if reply.status_code == 200:
            self.revision, self.saved = body["revision"], self.number
        return reply.status_code

    def run(self) -> None:
        while not self.stop.is_set():
            self.save()
            time.sleep(0.1)


def _stored(stack, response_id: int) -> tuple[int, dict]:
    with stack.connect() as connection:
        return connection.execute(
            "SELECT revision, data FROM response WHERE id = %s", (response_id,)
        ).fetchone()


def _save_number(data: dict) -> int | None:
    """The save the stored answers all come from, or None for a draft mixing saves."""
    number = int(str(data.get("computers", -1)))
    whole = all(str(data.get(key)) == str(value) for key, value in _answers(number).items())
    return number if whole else None


def test_database_restart_during_autosaves(stack, seed):
    seeded = seed(DEFINITION)
    school = Browser(stack.server.url)
    assert school.log_in(seeded.school_login).status_code == 302
    assert school.get(f"/responses/{seeded.response_id}").status_code == 200
    revision, _ = _stored(stack, seeded.response_id)
    saver = Autosaver(school, seeded.response_id, revision)

    worker = threading.Thread(target=saver.run)
    worker.start()
    try:
        time.sleep(1)
        started = time.monotonic()
        stack.postgres.restart()
        restart_seconds = time.monotonic() - started
        time.sleep(1.5)
    finally:
        saver.stop.set()
        worker.join(timeout=60)
    during_restart = [status for _number, status, _body, _retry in saver.replies]

    # The same outage made certain: the server down for a moment, a save, the server back.
    stack.postgres.stop()
    try:
        assert saver.save() == 503
    finally:
        stack.postgres.start()
    assert saver.save() == 200  # the first save after the database is back

    statuses = [status for _number, status, _body, _retry in saver.replies]
    assert set(statuses) <= {200, 503}, saver.replies
    for _number, status, body, retry_after in saver.replies:
        if status == 503:
            assert body == {"error": UNAVAILABLE}
            assert int(retry_after) > 0
    revision, data = _stored(stack, seeded.response_id)
    assert revision == saver.revision
    assert _save_number(data) == saver.saved
    print(
        f"\n[database restart] pg_ctl restart -m fast took {restart_seconds:.1f} s; saves every"
        f" 100 ms answered {during_restart.count(200)}× 200 and {during_restart.count(503)}× 503"
        f" ({''.join('.' if s == 200 else 'x' for s in during_restart)}); after a stop a save"
        f" answered 503 «{UNAVAILABLE}», the first save after the start 200; the draft holds"
        f" save {saver.saved} whole (revision {revision})"
    )
