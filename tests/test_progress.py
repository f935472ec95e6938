"""The student's progress: the numbers in quiz.progress.data (activity, cards, recall, quizzes)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from quiz.extensions import db
from quiz.models import QuestionSet, User
from quiz.progress import data as progress
from quiz.questions import Grade
from quiz.study.answers import Answer, record_answer
from tests.progress_helpers import (
    add_attempt,
    answer,
    at,
    call,
    make_set,
    make_student,
    retire,
    study_set,
)

# The retrievability fsrs 6 gives a card three whole days after a Good, Good first review
# (stability 2.3065): the forgetting curve at 3 days.
RECALL_AFTER_3_DAYS = 0.8809479557659419

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

    assert call(app, alice, progress.cards_by_state, at("2026-03-04 12:00")) == {
        "new": 2,
        "learning": 2,
        "review": 1,
        "relearning": 1,
    }


def test_cards_by_state_of_a_new_student(app: Flask, user_factory: Any) -> None:
    alice = make_student(user_factory, app, "alice")
    set_id, _questions = make_set(app, 3)
    assert call(app, alice, progress.cards_by_state, at("2026-03-04 12:00")) == {
        "new": 0,
        "learning": 0,
        "review": 0,
        "relearning": 0,
    }
    study_set(app, alice, set_id)
    assert call(app, alice, progress.cards_by_state, at("2026-03-04 12:00"))["new"] == 3


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
