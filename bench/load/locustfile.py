"""The deadline-day load: every school logs in, opens the 60-question form, autosaves its
answers as it types them every 5–10 s and submits; staff watch the dashboard and the report;
jurors score their entries. Run by ``python -m bench.load.run`` (see bench/README.md).

Each school's final answers (what it sent last, then submitted) are written as JSON lines to
LOAD_SENT, for ``bench.load.check`` to compare with the database field by field.
"""

import itertools
import json
import os
import random
import re
from urllib.parse import urlencode

import gevent
from locust import between, events, task
from locust.exception import StopUser

from bench.load.client import PLAN, LoggedIn, token
from bench.load.fields import form_fields, typed_answers

SENT = os.environ.get("LOAD_SENT", "/tmp/load-sent.jsonl")
SAVES = (int(os.environ.get("LOAD_SAVES_MIN", "20")), int(os.environ.get("LOAD_SAVES_MAX", "36")))
REVISION = re.compile(r'name="revision" value="(\d+)"')
CRITERION = re.compile(r'name="(c\d+)"')

_schools = iter(enumerate(PLAN["schools"], start=1))
_staff = itertools.cycle(PLAN["staff"])
_jurors = iter(sorted(PLAN["jurors"].items()))
_sent = open(SENT, "w", encoding="utf-8")  # noqa: SIM115 (closed when locust quits)
_submitted = []


@events.quitting.add_listener
def _close(**_kwargs):
    _sent.close()


class School(LoggedIn):
    """One school from login to submission, then it leaves."""

    fixed_count = len(PLAN["schools"])
    wait_time = between(5, 10)

    def on_start(self):
        number, school = next(_schools)
        self.username, self.response = school["username"], school["response_id"]
        rng = random.Random(number)
        self.answers = typed_answers(PLAN["definition"], number, rng)
        self.keys = list(self.answers)
        self.saves = rng.randint(*SAVES)
        self.done = 0
        self.log_in(self.username)
        page = self.client.get(f"/responses/{self.response}", name="fill page")
        self.token, self.revision = token(page.text), int(REVISION.search(page.text).group(1))

    def _typed_so_far(self) -> dict:
        shown = len(self.keys) * min(self.done + 1, self.saves) // self.saves
        return {key: self.answers[key] for key in self.keys[:shown]}

    @task
    def type_and_save(self):
        if self.done >= self.saves:
            self._submit()
            return
        fields = form_fields(PLAN["definition"], self._typed_so_far())
        fields += [("csrf_token", self.token), ("revision", str(self.revision))]
        with self.client.post(
            f"/responses/{self.response}/save", data=urlencode(fields), name="autosave",
            headers={"Accept": "application/json",
                     "Content-Type": "application/x-www-form-urlencoded"},
            catch_response=True,
        ) as answer:  # fmt: skip
            if answer.status_code != 200:
                answer.failure(f"{self.username}: save answered {answer.status_code}")
                return
            self.revision = answer.json()["revision"]
        self.done += 1

    def _submit(self):
        data = {"csrf_token": self.token, "revision": str(self.revision)}
        with self.client.post(
            f"/responses/{self.response}/submit", data=data, name="submit",
            allow_redirects=False, catch_response=True,
        ) as answer:  # fmt: skip
            location = answer.headers.get("Location", "")
            if answer.status_code != 302 or "check=1" in location:
                answer.failure(f"{self.username}: submission refused ({location})")
        record = {"response_id": self.response, "username": self.username, "answers": self.answers}
        _sent.write(json.dumps(record, ensure_ascii=False) + "\n")
        _sent.flush()
        _submitted.append(self.username)
        if len(_submitted) == len(PLAN["schools"]):  # every school is done: so is the scenario
            gevent.spawn_later(1, self.environment.runner.quit)
        raise StopUser()


class Staff(LoggedIn):
    fixed_count = len(PLAN["staff"])
    wait_time = between(5, 15)

    def on_start(self):
        self.log_in(next(_staff))

    @task(2)
    def dashboard(self):
        self.client.get(f"/campaigns/{PLAN['campaign_id']}", name="dashboard")

    @task(1)
    def report(self):
        self.client.get(f"/reports/campaigns/{PLAN['campaign_id']}", name="report")


class Juror(LoggedIn):
    """Scores each of its assignments, one every 10–20 s."""

    fixed_count = len(PLAN["jurors"])
    wait_time = between(10, 20)

    def on_start(self):
        username, self.assignments = next(_jurors)
        self.assignments = iter(self.assignments)
        self.rng = random.Random(username)
        self.log_in(username)

    @task
    def score(self):
        assignment = next(self.assignments, None)
        if assignment is None:
            self.client.get(f"/jury/contests/{PLAN['contest_id']}", name="jury contest")
            return
        page = self.client.get(f"/jury/assignments/{assignment}", name="score sheet")
        data = {name: str(self.rng.randint(0, 5)) for name in CRITERION.findall(page.text)}
        data.update(csrf_token=token(page.text), action="save", comment="")
        with self.client.post(
            f"/jury/assignments/{assignment}/scores", data=data, name="save scores",
            allow_redirects=False, catch_response=True,
        ) as answer:  # fmt: skip
            if answer.status_code != 302:
                answer.failure(f"scores answered {answer.status_code}")
