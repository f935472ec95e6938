"""What the marking pages read: answers of an assignment, their marks, and what needs marking."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import (
    AnswerMark,
    Assignment,
    Attempt,
    AttemptAnswer,
    MarksRelease,
    Question,
    QuestionSet,
    User,
)
from quiz.questions import MARKED_KINDS

# An answer's mark: the same attempt and question.
MARK_OF_ANSWER = sa.and_(
    AnswerMark.attempt_id == AttemptAnswer.attempt_id,
    AnswerMark.question_id == AttemptAnswer.question_id,
)


def needs_marking() -> sa.ColumnElement[bool]:
    """An essay answer the teacher has not scored yet (the query joins AnswerMark outer)."""
    return sa.and_(
        Question.kind.in_(MARKED_KINDS),
        AttemptAnswer.response.is_not(None),
        AnswerMark.score.is_(None),
    )


def _answers(assignment_ids: Collection[int]) -> sa.Select[Any]:
    """Answers in finished attempts of these assignments, with question, mark and student."""
    return (
        sa.select(AttemptAnswer, Attempt, Question, AnswerMark, User.username)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .join(User, User.id == Attempt.user_id)
        .outerjoin(
            AnswerMark,
            sa.and_(
                AnswerMark.attempt_id == AttemptAnswer.attempt_id,
                AnswerMark.question_id == AttemptAnswer.question_id,
            ),
        )
        .where(Attempt.assignment_id.in_(list(assignment_ids)), Attempt.finished_at.is_not(None))
    )


@dataclass(frozen=True)
class Row:
    """One answer on a marking page."""

    answer: AttemptAnswer
    attempt: Attempt
    question: Question
    mark: AnswerMark | None
    student: str

    @property
    def waiting(self) -> bool:
        """An essay not scored yet."""
        return (
            self.question.kind in MARKED_KINDS
            and self.answer.response is not None
            and (self.mark is None or self.mark.score is None)
        )


def answers(session: Session, assignment_id: int, question_id: int | None = None) -> list[Row]:
    """The assignment's answers (one question's when given), by student and attempt (1 query)."""
    query = _answers([assignment_id])
    if question_id is not None:
        query = query.where(AttemptAnswer.question_id == question_id)
    query = query.order_by(sa.func.lower(User.username), Attempt.id, AttemptAnswer.id)
    return [Row(*row) for row in session.execute(query)]


def one_answer(
    session: Session, assignment_id: int, attempt_id: int, question_id: int
) -> Row | None:
    """One answer of the assignment, or None (1 query)."""
    query = _answers([assignment_id]).where(
        AttemptAnswer.attempt_id == attempt_id, AttemptAnswer.question_id == question_id
    )
    row = session.execute(query).first()
    return Row(*row) if row else None


def next_waiting(
    session: Session, assignment_id: int, after: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """(attempt id, question id) of the next essay waiting for a score, in attempt order."""
    query = (
        _with_attempt_and_mark(sa.select(AttemptAnswer.attempt_id, AttemptAnswer.question_id))
        .where(
            Attempt.assignment_id == assignment_id,
            Attempt.finished_at.is_not(None),
            needs_marking(),
        )
        .order_by(AttemptAnswer.attempt_id, AttemptAnswer.question_id)
    )
    rows = [tuple(row) for row in session.execute(query)]
    if after is not None:
        later = [row for row in rows if row > after]
        rows = later or [row for row in rows if row != after]
    return (rows[0][0], rows[0][1]) if rows else None


def _with_attempt_and_mark(query: sa.Select) -> sa.Select:
    """An answer query joined to its attempt, its question and its mark (if any)."""
    return (
        query.join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .outerjoin(AnswerMark, MARK_OF_ANSWER)
    )


def waiting_counts(session: Session, assignment_ids: Collection[int]) -> dict[int, int]:
    """Essays waiting for a score, per assignment (1 query): the dashboard's "needs marking"."""
    if not assignment_ids:
        return {}
    query = (
        _with_attempt_and_mark(
            sa.select(Attempt.assignment_id, sa.func.count()).select_from(AttemptAnswer)
        )
        .where(
            Attempt.assignment_id.in_(list(assignment_ids)),
            Attempt.finished_at.is_not(None),
            needs_marking(),
        )
        .group_by(Attempt.assignment_id)
    )
    return {aid: int(count) for aid, count in session.execute(query)}


def is_released(session: Session, assignment_id: int) -> bool:
    """Whether the assignment's marks and comments are shown to its students."""
    return session.get(MarksRelease, assignment_id) is not None


@dataclass(frozen=True)
class StudentMarks:
    """What an attempt's result page says about the teacher's marking."""

    marks: dict[int, AnswerMark]  # by question id; empty until released
    waiting: int  # essays not scored yet
    released: bool
    held: bool = False  # marks saved but not released: the score shown is provisional


def for_attempt(session: Session, attempt: Attempt) -> StudentMarks:
    """The teacher's marks on one attempt as its student may see them (2 queries at most)."""
    if attempt.assignment_id is None:
        return StudentMarks({}, 0, False)
    query = (
        sa.select(AttemptAnswer.question_id, Question.kind, AttemptAnswer.response, AnswerMark)
        .join(Question, Question.id == AttemptAnswer.question_id)
        .outerjoin(
            AnswerMark,
            sa.and_(
                AnswerMark.attempt_id == AttemptAnswer.attempt_id,
                AnswerMark.question_id == AttemptAnswer.question_id,
            ),
        )
        .where(AttemptAnswer.attempt_id == attempt.id)
    )
    rows = session.execute(query).all()
    waiting = sum(
        1
        for _qid, kind, response, mark in rows
        if kind in MARKED_KINDS and response is not None and (mark is None or mark.score is None)
    )
    marks = {qid: mark for qid, _kind, _response, mark in rows if mark is not None}
    if not marks:
        return StudentMarks({}, waiting, False)
    released = is_released(session, attempt.assignment_id)
    return StudentMarks(marks if released else {}, waiting, released, held=not released)


def assignment_title(session: Session, assignment: Assignment) -> str:
    """The assigned set's title."""
    title = session.scalar(sa.select(QuestionSet.title).where(QuestionSet.id == assignment.set_id))
    return title or ""
