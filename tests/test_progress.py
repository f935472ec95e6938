"""The student's progress: the numbers in quiz.study.progress and the pages that show them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

import quiz.study.progress_routes  # noqa: F401 - registers the pages until quiz.study imports it
from quiz.extensions import db
from quiz.models import Attempt, Card, Question, QuestionSet, StudiedSet, User
from quiz.questions import Grade
from quiz.study import progress
from quiz.study.answers import Answer, record_answer
from quiz.study.progress import QuestionMastery
from tests.conftest import AuthActions, statements_for

MINUTE = timedelta(minutes=1)
# The retrievability fsrs 6 gives a card three whole days after a Good, Good first review
# (stability 2.3065): the forgetting curve at 3 days.
RECALL_AFTER_3_DAYS = 0.8809479557659419


def at(text: str) -> datetime:
    """A UTC time from '2026-03-04 10:00'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_student(user_factory: Any, app: Flask, name: str, zone: str = "UTC") -> int:
    """A student in a time zone; returns the id."""
    user = user_factory(name)
    with app.app_context():
        db.session.get(User, user.id).timezone = zone
        db.session.commit()
    return user.id


def make_set(
    app: Flask,
    count: int,
    *,
    title: str = "Sahel basics",
    visibility: str = "public",
    owner_id: int | None = None,
) -> tuple[int, list[int]]:
    """A set of true/false questions; returns the set id and the question ids in order."""
    with app.app_context():
        qset = QuestionSet(title=title, visibility=visibility, owner_id=owner_id)
        db.session.add(qset)
        db.session.flush()
        questions = [
            Question(
                set_id=qset.id,
                key=f"q{index}",
                kind="true_false",
                prompt=f"Statement number {index} is true?",
                spec={"answer": True},
                explanation="Because.",
                position=index,
            )
            for index in range(count)
        ]
        db.session.add_all(questions)
        db.session.commit()
        return qset.id, [question.id for question in questions]


def study_set(app: Flask, user_id: int, set_id: int) -> None:
    """The student chooses to study the set."""
    with app.app_context():
        db.session.add(StudiedSet(user_id=user_id, set_id=set_id, added_at=at("2026-01-01 00:00")))
        db.session.commit()


def answer(app: Flask, user_id: int, question_id: int, when: str, correct: bool = True) -> None:
    """Record one answer exactly as the study page does."""
    grade = Grade(correct=correct, score=1.0 if correct else 0.0, feedback="", answer="")
    with app.app_context():
        user = db.session.get(User, user_id)
        record_answer(
            db.session,
            user,
            Answer(question_id, correct, grade),
            submission_id=uuid.uuid4().hex,
            now=at(when),
            fuzzing=False,
        )


def retire(app: Flask, question_id: int) -> None:
    """Take a question out of its set (it is kept for its reviews)."""
    with app.app_context():
        db.session.get(Question, question_id).retired = True
        db.session.commit()


def add_attempt(
    app: Flask, user_id: int, set_id: int, started: str, score: float | None, finished: bool = True
) -> int:
    """A quiz attempt row; unfinished ones have no finish time and no score."""
    with app.app_context():
        attempt = Attempt(
            user_id=user_id,
            set_id=set_id,
            question_order=[],
            seed=1,
            started_at=at(started),
            finished_at=at(started) + 5 * MINUTE if finished else None,
            score=score,
        )
        db.session.add(attempt)
        db.session.commit()
        return attempt.id


def call(app: Flask, user_id: int, function: Callable[..., Any], *args: Any) -> Any:
    """Call a progress function for a student inside an app context."""
    with app.app_context():
        return function(db.session, db.session.get(User, user_id), *args)


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed, as a reader would get it."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@contextmanager
def frozen(when: str) -> Iterator[None]:
    """Freeze the clock the views read."""
    with time_machine.travel(at(when), tick=False):
        yield


# The functions.


NEAR_MIDNIGHT = ["2026-03-03 22:30", "2026-03-03 23:30", "2026-03-04 10:00", "2026-03-05 23:15"]


def test_reviews_per_day_counts_local_days(app: Flask, user_factory: Any) -> None:
    utc = make_student(user_factory, app, "alice")
    niamey = make_student(user_factory, app, "bob", "Africa/Niamey")  # UTC+1 all year
    _set_id, questions = make_set(app, 4)
    for user_id in (utc, niamey):
        for question_id, when in zip(questions, NEAR_MIDNIGHT, strict=True):
            answer(app, user_id, question_id, when)
    now = at("2026-03-06 12:00")

    assert call(app, utc, progress.reviews_per_day, now) == {
        date(2026, 3, 3): 2,
        date(2026, 3, 4): 1,
        date(2026, 3, 5): 1,
    }
    assert call(app, niamey, progress.reviews_per_day, now) == {
        date(2026, 3, 3): 1,
        date(2026, 3, 4): 2,
        date(2026, 3, 6): 1,
    }
    # The window is whole local days: Niamey's last two are 5 and 6 March.
    assert call(app, niamey, progress.reviews_per_day, now, 2) == {date(2026, 3, 6): 1}


def test_reviews_per_day_keeps_to_the_last_year(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    _set_id, questions = make_set(app, 2)
    answer(app, alice, questions[0], "2025-01-10 12:00")
    answer(app, alice, questions[1], "2026-03-01 12:00")
    assert call(app, alice, progress.reviews_per_day, at("2026-03-04 12:00")) == {
        date(2026, 3, 1): 1
    }


def test_streak_counts_local_days_and_breaks(app: Flask, user_factory: Any) -> None:
    niamey = make_student(user_factory, app, "bob", "Africa/Niamey")
    utc = make_student(user_factory, app, "alice")
    _set_id, questions = make_set(app, 4)
    # 23:30 UTC is 00:30 the next day in Niamey: local days 2, 3 and 4 March.
    times = ["2026-03-01 23:30", "2026-03-02 23:30", "2026-03-03 23:30"]
    for user_id in (niamey, utc):
        for question_id, when in zip(questions, times, strict=False):
            answer(app, user_id, question_id, when)

    assert call(app, niamey, progress.streak, at("2026-03-04 20:00")) == 3
    # Nothing yet today: the streak still stands, ending yesterday.
    assert call(app, niamey, progress.streak, at("2026-03-05 12:00")) == 3
    # A whole local day without a review breaks it.
    assert call(app, niamey, progress.streak, at("2026-03-06 12:00")) == 0
    # In UTC the same reviews fall on 1, 2 and 3 March: broken by 5 March.
    assert call(app, utc, progress.streak, at("2026-03-04 12:00")) == 3
    assert call(app, utc, progress.streak, at("2026-03-05 12:00")) == 0

    answer(app, niamey, questions[3], "2026-03-06 09:00")
    assert call(app, niamey, progress.streak, at("2026-03-06 12:00")) == 1


def test_streak_longer_than_the_heatmap_window(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    _set_id, (question,) = make_set(app, 1)
    first = at("2025-01-01 12:00")
    grade = Grade(correct=True, score=1.0, feedback="", answer="")
    with app.app_context():
        user = db.session.get(User, alice)
        for day in range(400):  # every day from 1 January 2025 to 4 February 2026
            record_answer(
                db.session,
                user,
                Answer(question, True, grade),
                submission_id=f"day-{day}",
                now=first + timedelta(days=day),
                fuzzing=False,
            )
    assert call(app, alice, progress.streak, at("2026-02-04 20:00")) == 400
    assert call(app, alice, progress.streak, at("2026-02-05 20:00")) == 400
    assert len(call(app, alice, progress.reviews_per_day, at("2026-02-04 20:00"))) == 371


def test_streak_is_zero_without_reviews(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    assert call(app, alice, progress.streak, at("2026-03-04 12:00")) == 0


def test_cards_by_state(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    set_id, questions = make_set(app, 6)
    _other_set, other_questions = make_set(app, 3, title="Not studied")
    study_set(app, alice, set_id)
    q0, q1, q2, _q3, _q4, q5 = questions
    answer(app, alice, q0, "2026-03-04 10:00")  # learning: first step done
    answer(app, alice, q1, "2026-03-04 10:00")
    answer(app, alice, q1, "2026-03-04 10:10")  # review: graduated
    answer(app, alice, q2, "2026-03-04 10:00")
    answer(app, alice, q2, "2026-03-04 10:10")
    answer(app, alice, q2, "2026-03-04 11:00", correct=False)  # relearning: a lapse
    answer(app, alice, q5, "2026-03-04 10:00")
    retire(app, q5)  # retired: neither counted as learning nor as new
    answer(app, alice, other_questions[0], "2026-03-04 10:00")  # a card outside studied sets

    assert call(app, alice, progress.cards_by_state) == {
        "new": 2,
        "learning": 2,
        "review": 1,
        "relearning": 1,
    }


def test_cards_by_state_of_a_new_student(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    set_id, _questions = make_set(app, 3)
    assert call(app, alice, progress.cards_by_state) == {
        "new": 0,
        "learning": 0,
        "review": 0,
        "relearning": 0,
    }
    study_set(app, alice, set_id)
    assert call(app, alice, progress.cards_by_state)["new"] == 3


def test_average_retrievability(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    _set_id, (qa, qb, qc) = make_set(app, 3)
    assert call(app, alice, progress.average_retrievability, at("2026-03-04 12:00")) is None
    answer(app, alice, qa, "2026-03-01 10:00")
    answer(app, alice, qa, "2026-03-01 10:10")  # stability 2.3065, three days old by 4 March
    answer(app, alice, qb, "2026-03-04 10:00")  # reviewed today: recall 1
    answer(app, alice, qc, "2026-03-01 10:00", correct=False)  # would pull the mean down...
    retire(app, qc)  # ...but retired questions are left out

    average = call(app, alice, progress.average_retrievability, at("2026-03-04 12:00"))
    assert average == pytest.approx((RECALL_AFTER_3_DAYS + 1.0) / 2)


def test_due_per_day_in_the_students_zone(app: Flask, user_factory: Any) -> None:
    utc = make_student(user_factory, app, "alice")
    niamey = make_student(user_factory, app, "bob", "Africa/Niamey")
    _set_id, (q0, q1, q2, q3, _q4) = make_set(app, 5)
    for user_id in (utc, niamey):
        answer(app, user_id, q0, "2026-03-04 09:00", correct=False)  # due 09:01: overdue, today
        answer(app, user_id, q1, "2026-03-03 10:00")
        answer(app, user_id, q1, "2026-03-03 10:10")  # due 5 March 10:10
        answer(app, user_id, q2, "2026-03-03 23:20")
        answer(app, user_id, q2, "2026-03-03 23:30")  # due 5 March 23:30 UTC, 6 March in Niamey
        answer(app, user_id, q3, "2026-03-04 09:00")
        retire(app, q3)  # due today, but retired
    now = at("2026-03-04 10:00")

    assert call(app, utc, progress.due_per_day, now, 4) == [
        (date(2026, 3, 4), 1),
        (date(2026, 3, 5), 2),
        (date(2026, 3, 6), 0),
        (date(2026, 3, 7), 0),
    ]
    assert call(app, niamey, progress.due_per_day, now, 4) == [
        (date(2026, 3, 4), 1),
        (date(2026, 3, 5), 1),
        (date(2026, 3, 6), 1),
        (date(2026, 3, 7), 0),
    ]
    assert len(call(app, utc, progress.due_per_day, now)) == 14


def test_attempt_scores(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    bob = make_student(user_factory, app, "bob")
    first, _ = make_set(app, 1, title="Sahel basics")
    second, _ = make_set(app, 1, title="Niger today")
    add_attempt(app, alice, second, "2026-03-03 09:00", 0.8)
    add_attempt(app, alice, first, "2026-03-01 09:00", 0.5)
    add_attempt(app, alice, first, "2026-03-04 09:00", None, finished=False)
    add_attempt(app, bob, first, "2026-03-02 09:00", 1.0)

    assert call(app, alice, progress.attempt_scores) == [
        (at("2026-03-01 09:05"), 50.0, "Sahel basics"),
        (at("2026-03-03 09:05"), 80.0, "Niger today"),
    ]
    with app.app_context():
        qset = db.session.get(QuestionSet, first)
        attempts = progress.set_attempts(db.session, db.session.get(User, alice), qset)
    assert [(a.finished_at, a.percent) for a in attempts] == [(at("2026-03-01 09:05"), 50.0)]


def mastery_at(app: Flask, user_id: int, set_id: int, when: str) -> list[tuple[Any, ...]]:
    """set_mastery as plain tuples (question id, state, recall, reviews, wrong, last, due)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        rows = progress.set_mastery(db.session, user, db.session.get(QuestionSet, set_id), at(when))
        return [
            (
                row.question.id,
                row.state,
                row.retrievability,
                row.reviews,
                row.wrong,
                row.last_reviewed,
                row.next_due,
            )
            for row in rows
        ]


def test_set_mastery(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    bob = make_student(user_factory, app, "bob")
    set_id, (q0, q1, q2, q3) = make_set(app, 4)
    with app.app_context():  # positions decide the order, not ids
        db.session.get(Question, q0).position = 9
        db.session.commit()
    retire(app, q3)
    answer(app, alice, q1, "2026-03-01 10:00", correct=False)
    answer(app, alice, q1, "2026-03-01 10:05")
    answer(app, alice, q1, "2026-03-01 10:15")
    answer(app, alice, q2, "2026-03-01 10:00")
    answer(app, bob, q2, "2026-03-01 10:00", correct=False)  # someone else's answers

    rows = mastery_at(app, alice, set_id, "2026-03-01 12:00")
    assert [row[0] for row in rows] == [q1, q2, q0]
    with app.app_context():
        card = db.session.scalar(
            sa.select(Card).where(Card.user_id == alice, Card.question_id == q1)
        )
        due_q1 = card.due
    assert rows[0] == (q1, "review", 1.0, 3, 1, at("2026-03-01 10:15"), due_q1)
    assert rows[1][1:] == ("learning", 1.0, 1, 0, at("2026-03-01 10:00"), at("2026-03-01 10:10"))
    assert rows[2][1:] == ("new", None, 0, 0, None, None)

    recalls = [
        mastery_at(app, alice, set_id, when)[0][2]
        for when in ("2026-03-01 12:00", "2026-03-03 12:00", "2026-03-10 12:00", "2026-06-01 12:00")
    ]
    assert all(0 < value <= 1 for value in recalls)
    assert recalls == sorted(recalls, reverse=True)
    assert len(set(recalls)) == 4  # strictly decreasing


def mastery_row(question_id: int, wrong: int) -> QuestionMastery:
    """A mastery row with only what most_missed looks at."""
    question = Question(id=question_id, prompt=f"Q{question_id}")
    return QuestionMastery(question, "review", 0.9, wrong + 1, wrong, None, None)


def test_most_missed_order_and_limit() -> None:
    rows = [mastery_row(i, wrong) for i, wrong in enumerate([1, 3, 0, 3, 2, 1, 1, 4])]
    missed = progress.most_missed(rows)
    # Most wrong first; ties keep the set order; never a question with no wrong answer.
    assert [row.question.id for row in missed] == [7, 1, 3, 4, 0]
    assert [row.question.id for row in progress.most_missed(rows, limit=10)] == [
        7,
        1,
        3,
        4,
        0,
        5,
        6,
    ]
    assert progress.most_missed([mastery_row(0, 0)]) == []


def test_most_missed_from_real_answers(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    set_id, (q0, q1, q2) = make_set(app, 3)
    answer(app, alice, q0, "2026-03-01 10:00", correct=False)
    for minute in range(3):
        answer(app, alice, q2, f"2026-03-01 10:0{minute}", correct=False)
    answer(app, alice, q1, "2026-03-01 10:00")
    with app.app_context():
        user, qset = db.session.get(User, alice), db.session.get(QuestionSet, set_id)
        missed = progress.most_missed(
            progress.set_mastery(db.session, user, qset, at("2026-03-02"))
        )
        assert [(row.question.id, row.wrong) for row in missed] == [(q2, 3), (q0, 1)]


# The pages.


@pytest.fixture
def history(app: Flask, user_factory: Any) -> dict[str, Any]:
    """A Niamey student with four reviews on three local days and two finished quizzes."""
    alice = make_student(user_factory, app, "alice", "Africa/Niamey")
    set_id, (q0, q1, q2, _q3) = make_set(app, 4)
    study_set(app, alice, set_id)
    answer(app, alice, q2, "2026-03-02 12:00", correct=False)  # 2 March local
    answer(app, alice, q2, "2026-03-03 12:00")  # 3 March
    answer(app, alice, q0, "2026-03-03 23:30")  # 00:30 on 4 March in Niamey
    answer(app, alice, q1, "2026-03-04 10:00")  # 4 March
    attempts = [
        add_attempt(app, alice, set_id, "2026-03-02 13:00", 0.5),
        add_attempt(app, alice, set_id, "2026-03-03 13:00", 0.75),
    ]
    add_attempt(app, alice, set_id, "2026-03-04 08:00", None, finished=False)
    return {"user": alice, "set": set_id, "attempts": attempts, "wrong": q2}


NOW = "2026-03-04 12:00"


def test_progress_page_shows_the_numbers(
    app: Flask, client: FlaskClient, auth: AuthActions, history: dict[str, Any]
) -> None:
    with frozen(NOW):
        auth.login()
        response = client.get("/study/progress")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    recall = call(app, history["user"], progress.average_retrievability, at(NOW))
    assert 0 < recall < 1
    assert f"Average recall now: {round(recall * 100)}%" in text
    assert "Streak: 3 days" in text
    assert "Reviews today: 2" in text
    assert "Due today: 3" in text
    assert "4 reviews on 3 days" in text
    assert "2 quizzes finished; latest 75%, best 75%" in text
    for state, count in (("New", 1), ("Learning", 3), ("Review", 0), ("Relearning", 0)):
        assert f"{state} {count}" in text

    # One dot per finished attempt; the heatmap counts in local days.
    assert html.count("<circle") == 2
    assert "<title>2026-03-04: 2 reviews</title>" in html
    assert "<title>2026-03-03: 1 review</title>" in html
    assert "<title>2026-03-02: 1 review</title>" in html
    assert "<title>2026-03-05: 0 reviews</title>" not in html  # the calendar ends today
    # The forecast's 14 bars start today, labelled by weekday and day.
    assert html.count('<rect class="bar"') == 14 + 4  # and four states
    assert "<title>Wed 4: 3</title>" in html and "<title>Tue 17: 0</title>" in html
    assert "style=" not in html


def test_progress_page_of_a_new_student(
    client: FlaskClient, auth: AuthActions, app: Flask, user_factory: Any
) -> None:
    make_student(user_factory, app, "alice")
    with frozen(NOW):
        auth.login()
        response = client.get("/study/progress")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "Average recall now: no reviews yet" in text
    assert "Streak: 0 days" in text
    assert "No quizzes finished yet" in text


def test_set_progress_page(
    app: Flask, client: FlaskClient, auth: AuthActions, history: dict[str, Any]
) -> None:
    with frozen(NOW):
        auth.login()
        response = client.get(f"/study/sets/{history['set']}/progress")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Mastery: Sahel basics" in text
    assert "Questions answered: 3 of 4" in text
    assert "Quizzes finished: 2" in text
    assert "Statement number 2 is true? — wrong 1 of 2 times" in text
    for attempt_id in history["attempts"]:
        assert f'href="/study/attempts/{attempt_id}/result"' in html
    assert "50%" in text and "75%" in text
    assert html.count("<circle") == 2
    assert html.count("<tr>") == 1 + 4 + 1 + 2  # mastery head + rows, attempts head + rows
    assert "style=" not in html


def test_another_students_set_is_404(
    app: Flask, client: FlaskClient, auth: AuthActions, user_factory: Any
) -> None:
    make_student(user_factory, app, "alice")
    bob = make_student(user_factory, app, "bob")
    private, _ = make_set(app, 2, title="Bob's notes", visibility="private", owner_id=bob)
    with frozen(NOW):
        auth.login()
        assert client.get(f"/study/sets/{private}/progress").status_code == 404
        assert client.get("/study/sets/9999/progress").status_code == 404
        auth.logout()
        auth.login("bob")
        assert client.get(f"/study/sets/{private}/progress").status_code == 200


@pytest.mark.parametrize("path", ["/study/progress", "/study/sets/1/progress"])
def test_anonymous_is_sent_to_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_progress_page_query_count_does_not_grow(app: Flask, user_factory: Any) -> None:
    few = make_student(user_factory, app, "alice")
    many = make_student(user_factory, app, "bob")
    set_id, questions = make_set(app, 30)
    for user_id, count in ((few, 3), (many, 30)):
        study_set(app, user_id, set_id)
        for index, question_id in enumerate(questions[:count]):
            answer(app, user_id, question_id, f"2026-02-{1 + index % 28:02d} 10:00")
        add_attempt(app, user_id, set_id, "2026-03-01 10:00", 0.5)
        add_attempt(app, user_id, set_id, "2026-03-02 10:00", 0.9)

    counts = {}
    for name in ("alice", "bob"):
        client = app.test_client()
        with frozen(NOW):
            AuthActions(client).login(name)
            counts[name] = (
                statements_for(app, client, "/study/progress"),
                statements_for(app, client, f"/study/sets/{set_id}/progress"),
            )
    assert counts["alice"] == counts["bob"]
    progress_count, set_count = counts["alice"]
    # Measured: user, cards, review times, attempts, new questions (+ BEGIN on SQLite).
    assert progress_count <= 6
    # User, set, mastery (questions, cards and review counts in one), attempts (+ BEGIN).
    assert set_count <= 5
