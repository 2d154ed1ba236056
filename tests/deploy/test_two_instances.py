"""Two app instances (gunicorn, as deploy/gunicorn.conf.py runs them) behind one nginx (the
site of deploy/nginx/school-libraries.conf, run as an ordinary process), sharing PostgreSQL,
Redis and the instance folder: whichever instance answers, the session, the login counters,
the task queue and the uploads are the same.

Runs in the PostgreSQL pass of CI (``TEST_DATABASE_URL``; Redis at ``TEST_REDIS_URL``).
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import flask_bootstrap
import pytest
import redis
import requests

from tests.factories import PASSWORD
from tests.monitoring import make_campaign, make_form

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LOGIN_LIMIT = 3  # failed logins from one address per minute, on both instances together

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"),
    reason="two app instances share one PostgreSQL database: set TEST_DATABASE_URL to one",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, processes, folder: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, f"{process.args} exited (logs in {folder})"
        try:
            if requests.get(url + "/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its worker still booting
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url}/healthz did not answer 200 in {seconds} s")


def _nginx_config(folder: Path, port: int, upstreams: tuple[int, int]) -> Path:
    """The shipped site with this test's ports and paths, inside a minimal main config."""
    site = (ROOT / "deploy/nginx/school-libraries.conf").read_text()
    bootstrap_static = Path(flask_bootstrap.__file__).parent / "static"
    replacements = {
        "\n    listen 80;\n": f"\n    listen 127.0.0.1:{port};\n",
        "server 127.0.0.1:8001 ": f"server 127.0.0.1:{upstreams[0]} ",
        "server 127.0.0.1:8002 ": f"server 127.0.0.1:{upstreams[1]} ",
        "/srv/school-libraries/.venv/lib/python3.11/site-packages/flask_bootstrap/static/": (
            f"{bootstrap_static}/"
        ),
        "/srv/school-libraries/": f"{ROOT}/",
        "/var/log/nginx/school-libraries.access.log": f"{folder}/access.log",
    }
    for old, new in replacements.items():
        assert old in site, f"the sample nginx site no longer holds {old!r}"
        site = site.replace(old, new, 1)
    (folder / "site.conf").write_text(site)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events { worker_connections 128; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        + "".join(
            f"    {kind}_temp_path {folder}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    access_log {folder}/access.log;\n    include {folder}/site.conf;\n}}\n"
    )
    return main


def _clear_login_counters() -> None:
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter("LIMIT*"):
        store.delete(key)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """URLs of instance A, instance B and nginx in front of both; each instance one worker."""
    assert Path(NGINX).exists(), "nginx is missing: scripts/install-debian-packages.sh installs it"
    folder = tmp_path_factory.mktemp("two-instances")
    ports = {"a": _free_port(), "b": _free_port(), "nginx": _free_port()}
    environment = {
        **os.environ,
        "PRODUCTION": "true",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": DATABASE_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "HUEY_URL": REDIS_URL,
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        "PROXY_FIX_X_FOR": "1",
        "PROXY_FIX_X_PROTO": "1",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "",
    }
    binaries = Path(sys.executable).parent
    gunicorn = [str(binaries / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "wsgi:app"]
    config = _nginx_config(folder, ports["nginx"], (ports["a"], ports["b"]))
    nginx = [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config)]
    commands = {
        "a": (gunicorn, {"GUNICORN_BIND": f"127.0.0.1:{ports['a']}"}),
        "b": (gunicorn, {"GUNICORN_BIND": f"127.0.0.1:{ports['b']}"}),
        "worker": ([str(binaries / "huey_consumer"), "app.reports.jobs.huey", "-w", "1"], {}),
        "nginx": ([*nginx, "-g", "daemon off;"], {}),
    }
    processes = []
    for name, (command, extra) in commands.items():
        with open(folder / f"{name}.log", "wb") as log:
            env = {**environment, **extra}
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        for name in ("a", "b", "nginx"):
            _wait_healthy(urls[name], processes, folder)
        yield {**urls, "nginx_log": folder / "access.log"}
    finally:
        for process in processes:
            process.terminate()
        deadline = time.monotonic() + 5  # a worker takes seconds to unload the app: not tested here
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(autouse=True)
def _fresh_counters():
    _clear_login_counters()


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def log_in(browser: requests.Session, url: str, user, password: str = PASSWORD):
    token = csrf_token(browser.get(url + "/login").text)
    data = {"csrf_token": token, "login": user.username, "password": password}
    return browser.post(url + "/login", data=data, allow_redirects=False)


def test_a_login_on_instance_a_continues_on_instance_b(servers, world):
    browser = requests.Session()
    assert log_in(browser, servers["a"], world.admin_a).status_code == 302
    home = browser.get(servers["b"] + "/", allow_redirects=False)
    assert home.status_code == 200
    assert world.admin_a.full_name in home.text
    token = csrf_token(home.text)
    assert browser.post(servers["a"] + "/logout", data={"csrf_token": token},
                        allow_redirects=False).status_code == 302  # fmt: skip
    assert browser.get(servers["b"] + "/", allow_redirects=False).status_code == 302


def test_failed_logins_on_both_instances_count_together(servers, world):
    browser = requests.Session()
    answers = [
        log_in(browser, servers[name], world.admin_a, "wrong password").status_code
        for name in ("a", "b", "a", "b")
    ]
    assert answers[:LOGIN_LIMIT] == [400] * LOGIN_LIMIT  # the form again, with the message
    assert answers[LOGIN_LIMIT] == 429
    assert log_in(browser, servers["nginx"], world.admin_a).status_code == 429


def test_an_export_queued_on_a_is_followed_and_downloaded_on_b(servers, world):
    campaign = make_campaign(world.admin_a, make_form(world.admin_a), [world.school_a1])
    browser = requests.Session()
    assert log_in(browser, servers["a"], world.admin_a).status_code == 302
    token = csrf_token(browser.get(servers["b"] + "/").text)
    started = browser.post(
        f"{servers['a']}/reports/campaigns/{campaign.id}/exports",
        data={"csrf_token": token, "format": "xlsx"},
        allow_redirects=False,
    )
    assert started.status_code == 302
    job = started.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    deadline, state = time.monotonic() + 20, {}
    while time.monotonic() < deadline and state.get("status") != "done":
        state = browser.get(f"{servers['b']}/reports/exports/{job}.json").json()
        assert state["status"] in {"queued", "running", "done"}, state
        time.sleep(0.3)
    assert state["status"] == "done"
    download = browser.get(f"{servers['b']}/reports/exports/{job}/download")
    assert download.status_code == 200
    assert download.content[:2] == b"PK"


def test_a_file_uploaded_through_a_is_downloaded_through_b(servers, world):
    browser = requests.Session()
    assert log_in(browser, servers["a"], world.admin_a).status_code == 302
    template = browser.get(servers["a"] + "/reports/template/default.docx").content
    page = browser.get(servers["b"] + "/reports/template").text
    uploaded = browser.post(
        servers["a"] + "/reports/template",
        data={"csrf_token": csrf_token(page)},
        files={"file": ("Бланк УО.docx", template)},
        allow_redirects=False,
    )
    assert uploaded.status_code == 302
    downloaded = browser.get(servers["b"] + "/reports/template/current.docx")
    assert downloaded.status_code == 200
    assert downloaded.content == template


def test_nginx_serves_static_files_and_spreads_requests_over_both(servers, world):
    browser = requests.Session()
    assert log_in(browser, servers["nginx"], world.school_user_a1).status_code == 302
    for _ in range(6):
        page = browser.get(servers["nginx"] + "/")
        assert page.status_code == 200
        assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-ID"])  # nginx's $request_id
    style = browser.get(servers["nginx"] + "/static/css/app.css")
    assert style.status_code == 200
    assert "X-Request-ID" not in style.headers  # nginx's own answer, not the app's
    assert "max-age=604800" in style.headers["Cache-Control"]
    log = servers["nginx_log"].read_text()
    answered = set(re.findall(r"upstream=127\.0\.0\.1:(\d+)", log))
    assert answered == {servers["a"].rsplit(":", 1)[1], servers["b"].rsplit(":", 1)[1]}


@pytest.mark.parametrize("path", ["/healthz", "/login", "/no-such-page", "/static/no-such.css"])
def test_no_answer_names_a_server_version(servers, path):
    for name, product in (("a", "gunicorn"), ("b", "gunicorn"), ("nginx", "nginx")):
        answer = requests.get(servers[name] + path, allow_redirects=False)
        assert answer.headers["Server"] == product, (name, path, answer.headers["Server"])
        assert not re.search(r"(nginx|gunicorn)/\d", answer.text)
