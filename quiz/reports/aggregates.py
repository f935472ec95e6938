"""A class's card states summed by the database, so no report loads every card of the class.

A class of 1,000 students and 100 questions holds 100,000 cards; loading them as rows and
computing recall in Python cost about 1.6 ms of CPU per student per page. These queries return
one row per (student, assignment), per student or per question instead, with the forgetting
curve computed in SQL (quiz.progress.sqldays.recall, fsrs's own constants). Each runs one
statement whatever the class's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.classes import assigned
from quiz.models import Assignment, Card, Classroom, Enrollment, Question
from quiz.progress import sqldays


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _members(classroom: Classroom) -> sa.Select[tuple[int]]:
    return sa.select(Enrollment.user_id).where(Enrollment.classroom_id == classroom.id)


def memory(
    session: Session, classroom: Classroom, questions: dict[int, list[int]], now: datetime
) -> dict[tuple[int, int], dict[str, Any]]:
    """(student, assignment) -> questions studied, mean recall on the due date (unseen count 0)
    and the last review, for every student who holds a card of the assignment's set."""
    due = sa.func.coalesce(Assignment.due_at, sa.literal(now, Assignment.due_at.type))
    recall = sqldays.recall(Card.stability, Card.last_review, due, _dialect(session))
    rows = session.execute(
        sa.select(
            Card.user_id,
            Assignment.id,
            Assignment.set_id,
            sa.func.sum(sa.case((Card.reps > 0, 1), else_=0)),
            sa.func.sum(recall),
            sa.func.max(Card.last_review),
        )
        .join(Question, Question.id == Card.question_id)
        .join(Assignment, Assignment.set_id == Question.set_id)
        .where(
            Assignment.classroom_id == classroom.id,
            Question.retired.is_(False),
            Card.user_id.in_(_members(classroom)),
        )
        .group_by(Card.user_id, Assignment.id, Assignment.set_id)
    )
    last_type = Card.last_review.type
    return {
        (user_id, assignment_id): assigned.summed_memory(
            int(studied or 0),
            len(questions.get(set_id, ())),
            float(total) if total is not None else None,
            _as_time(last, last_type, session),
        )
        for user_id, assignment_id, set_id, studied, total, last in rows
    }


def _as_time(value: Any, column_type: Any, session: Session) -> datetime | None:
    """A MAX() of a timestamp as a UTC-aware datetime (SQLite returns it as text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return column_type.process_result_value(value, session.get_bind().dialect)


def activity(
    session: Session, classroom: Classroom, now: datetime
) -> dict[int, tuple[datetime | None, int]]:
    """Student -> (last review, overdue cards) on the class's assigned sets."""
    set_ids = sa.select(Assignment.set_id).where(Assignment.classroom_id == classroom.id)
    overdue = sa.case((sa.and_(Card.due <= now, Card.reps > 0), 1), else_=0)
    rows = session.execute(
        sa.select(Card.user_id, sa.func.max(Card.last_review), sa.func.sum(overdue))
        .join(Question, Question.id == Card.question_id)
        .where(
            Question.set_id.in_(set_ids),
            Question.retired.is_(False),
            Card.user_id.in_(_members(classroom)),
        )
        .group_by(Card.user_id)
    )
    kind = Card.last_review.type
    return {
        user_id: (_as_time(last, kind, session), int(count or 0)) for user_id, last, count in rows
    }


def recall_sums(
    session: Session,
    classroom: Classroom,
    question_ids: Sequence[int],
    when: datetime,
    *,
    by: str,
    user_ids: Sequence[int] | None = None,
) -> dict[Any, float]:
    """Sum of predicted recall at `when` over cards of these questions, grouped `by` "user",
    "question" or "cell" ((user, question)); never-studied cards add nothing. With user_ids,
    only those students (a page of the forecast), else the whole class."""
    if not question_ids:
        return {}
    recall = sqldays.recall(Card.stability, Card.last_review, when, _dialect(session))
    keys = {
        "user": (Card.user_id,),
        "question": (Card.question_id,),
        "cell": (Card.user_id, Card.question_id),
    }[by]
    users = (
        Card.user_id.in_(list(user_ids))
        if user_ids is not None
        else Card.user_id.in_(_members(classroom))
    )
    query = sa.select(*keys, sa.func.sum(recall) if by != "cell" else recall).where(
        users, Card.question_id.in_(list(question_ids))
    )
    if by == "cell":
        query = query.where(Card.last_review.is_not(None), Card.stability.is_not(None))
    else:
        query = query.group_by(*keys)
    found: dict[Any, float] = {}
    for row in session.execute(query):
        key = tuple(row[:-1]) if by == "cell" else row[0]
        if row[-1] is not None:
            found[key] = float(row[-1])
    return found
