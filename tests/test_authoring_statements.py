"""The set's page and the rows editor cost the same SQL statements for 10 questions as 1,000."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question
from tests.conftest import AuthActions, statements_for
from tests.teach_helpers import make_set


def fill(app: Flask, set_id: int, count: int) -> None:
    """`count` flashcards in the set, bulk inserted (with tags, so the page shows them)."""
    rows = [
        {
            "set_id": set_id,
            "key": f"c{n}",
            "kind": "flashcard",
            "prompt": f"Term {n}",
            "spec": {"back": f"Definition {n}"},
            "explanation": "",
            "tags": ["bulk"],
            "position": n,
        }
        for n in range(count)
    ]
    with app.app_context():
        db.session.execute(sa.insert(Question), rows)
        db.session.commit()


def test_statements_do_not_grow_with_the_set(app: Flask, client: FlaskClient, user_factory) -> None:
    tina = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    # "Other" gives the bulk form a set to copy and move to, so its query runs on both pages.
    small, large, _ = (make_set(app, tina.id, title=t) for t in ("Small", "Large", "Other"))
    fill(app, small, 10)
    fill(app, large, 1000)
    for path in ("/teach/sets/{}", "/teach/sets/{}/rows?kind=flashcard"):
        counts = [statements_for(app, client, path.format(set_id)) for set_id in (small, large)]
        print(f"{path}: {counts[0]} statements at 10 questions, {counts[1]} at 1,000")
        assert counts[0] == counts[1], (path, counts)
