"""What a school sees in Chromium during two faults, at 1366 and 390 px: a page opened while
PostgreSQL is stopped (503), and a file uploaded to a full disk (the message beside the field).

    .venv/bin/python -m bench.faults.screens /tmp/fault-screens     (root: it mounts a tmpfs)

Uses the fault tests' private services (tests/faults/services.py); removes them afterwards.
"""

import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from app import create_app
from app.accounts.models import Role
from app.extensions import db
from app.organizations.models import OrganizationKind
from tests.factories import PASSWORD, make_org, make_user
from tests.faults.services import Gunicorn, PrivatePostgres, postgres_bin
from tests.monitoring import make_campaign, make_form, one_section, question, response_of

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
DEFINITION = one_section(
    "screens",
    question("scan", "file", "Скан положения о библиотеке"),
    question("books", "integer", "Книг в фонде"),
)


def seed(url: str) -> int:
    """A district, its school with a login, and a monitoring; returns the response's id."""
    with create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "screens"}).app_context():
        db.create_all()
        district = make_org("МКУ «УОНР»", OrganizationKind.DISTRICT)
        school = make_org("Нюрбинская СОШ №1", parent=district)
        admin = make_user(Role.ADMIN, district, "admin")
        make_user(Role.SCHOOL, school, "school")
        campaign = make_campaign(admin, make_form(admin, DEFINITION), [school])
        response_id = response_of(campaign, school).id
        db.session.remove()
        db.engine.dispose()
    return response_id


def fill(disk: Path) -> None:
    with open(disk / "filler", "wb") as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def pages(browser, base: str):
    """A logged-in school's page at each width."""
    for width, (w, h) in WIDTHS.items():
        page = browser.new_context(viewport={"width": w, "height": h}, locale="ru-RU").new_page()
        page.goto(base + "/login")
        page.fill("input[name=login]", "school")
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        yield width, page


def shoot(out: Path, postgres: PrivatePostgres, server: Gunicorn, disk: Path, response_id: int):
    document = out / "document.pdf"
    document.write_bytes(b"%PDF-1.4\n" + b"0" * 300_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        logged_in = list(pages(browser, server.url))
        fill(disk)
        for width, page in logged_in:
            page.goto(f"{server.url}/responses/{response_id}")
            page.set_input_files("input[data-upload=scan]", str(document))
            page.locator("[data-error-for=scan]").filter(has_text="мест").wait_for()
            page.screenshot(path=str(out / f"uploads-full-{width}.png"), full_page=True)
        postgres.stop()
        for width, page in logged_in:
            reply = page.goto(f"{server.url}/my/questionnaires")
            print(f"database stopped, {width} px: {reply.status}")
            page.screenshot(path=str(out / f"database-down-{width}.png"), full_page=True)
        postgres.start()
        browser.close()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    postgres, server = PrivatePostgres(postgres_bin()), None
    disk = Path(tempfile.mkdtemp(prefix="faults-screens-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], check=True)
    try:
        postgres.start()
        postgres.execute("CREATE DATABASE screens")
        response_id = seed(postgres.url("screens"))
        server = Gunicorn({"DATABASE_URL": postgres.url("screens"), "UPLOAD_FOLDER": str(disk)})
        shoot(out, postgres, server, disk, response_id)
    finally:
        if server is not None:
            server.stop()
        postgres.remove()
        subprocess.run(["umount", str(disk)], check=False)
        disk.rmdir()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/fault-screens"))
