"""Queries and changes behind the teachers' set pages; no Flask here, the caller commits."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.media.store import copy_links
from quiz.models import Attempt, Card, PendingAnswer, Question, QuestionSet, Review, Visibility
from quiz.sets.drafts import KIND_NAMES

KIND_CHOICES = list(KIND_NAMES.items())


def _with_counts() -> sa.Select[tuple[QuestionSet, int]]:
    """Sets with how many live questions each has."""
    live = (
        sa.select(sa.func.count(Question.id))
        .where(Question.set_id == QuestionSet.id, Question.retired.is_(False))
        .correlate(QuestionSet)
        .scalar_subquery()
    )
    return sa.select(QuestionSet, live.label("count")).order_by(
        QuestionSet.archived, QuestionSet.title, QuestionSet.id
    )


def owned_sets(user_id: int) -> sa.Select[tuple[QuestionSet, int]]:
    """The teacher's own sets (archived ones last), with question counts."""
    return _with_counts().where(QuestionSet.owner_id == user_id)


def bank_sets() -> sa.Select[tuple[QuestionSet, int]]:
    """The starter sets seeded from questions/ (read-only; duplicated to be changed)."""
    return _with_counts().where(QuestionSet.slug.is_not(None))


def others_sets(user_id: int) -> sa.Select[tuple[QuestionSet, int]]:
    """Every other teacher's set, for admins."""
    return _with_counts().where(
        QuestionSet.slug.is_(None),
        sa.or_(QuestionSet.owner_id.is_(None), QuestionSet.owner_id != user_id),
    )


def live_questions(set_id: int) -> sa.Select[tuple[Question]]:
    """A set's questions that are not retired, in their order."""
    return (
        sa.select(Question)
        .where(Question.set_id == set_id, Question.retired.is_(False))
        .order_by(Question.position, Question.id)
    )


def highest_cited(session: Session, set_id: int) -> int:
    """The highest paragraph a live question of the set cites (0 for none)."""
    query = sa.select(sa.func.max(Question.paragraph)).where(
        Question.set_id == set_id, Question.retired.is_(False)
    )
    return session.scalar(query) or 0


def was_studied(session: Session, set_id: int, besides: int | None = None) -> bool:
    """Whether any student (other than `besides`, a student's own set's owner) has a card,
    review, held answer or quiz attempt on the set."""
    of_set = sa.select(Question.id).where(Question.set_id == set_id)
    checks = [
        sa.exists().where(Card.question_id.in_(of_set), Card.user_id != besides),
        sa.exists().where(Review.question_id.in_(of_set), Review.user_id != besides),
        sa.exists().where(PendingAnswer.question_id.in_(of_set), PendingAnswer.user_id != besides),
        sa.exists().where(Attempt.set_id == set_id, Attempt.user_id != besides),
    ]
    return bool(session.scalar(sa.select(sa.or_(*checks))))


def new_key() -> str:
    """A stable key for a question written in the browser."""
    return "q-" + uuid.uuid4().hex[:12]


def duplicate(session: Session, qset: QuestionSet, owner_id: int) -> QuestionSet:
    """A private copy of a set and its live questions, owned by `owner_id`, without a slug."""
    title = qset.title if qset.title.startswith("Copy of ") else f"Copy of {qset.title}"
    copy = QuestionSet(
        owner_id=owner_id,
        title=title[:200],
        description=qset.description,
        source=dict(qset.source or {}),
        source_text=qset.source_text,
        tags=list(qset.tags or ()),
        visibility=Visibility.PRIVATE.value,
    )
    for position, question in enumerate(session.scalars(live_questions(qset.id))):
        copy.questions.append(
            Question(
                key=question.key,
                kind=question.kind,
                prompt=question.prompt,
                spec=dict(question.spec),
                explanation=question.explanation,
                tags=list(question.tags or ()),
                paragraph=question.paragraph,
                position=position,
            )
        )
    session.add(copy)
    session.flush()
    copy_links(session, qset.id, copy.id)  # its questions name the same pictures and sounds
    return copy


def move(session: Session, question: Question, step: int) -> bool:
    """Move a question one place up (-1) or down (+1) in its set; False at either end."""
    questions = list(session.scalars(live_questions(question.set_id)))
    index = questions.index(question)
    target = index + step
    if not 0 <= target < len(questions):
        return False
    questions[index], questions[target] = questions[target], questions[index]
    for position, item in enumerate(questions):
        if item.position != position:
            item.position = position
    return True


def next_position(session: Session, set_id: int) -> int:
    """The position after the set's last question."""
    query = sa.select(sa.func.max(Question.position)).where(Question.set_id == set_id)
    last = session.scalar(query)
    return 0 if last is None else last + 1
