"""A large class's answers in a real browser: the download link leads to a page that builds the
file in the background, says when it is ready and downloads it whole; the dashboard pages its
students. axe-core on every page."""

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
from quiz.models import Assignment, Card, Classroom, Enrollment, Question, Review, Role, User
from quiz.reports import answer_export
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_class_journey import PASSWORD, log_in, new_page

pytestmark = pytest.mark.browser
STUDENTS = 55  # more than one page of 50


def make_class(live_server: LiveServer) -> int:
    """Teacher erin's class of 55, each student with one answer on the starter set."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        teacher = User(email="erin@example.org", role=Role.TEACHER.value)
        teacher.set_username("erin")
        teacher.set_password(PASSWORD, "pbkdf2:sha256:1000")
        db.session.add(teacher)
        db.session.flush()
        question = db.session.scalar(sa.select(Question).where(Question.kind == "true_false"))
        classroom = Classroom(teacher_id=teacher.id, name="Geography 9B", join_code="XPRT29")
        db.session.add(classroom)
        db.session.flush()
        db.session.add(
            Assignment(classroom_id=classroom.id, set_id=question.set_id, mode="study", due_at=now)
        )
        for number in range(STUDENTS):
            student = User(email=f"pupil{number}@example.org", role=Role.STUDENT.value)
            student.set_username(f"pupil{number:02d}")
            student.password_hash = teacher.password_hash
            db.session.add(student)
            db.session.flush()
            db.session.add(Enrollment(classroom_id=classroom.id, user_id=student.id))
            card = Card(
                user_id=student.id,
                question_id=question.id,
                state=2,
                stability=4.0,
                difficulty=5.0,
                due=now + timedelta(days=2),
                last_review=now,
                reps=1,
            )
            db.session.add(card)
            db.session.flush()
            db.session.add(
                Review(
                    user_id=student.id,
                    card_id=card.id,
                    question_id=question.id,
                    response=True,
                    correct=True,
                    score=1.0,
                    rating=3,
                    desired_retention=0.9,
                    duration_ms=2000,
                    reviewed_at=now - timedelta(hours=1),
                    due_after=card.due,
                    submission_id=f"x{number}",
                )
            )
        db.session.commit()
        return classroom.id


def test_large_answers_export_journey(
    live_server: LiveServer, browser: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setattr(answer_export, "STREAM_BELOW", 10)  # 55 answers count as large here
    live_server.app.config["EXPORT_DIR"] = str(tmp_path)
    base = live_server.url
    class_id = make_class(live_server)
    teacher = new_page(browser)
    log_in(teacher, base, "erin")
    teacher.goto(f"{base}/teach/classes/{class_id}/dashboard")
    assert "Rows 1–50 of 55 (page 1 of 2)" in teacher.inner_text("main")
    assert_accessible(teacher)
    teacher.click("nav[aria-label='Dashboard pages'] a[rel=next]")
    assert ">pupil54<" in teacher.content() and ">pupil00<" not in teacher.content()
    teacher.click("a:has-text('Answers CSV')")
    teacher.wait_for_url(re.compile(r"/answers-export$"))
    assert "No export built yet" in teacher.inner_text("main")
    assert_accessible(teacher)
    teacher.click("button:has-text('Build the export')")
    # The page looks again every 5 seconds by itself (a Refresh header, no JavaScript).
    teacher.wait_for_selector("text=Ready:", timeout=60_000)
    assert "55 answers" in teacher.inner_text("main")
    assert_accessible(teacher)
    with teacher.expect_download() as info:
        teacher.click("a:has-text('Download the answers (CSV)')")
    saved = info.value.path()
    text = Path(saved).read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[0] == "Student" and len(rows) == STUDENTS
    assert teacher.console_errors == []
