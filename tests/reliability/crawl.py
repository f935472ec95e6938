"""Walk the app as each role: every GET route of the URL map, and every form on those pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.reliability.access_table import ACCESS
from tests.reliability.forms import Form, parse_forms
from tests.reliability.test_access_matrix import allowed, required_level
from tests.reliability.world import ROLES, World, url_for_rule


def pages(world: World, extra_query: str = "") -> Iterator[tuple[str, str, Any]]:
    """(role, path, response) for every GET route a role may open (its 'ok' cells)."""
    app = world.app
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        level = required_level(app.view_functions[rule.endpoint])
        row = ACCESS[rule.endpoint]
        path = url_for_rule(world, rule, row.args)
        for role in ROLES:
            if not allowed(level, row, role):
                continue
            response = world.client(role).get(path + extra_query)
            response.get_data()  # buffered, so the body stays readable once closed
            yield role, path, response
            response.close()


def forms(world: World) -> list[tuple[str, str, Form]]:
    """(role, page, form) for every POST form any role can see, once per (role, action)."""
    seen, found = set(), []
    for role, path, response in pages(world):
        if response.mimetype != "text/html":
            continue
        for form in parse_forms(response.get_data(as_text=True), path):
            if form.method != "post" or "/auth/logout" in form.action:
                continue
            key = (role, form.action, tuple(sorted(f.name for f in form.fields)))
            if key not in seen:
                seen.add(key)
                found.append((role, path, form))
    return found
