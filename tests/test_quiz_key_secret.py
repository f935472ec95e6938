"""A set a class gets only as a quiz is its answer key: it stays out of study until released.

Issue 21, defect 1: before, every set assigned to a class was visible to its members in study,
practice, flip, browse, custom study and their own quizzes, so the feedback there showed the
right answers of a quiz with "never show answers" and one attempt.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Assignment, Attempt, Card, Mode, StudiedSet
from tests.classes_helpers import World, login_as, make_world
from tests.progress_helpers import make_set

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
DUE = NOW + timedelta(days=3)


@pytest.fixture
def world(app: Flask) -> World:
    return make_world(app)


@pytest.fixture
def private_set(app: Flask, world: World) -> tuple[int, list[int]]:
    return make_set(app, 4, title="Unit test key", visibility="private", owner_id=world.teacher)


def assign(app: Flask, world: World, set_id: int, **fields: object) -> int:
    """An assignment of `set_id` to the world's class; a quiz unless told otherwise."""
    values: dict[str, object] = {"mode": Mode.QUIZ.value, "due_at": DUE, "show_answers": "never"}
    values.update(fields)
    with app.app_context():
        row = Assignment(classroom_id=world.classroom, set_id=set_id, **values)
        db.session.add(row)
        db.session.commit()
        return row.id


def study_pages(set_id: int, question_id: int) -> dict[str, str]:
    """Every student page that shows a set's questions with their answers, by name."""
    return {
        "set progress": f"/study/sets/{set_id}/progress",
        "own quiz": f"/study/sets/{set_id}/quiz",
        "practice": f"/study/questions/{question_id}",
        "flip": f"/study/flip/{question_id}",
    }


def reachable(client: FlaskClient, set_id: int, question_id: int) -> dict[str, int]:
    """The status of each study page of the set, and whether the set is offered anywhere."""
    found = {
        name: client.get(url).status_code for name, url in study_pages(set_id, question_id).items()
    }
    home = client.get("/study/").get_data(as_text=True)
    # The home page lists the class's assignment (to take the quiz), but offers no study of it.
    found["listed on study home"] = int(f"/study/sets/{set_id}/" in home)
    custom = client.get("/study/custom").get_data(as_text=True)
    found["offered in custom study"] = int("Unit test key" in custom)
    cards = client.get("/study/cards").get_data(as_text=True)
    found["offered in browse"] = int("Unit test key" in cards)
    add = client.post(f"/study/sets/{set_id}/study", data={"action": "add"})
    found["start studying"] = add.status_code
    cram = client.post("/study/custom", data={"mode": "cram", "set_id": str(set_id)})
    found["cram"] = cram.status_code
    return found


HIDDEN = {
    "set progress": 404,
    "own quiz": 404,
    "practice": 404,
    "flip": 404,
    "listed on study home": 0,
    "offered in custom study": 0,
    "offered in browse": 0,
    "start studying": 404,
    "cram": 404,
}


def test_a_quiz_only_set_stays_out_of_every_study_page(
    app: Flask, client: FlaskClient, world: World, private_set: tuple[int, list[int]]
) -> None:
    set_id, questions = private_set
    assign(app, world, set_id)
    with time_machine.travel(NOW, tick=False):
        login_as(client, "member")
        assert reachable(client, set_id, questions[0]) == HIDDEN
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StudiedSet)) == 0


def take_quiz(app: Flask, client: FlaskClient, assignment_id: int) -> int:
    """Start the assigned quiz, answer every question, hand it in; the attempt's id."""
    started = client.post(f"/study/assignments/{assignment_id}/quiz")
    assert started.status_code == 302, started.get_data(as_text=True)[:300]
    attempt_id = int(started.location.rstrip("/").split("/")[-1])
    with app.app_context():
        order = db.session.get(Attempt, attempt_id).question_order
    for question_id in order:
        client.post(
            f"/study/attempts/{attempt_id}/answer",
            data={"question_id": question_id, "answer": "true"},
        )
    assert client.post(f"/study/attempts/{attempt_id}/finish").status_code == 302
    return attempt_id


def test_the_quiz_still_runs_and_its_cards_stay_out_of_the_queue(
    app: Flask, client: FlaskClient, world: World, private_set: tuple[int, list[int]]
) -> None:
    set_id, questions = private_set
    aid = assign(app, world, set_id, max_attempts=1)
    with time_machine.travel(NOW, tick=True):
        login_as(client, "member")
        take_quiz(app, client, aid)
    with app.app_context():
        cards = db.session.scalar(sa.select(sa.func.count()).select_from(Card))
    assert cards == len(questions)  # the quiz's answers were scheduled as reviews
    # Long after, the cards are due, but the queue does not show a quiz-only set's questions.
    with time_machine.travel(NOW + timedelta(days=60), tick=False):
        login_as(client, "member")
        page = client.get("/study/next").get_data(as_text=True)
        assert "Statement number" not in page
        assert reachable(client, set_id, questions[0])["practice"] == 404


def test_after_due_releases_the_set_once_the_due_date_passes(
    app: Flask, client: FlaskClient, world: World, private_set: tuple[int, list[int]]
) -> None:
    set_id, questions = private_set
    assign(app, world, set_id, show_answers="after_due")
    with time_machine.travel(DUE - timedelta(minutes=1), tick=False):
        login_as(client, "member")
        assert client.get(f"/study/questions/{questions[0]}").status_code == 404
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        login_as(client, "member")
        assert client.get(f"/study/questions/{questions[0]}").status_code == 200
        assert f"/study/sets/{set_id}/study" in client.get("/study/").get_data(as_text=True)


def test_after_attempt_releases_the_set_when_no_attempt_is_left(
    app: Flask, client: FlaskClient, world: World, private_set: tuple[int, list[int]]
) -> None:
    set_id, questions = private_set
    aid = assign(app, world, set_id, show_answers="after_attempt", max_attempts=2)
    with time_machine.travel(NOW, tick=True):
        login_as(client, "member")
        take_quiz(app, client, aid)
        assert client.get(f"/study/questions/{questions[0]}").status_code == 404  # one left
        take_quiz(app, client, aid)
        assert client.get(f"/study/questions/{questions[0]}").status_code == 200


def test_never_show_answers_never_releases_the_set(
    app: Flask, client: FlaskClient, world: World, private_set: tuple[int, list[int]]
) -> None:
    set_id, questions = private_set
    aid = assign(app, world, set_id, max_attempts=1)
    with time_machine.travel(NOW, tick=True):
        login_as(client, "member")
        take_quiz(app, client, aid)
    with time_machine.travel(DUE + timedelta(days=400), tick=False):
        login_as(client, "member")
        assert reachable(client, set_id, questions[0]) == HIDDEN


def test_a_set_also_assigned_to_study_is_studied_as_the_teacher_chose(
    app: Flask, client: FlaskClient, world: World, private_set: tuple[int, list[int]]
) -> None:
    set_id, questions = private_set
    assign(app, world, set_id)
    assign(app, world, set_id, mode=Mode.STUDY.value)
    with time_machine.travel(NOW, tick=False):
        login_as(client, "member")
        assert client.get(f"/study/questions/{questions[0]}").status_code == 200


def test_the_assignment_form_says_what_a_quiz_set_is_for_students(
    client: FlaskClient, world: World
) -> None:
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/assignments/new").get_data(as_text=True)
    assert "stays out of their study" in page
    assert "public" in page  # a public set is studied by anyone: the form says so
