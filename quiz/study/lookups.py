"""What a study page or an answer starts from, read in one statement each.

Every study request pays for each round trip in SQLAlchemy's machinery more than in the
database, so the rows a view needs together are read together (issue 12). They come back as
plain columns: the question as a ShownQuestion, since these pages show and grade it but write
nothing through it, and loading it as a Question with its set cost more than the statement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from quiz.database import column_rows
from quiz.models import PendingAnswer, Question, QuestionSet, Review, User, Visibility
from quiz.models.base import UTCDateTime
from quiz.models.content import ShownQuestion, shown_question
from quiz.statements import built_once
from quiz.study import pending, queue
from quiz.timeutil import now_utc


def _visible(user_id: Any, now: Any) -> sa.Label[bool]:
    """Whether the student may see the question's set (queue.visible_to, as can_see_set)."""
    return (
        sa.exists()
        .where(QuestionSet.id == Question.set_id, queue.visible_to(user_id, now))
        .label("visible")
    )


def _shown_columns(user_id: Any, now: Any) -> list[Any]:
    """A ShownQuestion's columns, its set's title, and whether the student may see the set."""
    shown_set = aliased(QuestionSet, name="shown_set")
    title = sa.select(shown_set.title).where(shown_set.id == Question.set_id).scalar_subquery()
    columns = [getattr(Question, name) for name in ShownQuestion.COLUMNS]
    return [*columns, title.label("set_title"), _visible(user_id, now)]


def question_with_set(
    session: Session, user_id: int, question_id: int, now: datetime
) -> tuple[ShownQuestion | None, bool]:
    """A question with its set's title (every study page shows it), and whether the student
    may see that set."""
    params = {"question_id": question_id, "user_id": user_id, "now": now}
    row = column_rows(session, _question_with_set(), params).first()
    return (shown_question(row), bool(row.visible)) if row is not None else (None, False)


@built_once
def _question_with_set() -> sa.Select[Any]:
    user_id: Any = sa.bindparam("user_id", type_=sa.Integer)
    now: Any = sa.bindparam("now", type_=UTCDateTime())
    return sa.select(*_shown_columns(user_id, now)).where(
        Question.id == sa.bindparam("question_id")
    )


class Earlier(NamedTuple):
    """The review already stored for a submission id (a double click, Back, a retry)."""

    id: int
    question_id: int
    response: Any
    reviewed_at: datetime


class AnswerLookup(NamedTuple):
    """What an answer starts from (see answer_lookup)."""

    question: ShownQuestion | None
    visible: bool
    review: Earlier | None
    held: bool  # a right answer with this submission id waits for its rating
    held_response: Any = None  # that held answer's response


def answer_lookup(
    session: Session, user_id: int, question_id: int, submission_id: str, now: datetime
) -> AnswerLookup:
    """The question with its set's title and whether the student may see it
    (question_with_set), beside the review and the held answer already stored for this
    submission id (pending.find_submission)."""
    params = {"question_id": question_id, "user_id": user_id, "sid": submission_id, "now": now}
    row = column_rows(session, _answer_lookup(), params).one()
    question = shown_question(row) if row.id is not None else None
    review = None
    if row.review_id is not None:
        review = Earlier(row.review_id, row.review_question_id, row.response, row.reviewed_at)
    held = row.held_id is not None
    return AnswerLookup(question, bool(row.visible), review, held, row.held_response)


@built_once
def _answer_lookup() -> sa.Select[Any]:
    user_id: Any = sa.bindparam("user_id", type_=sa.Integer)
    now: Any = sa.bindparam("now", type_=UTCDateTime())
    query = (
        sa.select(
            *_shown_columns(user_id, now),
            Review.id.label("review_id"),
            Review.question_id.label("review_question_id"),
            Review.response,
            Review.reviewed_at,
            PendingAnswer.id.label("held_id"),
            PendingAnswer.response.label("held_response"),
        )
        .select_from(pending.ONE_ROW)
        .outerjoin(Question, Question.id == sa.bindparam("question_id"))
    )
    return pending.with_submission(query, user_id, sa.bindparam("sid"))


def can_see_set(
    session: Session, user: User, qset: QuestionSet, now: datetime | None = None
) -> bool:
    """Whether the student may see this set in study (see queue.visible_to)."""
    if qset.archived:
        return False
    if qset.visibility == Visibility.PUBLIC.value or qset.owner_id == user.id:
        return True
    params = {"set_id": qset.id, "user_id": user.id, "now": now or now_utc()}
    return session.scalar(_can_see_query(), params) is not None


@built_once
def _can_see_query() -> sa.Select[tuple[int]]:
    """can_see_set's statement, built once."""
    user_id: Any = sa.bindparam("user_id", type_=sa.Integer)
    now: Any = sa.bindparam("now", type_=UTCDateTime())
    return sa.select(QuestionSet.id).where(
        QuestionSet.id == sa.bindparam("set_id"), queue.visible_to(user_id, now)
    )
