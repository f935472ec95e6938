"""Shared set-up of the LTI tests: a running platform registered with the tool."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.lti import keys
from quiz.models import LtiPlatform, User
from tests.lti_platform import INSTRUCTOR, LEARNER, Person, Platform, serve


@pytest.fixture
def platform() -> Iterator[Platform]:
    """A platform on 127.0.0.1, for one test."""
    yield from serve()


def register(app: Flask, platform: Platform) -> None:
    """Register the platform with the tool, as the admin page does."""
    with app.app_context():
        fields = platform.platform_fields()
        db.session.add(LtiPlatform(**fields))
        keys.current_key(db.session, app.config["SECRET_KEY"])  # as the admin's form does
        db.session.commit()


@pytest.fixture
def registered(app: Flask, client: FlaskClient, platform: Platform) -> Platform:
    """The platform registered with the tool, and the tool's keys given to the platform."""
    register(app, platform)
    platform.trust_tool(client)
    return platform


TEACHER = Person("t-100", "Tess Teacher", [INSTRUCTOR], "tess@school.example")
STUDENTS = [
    Person("s-201", "Sam Student", [LEARNER], "sam@school.example"),
    Person("s-202", "Kim Student", [LEARNER]),
]


def teacher_id(app: Flask, username: str) -> int:
    """The id of the account with that username."""
    with app.app_context():
        found = db.session.scalar(sa.select(User.id).where(User.username == username))
        assert found is not None
        return found


def count(app: Flask, model: Any) -> int:
    """Rows in a table."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
