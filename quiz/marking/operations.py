"""The marking's writes: a mark on one answer (the attempt rescored with it), releasing marks."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz.database import begin_write
from quiz.marking import rules
from quiz.models import AnswerMark, Attempt, AttemptAnswer, MarksRelease


def rescore(session: Session, attempt: Attempt) -> None:
    """Store the attempt's score with the teacher's marks in place of the automatic ones.

    The gradebook, the dashboard and the student's pages read `attempt.score`, so they all
    count the marked and overridden scores; each answer keeps its automatic score beside.
    """
    rows = session.execute(
        sa.select(AttemptAnswer.score, AnswerMark.score)
        .outerjoin(
            AnswerMark,
            sa.and_(
                AnswerMark.attempt_id == AttemptAnswer.attempt_id,
                AnswerMark.question_id == AttemptAnswer.question_id,
            ),
        )
        .where(AttemptAnswer.attempt_id == attempt.id)
    )
    scores = [rules.counted(automatic, marked) for automatic, marked in rows]
    attempt.score = rules.attempt_score(scores, len(attempt.question_order))


def save_mark(
    session: Session,
    attempt: Attempt,
    answer: AttemptAnswer,
    mark: rules.Mark,
    *,
    marker_id: int,
    now: datetime,
) -> AnswerMark:
    """Create or replace the teacher's mark on one answer and rescore its attempt; commits."""
    begin_write(session)
    stored = session.scalar(
        sa.select(AnswerMark).where(
            AnswerMark.attempt_id == answer.attempt_id,
            AnswerMark.question_id == answer.question_id,
        )
    )
    if stored is None:
        stored = AnswerMark(attempt_id=answer.attempt_id, question_id=answer.question_id)
        session.add(stored)
    stored.marker_id = marker_id
    stored.score = mark.score
    stored.original_score = answer.score
    stored.ticks = list(mark.ticks)
    stored.comment = mark.comment
    stored.reason = mark.reason
    stored.marked_at = now
    session.flush()
    rescore(session, attempt)
    try:
        session.commit()
    except IntegrityError:  # a second tab saved the first mark meanwhile: save over it
        session.rollback()
        return save_mark(session, attempt, answer, mark, marker_id=marker_id, now=now)
    return stored


def set_released(
    session: Session, assignment_id: int, released: bool, *, user_id: int, now: datetime
) -> None:
    """Show (or hide again) the assignment's marks and comments to its students; commits."""
    begin_write(session)
    stored = session.get(MarksRelease, assignment_id)
    if released and stored is None:
        session.add(MarksRelease(assignment_id=assignment_id, released_at=now, released_by=user_id))
    elif not released and stored is not None:
        session.delete(stored)
    try:
        session.commit()
    except IntegrityError:  # released twice at once: once is what was asked
        session.rollback()
