"""Response headers (ASVS V14.4, 9.1, 3.4): the security headers and CSP on every kind of
response, HSTS when (and only when) the request came over HTTPS."""

import pytest

from app import config as configuration
from tests.conftest import login
from tests.factories import PASSWORD
from tests.monitoring import make_monitoring

CSP_DIRECTIVES = (
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
)  # fmt: skip
ONE_YEAR = 365 * 24 * 3600


def _responses(client, world) -> dict:
    """One response of each kind the app sends: pages, errors, redirects, JSON, files."""
    seen = {"login page": client.get("/login"), "redirect to login": client.get("/users/")}
    m = make_monitoring(world)
    login(client, world.admin_a)
    seen |= {
        "page": client.get("/"),
        "form page": client.get(f"/campaigns/{m.campaign.id}/edit"),
        "not found": client.get("/no-such-page"),
        "forbidden": client.get("/my/questionnaires"),
        "method not allowed": client.get("/logout"),
        "redirect after a post": client.post(f"/campaigns/{m.campaign.id}/remind"),
        "json": client.get("/api/v1/openapi.json"),
        "json error": client.get("/api/v1/campaigns"),
        "generated xlsx": client.get(f"/campaigns/{m.campaign.id}/not-submitted.xlsx"),
        "uploaded file": client.get(f"/files/{m.file.id}"),
        "static file": client.get("/static/js/app.js"),
    }
    return seen


STATUSES = {
    "login page": 200, "redirect to login": 302, "page": 200, "form page": 200,
    "not found": 404, "forbidden": 403, "method not allowed": 405, "redirect after a post": 302,
    "json": 200, "json error": 401, "generated xlsx": 200, "uploaded file": 200,
    "static file": 200,
}  # fmt: skip


def test_every_kind_of_response_carries_the_security_headers(client, world):
    responses = _responses(client, world)
    assert {kind: response.status_code for kind, response in responses.items()} == STATUSES
    for kind, response in responses.items():
        csp = response.headers.get("Content-Security-Policy", "")
        for directive in CSP_DIRECTIVES:
            assert directive in csp, (kind, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, kind
        assert response.headers["X-Content-Type-Options"] == "nosniff", kind
        assert response.headers["X-Frame-Options"] == "DENY", kind
        assert response.headers["Referrer-Policy"] == "same-origin", kind
        assert "camera=()" in response.headers["Permissions-Policy"], kind
        if kind != "static file":
            assert response.headers["Cache-Control"] == "no-store", kind
        if response.mimetype.startswith("text/"):
            assert response.mimetype_params.get("charset") == "utf-8", kind
        assert "Access-Control-Allow-Origin" not in response.headers, kind
        assert "Server" not in response.headers, kind


def test_the_apps_own_scripts_and_styles_may_be_cached(client):
    assert client.get("/static/js/app.js").headers["Cache-Control"] != "no-store"
    assert client.get("/bootstrap/static/css/bootstrap.min.css").headers["Cache-Control"] != (
        "no-store"
    )


def test_html_pages_run_no_inline_script_or_handler(client, world):
    for kind, response in _responses(client, world).items():
        if response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True).lower()
        assert "<script>" not in page and " onclick=" not in page, kind
        assert " onload=" not in page and "javascript:" not in page, kind


def test_only_the_builders_preview_may_be_framed_and_only_by_the_app(client, world):
    form = make_monitoring(world).form
    login(client, world.admin_a)
    framed = client.get(f"/forms/{form.id}/preview?embed=1")
    assert "frame-ancestors 'self'" in framed.headers["Content-Security-Policy"]
    assert framed.headers["X-Frame-Options"] == "SAMEORIGIN"
    alone = client.get(f"/forms/{form.id}/preview")
    assert "frame-ancestors 'none'" in alone.headers["Content-Security-Policy"]


# HSTS


@pytest.fixture(scope="module")
def proxied_app(make_app):
    """The app behind one proxy that says which scheme the browser used (deploy/ nginx)."""
    return make_app(PROXY_FIX_X_PROTO=1, PROXY_FIX_X_FOR=1)


def test_hsts_is_sent_for_a_request_that_came_over_https_through_the_proxy(proxied_app):
    response = proxied_app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"


def test_hsts_is_sent_when_the_app_itself_is_served_over_https(client):
    response = client.get("/login", base_url="https://library.example.ru")
    assert response.headers["Strict-Transport-Security"] == f"max-age={ONE_YEAR}; includeSubDomains"


def test_no_hsts_over_plain_http(client, proxied_app):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    plain = proxied_app.test_client().get("/login", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in plain.headers


def test_an_untrusted_forwarded_proto_does_not_turn_hsts_on(client):
    """Without PROXY_FIX_X_PROTO the header is not believed: anyone could send it."""
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_max_age_is_configurable_and_zero_turns_it_off(make_app):
    assert configuration.from_environment({"HSTS_MAX_AGE": "600"}) == {"HSTS_MAX_AGE": 600}
    short = make_app(HSTS_MAX_AGE=600).test_client().get("/login", base_url="https://x.ru")
    assert short.headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"
    off = make_app(HSTS_MAX_AGE=0).test_client().get("/login", base_url="https://x.ru")
    assert "Strict-Transport-Security" not in off.headers


# Cookies


def test_cookies_are_secure_http_only_and_same_site_when_configured_for_https(make_app, world):
    client = make_app(SESSION_COOKIE_SECURE=True).test_client()
    response = client.post(
        "/login",
        data={"login": "admin-a", "password": PASSWORD, "remember": "y"},
        base_url="https://library.example.ru",
    )
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "Secure" in cookies[name] and "HttpOnly" in cookies[name], name
        assert "SameSite=Lax" in cookies[name], name
        assert "Domain=" not in cookies[name], name  # host-only


def test_api_answers_are_attachments_a_browser_does_not_render(client):
    for url in ("/api/v1/openapi.json", "/api/v1/campaigns"):
        reply = client.get(url)
        assert reply.mimetype == "application/json"
        assert reply.headers["Content-Disposition"] == 'attachment; filename="api.json"'
