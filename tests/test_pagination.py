"""Every paginated list and the API answer a page number of any size (issue 9, item 16)."""

import pytest

from app.accounts import api_tokens
from app.core.pagination import MAX_PAGE
from app.extensions import db
from tests.contests.factory import make_contest
from tests.monitoring import make_monitoring

HUGE_PAGES = ("99999999999999999999", "9223372036854775807", "-99999999999999999999", "²", "")


@pytest.fixture
def lists(world):
    monitoring = make_monitoring(world)
    judged = make_contest(world)
    return [
        "/audit/",
        "/organizations/",
        f"/organizations/{world.district_a.id}",
        "/users/",
        "/campaigns/",
        f"/campaigns/{monitoring.campaign.id}",
        "/forms/",
        "/contests/",
        f"/contests/{judged.contest.id}/entries",
        f"/reports/campaigns/{monitoring.campaign.id}",
    ], monitoring


def test_lists_answer_a_page_number_past_every_integer(world, as_user, lists):
    urls, _ = lists
    client = as_user(world.admin_a)
    for url in urls:
        for page in HUGE_PAGES:
            reply = client.get(url, query_string={"page": page})
            assert reply.status_code == 200, (url, page, reply.status_code)


def test_api_answers_a_page_past_the_last_with_an_empty_page_and_refuses_beyond_its_maximum(
    client, world, lists
):
    """A script asking past the last page gets an empty one; a page beyond MAX_PAGE (or no
    number at all) is a 400 that says the range, as the OpenAPI document does."""
    _, monitoring = lists
    _row, secret = api_tokens.create_token(world.admin_a, "Скрипт")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    for url in ("/api/v1/campaigns", f"/api/v1/campaigns/{monitoring.campaign.id}/responses"):
        reply = client.get(url, query_string={"page": MAX_PAGE}, headers=headers)
        assert reply.status_code == 200, (url, reply.get_data(as_text=True)[:300])
        assert reply.json["items"] == [] and reply.json["total"] >= 1
        for page in HUGE_PAGES[:4]:
            reply = client.get(url, query_string={"page": page}, headers=headers)
            assert reply.status_code == 400, (url, page)
            assert "от 1 до 1\u00a0000\u00a0000" in reply.json["error"]
