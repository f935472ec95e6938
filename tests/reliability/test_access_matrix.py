"""T1: the authorization matrix, generated from the URL map: every route, every method, six
points of view, each cell an exact status code. A route without a row in access_table.py fails
the guard test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask_login
from flask import Flask

from tests.reliability.access_table import ACCESS, LOGIN, VARIANTS, Row
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


def expected(level: str, row: Row, role: str, method: str = "GET") -> str:
    """The exact outcome a role should get: a status code, or "302 login"."""
    for key in (f"{method} {role}", role):
        if key in row.codes:
            return str(row.codes[key])
    if level != "public" and role == "anonymous":
        return LOGIN
    if level == "admin" and role != "admin":
        return "403"
    if level == "teacher" and role.startswith("student"):
        return "403"
    if row.owner and role != "anonymous" and role != row.owner and role not in row.also:
        return "404"
    return str(row.ok.get(method, 200 if method == "GET" else "no code in the row"))


def allowed(level: str, row: Row, role: str, method: str = "GET") -> bool:
    """Whether the role gets past login, role and owner checks (whatever the form says)."""
    return expected(level, row, role, method) not in (LOGIN, "403", "404")


def outcome(response: Any) -> str:
    """The exact outcome of a response: its status code, or "302 login"."""
    code = response.status_code
    if code in (301, 302, 303) and "/auth/login" in response.headers.get("Location", ""):
        return LOGIN
    return str(code)


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
    uncoded = sorted(
        f"{method} {rule.endpoint}"
        for rule in app.url_map.iter_rules()
        for method in rule.methods & set(CHECKED_METHODS[1:])
        if rule.endpoint in ACCESS
        and method not in ACCESS[rule.endpoint].ok
        and not all(r in ACCESS[rule.endpoint].codes for r in ROLES)
    )
    assert not uncoded, f"say the code of the roles let in (Row(ok={{...}})): {uncoded}"
    unknown = sorted({endpoint for endpoint, _row in VARIANTS} - endpoints)
    assert not unknown, f"variants of routes that no longer exist: {unknown}"


def cases(app: Flask, method: str) -> list[tuple[Any, Row]]:
    """(rule, row) to request with a method: every route, then the GET variants."""
    found = [
        (rule, ACCESS[rule.endpoint])
        for rule in rules_in_order(app)
        if method in rule.methods and rule.endpoint in ACCESS
    ]
    if method == "GET":
        rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
        found += [(rules[endpoint], row) for endpoint, row in VARIANTS]
    return found


def run_matrix(world: World) -> tuple[int, list[str]]:
    """Request every (route, method) as every role; the cells and the mismatches."""
    app = world.app
    cells, mismatches = 0, []
    for method in CHECKED_METHODS:  # every GET first: POSTs may change what GETs would show
        for rule, row in cases(app, method):
            level = required_level(app.view_functions[rule.endpoint])
            path = url_for_rule(world, rule, row.args, row)
            for role in ROLES:
                want = expected(level, row, role, method)
                body = None if method == "GET" else row.body or {"action": "add"}
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
        variants=len(VARIANTS),
        roles=len(ROLES),
        cells=cells,
        mismatches=len(mismatches),
    )
    assert not mismatches, "\n".join(mismatches)
