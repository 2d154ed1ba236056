"""What every simulated person shares: the plan written by bench.load.seed, and logging in."""

import json
import os
import re

from locust import FastHttpUser
from locust.exception import StopUser

with open(os.environ.get("LOAD_PLAN", "/tmp/load-plan.json"), encoding="utf-8") as plan:
    PLAN = json.load(plan)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def token(text: str) -> str:
    return CSRF.search(text).group(1)


class LoggedIn(FastHttpUser):
    abstract = True

    def log_in(self, username: str) -> None:
        page = self.client.get("/login", name="login page")
        data = {"login": username, "password": PLAN["password"], "csrf_token": token(page.text)}
        with self.client.post(
            "/login", data=data, name="log in", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{username}: login answered {answer.status_code}")
                raise StopUser()
