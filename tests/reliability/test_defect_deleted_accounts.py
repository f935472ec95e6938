"""Defect 12 of issue 21 (first half): a deleted account leaves its class rosters, dashboards,
gradebooks and averages, whichever deletion policy keeps or removes its answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Assignment, Attempt, Classroom, Enrollment, User
from quiz.reports import data as class_data
from quiz.timeutil import now_utc
from tests.conftest import PASSWORD, AuthActions, make_user
from tests.teach_helpers import make_set


def class_with_two_scores(app: Flask) -> dict[str, int]:
    """Tess's class: sam scored 20% on its quiz, ann 100%."""
    tess = make_user(app, "tess", role="teacher").id
    students = {name: make_user(app, name).id for name in ("sam", "ann")}
    set_id = make_set(app, tess, questions=2, title="Sahel quiz")
    with app.app_context():
        classroom = Classroom(teacher_id=tess, name="Tess 9B", join_code="ACD3FG")
        db.session.add(classroom)
        db.session.flush()
        assignment = Assignment(
            classroom_id=classroom.id, set_id=set_id, due_at=now_utc() + timedelta(days=3)
        )
        db.session.add(assignment)
        db.session.flush()
        for name, score in (("sam", 0.2), ("ann", 1.0)):
            db.session.add(Enrollment(classroom_id=classroom.id, user_id=students[name]))
            db.session.add(
                Attempt(
                    user_id=students[name],
                    set_id=set_id,
                    assignment_id=assignment.id,
                    question_order=[],
                    seed=1,
                    finished_at=now_utc(),
                    score=score,
                )
            )
        db.session.commit()
        return {"class": classroom.id, **students}


@pytest.mark.parametrize("policy", ["anonymize", "delete"])
def test_a_deleted_account_leaves_rosters_and_averages(
    app: Flask, client: FlaskClient, policy: str
) -> None:
    app.config["ACCOUNT_DELETION_REVIEWS"] = policy
    ids = class_with_two_scores(app)
    AuthActions(client).login("sam")
    deleted = client.post("/auth/account/delete", data={"password": PASSWORD, "confirm": "DELETE"})
    assert deleted.status_code == 302
    with app.app_context():
        gone = db.session.get(User, ids["sam"])
        assert gone is None or not gone.active  # the account really is deleted
        classroom = db.session.get(Classroom, ids["class"])
        data = class_data.load(db.session, classroom, now_utc())
        assert data.students == [(ids["ann"], "ann")]
        assert {row.user_id for row in data.attempts} == {ids["ann"]}
        weeks = class_data.weekly_scores(data, ZoneInfo("UTC"))
        assert [w.median for w in weeks] == [100.0]  # ann alone
        left = db.session.scalar(
            sa.select(sa.func.count()).where(Enrollment.classroom_id == ids["class"])
        )
        assert left == 1
    AuthActions(client).login("tess")
    tails = ("", "/dashboard", "/gradebook", "/gradebook.csv", "/gradebook-moodle.csv")
    for tail in (*tails, "/gradebook-canvas.csv", "/answers.csv", "/forecast"):
        page = client.get(f"/teach/classes/{ids['class']}{tail}")
        assert page.status_code == 200, tail
        text = page.get_data(as_text=True)
        assert "deleted-" not in text and "sam" not in text, tail
    roster = client.get(f"/teach/classes/{ids['class']}/students/{ids['sam']}")
    assert roster.status_code == 404


def test_migration_takes_accounts_deleted_earlier_off_their_classes(tmp_path: Any) -> None:
    """Accounts anonymized before the fix kept their memberships; 0015 removes them."""
    from flask_migrate import upgrade

    from quiz import create_app
    from tests.conftest import base_config

    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=url))
    with app.app_context():
        upgrade(revision="0014")
        # 0014's schema is the models' (0015 changes rows only) but for the columns later
        # revisions add, written here as they write them, so that the ORM can fill it.
        db.session.execute(
            sa.text(
                'ALTER TABLE "user" ADD COLUMN date_order VARCHAR(11) '
                "NOT NULL DEFAULT 'day_first'"
            )
        )
        people = []
        for name, email, active in (
            ("tess", "tess@example.org", True),
            ("gone", "deleted-ab12@deleted.invalid", False),
            ("ann", "ann@example.org", True),
            ("paused", "paused@example.org", False),
        ):
            user = User(email=email, role="student", active=active)
            user.set_username(name)
            user.set_password(PASSWORD, "pbkdf2:sha256:1000")
            people.append(user)
        people[1].password_hash = "!"  # what deletion writes
        db.session.add_all(people)
        db.session.flush()
        # The class row in 0014's columns (the model has gradebook columns 0016 adds).
        class_id = db.session.execute(
            sa.text(
                "INSERT INTO classroom (teacher_id, name, join_code, timezone, created_at)"
                " VALUES (:teacher, 'C', 'ACD3FG', 'UTC', CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"teacher": people[0].id},
        ).scalar_one()
        for user in people[1:]:
            db.session.add(Enrollment(classroom_id=class_id, user_id=user.id))
        db.session.commit()
        kept = sorted(people[i].id for i in (2, 3))
        db.session.remove()
        upgrade(revision="0015")
        with db.engine.connect() as conn:
            left = conn.execute(sa.text("SELECT user_id FROM enrollment ORDER BY 1")).scalars()
            assert list(left) == kept  # a deactivated account keeps its place (reversible)
        db.engine.dispose()
