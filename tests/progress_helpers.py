"""Shared helpers for the progress tests: students, true/false sets, answers and attempts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from quiz.extensions import db
from quiz.models import Attempt, Question, QuestionSet, StudiedSet, User
from quiz.questions import Grade
from quiz.study.answers import Answer, record_answer

MINUTE = timedelta(minutes=1)


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
