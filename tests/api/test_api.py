"""The JSON API: personal tokens, the same scoping as the pages, figures equal to the reports.

The monitoring answered here (the equipment form of tests/monitoring.py, with a comment):

    school            status     internet  speed  zones          staff (rate)      comment
    Маарская (a2)     submitted  no        —      reading        —                 «Нет связи»
    Нюрбинская (a1)   submitted  yes       20     reading media  0.5, 1            —
"""

import copy
import hashlib
import re

import pytest
import sqlalchemy as sa

from app.accounts import api_tokens
from app.accounts.models import ApiToken
from app.api import services as api_services
from app.audit.models import AuditEvent
from app.campaigns import responses
from app.extensions import db
from tests.conftest import login
from tests.monitoring import DEFINITION, make_campaign, make_form, make_monitoring, response_of

TOKEN = re.compile(r"slib_[A-Za-z0-9_-]{43}")


def _token(user, name="Скрипт") -> str:
    _token_row, secret = api_tokens.create_token(user, name)
    db.session.commit()
    return secret


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _commented_definition() -> dict:
    definition = copy.deepcopy(DEFINITION)
    definition["form_id"] = "equipment-commented"
    definition["sections"][0]["questions"].append(
        {
            "key": "comment",
            "type": "textarea",
            "label": "Комментарий",
            "help": "",
            "required": False,
            "condition": None,
        }
    )
    return definition


def _answered(world):
    form = make_form(world.admin_a, _commented_definition())
    campaign = make_campaign(world.admin_a, form, [world.school_a1, world.school_a2])
    first, second = (response_of(campaign, s) for s in (world.school_a1, world.school_a2))
    answers = {
        "has_internet": "yes",
        "internet_speed": "20",
        "zones": ["reading", "media"],
        "staff": [{"full_name": "Иванова", "rate": "0.5"}, {"full_name": "Петрова", "rate": "1"}],
    }
    responses.save_draft(world.school_user_a1, first, answers, 0)
    responses.submit(world.school_user_a1, first, first.revision)
    school_a2 = world.school_user_a1.__class__(
        username="school-a2", full_name="А2", role="school", organization=world.school_a2
    )
    db.session.add(school_a2)
    db.session.flush()
    second_answers = {"has_internet": "no", "zones": ["reading"], "comment": "Нет связи"}
    responses.save_draft(school_a2, second, second_answers, 0)
    responses.submit(school_a2, second, second.revision)
    db.session.commit()
    return campaign


# Tokens on the profile page


def test_token_is_shown_once_and_only_its_hash_is_stored(client, world, as_user):
    as_user(world.admin_a)
    page = client.post("/profile/tokens", data={"name": "Таблицы района"})
    assert page.status_code == 200
    secret = TOKEN.search(page.get_data(as_text=True)).group()
    token = db.session.scalar(sa.select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "Таблицы района" and token.hint == secret[-4:]
    stored = db.session.execute(sa.select(ApiToken.__table__)).one()
    assert secret not in [str(value) for value in stored]
    with client.session_transaction() as session:
        assert secret not in repr(dict(session))
    again = client.get("/profile").get_data(as_text=True)
    assert "Таблицы района" in again and secret not in again
    assert db.session.scalar(sa.select(AuditEvent.object_type).where(AuditEvent.action == "create"))
    assert client.get("/api/v1/campaigns", headers=_bearer(secret)).status_code == 200


def test_a_token_needs_a_name_and_a_juror_gets_none(client, world, as_user):
    as_user(world.admin_a)
    assert client.post("/profile/tokens", data={"name": "  "}).status_code == 302
    juror = client.application.test_client()
    login(juror, world.jury_a)
    assert juror.post("/profile/tokens", data={"name": "Жюри"}).status_code == 403
    assert "api-tokens" not in juror.get("/profile").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoking_works_at_once_and_only_for_the_owner(client, world, as_user):
    secret = _token(world.admin_a)
    token = db.session.scalar(sa.select(ApiToken))
    other = client.application.test_client()
    login(other, world.viewer_a)
    assert other.post(f"/profile/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/api/v1/campaigns", headers=_bearer(secret)).status_code == 200
    as_user(world.admin_a)
    assert client.post(f"/profile/tokens/{token.id}/revoke").status_code == 302
    reply = client.get("/api/v1/campaigns", headers=_bearer(secret))
    assert reply.status_code == 401
    assert reply.get_json() == {"error": reply.get_json()["error"]}
    assert 'error="invalid_token"' in reply.headers["WWW-Authenticate"]


# Authentication


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Basic YWRtaW46cGFzcw==",
        "Bearer slib_not-a-real-token",
        "Bearer not-even-the-prefix",
        "Bearer slib_" + "x" * 200,
    ],
)
def test_without_a_valid_token_the_api_answers_401_in_json(client, world, header):
    headers = {"Authorization": header} if header else {}
    reply = client.get("/api/v1/campaigns", headers=headers)
    assert reply.status_code == 401
    assert reply.is_json and reply.get_json()["error"]
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/no-such-thing", 404),
        ("get", "/api/v2/campaigns", 404),
        ("post", "/api/v1/campaigns", 405),
        ("delete", "/api/v1/openapi.json", 405),
    ],
)
def test_unknown_api_urls_and_methods_answer_in_json(client, method, url, status):
    reply = getattr(client, method)(url)
    assert reply.status_code == status
    assert reply.is_json and reply.get_json()["error"]
    if status == 405:
        assert "GET" in reply.headers["Allow"]


def test_pages_outside_the_api_keep_their_html_error_page(client):
    reply = client.get("/no-such-page")
    assert reply.status_code == 404 and reply.mimetype == "text/html"


def test_a_deactivated_users_token_stops_working(client, world, as_user):
    secret = _token(world.viewer_a)
    assert client.get("/api/v1/campaigns", headers=_bearer(secret)).status_code == 200
    as_user(world.admin_a)
    assert client.post(f"/users/{world.viewer_a.id}/deactivate").status_code == 302
    assert client.get("/api/v1/campaigns", headers=_bearer(secret)).status_code == 401


def test_the_session_is_neither_used_nor_set(client, world, as_user):
    as_user(world.admin_a)
    assert client.get("/api/v1/campaigns").status_code == 401
    reply = client.get("/api/v1/campaigns", headers=_bearer(_token(world.admin_a)))
    assert reply.status_code == 200
    assert "Set-Cookie" not in reply.headers
    assert reply.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in client.get("/api/v1/openapi.json").headers


def test_use_is_recorded(client, world):
    secret = _token(world.admin_a)
    client.get("/api/v1/campaigns", headers=_bearer(secret))
    db.session.expire_all()
    assert db.session.scalar(sa.select(ApiToken)).last_used_at is not None


# Every route × every role, with tokens


API_ROLES = {
    # route: {role: status}; "none" sends no token
    "/api/v1/campaigns": {"none": 401, "admin": 200, "viewer": 200, "school": 200, "jury": 403},
    "/api/v1/campaigns/{id}/report": {
        "none": 401, "admin": 200, "viewer": 200, "school": 403, "jury": 403,
    },
    "/api/v1/campaigns/{id}/responses": {
        "none": 401, "admin": 200, "viewer": 200, "school": 200, "jury": 403,
    },
    "/api/v1/openapi.json": {"none": 200, "admin": 200, "viewer": 200, "school": 200, "jury": 200},
}  # fmt: skip


def _jury_token(user) -> str:
    """A juror cannot create a token; this one stands for a token whose owner became a juror."""
    secret = api_tokens.PREFIX + "juror" * 9
    db.session.add(ApiToken(user=user, name="Старый", token_hash=api_tokens.hash_token(secret)))
    db.session.commit()
    return secret


def test_every_api_route_is_in_the_role_table(app):
    routes = {
        re.sub(r"<int:\w+>", "{id}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(API_ROLES)


@pytest.mark.parametrize("role", ["none", "admin", "viewer", "school", "jury"])
@pytest.mark.parametrize("route", sorted(API_ROLES))
def test_api_route_answers_role_as_expected(client, world, route, role):
    campaign = make_monitoring(world).campaign
    users = {"admin": world.admin_a, "viewer": world.viewer_a, "school": world.school_user_a1}
    if role == "jury":
        headers = _bearer(_jury_token(world.jury_a))
    else:
        headers = _bearer(_token(users[role])) if role in users else {}
    reply = client.get(route.format(id=campaign.id), headers=headers)
    assert reply.status_code == API_ROLES[route][role]
    assert reply.is_json


# Campaigns


def test_campaigns_are_scoped_like_the_pages(client, world):
    campaign_a = make_campaign(world.admin_a, make_form(world.admin_a), [world.school_a1])
    form_b = make_form(world.admin_b)
    campaign_b = make_campaign(world.admin_b, form_b, [world.school_b1], title="Сунтар")

    def seen(user):
        reply = client.get("/api/v1/campaigns", headers=_bearer(_token(user)))
        return {item["id"] for item in reply.get_json()["items"]}

    assert seen(world.admin_b) == {campaign_b.id}
    assert seen(world.admin_a) == seen(world.viewer_a) == {campaign_a.id}
    assert seen(world.region_admin) == {campaign_a.id, campaign_b.id}
    assert seen(world.school_user_a1) == set()
    secret_b = _token(world.admin_b, "Б")
    for path in ("report", "responses"):
        reply = client.get(f"/api/v1/campaigns/{campaign_a.id}/{path}", headers=_bearer(secret_b))
        assert reply.status_code == 404 and reply.get_json()["error"]


def test_campaign_list_is_paginated(client, world, monkeypatch):
    form = make_form(world.admin_a)
    for title in ("Первый", "Второй", "Третий"):
        make_campaign(world.admin_a, form, [world.school_a1], title=title)
    monkeypatch.setattr(api_services, "PER_PAGE", 2)
    secret = _token(world.admin_a)
    first = client.get("/api/v1/campaigns", headers=_bearer(secret)).get_json()
    second = client.get("/api/v1/campaigns?page=2", headers=_bearer(secret)).get_json()
    assert (first["total"], first["pages"], first["per_page"]) == (3, 2, 2)
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    item = second["items"][0]
    assert set(item) == {"id", "title", "organization", "form", "opens_at", "closes_at"}
    assert item["organization"]["name"] == world.district_a.name
    assert item["closes_at"].endswith("+00:00")


# Report


def test_report_equals_hand_computed_aggregates(client, world):
    campaign = _answered(world)
    reply = client.get(
        f"/api/v1/campaigns/{campaign.id}/report", headers=_bearer(_token(world.viewer_a))
    )
    assert reply.status_code == 200
    report = reply.get_json()
    assert report["statuses"] == ["submitted", "accepted"]
    assert report["completion"] == {
        "statuses": {"not_started": 0, "draft": 0, "submitted": 2, "returned": 0, "accepted": 0},
        "total": 2,
        "on_time": 2,
        "late": 0,
    }
    assert report["sections"] == [
        {
            "key": "main",
            "title": "Интернет",
            "questions": ["has_internet", "internet_speed", "zones", "comment"],
        },
        {"key": "staff_section", "title": "Кадры", "questions": ["staff", "scan"]},
    ]
    questions = report["questions"]
    assert questions["has_internet"] == {
        "label": "Есть ли Интернет?",
        "type": "yesno",
        "section": "main",
        "kind": "choices",
        "respondents": 2,
        "options": [
            {"code": "yes", "label": "Да", "count": 1, "percent": "50"},
            {"code": "no", "label": "Нет", "count": 1, "percent": "50"},
        ],
    }
    speed = questions["internet_speed"]
    assert (speed["kind"], speed["n"]) == ("numbers", 1)
    assert [speed[name] for name in ("sum", "mean", "median", "min", "max")] == ["20"] * 5
    zones = {option["code"]: option for option in questions["zones"]["options"]}
    assert questions["zones"]["respondents"] == 2
    assert (zones["reading"]["count"], zones["reading"]["percent"]) == (2, "100")
    assert (zones["media"]["count"], zones["media"]["percent"]) == (1, "50")
    staff = questions["staff"]
    assert (staff["rows_total"], staff["schools"], staff["per_school_mean"]) == (2, 1, "2")
    assert staff["columns"] == {
        "full_name": {"n": 2},
        "rate": {"n": 2, "sum": "1.5", "mean": "0.75"},
    }
    assert questions["scan"]["kind"] == "files" and questions["scan"]["n"] == 0
    comment = questions["comment"]
    assert (comment["kind"], comment["n"], comment["page"], comment["pages"]) == ("texts", 1, 1, 1)
    assert comment["answers"] == [
        {
            "organization": {
                "id": world.school_a2.id,
                "name": "Маарская СОШ",
                "locality": "с. Маар",
            },
            "text": "Нет связи",
        }
    ]


def test_report_counts_the_statuses_asked_for(client, world):
    campaign = _answered(world)
    secret = _token(world.admin_a)
    url = f"/api/v1/campaigns/{campaign.id}/report"
    accepted = client.get(url + "?status=accepted", headers=_bearer(secret)).get_json()
    assert accepted["statuses"] == ["accepted"]
    assert accepted["questions"]["has_internet"]["respondents"] == 0
    assert accepted["questions"]["internet_speed"]["mean"] is None
    wrong = client.get(url + "?status=sent", headers=_bearer(secret))
    assert wrong.status_code == 400 and "sent" in wrong.get_json()["error"]


# Responses


def test_responses_are_paginated_with_answers_keyed_by_question(client, world, monkeypatch):
    campaign = _answered(world)
    monkeypatch.setattr(api_services, "PER_PAGE", 1)
    secret = _token(world.admin_a)
    url = f"/api/v1/campaigns/{campaign.id}/responses"
    first = client.get(url, headers=_bearer(secret)).get_json()
    second = client.get(url + "?page=2", headers=_bearer(secret)).get_json()
    assert (first["total"], first["pages"], first["page"]) == (2, 2, 1)
    (maar,), (nyurba,) = first["items"], second["items"]
    assert maar["organization"] == {
        "id": world.school_a2.id,
        "name": "Маарская СОШ",
        "locality": "с. Маар",
    }
    assert maar["status"] == "submitted" and maar["submitted_at"].endswith("+00:00")
    assert maar["answers"]["comment"] == "Нет связи"
    assert nyurba["answers"]["internet_speed"] == "20"
    assert nyurba["answers"]["zones"] == ["reading", "media"]
    assert nyurba["answers"]["staff"][1] == {"full_name": "Петрова", "rate": "1"}
    assert client.get(url + "?page=3", headers=_bearer(secret)).get_json()["items"] == []


def test_responses_default_to_counted_statuses(client, world):
    monitoring = make_monitoring(world)  # a1's draft, a2's submission
    secret = _token(world.admin_a)
    url = f"/api/v1/campaigns/{monitoring.campaign.id}/responses"

    def organizations(query=""):
        items = client.get(url + query, headers=_bearer(secret)).get_json()["items"]
        return [item["organization"]["id"] for item in items]

    assert organizations() == [world.school_a2.id]
    assert organizations("?status=draft") == [world.school_a1.id]
    assert organizations("?status=draft,submitted") == [world.school_a2.id, world.school_a1.id]


def test_school_reads_only_its_own_response_and_no_report(client, world):
    campaign = _answered(world)
    own = _bearer(_token(world.school_user_a1))
    url = f"/api/v1/campaigns/{campaign.id}"
    items = client.get(url + "/responses", headers=own).get_json()["items"]
    assert [item["organization"]["id"] for item in items] == [world.school_a1.id]
    assert client.get(url + "/report", headers=own).status_code == 403
    other = _bearer(_token(world.school_user_b1))
    assert client.get(url + "/responses", headers=other).status_code == 404
    assert client.get(url + "/report", headers=other).status_code == 403
    assert client.get("/api/v1/campaigns/999999/responses", headers=own).status_code == 404


# The description


def test_openapi_describes_every_route_and_the_bearer_scheme(client):
    reply = client.get("/api/v1/openapi.json")
    assert reply.status_code == 200
    document = reply.get_json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/campaigns",
        "/campaigns/{campaign_id}/report",
        "/campaigns/{campaign_id}/responses",
        "/openapi.json",
    }
    assert document["servers"][0]["url"].endswith("/api/v1")
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/openapi.json"]["get"]["security"] == []
    references = set(re.findall(r'"\$ref": ?"#/components/(\w+)/(\w+)"', reply.text))
    assert len(references) > 10
    for section, name in references:
        assert name in document["components"][section], (section, name)
