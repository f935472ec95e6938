"""Fixtures: an app per database backend, clients, an auth helper and factories."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

from quiz import create_app
from quiz.config import normalize_database_url
from quiz.extensions import db
from quiz.models import Base, Role, User
from tests.reliability.figures import FIGURES

# Under CI the property tests draw the same examples every run, so a landing never hinges on
# the luck of a draw; locally they explore new examples each time (and keep what fails).
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep together, on one pytest-xdist worker (README: `-n auto --dist loadgroup`), what
    shares an expensive fixture or the machine: each browser module's live server and Chromium
    are built once, and the tests that start real gunicorn workers run one after another, so
    two of them never fight over the two cores (their figures would be the other's load)."""
    for item in items:
        if item.get_closest_marker("browser") or MODULE_FIXTURES.search(item.nodeid):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
        elif item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.xdist_group("gunicorn"))


# Modules whose fixtures are module-scoped: split over two workers, each would build them.
MODULE_FIXTURES = re.compile(r"tests/(test_bank|test_bank_giveaways|test_formats_gift)\.py")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On a pytest-xdist worker, hand the reliability figures to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["reliability_figures"] = FIGURES


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """On the controller, gather each worker's reliability figures."""
    FIGURES.extend(tuple(pair) for pair in node.workeroutput.get("reliability_figures", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print every figure the reliability suite measured."""
    if not FIGURES or getattr(terminalreporter.config, "workeroutput", None) is not None:
        return
    terminalreporter.section("reliability figures")
    for plan_id, figures in FIGURES:
        shown = ", ".join(f"{key}={value}" for key, value in figures.items())
        terminalreporter.write_line(f"{plan_id}: {shown}")


PASSWORD = "correct horse battery"
# Cheap Argon2id keeps the suite fast; test_config_guard checks production uses OWASP's.
TEST_HASH = "argon2id:m=8,t=1,p=1"


def base_config(**extra: Any) -> dict[str, Any]:
    """The test mapping every app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": TEST_HASH,
        "SCHEDULER_FUZZING": False,
    }
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[tuple[str, str]]:
    """A throwaway schema on the PostgreSQL server named by TEST_DATABASE_URL."""
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = normalize_database_url(raw)
    schema = f"quiz_test_{uuid.uuid4().hex[:10]}"
    # No pool: nothing idle is left open across the session for a test to kill or collect.
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    yield url, schema
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


def pg_config(url: str, schema: str) -> dict[str, Any]:
    """Point an app at one schema of the test server."""
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


_pg_tables_made: set[str] = set()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on."""
    return request.param


@pytest.fixture
def app(backend: str, request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Flask]:
    """A fresh app with an empty schema on the chosen backend."""
    extra = getattr(request, "param", None) or {}
    if backend == "sqlite":
        config = base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'test.sqlite'}")
    else:
        url, schema = request.getfixturevalue("pg_schema")
        config = base_config(**pg_config(url, schema))
    marker = request.node.get_closest_marker("config")
    if marker:
        config.update(marker.kwargs)
    config.update(extra)
    app = create_app(config)
    with app.app_context():
        if backend == "sqlite" or schema not in _pg_tables_made:
            Base.metadata.create_all(db.engine)
            if backend != "sqlite":
                _pg_tables_made.add(schema)
    yield app
    with app.app_context():
        db.session.remove()
        if backend != "sqlite":
            empty_pg_tables(db.engine)
        checked_out = db.engine.pool.checkedout() if hasattr(db.engine.pool, "checkedout") else 0
        db.engine.dispose()
    assert checked_out == 0, "a database connection leaked from the test"


# Sequences a test drew from, set back so the next test's first id is 1 again.
RESTART_USED_SEQUENCES = """
SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)
FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL
"""


def empty_pg_tables(engine: sa.Engine) -> None:
    """Empty the tables a test wrote to and restart the ids it drew, on PostgreSQL.

    A TRUNCATE of every table cost 0.65 s a test (each table gets new files on disk), most of
    the PostgreSQL half of the suite's time; most tests write to a few tables, and a DELETE of
    a few rows, children first, costs milliseconds. A cycle of foreign keys the order cannot
    satisfy falls back to the TRUNCATE."""
    tables = Base.metadata.sorted_tables
    probe = " UNION ALL ".join(
        f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"  # noqa: S608
        for t in tables
    )
    try:
        with engine.begin() as conn:
            used = {name for (name,) in conn.exec_driver_sql(probe)}
            for table in reversed(tables):
                if table.name in used:
                    conn.exec_driver_sql(f'DELETE FROM "{table.name}"')  # noqa: S608
            conn.execute(sa.text(RESTART_USED_SEQUENCES))
    except sa.exc.IntegrityError:
        names = ", ".join(f'"{t.name}"' for t in tables)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """A request context, so templates can be rendered."""
    with app.test_request_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


def make_user(
    app: Flask, username: str = "alice", *, role: str = Role.STUDENT.value, password: str = PASSWORD
) -> User:
    """Create a user directly in the database."""
    with app.app_context():
        user = User(email=f"{username.strip().lower()}@example.org", role=role)
        user.set_username(username)
        user.set_password(password, TEST_HASH)
        db.session.add(user)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user


@pytest.fixture
def user_factory(app: Flask) -> Any:
    """make_user bound to the app."""
    return lambda *args, **kwargs: make_user(app, *args, **kwargs)


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1) or match.group(2)


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str = "alice", password: str = PASSWORD, **extra: Any) -> Any:
        """Post the login form."""
        page = self._client.get("/auth/login").get_data(as_text=True)
        data = {"username": username, "password": password, **extra}
        if "csrf_token" in page:
            data["csrf_token"] = csrf_token(page)
        return self._client.post("/auth/login", data=data)

    def logout(self) -> Any:
        """Post the logout button."""
        page = self._client.get("/study/").get_data(as_text=True)
        data = {"csrf_token": csrf_token(page)} if "csrf_token" in page else {}
        return self._client.post("/auth/logout", data=data)


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """The auth helper for the default client."""
    return AuthActions(client)


def statements_for(app: Flask, client: FlaskClient, path: str) -> int:
    """How many SQL statements one GET of a page costs (it must answer 200)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def count_rows(app: Flask, model: type) -> int:
    """How many rows a table holds."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
