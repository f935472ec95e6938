"""A student's screens show every time in the student's own zone, named (issue 20: a quiz said
"due Tue 08 Dec 18:00 (Europe/Berlin)" while its timer said "Time is up at 2026-12-07 13:23",
in UTC and unnamed)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import User
from tests.classes_helpers import add_assignment, login_as, make_world

DUE = datetime(2030, 1, 10, 16, 0, tzinfo=UTC)  # 17:00 in Niamey, 11:00 in New York (EST)
NOW = datetime(2030, 1, 8, 14, 0, tzinfo=UTC)


def test_a_students_screens_use_the_students_zone_named(app: Flask, client: FlaskClient) -> None:
    world = make_world(app, timezone="Africa/Niamey")
    with app.app_context():
        db.session.get(User, world.member).timezone = "America/New_York"
        db.session.commit()
    aid = add_assignment(app, world, DUE, time_limit_s=600)
    with time_machine.travel(NOW, tick=False):
        login_as(client, "member")
        home = client.get("/study/").get_data(as_text=True)
        assert "due Thu 10 Jan 11:00 (America/New_York)" in home
        page = client.get(f"/study/assignments/{aid}").get_data(as_text=True)
        assert "due <strong>Thursday 10 January 2030, 11:00</strong>" in page
        assert "America/New_York" in page and "Africa/Niamey" not in page
        started = client.post(f"/study/assignments/{aid}/quiz")
        attempt = client.get(started.headers["Location"]).get_data(as_text=True)
    # 10 minutes from 09:00 in New York: the limit, in the same zone as the due date, named.
    found = re.search(r"Time is up at <time[^>]*>([^<]+)</time> \(([^,]+),", attempt)
    assert found and found.groups() == ("2030-01-08 09:10", "America/New_York")


def test_the_teachers_pages_keep_the_class_zone(app: Flask, client: FlaskClient) -> None:
    world = make_world(app, timezone="Africa/Niamey")
    add_assignment(app, world, DUE)
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}").get_data(as_text=True)
    assert "2030-01-10 17:00" in page  # the class's clock, as the assignment form takes it
