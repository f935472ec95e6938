"""The gradebook in a real browser: a blank for a quiz due next week, excusing, settings, the
Moodle-layout CSV's columns, and the student's own grade; axe-core on every page."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from quiz.extensions import db
from quiz.models import Assignment, Attempt, Classroom, Enrollment, QuestionSet, Role, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_class_journey import PASSWORD, log_in, new_page

pytestmark = pytest.mark.browser


def make_class(live_server: LiveServer) -> dict[str, Any]:
    """Teacher gina's class: a quiz amy and ben took last week, the same set due next week."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        users = {}
        for name, role in (("gina", Role.TEACHER), ("amy", Role.STUDENT), ("ben", Role.STUDENT)):
            user = User(email=f"{name}@example.org", role=role.value)
            user.set_username(name)
            user.set_password(PASSWORD, "pbkdf2:sha256:1000")
            db.session.add(user)
            users[name] = user
        db.session.flush()
        starter = db.session.scalar(sa.select(QuestionSet).where(QuestionSet.owner_id.is_(None)))
        classroom = Classroom(teacher_id=users["gina"].id, name="History 10A", join_code="GRBK23")
        db.session.add(classroom)
        db.session.flush()
        for name in ("amy", "ben"):
            db.session.add(Enrollment(classroom_id=classroom.id, user_id=users[name].id))
        past = Assignment(
            classroom_id=classroom.id,
            set_id=starter.id,
            mode="quiz",
            due_at=now - timedelta(days=7),
        )
        upcoming = Assignment(
            classroom_id=classroom.id,
            set_id=starter.id,
            mode="quiz",
            due_at=now + timedelta(days=7),
        )
        db.session.add_all([past, upcoming])
        db.session.flush()
        for name, score in (("amy", 0.8), ("ben", 0.5)):
            db.session.add(
                Attempt(
                    user_id=users[name].id,
                    set_id=starter.id,
                    assignment_id=past.id,
                    question_order=[],
                    seed=1,
                    started_at=now - timedelta(days=8, minutes=20),
                    finished_at=now - timedelta(days=8),
                    score=score,
                )
            )
        db.session.commit()
        return {"class": classroom.id, "title": starter.title, "upcoming": upcoming.id}


def test_gradebook_journey(live_server: LiveServer, browser: Any) -> None:
    base = live_server.url
    made = make_class(live_server)
    teacher = new_page(browser)
    log_in(teacher, base, "gina")
    teacher.goto(f"{base}/teach/classes/{made['class']}")
    teacher.click("a:has-text('Gradebook')")
    teacher.wait_for_url(re.compile(r"/gradebook$"))
    assert_accessible(teacher)

    # The quiz due next week is blank for everyone, never 0; last week's shows its points.
    amy_row = teacher.locator("tr", has=teacher.locator("th a", has_text="amy"))
    cells = amy_row.locator("td.grade")
    assert cells.nth(0).get_attribute("data-state") == "scored"
    assert cells.nth(0).inner_text().startswith("80/100")
    assert cells.nth(1).get_attribute("data-state") == "blank"
    assert "0/100" not in cells.nth(1).inner_text()
    assert "80%" in amy_row.inner_text()

    # Excuse ben from last week's quiz, then his total has nothing to count.
    ben_row = teacher.locator("tr", has=teacher.locator("th a", has_text="ben"))
    with teacher.expect_navigation():
        ben_row.locator("td.grade").nth(0).locator("button:has-text('Excuse')").click()
    assert "ben excused." in teacher.content()
    ben_row = teacher.locator("tr", has=teacher.locator("th a", has_text="ben"))
    assert ben_row.locator("td.grade").nth(0).get_attribute("data-state") == "excused"
    assert_accessible(teacher)

    # The settings page: weights and points, saved.
    teacher.click("text=Gradebook settings")
    assert_accessible(teacher)
    teacher.fill("input[name='cat-quiz-weight']", "70")
    teacher.fill("input[name='cat-study-weight']", "30")
    teacher.fill(f"input[name='a-{made['upcoming']}-points']", "50")
    with teacher.expect_navigation():
        teacher.click("button:has-text('Save')")
    assert "Gradebook settings saved." in teacher.content()
    assert "Quizzes 70%" in teacher.content() and "50 points" in teacher.content()

    # The Moodle-layout CSV: an e-mail column, then one column per grade item.
    with teacher.expect_download() as caught:
        teacher.click('a:has-text("for Moodle\'s grade import")')
    text = Path(caught.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Email address", made["title"], made["title"]]
    assert ["amy@example.org", "80", ""] in rows
    assert ["ben@example.org", "", ""] in rows

    # The student sees the same grade on her home page.
    amy = new_page(browser)
    log_in(amy, base, "amy")
    amy.goto(f"{base}/study/")
    assert "Your grade so far: 80%" in amy.locator("main").inner_text()
    assert "grade: 80/100" in amy.locator("main").inner_text()
    assert_accessible(amy)
    assert teacher.console_errors == [] and amy.console_errors == []
