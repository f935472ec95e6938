"""T3: Hypothesis fuzzing of every form the app shows (found by crawling the URL map as each
role), of every integer in a URL, plus mass assignment: no 5xx, and a refused form changes no
row."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from quiz.extensions import db
from quiz.models import Base, User
from tests.conftest import PASSWORD, count_rows
from tests.reliability.crawl import forms
from tests.reliability.figures import report
from tests.reliability.forms import Form
from tests.reliability.world import build_world

EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "30"))
MOODLE = "< > & &lt; &gt; &amp; ' \\' 碁 \\ \\\\"
# Rows some refusals write by design (the pacing of password checks and account actions).
COUNTERS = {"login_failure", "auth_event"}

awkward_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=2000, max_size=10_000),
    st.sampled_from(
        [
            MOODLE,
            "\x00",
            "a\x00b",
            "\u202eevil",
            "\u200f\u200e",
            " ",
            "",
            "NaN",
            "-1",
            "0",
            "1e309",
            "9" * 5000,
            "-" + "9" * 30,
            "１２３",
            "٣",
            "<script>x</script>",
        ]
    ),
)


def values_for(form: Form) -> st.SearchStrategy[dict[str, list[str]]]:
    """Each field either left as shown, or something awkward."""
    fields = {}
    defaults = form.defaults()
    for f in form.fields:
        if f.kind in ("submit", "button", "file"):
            continue
        keep = st.just(defaults.get(f.name, [f.options[0]] if f.options else [""]))
        fields[f.name] = st.one_of(keep, awkward_text.map(lambda v: [v]))
    return st.fixed_dictionaries(fields)


def table_counts(app: Flask) -> dict[str, int]:
    """Rows per table, the counters of the limiter aside."""
    with app.app_context():
        counts = {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
            if t.name not in COUNTERS
        }
        db.session.remove()
    return counts


def test_fuzz_every_form(app: Flask, backend: str) -> None:
    world = build_world(app)
    found = forms(world)
    examples, server_errors, partial_writes = 0, [], []

    def fuzzer(client: Any, form: Form) -> Any:
        @settings(
            max_examples=EXAMPLES if backend == "sqlite" else max(5, EXAMPLES // 3),
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(values_for(form))
        def post(data: dict[str, list[str]]) -> None:
            nonlocal examples
            before = table_counts(app)
            response = client.post(form.action, data=data)
            examples += 1
            if response.status_code >= 500:
                server_errors.append((form.action, response.status_code))
            if response.status_code in (400, 413, 422) and table_counts(app) != before:
                partial_writes.append(form.action)
            assert response.status_code < 500, (form.action, data)

        return post

    for role, _page, form in found:
        fuzzer(world.client(role), form)()
    report(
        "T3",
        backend=backend,
        forms=len(found),
        examples=examples,
        server_errors=len(server_errors),
        refused_with_writes=len(partial_writes),
    )
    assert not server_errors and not partial_writes
    assert len(found) >= 8


def test_huge_and_odd_integers_in_every_url(app: Flask, backend: str) -> None:
    world = build_world(app)
    cases = 0
    for rule in app.url_map.iter_rules():
        converters = rule._converters
        int_args = [a for a in rule.arguments if isinstance(converters.get(a), IntegerConverter)]
        if not int_args:
            continue
        for bad in ("9" * 5000, "3000000000", "0", "00000001" + "0" * 20):
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", bad).replace(f"<{name}>", "x")
            for method in rule.methods & {"GET", "POST"}:
                response = world.client("admin").open(path, method=method)
                cases += 1
                assert response.status_code == 404, (method, path[:80], response.status_code)
    report("T3-urls", backend=backend, integer_url_cases=cases, server_errors=0)
    assert cases >= 40


def test_mass_assignment_is_ignored(app: Flask, backend: str) -> None:
    client = app.test_client()
    data = {
        "username": "mallory",
        "email": "m@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "role": "admin",
        "is_teacher": "1",
        "user_id": "1",
        "owner_id": "1",
        "active": "0",
        "session_token": "x" * 40,
    }
    assert client.post("/auth/register", data=data).status_code == 302
    twin = app.test_client().post(
        "/auth/register", data={**data, "username": " MALLORY ", "email": "other@example.org"}
    )
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        hits = (user.role != "student") + (not user.active) + (user.session_token == "x" * 40)
    report(
        "T3-mass-assignment",
        backend=backend,
        extra_fields=6,
        mass_assignment_hits=int(hits),
        padded_name_collides=twin.status_code == 200,
    )
    assert hits == 0 and count_rows(app, User) == 1
    assert "already registered" in twin.get_data(as_text=True)
