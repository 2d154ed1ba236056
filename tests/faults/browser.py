"""A school's or a staff member's browser, as far as the fault tests need one: real HTTP to
gunicorn, the CSRF token taken from the pages, cookies kept."""

import re
from html import unescape

import requests

from tests.factories import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_FLASH = re.compile(r'<div class="alert alert-(\w+)[^"]*"[^>]*>(.*?)</div>', re.S)


class Browser:
    def __init__(self, url: str):
        self.url = url
        self.http = requests.Session()
        self.token = ""

    def get(self, path: str, **options) -> requests.Response:
        reply = self.http.get(self.url + path, timeout=30, **options)
        found = _TOKEN.search(reply.text)
        if found:
            self.token = found.group(1)
        return reply

    def post(self, path: str, data: dict | None = None, **options) -> requests.Response:
        options.setdefault("allow_redirects", False)
        options.setdefault("timeout", 30)
        return self.http.post(
            self.url + path, data={"csrf_token": self.token, **(data or {})}, **options
        )

    def log_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        self.get("/login")
        return self.post("/login", {"login": username, "password": password})

    def copy(self) -> "Browser":
        """Another tab of the same login (its own cookie jar from now on)."""
        twin = Browser(self.url)
        twin.http.cookies.update(self.http.cookies)
        twin.token = self.token
        return twin


def flashes(page: str) -> list[tuple[str, str]]:
    """The messages shown at the top of a page: (category, text)."""
    return [
        (kind, unescape(re.sub(r"<[^>]+>", "", text)).strip())
        for kind, text in _FLASH.findall(page)
    ]
