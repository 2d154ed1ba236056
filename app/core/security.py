"""Response headers of the security baseline and proxy handling."""

from flask import abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


# Responses a browser may keep: the app's own scripts, styles and fonts.
CACHEABLE_ENDPOINTS = ("static", "bootstrap.static", "campaigns.visit_worker")


def allow_same_origin_frame(response):
    """Lets the product's own pages show ``response`` in a frame (the builder's preview)."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _set_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        # Pages, JSON and files (consents, exports of personal data) stay out of the browser's
        # and any proxy's cache; send_file's own "no-cache" would still let them be stored.
        response.headers["Cache-Control"] = "no-store"
    max_age = current_app.config["HSTS_MAX_AGE"]
    if request.is_secure and max_age > 0:
        # Over HTTPS only: sent over plain HTTP it would be ignored, and behind a proxy
        # ``is_secure`` comes from X-Forwarded-Proto (PROXY_FIX_X_PROTO).
        hsts = f"max-age={max_age}; includeSubDomains"
        response.headers.setdefault("Strict-Transport-Security", hsts)
    return response


def _refuse_nul() -> None:
    """No keyboard types NUL and PostgreSQL cannot store it in text: a request carrying one in
    a query or form field is refused before any view reads it."""
    for fields in (request.args, request.form):
        if any("\0" in key or "\0" in value for key, value in fields.items(multi=True)):
            abort(400)


def init_security(app) -> None:
    app.before_request(_refuse_nul)
    app.after_request(_set_headers)
    hops = {
        "x_for": app.config["PROXY_FIX_X_FOR"],
        "x_proto": app.config["PROXY_FIX_X_PROTO"],
        "x_host": app.config["PROXY_FIX_X_HOST"],
    }
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)
