"""A school fills its response: drafts, conflicts, submission, recall, files, prefill."""

import io
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext

from app.accounts.models import Role
from app.campaigns.models import Answer, Response, ResponseFile
from app.db import utcnow
from app.extensions import db
from tests.conftest import login
from tests.factories import make_user
from tests.monitoring import make_campaign, make_form, response_of


def _setup(world, **times):
    form = make_form(world.admin_a)
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2], **times)
    return campaign, response_of(campaign, world.school_a1), response_of(campaign, world.school_a2)


def _save(client, response, revision, **fields):
    return client.post(
        f"/responses/{response.id}/save",
        data={"revision": revision, **fields},
        headers={"Accept": "application/json"},
    )


def _fresh(response) -> Response:
    db.session.expire_all()
    return db.session.get(Response, response.id)


def test_draft_is_saved_and_reported_with_field_problems(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    reply = _save(client, mine, 0, **{"q.has_internet": "yes", "q.internet_speed": "быстро"})
    assert reply.status_code == 200
    assert reply.json["revision"] == 1
    assert "internet_speed" in reply.json["errors"]
    stored = _fresh(mine)
    assert stored.status == "draft"
    assert stored.data == {"has_internet": "yes", "internet_speed": "быстро"}


def test_stale_save_is_refused_and_newer_answers_are_kept(app, world):
    _, mine, _ = _setup(world)
    first, second = app.test_client(), app.test_client()
    login(first, world.school_user_a1)
    login(second, world.school_user_a1)
    assert _save(first, mine, 0, **{"q.has_internet": "yes"}).status_code == 200
    stale = _save(second, mine, 0, **{"q.has_internet": "no"})
    assert stale.status_code == 409
    assert stale.json["revision"] == 1
    assert _fresh(mine).data == {"has_internet": "yes"}


def test_a_save_repeated_after_its_reply_was_lost_succeeds_without_writing(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    answers = {"q.has_internet": "yes", "q.internet_speed": "быстро"}
    assert _save(client, mine, 0, **answers).json["revision"] == 1
    saved_at = _fresh(mine).updated_at
    repeated = _save(client, mine, 0, **answers)  # the first reply never reached the browser
    assert repeated.status_code == 200
    assert repeated.json["revision"] == 1 and "internet_speed" in repeated.json["errors"]
    assert _fresh(mine).updated_at == saved_at and _fresh(mine).revision == 1
    changed = _save(client, mine, 0, **{**answers, "q.internet_speed": "100"})
    assert changed.status_code == 409
    assert _fresh(mine).data == {"has_internet": "yes", "internet_speed": "быстро"}


def test_school_cannot_touch_another_schools_response(client, world):
    _, mine, theirs = _setup(world)
    login(client, world.school_user_a1)
    assert client.get(f"/responses/{theirs.id}").status_code == 404
    assert _save(client, theirs, 0, **{"q.has_internet": "yes"}).status_code == 404
    assert client.post(f"/responses/{theirs.id}/submit", data={"revision": 0}).status_code == 404
    assert client.post(f"/responses/{theirs.id}/recall").status_code == 404
    reply = client.post(f"/responses/{mine.id}/prefill", data={"source": theirs.id})
    assert reply.status_code == 404
    assert _fresh(theirs).data == {} and _fresh(theirs).status == "not_started"


def test_school_of_another_district_cannot_see_the_response(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_b1)
    assert client.get(f"/responses/{mine.id}").status_code == 404


def test_juror_and_viewer_cannot_fill(app, world):
    _, mine, _ = _setup(world)
    for user in (world.jury_a, world.viewer_a, world.admin_a):
        client = app.test_client()
        login(client, user)
        assert _save(client, mine, 0, **{"q.has_internet": "yes"}).status_code == 403
        assert client.post(f"/responses/{mine.id}/submit", data={"revision": 0}).status_code == 403
    assert _fresh(mine).status == "not_started"


def test_submission_validates_drops_hidden_answers_and_writes_typed_rows(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    _save(
        client,
        mine,
        0,
        **{
            "q.has_internet": "no",
            "q.internet_speed": "12,5",
            "q.zones": ["media", "reading"],
            "q.staff.0.full_name": "Иванова С. П.",
            "q.staff.0.rate": "0,5",
            "q.staff.3.full_name": "Петрова А. И.",
        },
    )
    reply = client.post(f"/responses/{mine.id}/submit", data={"revision": 1})
    assert reply.status_code == 302
    stored = _fresh(mine)
    assert stored.status == "submitted"
    assert "internet_speed" not in stored.data
    assert stored.data["zones"] == ["reading", "media"]
    rows = db.session.scalars(sa.select(Answer).where(Answer.response_id == mine.id)).all()
    cells = {
        (
            a.question_key,
            a.row_index,
            a.part,
            a.value_text,
            a.value_choice,
            None if a.value_number is None else float(a.value_number),
        )
        for a in rows
    }
    assert ("has_internet", None, None, None, "no", None) in cells
    assert ("zones", None, None, None, "media", None) in cells
    assert ("staff", 0, "rate", None, None, 0.5) in cells
    assert ("staff", 1, "full_name", "Петрова А. И.", None, None) in cells
    assert _save(client, mine, 2, **{"q.has_internet": "yes"}).status_code == 409


def _error_slot(page: str, key: str) -> str:
    start = page.index(f'id="q-{key}-error"')
    return page[start : page.index("</div>", start)]


def test_submission_with_missing_required_answer_is_refused_and_marked(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    _save(client, mine, 0, **{"q.has_internet": "yes"})
    reply = client.post(f"/responses/{mine.id}/submit", data={"revision": 1})
    assert reply.status_code == 302
    assert reply.headers["Location"].endswith(f"/responses/{mine.id}?check=1")
    assert _fresh(mine).status == "draft"
    required = gettext("Answer this question.")
    checked = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert required in _error_slot(checked, "internet_speed")
    assert 'data-check="true"' in checked
    # A draft opened as usual is not told off for what is still to be answered.
    draft = client.get(f"/responses/{mine.id}").get_data(as_text=True)
    assert required not in _error_slot(draft, "internet_speed")


def test_numbers_typed_the_russian_way_are_stored_clean_on_submission(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    reply = _save(client, mine, 0, **{"q.has_internet": "yes", "q.internet_speed": "1 000"})
    assert reply.json["errors"] == {}
    page = client.get(f"/responses/{mine.id}").get_data(as_text=True)
    assert 'value="1 000"' in page  # shown as typed
    client.post(f"/responses/{mine.id}/submit", data={"revision": 1})
    stored = _fresh(mine)
    assert stored.status == "submitted"
    assert stored.data["internet_speed"] == "1000"
    page = client.get(f"/responses/{mine.id}").get_data(as_text=True)
    assert 'value="1\u00a0000"' in page


def test_recall_before_deadline_then_resubmit(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    _save(client, mine, 0, **{"q.has_internet": "no"})
    client.post(f"/responses/{mine.id}/submit", data={"revision": 1})
    assert client.post(f"/responses/{mine.id}/recall").status_code == 302
    assert _fresh(mine).status == "draft"


def test_deadline_is_enforced_and_can_be_extended_for_one_school(app, client, world):
    now = utcnow()
    _, mine, _ = _setup(world, opens_at=now - timedelta(days=3), closes_at=now - timedelta(hours=1))
    login(client, world.school_user_a1)
    assert _save(client, mine, 0, **{"q.has_internet": "no"}).status_code == 409
    staff = app.test_client()
    login(staff, world.admin_a)
    later = (now + timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    assert staff.post(f"/responses/{mine.id}/deadline", data={"deadline": later}).status_code == 302
    assert _fresh(mine).deadline is not None
    assert _save(client, mine, 0, **{"q.has_internet": "no"}).status_code == 200


def test_campaign_not_yet_open_cannot_be_filled(client, world):
    now = utcnow()
    _, mine, _ = _setup(world, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=5))
    login(client, world.school_user_a1)
    assert _save(client, mine, 0, **{"q.has_internet": "no"}).status_code == 409


def test_file_is_checked_by_content_and_served_only_to_allowed_users(app, client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    fake = client.post(
        f"/responses/{mine.id}/files",
        data={"key": "scan", "file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 400
    reply = client.post(
        f"/responses/{mine.id}/files",
        data={"key": "scan", "file": (io.BytesIO(b"%PDF-1.4\n%test\n"), "Положение.pdf")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 200
    record = db.session.get(ResponseFile, reply.json["id"])
    assert record.original_name == "Положение.pdf" and record.stored_name.endswith(".pdf")
    download = client.get(f"/files/{record.id}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    other = app.test_client()
    login(other, world.school_user_b1)
    assert other.get(f"/files/{record.id}").status_code == 404
    staff_b = app.test_client()
    login(staff_b, world.admin_b)
    assert staff_b.get(f"/files/{record.id}").status_code == 404


def test_file_over_the_limit_is_refused(make_app, world):
    app = make_app(UPLOAD_MAX_BYTES=100)
    _, mine, _ = _setup(world)
    client = app.test_client()
    login(client, world.school_user_a1)
    reply = client.post(
        f"/responses/{mine.id}/files",
        data={"key": "scan", "file": (io.BytesIO(b"%PDF-1.4\n" + b"x" * 200), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 400


def test_prefill_takes_over_previous_answers_of_same_keys(client, world):
    form = make_form(world.admin_a)
    old = make_campaign(world.admin_a, form, [world.school_a1], title="Прошлый год")
    previous = response_of(old, world.school_a1)
    login(client, world.school_user_a1)
    _save(client, previous, 0, **{"q.has_internet": "yes", "q.internet_speed": "10"})
    client.post(f"/responses/{previous.id}/submit", data={"revision": 1})
    new = make_campaign(world.admin_a, form, [world.school_a1], title="Этот год")
    current = response_of(new, world.school_a1)
    page = client.get(f"/responses/{current.id}").get_data(as_text=True)
    assert "Прошлый год" in page
    assert (
        client.post(f"/responses/{current.id}/prefill", data={"source": previous.id}).status_code
        == 302
    )
    stored = _fresh(current)
    # zones was shown and left unticked: none ticked is an answer, taken over as well
    assert stored.data == {"has_internet": "yes", "internet_speed": "10", "zones": []}
    assert stored.prefilled_keys == ["has_internet", "internet_speed", "zones"]


def test_school_lists_its_questionnaires_with_deadlines(client, world):
    campaign, _, _ = _setup(world)
    login(client, world.school_user_a1)
    page = client.get("/my/questionnaires").get_data(as_text=True)
    assert campaign.title in page


def test_other_school_user_of_same_school_shares_the_response(app, world):
    _, mine, _ = _setup(world)
    colleague = make_user(Role.SCHOOL, world.school_a1, "colleague")
    client = app.test_client()
    login(client, colleague)
    assert client.get(f"/responses/{mine.id}").status_code == 200


def test_saves_after_a_refused_submission_keep_reporting_missing_required_answers(client, world):
    _, mine, _ = _setup(world)
    login(client, world.school_user_a1)
    draft = _save(client, mine, 0, **{"q.has_internet": "yes"})
    assert draft.json["errors"] == {}
    checked = _save(client, mine, 1, **{"q.has_internet": "yes", "check": "1"})
    assert checked.json["errors"] == {"internet_speed": gettext("Answer this question.")}
