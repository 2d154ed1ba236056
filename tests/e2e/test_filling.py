"""Acceptance in a real browser: a school fills a monitoring page by page, the district returns
it and accepts it; answers typed without a connection are kept and sent later; a save based on
an older revision is refused without losing the newer answers.

Controls are found by their ids, names and data attributes (app/static/js/fill.js and
templates/macros/questions.html), texts by ``gettext`` of the English message: the Russian
catalogue may lag behind new strings, and the test then expects what the server shows.
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from playwright.sync_api import Page, expect

from app.accounts.models import Role, User
from app.campaigns import services as campaigns
from app.campaigns.models import Answer, Campaign, Response, ResponseStatus
from app.db import utcnow
from app.extensions import db
from app.organizations.models import OrganizationKind
from app.questionnaires import services as questionnaires
from tests.e2e.browser import log_in
from tests.factories import make_org, make_user

pytestmark = pytest.mark.e2e

TITLE = "Мониторинг оснащения школьных библиотек"
DEFINITION = {
    "title": "Оснащение библиотеки",
    "description": "",
    "form_id": "library_equipment",
    "version": "2026-1",
    "sections": [
        {
            "key": "internet",
            "title": "Интернет",
            "description": "",
            "condition": None,
            "questions": [
                {
                    "key": "has_internet",
                    "type": "yesno",
                    "label": "Есть ли в библиотеке Интернет?",
                    "help": "",
                    "required": True,
                    "condition": None,
                },
                {
                    "key": "internet_speed",
                    "type": "integer",
                    "label": "Скорость, Мбит/с",
                    "help": "",
                    "required": True,
                    "condition": {"key": "has_internet", "op": "eq", "value": "yes"},
                },
                {
                    "key": "provider",
                    "type": "text",
                    "label": "Провайдер",
                    "help": "",
                    "required": False,
                    "condition": None,
                },
            ],
        },
        {
            "key": "people",
            "title": "Кадры",
            "description": "",
            "condition": None,
            "questions": [
                {
                    "key": "staff",
                    "type": "table",
                    "label": "Сотрудники библиотеки",
                    "help": "",
                    "required": False,
                    "condition": None,
                    "min": 1,
                    "max": 10,
                    "columns": [
                        {"key": "full_name", "type": "text", "label": "ФИО", "required": True},
                        {"key": "rate", "type": "decimal", "label": "Ставка", "required": False},
                    ],
                },
            ],
        },
    ],
}
STAFF = [
    ("Егорова Сардаана Ивановна", "1"),
    ("Николаев Айаал Петрович", "0,5"),
    ("Васильева Туйаара Семёновна", "0,25"),
]


@dataclass
class Monitoring:
    school_user: User
    admin: User
    campaign: Campaign
    response_id: int


@pytest.fixture
def monitoring() -> Monitoring:
    """A district office with a school, their users, and a monitoring sent to the school."""
    region = make_org("Республика Саха (Якутия)", OrganizationKind.REGION)
    district = make_org(
        "МКУ «Управление образования Нюрбинского района»", OrganizationKind.DISTRICT, region
    )
    school = make_org("Нюрбинская СОШ №1", parent=district, locality="г. Нюрба")
    admin = make_user(Role.ADMIN, district, "nyurba-admin", full_name="Иванова Анна Петровна")
    school_user = make_user(
        Role.SCHOOL, school, "nyurba-school1", full_name="Егорова Сардаана Ивановна"
    )
    form = questionnaires.create_form(admin, DEFINITION)
    questionnaires.publish(admin, form)
    now = utcnow()
    campaign = campaigns.create_campaign(
        admin,
        form.published,
        title=TITLE,
        instructions="Заполните до конца недели.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        organization_ids=[school.id],
    )
    db.session.commit()
    return Monitoring(school_user, admin, campaign, campaign.responses[0].id)


def stored(response_id: int) -> Response:
    """The response as the live server last committed it."""
    db.session.rollback()
    return db.session.get(Response, response_id)


def answered(response: Response) -> dict:
    """The stored answers without the staff table's empty row (the page always shows one row,
    and a draft keeps the answers as they are typed)."""
    data = dict(response.data or {})
    if data.get("staff") == [{"full_name": "", "rate": ""}]:
        del data["staff"]
    return data


def watch_errors(page: Page) -> list[str]:
    """Collects uncaught JavaScript errors of the page."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def open_response(page: Page) -> None:
    """Мои анкеты → the monitoring."""
    page.locator("#main-nav a[href='/my/questionnaires']").click()
    expect(page).to_have_url(re.compile(r"/my/questionnaires$"))
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#fill-form")).to_be_visible()


def save_state(page: Page):
    return page.locator("#save-state")


def expect_saved(page: Page) -> None:
    """The small status text «Сохранено в 14:32» (the district's time)."""
    expect(save_state(page)).to_have_attribute("data-state", "saved")
    saved_at = re.escape(gettext("Saved at %(time)s", time="TIME")).replace("TIME", r"\d\d:\d\d")
    expect(save_state(page)).to_have_text(re.compile(f"^{saved_at}$"))


def staff_rows(page: Page):
    return page.locator("[data-table=staff] tbody [data-row]")


def cell(page: Page, row: int, column: str):
    """The input of a table cell by its visible row number (1-based) and column key."""
    return staff_rows(page).nth(row - 1).locator(f"[name$='.{column}']")


def answer_yes(page: Page, key: str) -> None:
    page.locator(f"input[name='q.{key}'][value=yes]").check()


UNLABELLED = """() => [...document.querySelectorAll("#fill-form [name^='q.']")]
    .filter((el) => el.type !== "hidden")
    .filter((el) => !el.labels.length && !el.getAttribute("aria-labelledby"))
    .map((el) => el.name)"""


def assert_every_field_labelled(page: Page) -> None:
    assert page.evaluate(UNLABELLED) == []
    for group in page.locator("#fill-form [role=radiogroup], #fill-form [role=group]").all():
        labelled_by = group.get_attribute("aria-labelledby")
        assert labelled_by and page.locator(f"#{labelled_by}").inner_text().strip()


def accept_dialogs(page: Page) -> list[str]:
    """Accepts every confirm() of the page and records its message."""
    messages: list[str] = []

    def on_dialog(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", on_dialog)
    return messages


def test_school_fills_submits_corrects_and_district_accepts(new_page, monitoring):
    school = new_page()
    errors = watch_errors(school)
    confirmations = accept_dialogs(school)
    log_in(school, monitoring.school_user)
    open_response(school)
    expect(school.locator("h1")).to_have_text(TITLE)

    # Page 1 of 2: the speed is asked only once the library has Internet.
    first = school.locator("[data-section=internet]")
    second = school.locator("[data-section=people]")
    expect(first).to_be_visible()
    expect(second).to_be_hidden()
    expect(school.locator("[data-page-counter]")).to_have_text(
        gettext("Page %(n)s of %(total)s", n=1, total=2)
    )
    expect(school.locator("[data-page-prev]")).to_be_hidden()
    speed = school.locator("#q-internet_speed")
    expect(school.locator("#question-internet_speed")).to_be_hidden()
    expect(school.get_by_role("radiogroup", name="Есть ли в библиотеке Интернет?")).to_have_id(
        "q-has_internet"
    )
    school.locator("input[name='q.has_internet'][value=no]").check()
    expect(school.locator("#question-internet_speed")).to_be_hidden()
    answer_yes(school, "has_internet")
    expect(school.locator("#question-internet_speed")).to_be_visible()
    expect(school.get_by_label("Скорость, Мбит/с")).to_have_id("q-internet_speed")
    speed.fill("50")
    school.get_by_label("Провайдер").fill("Ростелеком")

    # Page 2: the staff table starts with its one required row; add rows up to four, remove the
    # second, and the rows left are numbered 1 to 3.
    school.locator("[data-page-next]").click()
    expect(second).to_be_visible()
    expect(first).to_be_hidden()
    expect(school.locator("[data-page-next]")).to_be_hidden()
    expect(staff_rows(school)).to_have_count(1)
    expect(staff_rows(school).locator("[data-remove-row]")).to_be_disabled()
    add = school.locator("[data-add-row=staff]")
    for _ in range(3):
        add.click()
    expect(staff_rows(school)).to_have_count(4)
    cell(school, 1, "full_name").fill(STAFF[0][0])
    cell(school, 1, "rate").fill(STAFF[0][1])
    cell(school, 2, "full_name").fill("Строка, которую удалят")
    staff_rows(school).nth(1).locator("[data-remove-row]").click()
    expect(staff_rows(school)).to_have_count(3)
    expect(staff_rows(school).locator("th[data-row-number]")).to_have_text(["1", "2", "3"])
    for row, (name, rate) in enumerate(STAFF[1:], 2):
        cell(school, row, "full_name").fill(name)
        cell(school, row, "rate").fill(rate)
    # Every cell keeps a label of its own, also in the rows added in the browser.
    expect(school.get_by_label("ФИО, " + gettext("row") + " 3")).to_have_value(STAFF[2][0])
    assert_every_field_labelled(school)
    expect_saved(school)

    # After a reload every answer is there, the conditional one and the three rows included.
    school.reload()
    expect(school.locator("input[name='q.has_internet'][value=yes]")).to_be_checked()
    expect(speed).to_be_visible()
    expect(speed).to_have_value("50")
    expect(school.locator("#q-provider")).to_have_value("Ростелеком")
    school.locator("[data-page-next]").click()
    expect(staff_rows(school)).to_have_count(3)
    for row, (name, rate) in enumerate(STAFF, 1):
        expect(cell(school, row, "full_name")).to_have_value(name)
        expect(cell(school, row, "rate")).to_have_value(rate)
    draft = stored(monitoring.response_id)
    assert draft.status == ResponseStatus.DRAFT
    assert draft.data["internet_speed"] == "50"
    assert [row["full_name"] for row in draft.data["staff"]] == [name for name, _ in STAFF]

    # Submit, confirmed in a dialog: the page shows the submitted answers, read-only.
    school.locator("#submit-form button[type=submit]").click()
    expect(school.locator("#fill-form")).to_have_attribute("data-editable", "false")
    assert confirmations == [
        gettext(
            "Submit the questionnaire to the district office? After"
            " that the answers cannot be changed."
        )
    ]
    expect(school.locator(".alert-success")).to_contain_text(
        gettext("The questionnaire is submitted to the district office.")
    )
    expect(school.locator("main .badge").first).to_have_text(str(ResponseStatus.SUBMITTED.label))
    expect(school.locator("#submit-form")).to_have_count(0)
    expect(school.locator("#save-state")).to_have_count(0)
    fields = school.locator("#fill-form [name^='q.']")
    assert fields.count() >= 9
    for number in range(fields.count()):
        expect(fields.nth(number)).to_be_disabled()
    expect(school.locator("[data-add-row]")).to_have_count(0)
    expect(speed).to_have_value("50")
    expect(staff_rows(school)).to_have_count(3)

    # The district returns it: a comment, and the speed among the questions to correct.
    staff = new_page()
    staff_confirmations = accept_dialogs(staff)
    log_in(staff, monitoring.admin)
    staff.goto(f"/responses/{monitoring.response_id}/review")
    expect(staff.locator("#answer-internet_speed")).to_have_text("50")
    expect(staff.locator("#answer-staff tbody tr")).to_have_count(3)
    staff.locator("#comment").fill("Уточните скорость по договору с провайдером.")
    staff.locator("details:has(#note-internet_speed) summary").click()
    staff.locator("#note-internet_speed").fill("Скорость по договору.")
    staff.locator("form[action$='/return'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_contain_text(
        gettext("The response is returned to the school for revision.")
    )
    assert stored(monitoring.response_id).review_keys == ["internet_speed"]

    # The school sees the comment on top and the flagged question, corrects it, submits again.
    school.reload()
    expect(school.locator("#review-comment")).to_contain_text(
        "Уточните скорость по договору с провайдером."
    )
    flagged = school.locator("#question-internet_speed")
    expect(flagged).to_have_class("question mb-4 question-flagged")
    expect(flagged.locator(".badge")).to_have_text(gettext("to correct"))
    expect(school.locator(".question-flagged")).to_have_count(1)
    expect(speed).to_be_editable()
    speed.fill("100")
    expect_saved(school)
    school.locator("#submit-form button[type=submit]").click()
    expect(school.locator("#fill-form")).to_have_attribute("data-editable", "false")
    expect(school.locator("#review-comment")).to_have_count(0)
    assert len(confirmations) == 2

    # The district accepts.
    staff.reload()
    expect(staff.locator("#answer-internet_speed")).to_have_text("100")
    staff.locator("form[action$='/accept'] button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_contain_text(gettext("The response is accepted."))
    expect(staff.locator("main .badge").first).to_have_text(str(ResponseStatus.ACCEPTED.label))
    assert staff_confirmations == [gettext("Accept the response?")]

    response = stored(monitoring.response_id)
    assert response.status == ResponseStatus.ACCEPTED
    assert response.data["internet_speed"] == 100
    assert response.data["staff"] == [
        {"full_name": name, "rate": rate.replace(",", ".")} for name, rate in STAFF
    ]
    cells = db.session.scalars(
        sa.select(Answer)
        .where(Answer.response_id == response.id, Answer.question_key == "staff")
        .order_by(Answer.row_index, Answer.part)
    ).all()
    assert [(answer.row_index, answer.part) for answer in cells] == [
        (row, column) for row in range(3) for column in ("full_name", "rate")
    ]
    assert [answer.value_text for answer in cells if answer.part == "full_name"] == [
        name for name, _ in STAFF
    ]
    assert [float(answer.value_number) for answer in cells if answer.part == "rate"] == [
        1.0,
        0.5,
        0.25,
    ]
    assert not errors, errors


def kept_answers(page: Page, response_id: int) -> dict:
    """The answers the page keeps in localStorage, by field name."""
    kept = page.evaluate("key => localStorage.getItem(key)", f"fill:{response_id}")
    assert kept, "nothing is kept in localStorage"
    return dict(json.loads(kept)["fields"])


def test_answers_typed_offline_are_sent_when_the_connection_returns(new_page, monitoring):
    page = new_page()
    errors = watch_errors(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    expect(page.locator("#fill-form")).to_be_visible()

    page.context.set_offline(True)
    answer_yes(page, "has_internet")
    page.locator("#q-internet_speed").fill("30")
    page.locator("#q-provider").fill("Сахателеком")
    expect(save_state(page)).to_have_attribute("data-state", "offline")
    expect(save_state(page)).to_have_text(
        gettext("Not saved: no connection, the answers are kept in this browser")
    )
    kept = kept_answers(page, monitoring.response_id)
    assert kept["q.has_internet"] == "yes"
    assert kept["q.internet_speed"] == "30"
    assert kept["q.provider"] == "Сахателеком"
    assert stored(monitoring.response_id).data in ({}, None)

    page.context.set_offline(False)
    expect_saved(page)
    assert (
        page.evaluate("key => localStorage.getItem(key)", f"fill:{monitoring.response_id}") is None
    )
    response = stored(monitoring.response_id)
    assert answered(response) == {
        "has_internet": "yes",
        "internet_speed": "30",
        "provider": "Сахателеком",
    }
    assert response.revision == 1
    assert not errors, errors


def test_answers_kept_offline_are_restored_and_saved_when_the_form_opens_again(
    new_page, monitoring
):
    page = new_page()
    errors = watch_errors(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    expect(page.locator("#fill-form")).to_be_visible()

    context = page.context
    context.set_offline(True)
    answer_yes(page, "has_internet")
    page.locator("#q-internet_speed").fill("20")
    page.locator("[data-page-next]").click()
    page.locator("[data-add-row=staff]").click()
    cell(page, 1, "full_name").fill(STAFF[0][0])
    cell(page, 2, "full_name").fill(STAFF[1][0])
    cell(page, 2, "rate").fill(STAFF[1][1])
    assert kept_answers(page, monitoring.response_id)["q.staff.1.rate"] == STAFF[1][1]
    page.close()
    assert stored(monitoring.response_id).revision == 0

    context.set_offline(False)
    again = new_page(context=context)
    errors_again = watch_errors(again)
    again.goto(f"/responses/{monitoring.response_id}")
    expect_saved(again)
    expect(again.locator("input[name='q.has_internet'][value=yes]")).to_be_checked()
    expect(again.locator("#q-internet_speed")).to_have_value("20")
    again.locator("[data-page-next]").click()
    expect(staff_rows(again)).to_have_count(2)
    expect(cell(again, 2, "rate")).to_have_value(STAFF[1][1])
    response = stored(monitoring.response_id)
    assert response.data == {
        "has_internet": "yes",
        "internet_speed": "20",
        "staff": [
            {"full_name": STAFF[0][0], "rate": ""},
            {"full_name": STAFF[1][0], "rate": STAFF[1][1]},
        ],
    }
    assert (
        again.evaluate("key => localStorage.getItem(key)", f"fill:{monitoring.response_id}") is None
    )

    # Opened once more, the form shows what the server holds and saves nothing.
    again.reload()
    expect(again.locator("#q-internet_speed")).to_have_value("20")
    again.wait_for_timeout(300)
    assert stored(monitoring.response_id).revision == 1
    assert not errors and not errors_again, errors + errors_again


def test_a_save_based_on_an_older_revision_is_refused_and_loses_nothing(new_page, monitoring):
    first, second = new_page(), new_page()
    errors = [watch_errors(first), watch_errors(second)]
    for page in (first, second):
        log_in(page, monitoring.school_user)
        page.goto(f"/responses/{monitoring.response_id}")
        expect(page.locator("[data-revision]").first).to_have_value("0")

    first.locator("#q-provider").fill("Ростелеком")
    expect_saved(first)
    expect(first.locator("[data-revision]").first).to_have_value("1")

    second.locator("input[name='q.has_internet'][value=no]").check()
    expect(save_state(second)).to_have_attribute("data-state", "stale")
    refusal = gettext(
        "These answers were changed elsewhere (another tab or another person) after you opened"
        " them. Your save was refused so as not to overwrite them; reload the page to see the"
        " newer answers."
    )
    expect(save_state(second)).to_have_text(refusal)
    expect(save_state(second)).to_have_class(re.compile(r"\btext-danger\b"))

    # Nothing is lost: the first page's answer stays, and the second page sends nothing more.
    response = stored(monitoring.response_id)
    assert answered(response) == {"provider": "Ростелеком"}
    assert response.revision == 1
    second.locator("#q-provider").fill("Другой провайдер")
    second.wait_for_timeout(2000)
    assert answered(stored(monitoring.response_id)) == {"provider": "Ростелеком"}
    expect(save_state(second)).to_have_text(refusal)

    # Reloaded, the second page shows the newer answers and saves again.
    second.reload()
    expect(second.locator("#q-provider")).to_have_value("Ростелеком")
    second.locator("input[name='q.has_internet'][value=no]").check()
    expect_saved(second)
    assert answered(stored(monitoring.response_id)) == {
        "provider": "Ростелеком",
        "has_internet": "no",
    }
    assert errors == [[], []]


def test_an_answer_typed_just_before_leaving_the_page_is_not_lost(new_page, monitoring):
    page = new_page()
    errors = watch_errors(page)
    log_in(page, monitoring.school_user)
    page.goto(f"/responses/{monitoring.response_id}")
    page.locator("#q-provider").fill("Ростелеком")
    page.reload()  # before the autosave: the answers are sent on leaving and kept here too

    expect(page.locator("#q-provider")).to_have_value("Ростелеком")
    expect_saved(page)
    page.wait_for_timeout(500)
    expect_saved(page)
    assert answered(stored(monitoring.response_id)) == {"provider": "Ростелеком"}
    assert (
        page.evaluate("key => localStorage.getItem(key)", f"fill:{monitoring.response_id}") is None
    )
    expect(page.locator(".alert:visible")).to_have_count(
        0
    )  # no stray message from the leaving save
    assert not errors, errors


def test_preview_shows_every_section_and_adds_table_rows(new_page, monitoring):
    page = new_page()
    errors = watch_errors(page)
    log_in(page, monitoring.admin)
    page.goto(f"/forms/{monitoring.campaign.form_version.form_id}/preview")
    expect(page.locator("[data-section=internet]")).to_be_visible()
    expect(page.locator("[data-section=people]")).to_be_visible()
    expect(page.locator("#question-internet_speed")).to_be_hidden()
    answer_yes(page, "has_internet")
    expect(page.locator("#question-internet_speed")).to_be_visible()
    page.locator("[data-add-row=staff]").click()
    expect(staff_rows(page)).to_have_count(2)
    expect(page.get_by_label("ФИО, " + gettext("row") + " 2")).to_be_focused()
    assert not errors, errors
