"""A class's card states summed by the database, so no report loads every card of the class.

A class of 1,000 students and 100 questions holds 100,000 cards; loading them as rows and
computing recall in Python cost about 1.6 ms of CPU per student per page. These queries return
one row per (student, assignment), per student or per question instead, with the forgetting
curve computed in SQL (quiz.progress.sqldays.recall, fsrs's own constants). Each runs one
statement whatever the class's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
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


@dataclass
class ClassMemory:
    """What the class's cards say, summed per student."""

    cells: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    activity: dict[int, tuple[datetime | None, int]] = field(default_factory=dict)


def memory(
    session: Session,
    classroom: Classroom,
    assignments: Sequence[Assignment],
    questions: dict[int, list[int]],
    now: datetime,
) -> ClassMemory:
    """(student, assignment) -> questions studied, mean recall on the due date (unseen count
    0) and the last review; and student -> (last review, overdue cards). One statement.

    Grouped by (student, set), not joined to the assignments: SQLite planned that join as a
    scan per card, ten times slower. A set assigned with several due dates gets one recall sum
    per date, each a CASE over the set ids giving the card's due date.
    """
    dialect = _dialect(session)
    dues: dict[int, list[datetime]] = defaultdict(list)
    for assignment in assignments:
        when = assignment.due_at or now
        if when not in dues[assignment.set_id]:
            dues[assignment.set_id].append(when)
    depth = max((len(v) for v in dues.values()), default=0)
    kind = Assignment.due_at.type
    sums = []
    for index in range(depth):
        whens = [
            (Question.set_id == set_id, sa.literal(times[index], kind))
            for set_id, times in dues.items()
            if len(times) > index
        ]
        due = sa.case(*whens, else_=sa.null())
        sums.append(sa.func.sum(sqldays.recall(Card.stability, Card.last_review, due, dialect)))
    overdue = sa.case((sa.and_(Card.due <= now, Card.reps > 0), 1), else_=0)
    found = ClassMemory()
    if not dues:
        return found
    rows = session.execute(
        sa.select(
            Card.user_id,
            Question.set_id,
            sa.func.sum(sa.case((Card.reps > 0, 1), else_=0)),
            sa.func.max(Card.last_review),
            sa.func.sum(overdue),
            *sums,
        )
        .join(Question, Question.id == Card.question_id)
        .where(
            # "+ 0" keeps SQLite from starting at the questions' set index and probing the card
            # of every (question, student): reading each student's cards in turn is 3x faster.
            (Question.set_id + 0).in_(list(dues)),
            Question.retired.is_(False),
            Card.user_id.in_(_members(classroom)),
        )
        .group_by(Card.user_id, Question.set_id)
    )
    last_type, engine_dialect = Card.last_review.type, session.get_bind().dialect
    by_set: dict[tuple[int, int], tuple[int, datetime | None, list[Any]]] = {}
    for user_id, set_id, studied, last, late, *recalls in rows:
        last = _as_time(last, last_type, engine_dialect)
        by_set[(user_id, set_id)] = (int(studied or 0), last, recalls)
        previous, count = found.activity.get(user_id, (None, 0))
        newest = max(filter(None, (previous, last)), default=None)
        found.activity[user_id] = (newest, count + int(late or 0))
    for (user_id, set_id), (studied, last, recalls) in by_set.items():
        for assignment in assignments:
            if assignment.set_id != set_id:
                continue
            total = recalls[dues[set_id].index(assignment.due_at or now)]
            found.cells[(user_id, assignment.id)] = assigned.summed_memory(
                studied,
                len(questions.get(set_id, ())),
                float(total) if total is not None else None,
                last,
            )
    return found


def _as_time(value: Any, column_type: Any, dialect: Any) -> datetime | None:
    """A MAX() of a timestamp as a UTC-aware datetime (SQLite may return it as text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return column_type.process_result_value(value, dialect)


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
