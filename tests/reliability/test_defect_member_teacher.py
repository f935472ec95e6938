"""Defect 2 of issue 21: a teacher who joins another teacher's class by its code is a member,
with a student's rights there (study and quizzes as assigned); export, the printed answer key,
Duplicate, their own assignment form and their library never show them the class's sets."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Assignment, Classroom, Enrollment, QuestionSet
from quiz.timeutil import now_utc
from quiz.transfer.exports import EXPORTS
from tests.conftest import AuthActions, make_user
from tests.teach_helpers import make_set

CODE = "ACD3FG"


def setup(app: Flask) -> dict[str, int]:
    """Tess's class with her private set assigned as a quiz; Otto, another teacher, has a class."""
    tess = make_user(app, "tess", role="teacher").id
    otto = make_user(app, "otto", role="teacher").id
    private = make_set(app, tess, questions=3, title="Tess private set")
    with app.app_context():
        mine = Classroom(teacher_id=tess, name="Tess 9B", join_code=CODE)
        his = Classroom(teacher_id=otto, name="Otto 7A", join_code="HJK3MN")
        db.session.add_all([mine, his])
        db.session.flush()
        db.session.add(
            Assignment(classroom_id=mine.id, set_id=private, due_at=now_utc() + timedelta(days=7))
        )
        db.session.commit()
        ids = {"tess": tess, "otto": otto, "set": private, "class": mine.id, "his": his.id}
    return ids


def test_a_member_teacher_gets_no_teacher_rights_on_the_class_sets(
    app: Flask, client: FlaskClient
) -> None:
    ids = setup(app)
    AuthActions(client).login("otto")
    joined = client.post("/study/join", data={"code": CODE})
    assert joined.status_code == 302
    with app.app_context():
        enrolled = db.session.get(Enrollment, (ids["class"], ids["otto"]))
        assert enrolled is not None  # he joined as a member
    set_id = ids["set"]
    refused = {
        path: client.get(path).status_code
        for path in (
            f"/teach/sets/{set_id}",
            f"/teach/sets/{set_id}/export",
            *(f"/teach/sets/{set_id}/export/{fmt}" for fmt in EXPORTS),
            f"/teach/sets/{set_id}/print",
            f"/teach/sets/{set_id}/print/answers",
        )
    }
    assert set(refused.values()) == {404}, refused
    assert client.post(f"/teach/sets/{set_id}/duplicate").status_code == 404
    form = client.get(f"/teach/classes/{ids['his']}/assignments/new").get_data(as_text=True)
    assert "Tess private set" not in form
    due = (now_utc() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"set_id": set_id, "mode": "quiz", "due_at": due, "target_percent": 90}
    data |= {"time_limit_min": 0, "show_answers": "after_attempt"}
    client.post(f"/teach/classes/{ids['his']}/assignments/new", data=data)
    assert "Tess private set" not in client.get("/teach/").get_data(as_text=True)
    with app.app_context():
        copies = db.session.scalar(
            sa.select(sa.func.count()).where(QuestionSet.owner_id == ids["otto"])
        )
        reused = db.session.scalar(
            sa.select(sa.func.count()).where(Assignment.classroom_id == ids["his"])
        )
    assert copies == 0 and reused == 0
    # What a member gets: the assignment's page and its quiz, as a student would.
    with app.app_context():
        assignment = db.session.scalar(
            sa.select(Assignment.id).where(Assignment.classroom_id == ids["class"])
        )
    assert client.get(f"/study/assignments/{assignment}").status_code == 200
    started = client.post(f"/study/assignments/{assignment}/quiz")
    assert started.status_code == 302 and "/study/attempts/" in started.headers["Location"]


def test_the_owner_still_exports_prints_duplicates_and_assigns(
    app: Flask, client: FlaskClient
) -> None:
    ids = setup(app)
    AuthActions(client).login("tess")
    set_id = ids["set"]
    for path in (
        f"/teach/sets/{set_id}",
        f"/teach/sets/{set_id}/export",
        *(f"/teach/sets/{set_id}/export/{fmt}" for fmt in EXPORTS),
        f"/teach/sets/{set_id}/print",
        f"/teach/sets/{set_id}/print/answers",
    ):
        assert client.get(path).status_code == 200, path
    assert client.post(f"/teach/sets/{set_id}/duplicate").status_code == 302
    form = client.get(f"/teach/classes/{ids['class']}/assignments/new").get_data(as_text=True)
    assert "Tess private set" in form


def test_archived_sets_export_and_print_for_their_owner_only(
    app: Flask, client: FlaskClient
) -> None:
    """Defect 12's second half: the owner of an archived set still exports and prints it."""
    ids = setup(app)
    public = make_set(app, ids["tess"], questions=2, title="Tess public", visibility="public")
    with app.app_context():
        for set_id in (ids["set"], public):
            db.session.get(QuestionSet, set_id).archived = True
        db.session.commit()
    paths = [
        f"/teach/sets/{set_id}{tail}"
        for set_id in (ids["set"], public)
        for tail in ("/export", "/export/csv", "/print", "/print/answers")
    ]
    AuthActions(client).login("tess")
    owner = {path: client.get(path).status_code for path in paths}
    assert set(owner.values()) == {200}, owner
    AuthActions(client).logout()
    AuthActions(client).login("otto")
    other = {path: client.get(path).status_code for path in paths}
    assert set(other.values()) == {404}, other
