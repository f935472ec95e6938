"""Boundary integers for every place a number comes from a request, and a record of the rows
a request committed (to show that a refused request wrote nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db

# int() refuses more than 4,300 digits; 2**31 overflows INTEGER, 2**63 BIGINT.
BOUNDARY = (
    "9" * 4300,
    "9" * 4301,
    "-" + "9" * 4301,
    str(2**31 - 1),
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(-(2**31) - 1),
    str(-(2**63) - 1),
    "-1",
    "0",
)
# Rows some refusals write by design (the pacing of password checks and account actions).
COUNTERS = frozenset({"login_failure", "auth_event"})
WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE)
# Query parameters the views read as numbers (quiz/ grep of request.args); names found in the
# links and GET forms of each page are added to them.
NUMERIC_QUERY = ("page", "set", "n", "lapses", "days", "behind", "last", "v", "shown_ms", "limit")
HREF_QUERY = re.compile(r'href="[^"?]*\?([^"#]*)"')


class CommittedWrites:
    """The tables a request's committed transactions wrote to (counters aside)."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.pending: dict[int, set[str]] = {}
        self.committed: set[str] = set()

    def _statement(self, conn: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        match = WRITE.match(statement)
        if match and match.group(2) not in COUNTERS:
            self.pending.setdefault(id(conn), set()).add(match.group(2))

    def _commit(self, conn: sa.Connection) -> None:
        self.committed |= self.pending.pop(id(conn), set())

    def _rollback(self, conn: sa.Connection) -> None:
        self.pending.pop(id(conn), None)

    @contextmanager
    def watching(self) -> Iterator[set[str]]:
        """Yield the set of tables committed to while the block runs."""
        self.pending.clear()
        self.committed = set()
        hooks = (
            ("before_cursor_execute", self._statement),
            ("commit", self._commit),
            ("rollback", self._rollback),
        )
        for name, hook in hooks:
            sa.event.listen(self.engine, name, hook)
        try:
            yield self.committed
        finally:
            for name, hook in hooks:
                sa.event.remove(self.engine, name, hook)
            # SQLite autocommits what ran outside a transaction: count what is left as written.
            for tables in self.pending.values():
                self.committed |= tables


def query_names(html: str, found: Any) -> set[str]:
    """Names of query parameters in the page's links and GET forms."""
    names = set()
    for query in HREF_QUERY.findall(html):
        for pair in query.replace("&amp;", "&").split("&"):
            if pair:
                names.add(pair.split("=", 1)[0])
    for form in found:
        if form.method == "get":
            names |= {f.name for f in form.fields if f.kind not in ("submit", "button")}
    return names
