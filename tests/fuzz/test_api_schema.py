"""The JSON API fuzzed from its own OpenAPI document with schemathesis (issue 14, item 10): the
app in process (WSGI), a real personal token of district staff, campaigns with answered
responses of every question type. Every answer: never a server error, and what the document
says (status codes, content type, response schemas, headers)."""

import pytest
import schemathesis
from hypothesis import given
from schemathesis.checks import load_all_checks
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.accounts import api_tokens
from app.campaigns import responses
from app.extensions import db
from tests.fuzz.every_type import every_type_response
from tests.fuzz.values import FUZZ
from tests.monitoring import make_monitoring

load_all_checks()
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ANSWERS = {
    "t_text": "Ҕалыҥ", "t_integer": "1 000", "t_decimal": "-5,5", "t_single": "other",
    "t_single_other": "Һаҥа", "t_multiple": [], "t_yesno": "yes", "t_date": "29.02.2024",
    "t_date_bounded": "2030-12-31", "t_email": "a@example.ru", "t_phone": "12345",
    "t_scale": "0", "t_matrix": {"r1": "b"}, "t_shown": "Үү",
    "t_table": [{"c_text": "Өө", "c_integer": "7", "c_multiple": ["a"], "c_date": "01.01.0001"}],
}  # fmt: skip


def _schema(app, world, reader="admin_a"):
    """The served document, with campaigns to read: the equipment monitoring (a draft and a
    submission) and the every-type one (a submission); and a token of ``reader``."""
    make_monitoring(world)
    response = every_type_response(world)
    responses.save_draft(world.school_user_a1, response, ANSWERS, 0)
    responses.submit(world.school_user_a1, response, response.revision)
    _row, secret = api_tokens.create_token(getattr(world, reader), "schemathesis")
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # unknown query parameters are ignored, as HTTP APIs do: not a refusal to expect
    schema.config.generation.update(allow_extra_parameters=False)
    campaigns = [response.campaign_id - 1, response.campaign_id]
    return schema, {"Authorization": f"Bearer {secret}"}, campaigns


@pytest.mark.parametrize(
    ("mode", "reader"),
    [(GenerationMode.POSITIVE, "admin_a"), (GenerationMode.NEGATIVE, "admin_a"),
     (GenerationMode.POSITIVE, "school_user_a1")],
)  # fmt: skip
def test_api_answers_as_its_document_says(app, world, mode, reader):
    """Positive cases fit the document, negative ones do not (wrong types, statuses, pages): a
    negative one must be refused with a 4xx. Two of three cases ask for a campaign that exists
    (ids are random integers otherwise, mostly 404)."""
    schema, headers, campaigns = _schema(app, world, reader)
    paths = {result.ok().path for result in schema.get_all_operations()}
    assert paths >= {"/campaigns", "/campaigns/{campaign_id}/report"}
    positive = mode == GenerationMode.POSITIVE
    checks = [*CHECKS, ignored_auth if positive else negative_data_rejection]

    @FUZZ
    @given(case=schema.as_strategy(mode, headers=headers))
    def call(case):
        campaign_id = (case.path_parameters or {}).get("campaign_id")
        if isinstance(campaign_id, int) and campaign_id % 3:
            case.path_parameters["campaign_id"] = campaigns[campaign_id % 2]
        case.call_and_validate(checks=checks)

    call()


def test_a_page_or_a_status_the_document_refuses_is_a_400(client, world):
    """Found by the negative run: ?page=-3 and ?page=abc were read as page 1, ?status= as the
    default statuses, while the document says both are wrong."""
    schema, headers, campaigns = _schema(app=client.application, world=world)
    for query in ("page=-3", "page=0", "page=abc", "page=1000001", "page=%EF%BC%91", "status=",
                  "status=draft,", "status=%20draft", "status=draft&status="):  # fmt: skip
        for path in ("/api/v1/campaigns", f"/api/v1/campaigns/{campaigns[1]}/responses"):
            if path.endswith("campaigns") and query.startswith("status"):
                continue
            reply = client.get(f"{path}?{query}", headers=headers)
            assert reply.status_code == 400, (path, query)
            assert reply.json["error"]
    reply = client.get(f"/api/v1/campaigns/{campaigns[1]}/report?status=", headers=headers)
    assert reply.status_code == 400 and '""' in reply.json["error"]
    good = client.get(f"/api/v1/campaigns/{campaigns[1]}/responses?status=draft,submitted&page=1",
                      headers=headers)  # fmt: skip
    assert good.status_code == 200 and good.json["total"] == 1
