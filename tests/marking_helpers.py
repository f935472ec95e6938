"""Shared setup for the marking tests: a class quiz with an essay, and students who take it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Assignment, Enrollment, Question, QuestionSet, User
from quiz.quizzes import attempts
from quiz.study.answers import load_question
from tests.classes_helpers import World, make_world
from tests.conftest import make_user

ESSAY_SPEC: dict[str, Any] = {
    "word_limit": 100,
    "model_answer": "France withdrew after the 2023 coup.",
    "rubric": [
        {"criterion": "Names the coup", "points": 2},
        {"criterion": "Dates it", "points": 1},
    ],
}


def essay_quiz(app: Flask, world: World, students: int = 2) -> dict[str, Any]:
    """The teacher's set (a true/false and an essay) assigned as a quiz; extra students."""
    with app.app_context():
        qset = QuestionSet(title="Sahel essays", visibility="private", owner_id=world.teacher)
        db.session.add(qset)
        db.session.flush()
        truth = Question(
            set_id=qset.id, key="tf", kind="true_false", prompt="Niamey is Niger's capital.",
            spec={"answer": True}, explanation="It is.", position=0,
        )  # fmt: skip
        essay = Question(
            set_id=qset.id, key="essay", kind="essay", prompt="Why did France leave the base?",
            spec=ESSAY_SPEC, explanation="See the article.", position=1,
        )  # fmt: skip
        db.session.add_all([truth, essay])
        db.session.flush()
        assignment = Assignment(
            classroom_id=world.classroom,
            set_id=qset.id,
            mode="quiz",
            due_at=datetime.now(UTC) + timedelta(days=3),
            shuffle=False,
        )
        db.session.add(assignment)
        db.session.commit()
        ids = {"set": qset.id, "tf": truth.id, "essay": essay.id, "assignment": assignment.id}
    names = ["member"] + [f"pupil{n}" for n in range(1, students)]
    for name in names[1:]:
        uid = make_user(app, name).id
        with app.app_context():
            db.session.add(Enrollment(classroom_id=world.classroom, user_id=uid))
            db.session.commit()
    ids["students"] = names
    return ids


def answer_quiz(app: Flask, name: str, assignment_id: int, truth: bool, essay: str) -> int:
    """One student's attempt: the true/false answered `truth`, the essay written."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == name))
        assignment = db.session.get(Assignment, assignment_id)
        qset = db.session.get(QuestionSet, assignment.set_id)
        attempt = attempts.start_attempt(
            db.session, user, qset, one_page=False, time_limit_s=None,
            now=datetime.now(UTC), assignment_id=assignment_id, shuffle=False,
        )  # fmt: skip
        for question_id in attempt.question_order:
            question = db.session.get(Question, question_id)
            response: Any = truth if question.kind == "true_false" else essay
            grade = load_question(question).grade(response)
            judged = attempts.Judged(question, response, grade, 3000)
            attempts.save_answer(db.session, user, attempt.id, judged, fuzzing=False)
        attempts.close_attempt(db.session, attempt.id, fuzzing=False)
        return attempt.id


def class_with_essays(app: Flask, students: int = 2) -> tuple[World, dict[str, Any]]:
    """The class world with the essay quiz taken by every student."""
    world = make_world(app)
    ids = essay_quiz(app, world, students)
    ids["attempts"] = [
        answer_quiz(app, name, ids["assignment"], True, f"The coup of 2023, says {name}.")
        for name in ids["students"]
    ]
    return world, ids
