"""T2: with CSRF on, every state-changing route refuses a POST without the token (400) and
accepts one with it; no GET route changes a row."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Base
from tests.conftest import csrf_token
from tests.reliability.access_table import ACCESS
from tests.reliability.figures import report
from tests.reliability.rows import changed, table_digests
from tests.reliability.test_access_matrix import allowed, required_level
from tests.reliability.world import ROLES, World, build_world, url_for_rule

CSRF_MESSAGE = "The form expired or was not sent from this site"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Posted by a mail client with no session (RFC 8058 one-click unsubscribe): the URL's signed
# token is checked instead, and a forged one is refused (400) before anything changes.
SIGNED_TOKEN_INSTEAD = {"notices.unsubscribe"}
# The only exemptions: an LMS posts these cross-site and cannot have our token; the signed
# id_token is checked instead (quiz/lti). Without one they refuse (400) and change nothing.
EXEMPT = frozenset({"lti.login", "lti.launch"})


def row_counts(app: Flask) -> dict[str, int]:
    """Rows per table."""
    with app.app_context():
        counts = {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }
        db.session.remove()
    return counts


def allowed_role(world: World, rule: Any) -> str:
    """A role the route serves (its owner, or the first role it lets in)."""
    row = ACCESS[rule.endpoint]
    level = required_level(world.app.view_functions[rule.endpoint])
    order = (*ROLES[1:], "anonymous")
    return next((role for role in order if allowed(level, row, role)), "student_a")


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_csrf_on_every_state_changing_route(app: Flask, backend: str) -> None:
    world = build_world(app)
    tokens = {}
    for role in ROLES:
        page = "/auth/login" if role == "anonymous" else "/auth/account"
        tokens[role] = csrf_token(world.client(role).get(page).get_data(as_text=True))
    before = table_digests(app)
    get_paths = 0
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            path = url_for_rule(world, rule, ACCESS[rule.endpoint].args)
            for role in ROLES:
                world.client(role).get(path).close()
                get_paths += 1
    mutated = changed(before, table_digests(app))
    refused, accepted_without, accepted_with, checked = 0, [], [], 0
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.logout")
    for rule in rules:
        for method in WRITES:
            if method not in rule.methods:
                continue
            checked += 1
            role = allowed_role(world, rule)
            path = url_for_rule(world, rule, ACCESS[rule.endpoint].args)
            client = world.client(role)
            bare = client.open(path, method=method, data={"action": "add"})
            if rule.endpoint in EXEMPT:
                assert bare.status_code == 400, (path, bare.status_code)
                refused += 1
                accepted_with.append(path)
                continue
            signed_instead = rule.endpoint in SIGNED_TOKEN_INSTEAD
            if bare.status_code == 400 and (
                signed_instead or CSRF_MESSAGE in bare.get_data(as_text=True)
            ):
                refused += 1
            else:
                accepted_without.append(f"{method} {path} as {role}: {bare.status_code}")
            signed = client.open(
                path, method=method, data={"action": "add", "csrf_token": tokens[role]}
            )
            if CSRF_MESSAGE not in signed.get_data(as_text=True):
                accepted_with.append(path)
    report(
        "T2",
        backend=backend,
        state_changing_routes=checked,
        refused_without_token=refused,
        accepted_without_token=len(accepted_without),
        accepted_with_token=len(accepted_with),
        get_requests=get_paths,
        get_routes_mutating=len(mutated),
    )
    assert not accepted_without, accepted_without
    assert len(accepted_with) == checked
    assert not mutated, mutated
