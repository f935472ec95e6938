"""T19: a deterministic walk of every route with boundary integers (4,300 and 4,301 digits,
2**31, 2**63, negatives) in every URL integer, numeric query parameter and form field, as a
logged-in student, teacher and admin: no 5xx, and no row committed by a refused request
(issue 21, defect 6)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from quiz.extensions import db
from quiz.models import User
from quiz.study import pending
from tests.conftest import AuthActions
from tests.reliability.access_table import ACCESS
from tests.reliability.boundary import BOUNDARY, NUMERIC_QUERY, CommittedWrites, query_names
from tests.reliability.crawl import forms, pages
from tests.reliability.figures import report
from tests.reliability.forms import parse_forms
from tests.reliability.world import World, build_world, url_for_rule

WALKERS = ("student_a", "teacher_a", "admin")
REFUSED = (400, 403, 404, 405, 409, 413, 422, 429)


class Walk:
    """Counts what the walk sent and what went wrong."""

    def __init__(self, app: Flask) -> None:
        self.writes = CommittedWrites(app)
        self.requests = 0
        self.server_errors: list[tuple[Any, ...]] = []
        self.refused_with_writes: list[tuple[Any, ...]] = []

    def send(self, client: Any, method: str, path: str, what: str, **kwargs: Any) -> int:
        self.requests += 1
        with self.writes.watching() as written:
            try:
                response = client.open(path, method=method, **kwargs)
            except Exception as error:
                self.server_errors.append((method, path[:120], what[:80], repr(error)[:200]))
                return 500
            response.close()
        if response.status_code >= 500:
            self.server_errors.append((method, path[:120], what[:80], response.status_code))
        elif response.status_code in REFUSED and written:
            self.refused_with_writes.append((method, path[:120], what[:80], sorted(written)))
        return response.status_code


def _url_integers(world: World, walk: Walk) -> int:
    cases = 0
    for rule in sorted(world.app.url_map.iter_rules(), key=lambda r: r.rule):
        converters = rule._converters
        ints = [a for a in rule.arguments if isinstance(converters.get(a), IntegerConverter)]
        if not ints or rule.endpoint == "static":
            continue
        # A good URL for the rule, then each integer in it replaced by each boundary value.
        good = url_for_rule(world, rule, ACCESS[rule.endpoint].args).split("?")[0]
        good_parts = good.split("/")
        rule_parts = rule.rule.split("/")
        for name in ints:
            index = rule_parts.index(f"<int:{name}>")
            for value in BOUNDARY:
                parts = list(good_parts)
                parts[index] = value
                for role in WALKERS:
                    for method in sorted(rule.methods & {"GET", "POST"}):
                        walk.send(world.client(role), method, "/".join(parts), f"<{name}>")
                        cases += 1
    return cases


def _query_values(world: World, walk: Walk) -> int:
    cases = 0
    seen = []
    for role, path, response in pages(world):
        if role not in WALKERS or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        seen.append((role, path, query_names(html, parse_forms(html, path))))
    for role, page, names in seen:
        path, _, query = page.partition("?")
        given = dict(pair.split("=", 1) for pair in query.split("&") if "=" in pair)
        for value in BOUNDARY:
            # Every name the views read as a number at once, then each name of the page alone.
            args = {**given, **dict.fromkeys(NUMERIC_QUERY, value)}
            walk.send(world.client(role), "GET", path, "?all", query_string=args)
            cases += 1
            for name in sorted(names):
                args = {**given, name: value}
                walk.send(world.client(role), "GET", path, f"?{name}", query_string=args)
                cases += 1
    return cases


def _form_fields(world: World, walk: Walk) -> tuple[int, int]:
    cases = 0
    found = [(role, page, form) for role, page, form in forms(world) if role in WALKERS]
    # The account forms last: a boundary value may be taken as a new password (10 digits).
    found.sort(key=lambda item: item[2].action.startswith("/auth/"))
    for role, _page, form in found:
        base = form.defaults()
        for button in form.fields:  # the first value of each named button, as a click sends
            if button.kind == "submit" and button.name not in base:
                base[button.name] = [button.value]
        for field in form.fields:
            if field.kind in ("submit", "button", "reset", "file", "image"):
                continue
            for value in BOUNDARY:
                if form.action.startswith("/auth/") or cases % len(BOUNDARY) == 0:
                    _logged_in(world, role)  # the login form's walk starts a new session
                data = {**base, field.name: [value]}
                walk.send(world.client(role), "POST", form.action, field.name, data=data)
                cases += 1
    return len(found), cases


def _logged_in(world: World, role: str) -> None:
    """Log the role's client in again if a walked form logged it out (the login form's walk
    starts a new session); after an accepted password change it stays logged out."""
    client = world.client(role)
    if client.get("/auth/account").status_code != 200:
        AuthActions(client).login(role.replace("_", ""))


def _settle_held_answers(world: World) -> None:
    """Rate the world's held answer now: student_a's first POST would otherwise settle it
    (by design, quiz.study.pending), a write the refused request did not cause."""
    with world.app.app_context():
        student = db.session.get(User, world.ids["student_a"])
        pending.settle_all(db.session, student, keep=None, fuzzing=False)
        db.session.commit()
        db.session.remove()


def test_boundary_integers_everywhere(app: Flask, backend: str) -> None:
    world = build_world(app)
    _settle_held_answers(world)
    walk = Walk(app)
    url_cases = _url_integers(world, walk)
    query_cases = _query_values(world, walk)
    form_count, field_cases = _form_fields(world, walk)
    report(
        "T19",
        backend=backend,
        values=len(BOUNDARY),
        url_integer_cases=url_cases,
        query_cases=query_cases,
        forms=form_count,
        form_field_cases=field_cases,
        requests=walk.requests,
        server_errors=len(walk.server_errors),
        refused_with_writes=len(walk.refused_with_writes),
    )
    assert not walk.server_errors, "\n".join(map(str, walk.server_errors[:40]))
    assert not walk.refused_with_writes, "\n".join(map(str, walk.refused_with_writes[:40]))
    assert url_cases > 100 and query_cases > 100 and field_cases > 100
