"""The student's progress in one set: quiz.progress.data.set_mastery and most_missed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Card, Question, QuestionSet, User
from quiz.progress import data as progress
from quiz.progress.data import QuestionMastery
from tests.progress_helpers import answer, at, make_set, make_student, retire


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
