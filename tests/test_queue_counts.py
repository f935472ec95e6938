"""The study pages' counts stop at COUNT_CAP ("100+"), exact below it; the queue order stays."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Card, Question, StudiedSet, User
from quiz.study import queue
from tests.conftest import AuthActions
from tests.study_helpers import T0, add_overdue_cards, flashcard_yaml, load_set, set_id, study

QUESTIONS = 110  # more than COUNT_CAP + 1, so that the cap shows


def big_set(slug: str, count: int) -> str:
    """A YAML set of `count` flashcards titled "Set <slug>"."""
    return flashcard_yaml(slug, count, f"Set {slug}")


def text_of(html: str) -> str:
    """A page's text without its tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def give_due_cards(app: Flask, user_id: int, count: int) -> None:
    """Cards on the first `count` questions, all due a day before T0."""
    with app.app_context():
        ids = db.session.scalars(sa.select(Question.id).order_by(Question.id).limit(count)).all()
    add_overdue_cards(app, user_id, ids, T0)


def suspend_one(app: Flask, user_id: int) -> None:
    """Suspend one of the student's cards."""
    with app.app_context():
        card = db.session.scalars(sa.select(Card).where(Card.user_id == user_id).limit(1)).one()
        card.suspended = True
        db.session.commit()


@pytest.fixture
def student(app: Flask, user_factory, auth: AuthActions) -> User:
    """A student studying one set of QUESTIONS flashcards, with room for them all today."""
    load_set(app, big_set("big", QUESTIONS))
    user = user_factory("sam")
    with app.app_context():
        db.session.get(User, user.id).new_per_day = 1000
        db.session.commit()
    study(app, user.id, "big")
    with time_machine.travel(T0, tick=False):
        auth.login("sam")
    return user


def test_shown_count_is_exact_up_to_the_cap() -> None:
    cap = queue.COUNT_CAP
    assert [queue.shown_count(n) for n in (0, 1, cap - 1, cap)] == ["0", "1", "99", "100"]
    assert queue.shown_count(cap + 1) == "100+"


def test_due_count_shows_the_cap_past_it_and_is_exact_at_it(
    app: Flask, client: FlaskClient, student: User
) -> None:
    give_due_cards(app, student.id, queue.COUNT_CAP + 1)
    with time_machine.travel(T0, tick=False):
        home = text_of(client.get("/study/").get_data(as_text=True))
        front = text_of(client.get("/study/next").get_data(as_text=True))
        with app.app_context():
            upcoming = queue.next_item(db.session, db.session.get(User, student.id), T0)
    assert "100+ due now" in home
    assert "100+ due ·" in front
    assert upcoming.due_count == queue.COUNT_CAP + 1
    suspend_one(app, student.id)  # now exactly COUNT_CAP due
    with time_machine.travel(T0, tick=False):
        home = text_of(client.get("/study/").get_data(as_text=True))
        front = text_of(client.get("/study/next").get_data(as_text=True))
    assert "100 due now" in home and "100+" not in home
    assert "100 due ·" in front


def test_due_count_below_the_cap_is_exact(app: Flask, client: FlaskClient, student: User) -> None:
    give_due_cards(app, student.id, 7)
    suspend_one(app, student.id)
    with time_machine.travel(T0, tick=False):
        home = text_of(client.get("/study/").get_data(as_text=True))
        with app.app_context():
            upcoming = queue.next_item(db.session, db.session.get(User, student.id), T0)
    assert upcoming.due_count == 6
    assert "6 due now" in home


def test_new_count_on_home_caps_and_progress_stays_exact(
    app: Flask, client: FlaskClient, student: User
) -> None:
    with app.app_context():
        assert queue.count_new_available(db.session, student.id, T0) == queue.COUNT_CAP + 1
        assert queue.count_new_available(db.session, student.id, T0, capped=False) == QUESTIONS
    with time_machine.travel(T0, tick=False):
        home = text_of(client.get("/study/").get_data(as_text=True))
    assert "100+ new left today" in home
    give_due_cards(app, student.id, QUESTIONS - queue.COUNT_CAP)  # COUNT_CAP new ones left
    with app.app_context():
        assert queue.count_new_available(db.session, student.id, T0) == queue.COUNT_CAP
    with time_machine.travel(T0, tick=False):
        home = text_of(client.get("/study/").get_data(as_text=True))
    assert "100 new left today" in home


def test_new_questions_come_in_set_order_when_sets_were_added_together(
    app: Flask, user_factory
) -> None:
    """Sets added at the same moment: the lower set id first, each in its own order."""
    load_set(app, big_set("zeta", 3))
    load_set(app, big_set("alpha", 3))
    user = user_factory("kim")
    with app.app_context():
        for slug in ("alpha", "zeta"):  # alpha's set id is the higher one
            db.session.add(StudiedSet(user_id=user.id, set_id=set_id(app, slug), added_at=T0))
        db.session.commit()
        found = db.session.execute(
            queue.new_questions(user.id, T0).with_only_columns(Question.key)
        ).scalars()
        assert list(found) == ["zeta0", "zeta1", "zeta2", "alpha0", "alpha1", "alpha2"]


@pytest.mark.parametrize("due", [0, 6, queue.COUNT_CAP, queue.COUNT_CAP + 1, QUESTIONS])
def test_due_count_agrees_with_the_queue(app: Flask, student: User, due: int) -> None:
    """The rating page's count (due_count) is the queue's (next_item), capped alike."""
    give_due_cards(app, student.id, due)
    if due:
        suspend_one(app, student.id)  # suspended cards are not due on either
    with app.app_context():
        user = db.session.get(User, student.id)
        expected = queue.next_item(db.session, user, T0).due_count
        assert queue.due_count(db.session, user, T0) == expected
    assert expected == min(max(due - 1, 0), queue.COUNT_CAP + 1)
