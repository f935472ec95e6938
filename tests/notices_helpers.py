"""A class with a quiz due soon: one student finished it, one has not started."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from quiz.extensions import db
from quiz.models import Assignment, Attempt, Classroom, Enrollment, QuestionSet, Role
from quiz.timeutil import now_utc
from tests.conftest import make_user


@dataclass
class Class:
    """The ids of the people and things the notice tests use."""

    teacher: int
    done: int
    behind: int
    classroom: int
    assignment: int


def make_class(app: Flask, due_in: timedelta = timedelta(hours=3)) -> Class:
    """A teacher's class; `done` has handed the quiz in, `behind` has not started it."""
    teacher = make_user(app, "teacher", role=Role.TEACHER.value).id
    done = make_user(app, "done").id
    behind = make_user(app, "behind").id
    with app.app_context():
        qset = QuestionSet(owner_id=teacher, title="Capitals of Africa")
        classroom = Classroom(teacher_id=teacher, name="Geography 9B", join_code="NOTICE")
        db.session.add_all([qset, classroom])
        db.session.flush()
        db.session.add_all(
            Enrollment(classroom_id=classroom.id, user_id=who) for who in (done, behind)
        )
        assignment = Assignment(
            classroom_id=classroom.id, set_id=qset.id, due_at=now_utc() + due_in
        )
        db.session.add(assignment)
        db.session.flush()
        db.session.add(
            Attempt(
                user_id=done,
                set_id=qset.id,
                assignment_id=assignment.id,
                question_order=[],
                seed=1,
                finished_at=now_utc(),
                score=1.0,
            )
        )
        db.session.commit()
        return Class(teacher, done, behind, classroom.id, assignment.id)
