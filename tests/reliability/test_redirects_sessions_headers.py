"""T5 (open redirects), T7 (sessions and cookies) and T8 (security headers)."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from flask import Flask

from quiz import create_app
from quiz.extensions import db
from quiz.models import Base, User
from tests.conftest import PASSWORD, AuthActions, make_user
from tests.reliability.access_table import ACCESS
from tests.reliability.figures import report
from tests.reliability.test_access_matrix import allowed, required_level
from tests.reliability.world import ROLES, build_world, url_for_rule

# Django's tests/utils_tests/test_http.py bad URLs, and a few more of the same families.
BAD_NEXT = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\example.com",
    r"/\\/example.com",
    r"\\\example.com",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    "http:///example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "java\nscript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
    "//example.com",
    "///example.com",
    "/\t/example.com",
    "data:text/html,<script>alert(1)</script>",
]
GOOD_NEXT = ["/study/progress", "/study/?view=all", "/auth/account", "/study/settings#zone"]


def test_open_redirects(app: Flask, backend: str) -> None:
    make_user(app, "alice")
    rejected, honored = 0, 0
    for target in BAD_NEXT:
        client = app.test_client()
        response = AuthActions(client).login(next=target)
        location = response.headers.get("Location", "")
        if response.status_code == 400 or location == "/study/":
            rejected += 1  # refused outright (control characters) or sent home
        assert response.status_code in (302, 400), target
        assert location in ("", "/study/"), (target, location)
    for target in GOOD_NEXT:
        response = AuthActions(app.test_client()).login(next=target)
        honored += response.headers.get("Location") == target
    report(
        "T5",
        backend=backend,
        bad_next_rejected=f"{rejected}/{len(BAD_NEXT)}",
        good_next_honored=f"{honored}/{len(GOOD_NEXT)}",
    )
    assert rejected == len(BAD_NEXT) and honored == len(GOOD_NEXT)


def cookie_flags(response: Any) -> dict[str, dict[str, Any]]:
    """The attributes of each cookie a response sets."""
    flags = {}
    for header in response.headers.getlist("Set-Cookie"):
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            flags[name] = {
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": morsel["samesite"],
                "max_age": morsel["max-age"],
            }
    return flags


def test_sessions_and_cookies(app: Flask, backend: str, tmp_path: Any) -> None:
    user = make_user(app, "alice")
    replays, missing_flags = 0, 0
    client = app.test_client()
    client.get("/auth/login")
    before = client.get_cookie("session")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    AuthActions(client).login(remember="y")
    with client.session_transaction() as sess:
        assert "planted" not in sess  # the login started a new session
    assert before is None or client.get_cookie("session").value != before.value
    stolen = {c.key: c.value for c in client._cookies.values()}
    AuthActions(client).logout()
    thief = app.test_client()
    for name, value in stolen.items():
        thief.set_cookie(name, value)
    replays += thief.get("/study/").status_code == 200
    # A password change ends other sessions; a deactivated account is out at once.
    laptop, phone = app.test_client(), app.test_client()
    AuthActions(laptop).login()
    AuthActions(phone).login()
    new = "another passphrase 9"
    laptop.post("/auth/account", data={"current": PASSWORD, "password": new, "confirm": new})
    replays += phone.get("/study/").status_code == 200
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    replays += laptop.get("/study/").status_code == 200
    # Production cookies.
    prod = create_app(
        {
            "PRODUCTION": True,
            "SECRET_KEY": "f3b1c9e0a7d24e5b8c6f1a2d3e4b5c6d7e8f9a0b1c2d3e4f",
            "SESSION_COOKIE_SECURE": True,
            "TRUSTED_HOSTS": ["localhost"],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
        }
    )
    with prod.app_context():
        Base.metadata.create_all(db.engine)
        bob = User(email="bob@example.org", role="student")
        bob.set_username("bob")
        bob.set_password(PASSWORD, prod.config["PASSWORD_HASH_METHOD"])
        db.session.add(bob)
        db.session.commit()
    secure = prod.test_client()
    secure.get("/auth/login", base_url="https://localhost")
    response = secure.post(
        "/auth/login",
        data={
            "username": "bob",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": _token(secure),
        },
        base_url="https://localhost",
        headers={"Referer": "https://localhost/auth/login"},  # CSRF's HTTPS referrer check
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    flags = cookie_flags(response)
    assert {"session", "remember_token", prod.config["DEVICE_COOKIE_NAME"]} <= set(flags)
    for seen in flags.values():
        if not (seen["secure"] and seen["httponly"] and seen["samesite"] == "Lax"):
            missing_flags += 1
    remember_days = prod.config["REMEMBER_COOKIE_DURATION"] / 86400
    with prod.app_context():
        db.engine.dispose()
    report(
        "T7",
        backend=backend,
        replay_after_logout_accepted=replays,
        cookies_missing_flags=missing_flags,
        cookies_checked=len(flags),
        remember_days=remember_days,
    )
    assert replays == 0 and missing_flags == 0 and remember_days <= 30


def _token(client: Any) -> str:
    from tests.conftest import csrf_token

    page = client.get("/auth/login", base_url="https://localhost").get_data(as_text=True)
    return csrf_token(page)


CSP_NEEDS = ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'")
NO_STORE = ("auth.login", "auth.register", "auth.account", "auth.forgot", "auth.my_data")
# Read by the page's own script every second, never saved: not a download.
POLLED = ("live.status",)


def test_security_headers(app: Flask, backend: str) -> None:
    world = build_world(app)
    gaps, checked = [], 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        level = required_level(app.view_functions[rule.endpoint])
        row = ACCESS[rule.endpoint]
        role = next((r for r in ROLES if allowed(level, row, r)), "anonymous")
        path = url_for_rule(world, rule, row.args)
        response = world.client(role).get(path)
        checked += 1
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        script_src = next((p for p in csp.split(";") if "script-src" in p), "")
        problems = [need for need in CSP_NEEDS if need not in csp]
        if "unsafe-inline" in script_src or "unsafe-eval" in script_src:
            problems.append("unsafe script-src")
        for name, value in (
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ):
            if headers.get(name) != value:
                problems.append(name)
        if "Strict-Transport-Security" in headers:
            problems.append("HSTS over plain HTTP")
        if rule.endpoint in NO_STORE and "no-store" not in headers.get("Cache-Control", ""):
            problems.append("cacheable credentials page")
        # Files to save are attachments; images the app draws itself (a QR code) show inline.
        download = response.mimetype != "text/html" and response.status_code == 200
        download = download and not response.mimetype.startswith("image/")
        download = download and rule.endpoint not in POLLED
        if download and not headers.get("Content-Disposition", "").startswith("attachment"):
            problems.append("a download without Content-Disposition: attachment")
        if problems:
            gaps.append(f"{path}: {problems}")
    app.config["SESSION_COOKIE_SECURE"] = True
    hsts = world.client("anonymous").get("/auth/login").headers.get("Strict-Transport-Security")
    report("T8", backend=backend, routes=checked, header_gaps=len(gaps), hsts_when_secure=hsts)
    assert not gaps, gaps
    assert hsts and "max-age=31536000" in hsts
