"""LTI 1.3 end to end against lti1p3platform: a teacher's launch makes a class, deep linking
adds a quiz, two students launch and hand it in, the platform's gradebook gets both scores
once, and the roster sync brings in the course's other learners."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    LtiContext,
    LtiIdentity,
    LtiLink,
    LtiScore,
    Question,
    User,
)
from tests.conftest import csrf_token
from tests.lti_helpers import STUDENTS, TEACHER, count, platform, registered, teacher_id
from tests.lti_platform import LEARNER, Platform, signed_launch
from tests.teach_helpers import make_set

__all__ = ["platform", "registered"]


def launch(client: FlaskClient, platform: Platform, person, **kwargs) -> str:  # type: ignore[no-untyped-def]
    """Launch and follow to the page the launch leads to; returns its path."""
    form = signed_launch(client, platform, person, **kwargs)
    reply = client.post("/lti/launch", data=form)
    assert reply.status_code in (200, 303), reply.get_data(as_text=True)
    if reply.status_code == 303:
        return reply.headers["Location"]
    page = reply.get_data(as_text=True)
    assert "open in a new window" in page
    start = page.index('class="button" href="') + len('class="button" href="')
    return page[start : page.index('"', start)]


def answer_everything(app: Flask, client: FlaskClient, attempt_id: int) -> None:
    """Give the right answer to each question of a paged attempt."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt is not None
        keys = {row.id: row.key for row in db.session.execute(sa.select(Question.id, Question.key))}
    for question_id in attempt.question_order:
        answer = "answer " + keys[question_id].removeprefix("q")
        reply = client.post(
            f"/study/attempts/{attempt_id}/answer",
            data={"question_id": question_id, "answer": answer},
        )
        assert reply.status_code == 302


def test_teacher_deep_links_students_hand_in_and_scores_reach_the_platform(
    app: Flask, registered: Platform
) -> None:
    platform = registered
    teacher = app.test_client()
    # The teacher's first launch makes the account and the class of the course.
    where = launch(teacher, platform, TEACHER, link=None, deep_link=True)
    assert where == "/lti/deep-link"
    with app.app_context():
        classroom = db.session.scalar(sa.select(Classroom))
        assert classroom is not None and classroom.name == "Course course-1"
        tess = db.session.get(User, classroom.teacher_id)
        assert tess is not None and tess.role == "teacher" and tess.email == "tess@school.example"
    set_id = make_set(app, teacher_id(app, tess.username), questions=2, title="Capitals")
    page = teacher.get("/lti/deep-link")
    assert page.status_code == 200 and "Capitals" in page.get_data(as_text=True)
    reply = teacher.post(
        "/lti/deep-link",
        data={"choice": f"set:{set_id}", "csrf_token": csrf_token(page.get_data(as_text=True))},
    )
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    assert f'action="{platform.url}/deep-link-return"' in html
    jwt = html.split('name="JWT" value="')[1].split('"')[0]
    # The platform checks the tool's signature and reads the link it is given.
    items = platform.conf.validate_deeplinking_resp({"JWT": jwt})
    assert len(items) == 1 and items[0]["type"] == "ltiResourceLink"
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
        assert assignment is not None and assignment.mode == "quiz"
    assert items[0]["custom"] == {"assignment_id": str(assignment.id)}
    assert items[0]["lineItem"]["scoreMaximum"] == 100

    # Two students launch the link the platform made; each lands on the assignment.
    for number, person in enumerate(STUDENTS):
        student = app.test_client()
        where = launch(student, platform, person, custom=items[0]["custom"], link="link-9")
        assert where == f"/study/assignments/{assignment.id}"
        started = student.post(f"/study/assignments/{assignment.id}/quiz")
        attempt_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
        if number == 0:  # the first student knows every answer; the second hands in blank
            answer_everything(app, student, attempt_id)
        finished = student.post(f"/study/attempts/{attempt_id}/finish")
        assert finished.status_code == 302
        assert len(platform.book.scores) == number + 1
    scores = platform.book.scores
    assert {s["userId"]: s["scoreGiven"] for s in scores} == {"s-201": 100, "s-202": 0}
    for score in scores:
        assert score["lineitem"] == "item-1"
        assert score["scoreMaximum"] == 100
        assert score["activityProgress"] == "Completed"
        assert score["gradingProgress"] == "FullyGraded"
        assert score["timestamp"]
    with app.app_context():
        rows = list(db.session.scalars(sa.select(LtiScore)))
        assert [r.status for r in rows] == ["sent", "sent"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrollment)) == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LtiLink)) == 1

    # Sending again sends nothing: each attempt's score goes once.
    from quiz.lti import grades

    with app.app_context():
        assert grades.send_due(db.session, app.config["SECRET_KEY"]) == (0, 0)
        attempt = db.session.scalar(sa.select(Attempt))
        assert attempt is not None
    assert len(platform.book.scores) == 2

    # The teacher's page lists the scores as sent.
    page = teacher.get("/lti/courses")
    assert page.status_code == 200
    assert "Sent: 2" in page.get_data(as_text=True)


def test_roster_sync_enrols_the_courses_learners(app: Flask, registered: Platform) -> None:
    platform = registered
    teacher = app.test_client()
    launch(teacher, platform, TEACHER, link="course-home")
    platform.book.members = [
        {"user_id": "s-301", "roles": [LEARNER], "name": "Ana Learner", "status": "Active"},
        {"user_id": "s-302", "roles": [LEARNER], "name": "Bo Learner"},
        {"user_id": "t-100", "roles": [TEACHER.roles[0]], "name": "Tess Teacher"},
        {"user_id": "s-303", "roles": [LEARNER], "name": "Gone Learner", "status": "Deleted"},
    ]
    page = teacher.get("/lti/courses")
    assert page.status_code == 200
    with app.app_context():
        context_id = db.session.scalar(sa.select(LtiContext.id))
    reply = teacher.post(
        f"/lti/courses/{context_id}/roster",
        data={"csrf_token": csrf_token(page.get_data(as_text=True))},
    )
    assert reply.status_code == 302
    assert "2 added" in teacher.get("/lti/courses").get_data(as_text=True)
    assert count(app, Enrollment) == 2
    with app.app_context():
        subs = set(db.session.scalars(sa.select(LtiIdentity.sub)))
    assert subs == {"t-100", "s-301", "s-302"}
    # A second sync changes nothing.
    page = teacher.get("/lti/courses")
    teacher.post(
        f"/lti/courses/{context_id}/roster",
        data={"csrf_token": csrf_token(page.get_data(as_text=True))},
    )
    assert count(app, Enrollment) == 2


def test_open_in_a_new_window_signs_in_once(app: Flask, registered: Platform) -> None:
    framed = app.test_client()
    reply = framed.post("/lti/launch", data=signed_launch(framed, registered, TEACHER))
    page = reply.get_data(as_text=True)
    token = page.split("/lti/continue/")[1].split('"')[0]
    window = app.test_client()  # the new window: none of the frame's cookies
    opened = window.get(f"/lti/continue/{token}")
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/teach/classes/")
    assert window.get(opened.headers["Location"]).status_code == 200
    again = app.test_client().get(f"/lti/continue/{token}")
    assert again.status_code == 400 and "expired or was used" in again.get_data(as_text=True)
