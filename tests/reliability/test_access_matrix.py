"""T1: the authorization matrix, generated from the URL map: every route, every method, six
points of view. A route without a row in access_table.py fails the guard test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_login
from flask import Flask

from tests.reliability.access_table import ACCESS, Row
from tests.reliability.figures import report
from tests.reliability.world import ROLES, World, build_world, url_for_rule

LOGIN_CODE = flask_login.login_required(lambda: None).__code__
CHECKED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def required_level(view: Callable[..., Any]) -> str:
    """ "public", "login", "teacher" or "admin", read from the view's decorators."""
    level = "public"
    fn: Any = view
    while fn is not None:
        role = getattr(fn, "required_role", None)
        if role == "admin":
            return "admin"
        if role == "teacher":
            level = "teacher"
        elif getattr(fn, "__code__", None) is LOGIN_CODE and level == "public":
            level = "login"
        fn = getattr(fn, "__wrapped__", None)
    return level


def expected(level: str, row: Row, role: str) -> str:
    """The outcome class a role should get."""
    if role in row.override:
        return row.override[role]
    if level != "public" and role == "anonymous":
        return "login"
    if level == "admin" and role != "admin":
        return "forbidden"
    if level == "teacher" and role.startswith("student"):
        return "forbidden"
    if row.owner and role != "anonymous" and role != row.owner and role not in row.also:
        return "hidden"
    return "ok"


def outcome(response: Any) -> str:
    """The outcome class of a response: login, forbidden, hidden, error or ok."""
    code = response.status_code
    if code >= 500:
        return f"error {code}"
    if code in (301, 302, 303) and "/auth/login" in response.headers.get("Location", ""):
        return "login"
    return {403: "forbidden", 404: "hidden", 401: "login"}.get(code, "ok")


def rules_in_order(app: Flask) -> list[Any]:
    """Rules sorted so that logging out comes last."""
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "auth.logout", r.rule))


def test_every_route_has_a_row(app: Flask) -> None:
    """The guard: a new route must get its line in access_table.ACCESS."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ACCESS))
    stale = sorted(set(ACCESS) - endpoints)
    report("T1-guard", routes=len(endpoints), unlisted_routes=len(missing), stale_rows=len(stale))
    assert not missing, (
        "routes without a row in tests/reliability/access_table.py (add one line each, "
        f'e.g. "{missing[0]}": Row(),): {missing}'
    )
    assert not stale, f"rows for routes that no longer exist: {stale}"


def run_matrix(world: World) -> tuple[int, list[str]]:
    """Request every (route, method) as every role; the cells and the mismatches."""
    app = world.app
    cells, mismatches = 0, []
    for method in CHECKED_METHODS:  # every GET first: POSTs may change what GETs would show
        for rule in rules_in_order(app):
            if method not in rule.methods or rule.endpoint not in ACCESS:
                continue
            level = required_level(app.view_functions[rule.endpoint])
            path = url_for_rule(world, rule, ACCESS[rule.endpoint].args)
            for role in ROLES:
                want = expected(level, ACCESS[rule.endpoint], role)
                # A body of the commonest field, so views reach their object checks.
                body = {"action": "add"} if method != "GET" else None
                response = world.client(role).open(path, method=method, data=body)
                got = outcome(response)
                response.close()
                cells += 1
                if got != want:
                    mismatches.append(f"{method} {path} as {role}: {got}, expected {want}")
    return cells, mismatches


def test_access_matrix(app: Flask, backend: str) -> None:
    world = build_world(app)
    cells, mismatches = run_matrix(world)
    routes = len(
        {(r.rule, m) for r in app.url_map.iter_rules() for m in r.methods & set(CHECKED_METHODS)}
    )
    report(
        "T1",
        backend=backend,
        routes=routes,
        roles=len(ROLES),
        cells=cells,
        mismatches=len(mismatches),
    )
    assert not mismatches, "\n".join(mismatches)
