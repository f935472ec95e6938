"""Shared setup for the class tests: a seeded starter set, a class and six points of view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Assignment, Classroom, Enrollment, QuestionSet, Role
from tests.conftest import AuthActions, make_user

STARTER = "niger-air-base-101"
CODE = "ACD3FG"


@dataclass
class World:
    """The people and things most class tests need."""

    teacher: int
    other_teacher: int
    admin: int
    member: int
    outsider: int
    classroom: int
    set_id: int


def seed(app: Flask) -> None:
    """Load the real question bank."""
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output


def starter_id(app: Flask) -> int:
    """The starter set's id."""
    with app.app_context():
        return db.session.scalar(sa.select(QuestionSet.id).where(QuestionSet.slug == STARTER))


def make_world(app: Flask, *, timezone: str = "UTC") -> World:
    """A teacher's class with one member, plus an outsider, another teacher and an admin."""
    seed(app)
    ids = {
        name: make_user(app, name, role=role).id
        for name, role in [
            ("teacher", Role.TEACHER.value),
            ("other", Role.TEACHER.value),
            ("admin", Role.ADMIN.value),
            ("member", Role.STUDENT.value),
            ("outsider", Role.STUDENT.value),
        ]
    }
    with app.app_context():
        classroom = Classroom(
            teacher_id=ids["teacher"], name="Geography 9B", join_code=CODE, timezone=timezone
        )
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=ids["member"]))
        db.session.commit()
        class_id = classroom.id
    return World(
        ids["teacher"], ids["other"], ids["admin"], ids["member"], ids["outsider"], class_id,
        starter_id(app),
    )  # fmt: skip


def add_assignment(app: Flask, world: World, due: datetime, **fields: Any) -> int:
    """An assignment of the starter set to the world's class."""
    with app.app_context():
        assignment = Assignment(
            classroom_id=world.classroom, set_id=world.set_id, due_at=due, **fields
        )
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def login_as(client: FlaskClient, name: str) -> None:
    """Log the client in as one of the world's users."""
    response = AuthActions(client).login(name)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
