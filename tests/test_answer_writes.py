"""How a study answer is written: Core statements that leave the session as the rows are,
and on SQLite a write lock taken only for the write, with "busy" (503) when it cannot be had.

record_answer writes the card and the review as Core statements and add_once inserts a held
or practice answer the same way (quiz.study.answers, quiz.database): these tests check that
what they return, and what the session already held, match the rows stored.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.database import add_once, begin_write
from quiz.extensions import db
from quiz.models import Card, PendingAnswer, Question, Review, User
from quiz.questions import Grade
from quiz.study import queue
from quiz.study.answers import Answer, record_answer
from tests.conftest import AuthActions
from tests.study_helpers import T0, form_ids, load_set, reviews, study

RIGHT = Grade(correct=True, score=1.0, feedback="", answer="")
WRONG = Grade(correct=False, score=0.0, feedback="", answer="")


@pytest.fixture
def sam(app: Flask, user_factory) -> int:
    """A student studying the small set; their id."""
    user = user_factory("sam")
    load_set(app)
    study(app, user.id)
    return user.id


def stored(model: type, row_id: int) -> sa.Row:
    """A row as the database has it, read past the session."""
    table = model.__table__
    return db.session.connection().execute(sa.select(table).where(table.c.id == row_id)).one()


def answer(user: User, answer: Answer, sid: str, at: datetime, **options: Any) -> Review:
    """Record one answer without fuzzing (inside an app context); the review returned."""
    review, _new = record_answer(
        db.session, user, answer, submission_id=sid * 32, now=at, fuzzing=False, **options
    )
    return review


def test_a_first_answer_stores_the_card_and_returns_the_review(app: Flask, sam: int) -> None:
    """A new question: the card is created and reviewed, the review returned is the row."""
    question_id = load_set(app)["capital"]
    with app.app_context():
        user = db.session.get(User, sam)
        review = answer(user, Answer(question_id, "Agadez", WRONG, None, 4000), "a", T0)
        row = stored(Review, review.id)
        assert (row.card_id, row.rating, row.response, row.duration_ms) == (
            review.card_id,
            1,
            "Agadez",
            4000,
        )
        assert (row.reviewed_at, row.due_after) == (T0, review.due_after)
        card = stored(Card, review.card_id)
        # Created at version 1, reviewed once: version 2, as the unit of work made it.
        assert (card.reps, card.lapses, card.version, card.last_review) == (1, 1, 2, T0)
        assert card.due == review.due_after > T0
        assert card.created_at is not None and card.suspended is False


def test_the_card_the_session_holds_follows_the_row(app: Flask, sam: int) -> None:
    """A card loaded before the answer shows the stored values after it, without a reload."""
    question_id = load_set(app)["capital"]
    with app.app_context():
        user = db.session.get(User, sam)
        first = answer(user, Answer(question_id, "Niamey", RIGHT), "b", T0)
        card = db.session.get(Card, first.card_id)
        assert card is not None and card.reps == 1
        later = T0 + timedelta(days=3)
        second = answer(
            user, Answer(question_id, "Niamey", RIGHT), "c", later, expected_version=card.version
        )
        row = stored(Card, card.id)
        held = {name: getattr(card, name) for name in ("reps", "version", "due", "last_review")}
        assert held == {name: getattr(row, name) for name in held}
        assert (row.reps, row.version) == (2, 3)
        assert second.due_after == row.due


def test_add_once_fills_the_row_in_and_keeps_the_first(app: Flask, sam: int) -> None:
    """add_once returns the row with its id; the same submission again returns that one."""
    question_id = load_set(app)["capital"]
    with app.app_context():

        def held(response: str) -> PendingAnswer:
            return PendingAnswer(
                user_id=sam,
                question_id=question_id,
                submission_id="d" * 32,
                response=response,
                correct=True,
                score=1.0,
                answered_at=T0,
            )

        def find() -> PendingAnswer | None:
            return db.session.scalar(
                sa.select(PendingAnswer).where(PendingAnswer.submission_id == "d" * 32)
            )

        first = add_once(db.session, held("Niamey"), find)
        assert first.id is not None
        assert stored(PendingAnswer, first.id).response == "Niamey"
        again = add_once(db.session, held("niamey"), find)
        assert (again.id, again.response) == (first.id, "Niamey")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingAnswer)) == 1


def test_when_the_next_card_comes_back_is_read_only_with_nothing_to_study(
    app: Flask, sam: int
) -> None:
    """The queue gives the next due time when nothing is left now, and none for a new card."""
    ids = load_set(app)
    with app.app_context():
        user = db.session.get(User, sam)
        upcoming = queue.next_item(db.session, user, T0)
        assert upcoming.question is not None and upcoming.card_version is None
        assert upcoming.next_due is None  # a new question: nothing to come back for
        times = []
        for number, question_id in enumerate(ids.values()):
            review = answer(user, Answer(question_id, "x", RIGHT, "good"), str(number), T0)
            times.append(review.due_after)
        done = queue.next_item(db.session, user, T0 + timedelta(seconds=1))
        assert done.question is None
        assert done.next_due == min(times)


@pytest.mark.config(SQLITE_BUSY_TIMEOUT_MS=200)
def test_an_answer_while_another_writer_holds_sqlite_is_a_503_then_goes_through(
    app: Flask, client: FlaskClient, backend: str, sam: int, auth: AuthActions
) -> None:
    """The answer reads without the write lock and takes it for the write: when another
    writer keeps it past the busy timeout, the student gets "busy, try again" (503, not a
    500) with nothing stored, and the same answer goes through once the lock is free."""
    if backend != "sqlite":
        pytest.skip("SQLite's write lock")
    with time_machine.travel(T0, tick=False):
        auth.login("sam")
        ids = form_ids(client.get("/study/next").get_data(as_text=True))
        writer = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        try:
            writer.execute("BEGIN IMMEDIATE")
            busy = client.post("/study/answer", data={**ids, "answer": "Agadez"})
            assert busy.status_code == 503
            assert busy.headers["Retry-After"] == "2"
        finally:
            writer.rollback()
            writer.close()
        assert reviews(app) == []
        again = client.post("/study/answer", data={**ids, "answer": "Agadez"})
        assert again.status_code == 302
        assert [r.response for r in reviews(app)] == ["Agadez"]


@pytest.mark.config(SQLITE_BUSY_TIMEOUT_MS=200)
def test_any_post_while_another_writer_holds_sqlite_is_a_503(
    app: Flask, client: FlaskClient, backend: str, sam: int, auth: AuthActions
) -> None:
    """A POST that begins with the write lock (the settings) gets a 503 too, not a 500."""
    if backend != "sqlite":
        pytest.skip("SQLite's write lock")
    auth.login("sam")
    form = {"desired_retention": "0.85", "new_per_day": "20", "timezone": "UTC"}
    writer = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    try:
        writer.execute("BEGIN IMMEDIATE")
        assert client.post("/study/settings", data=form).status_code == 503
    finally:
        writer.rollback()
        writer.close()
    assert client.post("/study/settings", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(User, sam).desired_retention == pytest.approx(0.85)


@pytest.mark.parametrize("flushed", [False, True])
def test_begin_write_first_commits_what_the_session_wrote_or_holds(
    app: Flask, backend: str, sam: int, flushed: bool
) -> None:
    """On SQLite, a transaction that only read gives way to the write lock on the same
    connection; one that wrote (or has changes waiting) is committed first, so its changes
    stay. (PostgreSQL locks rows as it reads them: begin_write ends nothing there.)"""
    if backend != "sqlite":
        pytest.skip("SQLite's write lock")
    question_id = load_set(app)["capital"]
    with app.app_context():
        db.session.get(User, sam)  # the read transaction begins
        held = PendingAnswer(
            user_id=sam,
            question_id=question_id,
            submission_id="e" * 32,
            response="Niamey",
            correct=True,
            score=1.0,
            answered_at=T0,
        )
        db.session.add(held)
        if flushed:
            db.session.flush()
        begin_write(db.session)
        db.session.rollback()  # the write that followed failed
        assert sa.inspect(held).persistent
        assert stored(PendingAnswer, held.id).submission_id == "e" * 32


def test_the_queue_reads_its_question_as_plain_columns_after_what_the_session_holds(
    app: Flask, sam: int
) -> None:
    """next_item's question is the stored one (as a ShownQuestion, not loaded as a Question);
    its Core read still sees what the session holds unflushed, as autoflush would send it."""
    load_set(app)
    with app.app_context():
        user = db.session.get(User, sam)
        first = queue.next_item(db.session, user, T0).question
        assert first is not None
        question = db.session.get(Question, first.id)
        assert (first.version, first.retired, first.question_set.title) == (
            question.version,
            False,
            question.question_set.title,
        )
        assert first.as_dict() == question.as_dict()
        question.retired = True  # not flushed
        # No open quiz to look for (as when the login's hints said so): no ORM read before.
        after = queue.next_item(db.session, user, T0, locked={}).question
        assert after is not None and after.id != first.id
        db.session.rollback()


def test_a_wrong_answer_keeps_the_version_it_was_graded_on_without_reading_it_again(
    app: Flask, client: FlaskClient, sam: int, auth: AuthActions
) -> None:
    """The answer page's lookup reads the question's version with the question, and the
    review takes it from there: no second read of the version."""
    question_id = load_set(app)["capital"]
    with app.app_context():  # as if edited six times since (the version only moves on)
        db.session.execute(sa.update(Question).values(version=7))
        db.session.commit()
    auth.login("sam")
    ids = form_ids(client.get("/study/next").get_data(as_text=True))
    assert ids["question_id"] == str(question_id)
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.post("/study/answer", data={**ids, "answer": "Paris"})
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 302 and "/study/reviews/" in response.headers["Location"]
    assert not [s for s in seen if s.lstrip().startswith("SELECT question.version")]
    assert [(r.question_id, r.correct, r.question_version) for r in reviews(app)] == [
        (question_id, False, 7)
    ]
