"""T18: due dates far ahead (or far back) are refused by the assignment form, and a quiz due
more than 68 years ahead (the seconds overflow PostgreSQL's INTEGER) still starts (issue 21,
defect 7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.inputs import DB_INT_MAX
from quiz.models import Assignment, Attempt
from tests.classes_helpers import World, add_assignment, login_as, make_world
from tests.reliability.figures import report

FAR = ("2097-01-01T09:00", "2199-06-30T12:00", "9999-12-31T23:59", "0001-01-01T00:00")


@pytest.fixture
def world(app: Flask) -> World:
    return make_world(app, timezone="Africa/Niamey")


def _form(world: World, due: str) -> dict[str, str]:
    return {
        "set_id": str(world.set_id),
        "mode": "quiz",
        "due_at": due,
        "target_percent": "90",
        "max_attempts": "",
        "time_limit_min": "0",
        "show_answers": "after_attempt",
    }  # allow_late off: the attempt's deadline is the due date


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) or 0


def test_far_due_dates_are_refused_and_far_quizzes_start(
    app: Flask, client: FlaskClient, world: World, backend: str
) -> None:
    login_as(client, "teacher")
    url = f"/teach/classes/{world.classroom}/assignments/new"
    refused = 0
    for due in FAR:
        response = client.post(url, data=_form(world, due))
        assert response.status_code == 200, (due, response.status_code)
        assert "within" in response.get_data(as_text=True), due
        refused += 1
    assert _count(app) == 0
    near = client.post(url, data=_form(world, "2030-03-10T17:00"))
    assert near.status_code == 302
    # An assignment stored before the bound (or by other means) 70 years ahead, no late work.
    far = add_assignment(
        app, world, datetime.now(UTC) + timedelta(days=70 * 365), mode="quiz", allow_late=False
    )
    member = app.test_client()
    login_as(member, "member")
    assert member.get("/study/").status_code == 200
    started = member.post(f"/study/assignments/{far}/quiz")
    assert started.status_code == 302, started.status_code
    with app.app_context():
        limit = db.session.scalar(sa.select(Attempt.time_limit_s))
    assert limit is not None and 0 < limit <= DB_INT_MAX
    attempt_page = member.get(started.location)
    assert attempt_page.status_code == 200
    report("T18", backend=backend, far_dates_refused=f"{refused}/{len(FAR)}", time_limit_s=limit)
