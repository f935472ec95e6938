"""What a study page or an answer starts from, read in one statement each.

Every study request pays for each round trip in SQLAlchemy's machinery more than in the
database, so the rows a view needs together are read together (issue 12).
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from quiz.models import PendingAnswer, Question, QuestionSet, Review
from quiz.study import pending, queue


def _visible(user_id: Any) -> sa.Label[bool]:
    """Whether the student may see the question's set (queue.visible_to, as can_see_set)."""
    return (
        sa.exists()
        .where(QuestionSet.id == Question.set_id, queue.visible_to(user_id))
        .label("visible")
    )


def question_with_set(
    session: Session, user_id: int, question_id: int
) -> tuple[Question | None, bool]:
    """A question with its set (every study page shows the set's title), and whether the
    student may see that set."""
    params = {"question_id": question_id, "user_id": user_id}
    row = session.execute(_question_with_set(), params).first()
    return (row[0], bool(row.visible)) if row is not None else (None, False)


@functools.cache
def _question_with_set() -> sa.Select[tuple[Question, bool]]:
    user_id: Any = sa.bindparam("user_id", type_=sa.Integer)
    return (
        sa.select(Question, _visible(user_id))
        .options(joinedload(Question.question_set))
        .where(Question.id == sa.bindparam("question_id"))
    )


class AnswerLookup(NamedTuple):
    """What an answer starts from (see answer_lookup)."""

    question: Question | None
    visible: bool
    review: Review | None
    held: PendingAnswer | None


def answer_lookup(
    session: Session, user_id: int, question_id: int, submission_id: str
) -> AnswerLookup:
    """The question with its set and whether the student may see it (question_with_set),
    beside the review and the held answer already stored for this submission id
    (pending.find_submission)."""
    params = {"question_id": question_id, "user_id": user_id, "sid": submission_id}
    question, visible, review, held = session.execute(_answer_lookup(), params).one()
    return AnswerLookup(question, bool(visible), review, held)


@functools.cache
def _answer_lookup() -> sa.Select[Any]:
    user_id: Any = sa.bindparam("user_id", type_=sa.Integer)
    query = (
        sa.select(Question, _visible(user_id), Review, PendingAnswer)
        .select_from(pending.ONE_ROW)
        .outerjoin(Question, Question.id == sa.bindparam("question_id"))
    )
    return pending.with_submission(query, user_id, sa.bindparam("sid")).options(
        joinedload(Question.question_set)
    )
