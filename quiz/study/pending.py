"""Right answers held until the student says how hard they were (Anki's Hard/Good/Easy).

A wrong answer is a lapse whatever the student feels, so it becomes a review at once. A right
one is kept as a PendingAnswer while the verdict is on screen; the student's choice, or the
next study request (Good), turns it into a review. Reviews stay append-only: nothing is
recorded twice and nothing recorded is changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from quiz import request_hints
from quiz.database import add_once, begin_write, column_rows
from quiz.models import Card, PendingAnswer, Question, Review, User
from quiz.questions import Grade
from quiz.statements import built_once
from quiz.study import queue
from quiz.study.answers import Answer, StaleAnswer, lock_fresh_card, record_answer
from quiz.timeutil import now_utc


def find_pending(session: Session, user_id: int, submission_id: str) -> PendingAnswer | None:
    """The student's held answer with this submission id, if any."""
    params = {"user_id": user_id, "submission_id": submission_id}
    return session.scalar(_find_query(), params)


# Statements built once with bound parameters: these run on every study POST, and building a
# statement costs about as much as running it.
@built_once
def _find_query() -> sa.Select[tuple[PendingAnswer]]:
    return sa.select(PendingAnswer).where(
        PendingAnswer.user_id == sa.bindparam("user_id"),
        PendingAnswer.submission_id == sa.bindparam("submission_id"),
    )


# A one-row table to outer-join lookups to, so that one row comes back whatever is found.
ONE_ROW = sa.select(sa.literal(1).label("one")).subquery("one")


def with_submission(query: sa.Select[Any], user_id: Any, submission_id: Any) -> sa.Select[Any]:
    """The query (over ONE_ROW) outer-joined to the student's review and held answer of this
    submission id: whichever exists comes back, the other as None."""
    return query.outerjoin(
        Review, sa.and_(Review.user_id == user_id, Review.submission_id == submission_id)
    ).outerjoin(
        PendingAnswer,
        sa.and_(PendingAnswer.user_id == user_id, PendingAnswer.submission_id == submission_id),
    )


class Submission(NamedTuple):
    """What find_submission found for a submission id (None: not there, or not asked for)."""

    review: Review | None
    held: PendingAnswer | None
    question: Question | None  # the held answer's, with its set
    card: Card | None  # the student's card for that question
    due_count: int  # queue.due_count's figure


def find_submission(
    session: Session, user_id: int, submission_id: str, *, due: tuple[bool, dict[str, Any]]
) -> Submission:
    """The rating page's start, in one statement: the review and the held answer stored for
    this submission id, the held answer's question with its set, the student's card for it
    (the page previews its intervals), and with `due`, what queue.due_count_params gave,
    the count of due cards that the header shows."""
    leaves_out, due_params = due
    params = {"user_id": user_id, "submission_id": submission_id, **due_params}
    review, held, question, card, due_count = session.execute(
        _submission_query(leaves_out), params
    ).one()
    return Submission(review, held, question, card, due_count)


@built_once
def _submission_query(leaves_out: bool) -> sa.Select[Any]:
    """find_submission's statement, built once for each shape."""
    due_count = queue.due_count_column(leaves_out).label("due_count")
    query = sa.select(Review, PendingAnswer, Question, Card, due_count).select_from(ONE_ROW)
    query = with_submission(query, sa.bindparam("user_id"), sa.bindparam("submission_id"))
    query = query.outerjoin(Question, Question.id == PendingAnswer.question_id).outerjoin(
        Card,
        sa.and_(
            Card.user_id == PendingAnswer.user_id,
            Card.question_id == PendingAnswer.question_id,
        ),
    )
    return query.options(joinedload(Question.question_set))  # the page shows the set


class Held(NamedTuple):
    """A held answer as the rating's POST reads it, with its question's current version."""

    submission_id: str
    question_id: int
    response: Any
    correct: bool
    score: float
    duration_ms: int | None
    answered_at: datetime
    question_version: int | None


def find_to_rate(
    session: Session, user_id: int, submission_id: str
) -> tuple[int | None, Held | None]:
    """The rating POST's start, in one statement: the id of the review already recorded for
    this submission id, or the held answer to rate. As plain columns: the ORM's loading of
    the review, the held answer and its question cost more than the statement."""
    params = {"user_id": user_id, "submission_id": submission_id}
    row = column_rows(session, _to_rate_query(), params).one()
    held = Held(*row[1:]) if row.submission_id is not None else None
    return row.review_id, held


@built_once
def _to_rate_query() -> sa.Select[Any]:
    query = sa.select(
        Review.id.label("review_id"),
        PendingAnswer.submission_id,
        PendingAnswer.question_id,
        PendingAnswer.response,
        PendingAnswer.correct,
        PendingAnswer.score,
        PendingAnswer.duration_ms,
        PendingAnswer.answered_at,
        Question.version.label("question_version"),
    ).select_from(ONE_ROW)
    query = with_submission(query, sa.bindparam("user_id"), sa.bindparam("submission_id"))
    return query.outerjoin(Question, Question.id == PendingAnswer.question_id)


@built_once
def _held_ids_query() -> sa.Select[tuple[str]]:
    return (
        sa.select(PendingAnswer.submission_id)
        .where(PendingAnswer.user_id == sa.bindparam("user_id"))
        .order_by(PendingAnswer.answered_at, PendingAnswer.id)
    )


def hold(
    session: Session,
    user: User,
    answer: Answer,
    *,
    submission_id: str,
    expected_version: int | None = None,
) -> PendingAnswer:
    """Keep a right answer until it is rated; a repeated submission returns the first; commits.

    With `expected_version`, a card that moved on since its page was shown (another tab
    answered it, or holds a right answer of it) raises StaleAnswer and nothing is kept.
    """
    if expected_version is not None:
        begin_write(session)
        try:
            lock_fresh_card(session, user.id, answer.question_id, expected_version)
        except StaleAnswer:
            session.rollback()
            raise
    pending = PendingAnswer(
        user_id=user.id,
        question_id=answer.question_id,
        submission_id=submission_id,
        response=answer.response,
        correct=answer.grade.correct,
        score=answer.grade.score,
        duration_ms=answer.duration_ms,
        answered_at=now_utc(),
    )
    request_hints.forget(session)  # the student has a held answer now
    return add_once(session, pending, lambda: find_pending(session, user.id, submission_id))


def settle(
    session: Session,
    user: User,
    pending: PendingAnswer | Held,
    *,
    self_rating: str = "good",
    question_version: int | None = None,
    fuzzing: bool = True,
) -> Review:
    """Turn a held answer into its review with the student's rating; idempotent; commits.

    `question_version`: the question's, if the caller read it (else the review reads it)."""
    submission_id = pending.submission_id
    answer = Answer(
        question_id=pending.question_id,
        response=pending.response,
        grade=Grade(pending.correct, pending.score, "", ""),
        self_rating=self_rating,
        duration_ms=pending.duration_ms,
        question_version=question_version,
    )
    # The review now stands for the answer: the held copy goes in the same transaction.
    delete = _delete_held_query()
    ids = {"user_id": user.id, "submission_id": submission_id}
    # Dated when it was answered (apply_review keeps review times in order per card).
    review, new = record_answer(
        session,
        user,
        answer,
        submission_id=submission_id,
        now=pending.answered_at,
        fuzzing=fuzzing,
        also=lambda s: s.execute(delete, ids),
    )
    if not new:  # recorded before (another tab): the held copy still goes
        begin_write(session)
        session.execute(delete, ids)
        session.commit()
    return review


@built_once
def _delete_held_query() -> sa.Delete:
    """settle's delete of the held copy, built once. A Core delete: the ORM's would first look
    for the rows among loaded objects."""
    table = PendingAnswer.__table__
    return sa.delete(table).where(
        table.c.user_id == sa.bindparam("user_id"),
        table.c.submission_id == sa.bindparam("submission_id"),
    )


def settle_all(
    session: Session, user: User, *, keep: str | None = None, fuzzing: bool = True
) -> int:
    """Rate every held answer of the student Good (but `keep`); return how many."""
    hints = request_hints.hints_for(session, user.id)
    if hints is not None and not hints.held_answers:
        return 0  # the login loader saw none held when the request began
    submission_ids = session.scalars(_held_ids_query(), {"user_id": user.id}).all()
    settled = 0
    for submission_id in submission_ids:
        if submission_id == keep:
            continue
        pending = find_pending(session, user.id, submission_id)
        if pending is not None:  # another request may have settled it meanwhile
            settle(session, user, pending, fuzzing=fuzzing)
            settled += 1
    return settled
