"""Requests per second of one page, as fast as the server answers: LOAD_PAGE is ``minimal``
(the app's smallest page, /livez), ``login`` (the login page, the yardstick of the figure the
issue started from) or ``fill`` (a school's editable 60-question form, each locust user a
different school that has not submitted). Run by ``python -m bench.load.run``."""

import itertools
import os

from locust import constant, task

from bench.load.client import PLAN, LoggedIn

PAGE = os.environ.get("LOAD_PAGE", "minimal")
PATHS = {"minimal": "/livez", "login": "/login"}
_schools = itertools.cycle(PLAN["schools"][-50:])  # the last ones submit late in the scenario


class Reader(LoggedIn):
    wait_time = constant(0)

    def on_start(self):
        if PAGE == "fill":
            school = next(_schools)
            self.path = f"/responses/{school['response_id']}"
            self.log_in(school["username"])
        else:
            self.path = PATHS[PAGE]

    @task
    def read(self):
        self.client.get(self.path, name=PAGE)
