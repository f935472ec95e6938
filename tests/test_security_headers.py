"""The security headers middleware: every response gets them once; a view's own are kept."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from quiz.security import SecurityHeaders


def run(middleware: SecurityHeaders) -> list[tuple[str, str]]:
    """The headers the middleware passes on for one request."""
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["headers"] = headers

    middleware({}, start_response)
    return seen["headers"]


def inner(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A view that chose its own framing rule."""
    start_response("200 OK", [("Content-Type", "text/html"), ("x-frame-options", "SAMEORIGIN")])
    return [b"ok"]


def test_missing_headers_are_added_once_and_a_views_own_kept() -> None:
    config = {"SESSION_COOKIE_SECURE": False}
    headers = run(SecurityHeaders(inner, config))
    names = [name.lower() for name, _value in headers]
    assert names.count("x-frame-options") == 1
    assert ("x-frame-options", "SAMEORIGIN") in headers
    for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert names.count(name) == 1, name
    assert "strict-transport-security" not in names


def test_hsts_follows_the_secure_cookie_setting() -> None:
    config = {"SESSION_COOKIE_SECURE": False}
    middleware = SecurityHeaders(inner, config)
    assert "strict-transport-security" not in [n.lower() for n, _v in run(middleware)]
    config["SESSION_COOKIE_SECURE"] = True
    hsts = [v for n, v in run(middleware) if n.lower() == "strict-transport-security"]
    assert hsts == ["max-age=31536000; includeSubDomains"]


def test_error_pages_get_them_and_static_files_keep_theirs(app: Flask) -> None:
    client = app.test_client()
    missing = client.get("/study/no-such-page")
    assert missing.status_code == 404
    assert "default-src 'self'" in missing.headers["Content-Security-Policy"]
    assert missing.headers["Cache-Control"] == "no-store"
    assert missing.headers.getlist("X-Frame-Options") == ["DENY"]
    page = client.get("/auth/login").get_data(as_text=True)
    style = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    served = client.get(style)
    assert served.status_code == 200
    assert served.headers.getlist("X-Content-Type-Options") == ["nosniff"]  # WhiteNoise's
    served.close()
