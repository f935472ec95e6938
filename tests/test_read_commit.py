"""PostgreSQL: a read-only request ends with COMMIT so psycopg keeps its prepared statements;
a request that wrote without committing is still rolled back."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
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

    app.add_url_rule("/test/uncommitted", "uncommitted", rename_without_commit)
    assert app.test_client().get("/test/uncommitted").status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(User.username)) == "quinn"
