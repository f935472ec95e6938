"""The marking pages cost the same number of SQL statements for 3 students as for 300."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer
from tests.conftest import statements_for
from tests.test_dashboard_statements import build_class

PAGES = [
    "/teach/assignments/{a}/marking",
    "/teach/assignments/{a}/marking/questions/{q}",
    "/teach/assignments/{a}/marking/attempts/{t}/questions/{q}",
    "/teach/classes/{c}/dashboard",  # with its "to mark" counts
]


@pytest.mark.parametrize("path", PAGES)
def test_marking_statements_do_not_grow_with_the_class(app: Flask, path: str) -> None:
    counts = []
    for tag, students in (("A", 3), ("B", 300)):
        class_id, _set_id, _user_id, quiz_id = build_class(app, students, tag)
        with app.app_context():
            attempt_id, question_id = db.session.execute(
                sa.select(AttemptAnswer.attempt_id, AttemptAnswer.question_id)
                .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
                .where(Attempt.assignment_id == quiz_id)
                .order_by(AttemptAnswer.id)
            ).first()
        client = app.test_client()
        response = client.post(
            "/auth/login", data={"username": f"teacher{tag}", "password": "correct horse battery"}
        )
        assert response.status_code == 302
        url = path.format(a=quiz_id, q=question_id, t=attempt_id, c=class_id)
        counts.append(statements_for(app, client, url))
    assert counts[0] == counts[1], counts
    assert counts[0] < 20
