"""PostgreSQL: a GET reads in autocommit (no BEGIN, no COMMIT) and may not write; a request
that reads in a transaction ends with COMMIT, so psycopg keeps its prepared statements; one that
wrote without committing is still rolled back."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.database import WriteInRead
from quiz.extensions import csrf, db
from quiz.models import User
from tests.conftest import AuthActions
from tests.study_helpers import load_set, study


@pytest.fixture
def postgres_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("psycopg's prepared statements: PostgreSQL only")


def prepared_statements(app: Flask) -> list[str]:
    """What the app's pooled connection has prepared (the tests use one connection)."""
    with app.app_context(), db.engine.connect() as conn:
        return list(conn.scalars(sa.text("SELECT statement FROM pg_prepared_statements")))


def test_the_study_queue_gets_prepared(app: Flask, user_factory: Any, postgres_only: None) -> None:
    load_set(app)
    user = user_factory("pia")
    study(app, user.id)
    client = app.test_client()
    AuthActions(client).login("pia")
    for _ in range(8):  # psycopg prepares a statement on its fifth run on a connection
        assert client.get("/study/next").status_code == 200
    prepared = prepared_statements(app)
    assert any("due_top" in statement for statement in prepared), prepared


def test_a_request_that_wrote_is_rolled_back(
    app: Flask, user_factory: Any, postgres_only: None
) -> None:
    user_factory("quinn")

    def rename_without_commit() -> str:
        db.session.execute(sa.update(User).values(username="renamed"))
        return "flushed, not committed"

    app.add_url_rule("/test/uncommitted", "uncommitted", rename_without_commit, methods=["POST"])
    csrf.exempt(rename_without_commit)
    assert app.test_client().post("/test/uncommitted").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(User.username)) == "quinn"


def test_a_get_reads_in_autocommit_and_cannot_write(
    app: Flask, user_factory: Any, postgres_only: None
) -> None:
    """Autocommit would keep a GET's write at once: it is refused before it reaches the
    database; a POST's connection is in a transaction, and each goes back to the pool so."""
    user_factory("quinn")

    def mode() -> str:
        return str(db.session.connection().connection.dbapi_connection.autocommit)

    def rename() -> str:
        db.session.execute(sa.update(User).values(username="renamed"))
        return "written?"

    app.add_url_rule("/test/mode", "mode", mode, methods=["GET", "POST"])
    app.add_url_rule("/test/rename", "rename", rename)
    csrf.exempt(mode)
    client = app.test_client()
    assert client.get("/test/mode").get_data(as_text=True) == "True"
    assert client.post("/test/mode").get_data(as_text=True) == "False"
    assert client.get("/test/mode").get_data(as_text=True) == "True"
    with pytest.raises(WriteInRead, match="UPDATE in a GET"):
        client.get("/test/rename")
    with app.app_context():
        assert db.session.scalar(sa.select(User.username)) == "quinn"
        with db.engine.connect() as conn:  # the pooled connection is back in transactions
            assert conn.connection.dbapi_connection.autocommit is False
