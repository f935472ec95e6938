"""The LTI pages cost the same number of SQL statements for a few rows as for many: the
teacher's courses-and-scores page and the admin's platform list."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import (
    Assignment,
    Attempt,
    Classroom,
    LtiContext,
    LtiLink,
    LtiPlatform,
    LtiScore,
    Role,
    User,
)
from tests.conftest import AuthActions, make_user, statements_for
from tests.teach_helpers import make_set


def platform_row(tag: str) -> LtiPlatform:
    return LtiPlatform(
        name=f"LMS {tag}",
        issuer=f"https://lms{tag}.example",
        client_id="tool",
        deployment_ids="1\n2",
        auth_login_url="https://lms.example/auth",
        auth_token_url="https://lms.example/token",
        key_set_url="https://lms.example/jwks",
    )


def build(app: Flask, size: int, tag: str) -> str:
    """A teacher with `size` LMS courses, each with a link and `size` scores; returns the name."""
    teacher = make_user(app, f"teacher{tag}", role=Role.TEACHER.value)
    student = make_user(app, f"student{tag}")
    set_id = make_set(app, teacher.id, questions=1, title=f"Set {tag}")
    now = datetime.now(UTC)
    with app.app_context():
        lms = platform_row(tag)
        db.session.add(lms)
        db.session.flush()
        for n in range(size):
            classroom = Classroom(
                teacher_id=teacher.id, name=f"C{tag}{n}", join_code=f"J{tag}{n:04d}"
            )
            db.session.add(classroom)
            db.session.flush()
            assignment = Assignment(classroom_id=classroom.id, set_id=set_id)
            context = LtiContext(
                platform_id=lms.id,
                deployment_id="1",
                context_id=f"c{n}",
                classroom_id=classroom.id,
                memberships_url="https://lms.example/members",
            )
            db.session.add_all([assignment, context])
            db.session.flush()
            link = LtiLink(
                context_id=context.id, resource_link_id="r", assignment_id=assignment.id, scopes=[]
            )
            db.session.add(link)
            db.session.flush()
            for _ in range(size):
                attempt = Attempt(
                    user_id=student.id,
                    set_id=set_id,
                    question_order=[],
                    seed=1,
                    finished_at=now,
                    score=0.5,
                )
                db.session.add(attempt)
                db.session.flush()
                db.session.add(
                    LtiScore(
                        attempt_id=attempt.id,
                        link_id=link.id,
                        user_id=student.id,
                        score_given=5,
                        score_maximum=10,
                        finished_at=now,
                        status=("sent", "pending", "failed")[attempt.id % 3],
                    )
                )
        for n in range(size):
            db.session.add(platform_row(f"{tag}x{n}"))
        db.session.commit()
    return teacher.username


@pytest.mark.parametrize("path", ["/lti/courses", "/lti/admin"])
def test_lti_pages_cost_the_same_at_two_sizes(app: Flask, path: str) -> None:
    counts = []
    for size, tag in ((2, "a"), (12, "b")):
        name = build(app, size, tag)
        client = app.test_client()
        if path == "/lti/admin":
            make_user(app, f"root{tag}", role=Role.ADMIN.value)
            name = f"root{tag}"
        AuthActions(client).login(name)
        client.get(path)  # the first view may make the tool's key; count the second
        counts.append(statements_for(app, client, path))
    assert counts[0] == counts[1], counts
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) >= 4
