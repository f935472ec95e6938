"""T20: database connections killed (pg_terminate_backend from a second connection) between
requests or in the middle of one: a GET is run again and succeeds; a POST that had written
nothing yet is run again and succeeds, one that had written gets a 503 with Retry-After and
nothing kept; never a 500, never a lost or doubled write (issue 21, defect 10)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import QuestionSet
from tests.conftest import PASSWORD, AuthActions, count_rows, make_user
from tests.reliability.figures import report
from tests.reliability.forms import parse_forms
from tests.reliability.servers import database, gunicorn, make_app, server_env

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


STORM_S = 8


@pytest.mark.slow
@pytest.mark.pg
def test_killed_connections_under_gunicorn(tmp_path: Path) -> None:
    """Two gunicorn workers on PostgreSQL while a second connection kills theirs every 150 ms:
    no 500, every acknowledged set kept once, none twice."""
    with database("postgresql", tmp_path) as db_config:
        app = make_app(db_config)
        make_user(app, "teacher", role="teacher")
        options = db_config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
        engine_options = {"connect_args": {"options": options, "application_name": VICTIM}}
        env = server_env({**db_config, "SQLALCHEMY_ENGINE_OPTIONS": engine_options})
        killer = sa.create_engine(db_config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
        with gunicorn(env, workers=2) as base:
            browser = requests.Session()
            page = browser.get(f"{base}/auth/login", timeout=30)
            login = {**parse_forms(page.text)[0].defaults(), "username": "teacher"}
            login["password"] = PASSWORD
            assert browser.post(f"{base}/auth/login", data=login, timeout=30).ok
            token = parse_forms(browser.get(f"{base}/teach/sets/new", timeout=30).text)
            token_data = {k: v for k, v in token[0].defaults().items() if k == "csrf_token"}
            # Between requests: every connection of both workers killed.
            _kill(killer)
            between = browser.get(f"{base}/teach/", timeout=30).status_code
            statuses: list[int] = []
            acknowledged, refused = [], []
            stop = threading.Event()

            def storm() -> None:
                while not stop.wait(0.15):
                    _kill(killer)

            thread = threading.Thread(target=storm)
            thread.start()
            deadline = time.monotonic() + STORM_S
            n = 0
            try:
                while time.monotonic() < deadline:
                    statuses.append(browser.get(f"{base}/teach/", timeout=30).status_code)
                    n += 1
                    title = f"Storm set {n}"
                    data = {**token_data, "title": title, "visibility": "private"}
                    response = browser.post(
                        f"{base}/teach/sets/new", data=data, allow_redirects=False, timeout=30
                    )
                    statuses.append(response.status_code)
                    if response.status_code == 302:
                        acknowledged.append(title)
                    elif response.status_code == 503:
                        assert response.headers.get("Retry-After")
                        refused.append(title)
            finally:
                stop.set()
                thread.join()
        killer.dispose()
        with app.app_context():
            kept = db.session.scalars(sa.select(QuestionSet.title)).all()
            db.session.remove()
    server_errors = [code for code in statuses if code >= 500 and code != 503]
    lost = [title for title in acknowledged if title not in kept]
    doubled = [title for title in set(kept) if kept.count(title) > 1]
    report(
        "T20-gunicorn",
        backend="postgresql",
        workers=2,
        seconds=STORM_S,
        between=between,
        requests=len(statuses),
        ok=sum(1 for code in statuses if code in (200, 302)),
        status_503=statuses.count(503),
        server_errors=len(server_errors),
        acknowledged=len(acknowledged),
        lost=len(lost),
        doubled=len(doubled),
        refused_but_kept=sum(1 for title in refused if title in kept),
    )
    assert between == 200
    assert not server_errors, statuses
    assert not lost and not doubled
    assert len(acknowledged) >= 5


VICTIM = "quiz_killed_test"


def _kill(engine: sa.Engine) -> None:
    """Kill every connection of the served app (named by its application_name)."""
    with engine.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND application_name = :name"
            ),
            {"name": VICTIM},
        )
        conn.commit()
