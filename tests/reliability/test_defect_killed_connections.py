"""T20: database connections killed (pg_terminate_backend from a second connection) between
requests or in the middle of one: a GET is run again and succeeds; a POST that had written
nothing yet is run again and succeeds, one that had written gets a 503 with Retry-After and
nothing kept; never a 500, never a lost or doubled write (issue 21, defect 10)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import QuestionSet
from tests.conftest import AuthActions, count_rows, make_user
from tests.reliability.figures import report

KILL = sa.text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid = ANY(:pids)"
)


class Killer:
    """Kills the app's connections from a connection of its own, when told to."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.own = sa.create_engine(self.engine.url, poolclass=sa.pool.NullPool)
        self.pids: set[int] = set()
        self.armed: str | int | None = None  # statement number, or "write": kill before it
        self.count = 0
        self.kills = 0
        sa.event.listen(self.engine, "checkout", self._connected)
        sa.event.listen(self.engine, "before_cursor_execute", self._before)

    def _connected(self, dbapi_conn: Any, *_args: Any) -> None:
        self.pids.add(dbapi_conn.info.backend_pid)

    def _before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.count += 1
        writes = statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        if self.armed == self.count or (self.armed == "write" and writes):
            self.armed = None
            self.kill_all()

    def arm(self, when: str | int | None) -> None:
        """Kill every connection of the app just before the given statement of what follows."""
        self.armed, self.count = when, 0

    def kill_all(self) -> None:
        """pg_terminate_backend on every connection the app opened; wait until they are gone."""
        with self.own.connect() as conn:
            killed = conn.execute(KILL, {"pids": list(self.pids)}).scalars().all()
            conn.commit()
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                alive = conn.execute(
                    sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                    {"pids": list(self.pids)},
                ).scalar()
                if not alive:
                    break
                time.sleep(0.02)
        self.kills += sum(1 for ok in killed if ok)
        self.pids.clear()

    def close(self) -> None:
        sa.event.remove(self.engine, "checkout", self._connected)
        sa.event.remove(self.engine, "before_cursor_execute", self._before)
        self.own.dispose()


@pytest.fixture
def killer(app: Flask, backend: str) -> Iterator[Killer]:
    if backend != "postgresql":
        pytest.skip("killing a connection is a PostgreSQL (server) matter")
    made = Killer(app)
    yield made
    made.close()


def _new_set(client: Any, title: str) -> Any:
    return client.post("/teach/sets/new", data={"title": title, "visibility": "private"})


def test_killed_connections_are_retried_or_refused(app: Flask, killer: Killer) -> None:
    make_user(app, "teacher", role="teacher")
    client = app.test_client()
    assert AuthActions(client).login("teacher").status_code == 302
    statuses: dict[str, int] = {}

    # Between requests: every pooled connection dead before the GET begins.
    client.get("/teach/")
    killer.kill_all()
    statuses["get_between"] = client.get("/teach/").status_code
    # In the middle of a GET: before its first, then its second statement.
    for n in (1, 2):
        client.get("/teach/")
        killer.arm(n)
        statuses[f"get_at_statement_{n}"] = client.get("/teach/").status_code
    assert all(code == 200 for code in statuses.values()), statuses

    # A POST killed at its first statement (loading the user): it wrote nothing, runs again.
    killer.arm(1)
    first = _new_set(client, "Killed before any write")
    statuses["post_at_statement_1"] = first.status_code
    assert first.status_code == 302, first.status_code
    assert count_rows(app, QuestionSet) == 1

    # A POST killed just before its INSERT: it had begun writing, so 503 and nothing kept...
    killer.arm("write")
    second = _new_set(client, "Killed at its write")
    statuses["post_at_write"] = second.status_code
    assert second.status_code == 503, second.status_code
    assert second.headers.get("Retry-After")
    assert count_rows(app, QuestionSet) == 1
    # ... and the client's resend is kept exactly once.
    resent = _new_set(client, "Killed at its write")
    statuses["post_resent"] = resent.status_code
    assert resent.status_code == 302
    with app.app_context():
        titles = db.session.scalars(sa.select(QuestionSet.title).order_by(QuestionSet.id)).all()
        db.session.remove()
    assert titles == ["Killed before any write", "Killed at its write"]

    # Killed twice in one request (the retry's connection too): a 503, not a 500.
    killer.arm(1)
    sa.event.listen(killer.engine, "before_cursor_execute", _kill_again(killer), once=True)
    statuses["get_killed_twice"] = client.get("/teach/").status_code
    assert statuses["get_killed_twice"] in (200, 503)
    assert client.get("/teach/").status_code == 200
    report(
        "T20",
        backend="postgresql",
        kills=killer.kills,
        **statuses,
        server_errors=sum(1 for code in statuses.values() if code >= 500 and code != 503),
        sets_kept=len(titles),
    )


def _kill_again(killer: Killer) -> Any:
    def rearm(*_args: Any) -> None:
        killer.arm(1)  # the retry's first statement

    return rearm
