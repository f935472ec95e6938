"""Who a student's set is shared with, and which shared sets a teacher may see; no Flask."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import Classroom, Enrollment, Question, QuestionSet, SetShare, User


def shareable_classes(session: Session, user_id: int) -> list[Classroom]:
    """The live classes a student is in whose teacher lets students share sets, by name."""
    return list(
        session.scalars(
            sa.select(Classroom)
            .join(Enrollment, Enrollment.classroom_id == Classroom.id)
            .where(
                Enrollment.user_id == user_id,
                Classroom.archived_at.is_(None),
                Classroom.student_sharing.is_(True),
            )
            .order_by(Classroom.name, Classroom.id)
        )
    )


def shared_class_ids(session: Session, set_id: int) -> set[int]:
    """The classes a set is shared with."""
    query = sa.select(SetShare.classroom_id).where(SetShare.set_id == set_id)
    return set(session.scalars(query))


def shared_set_ids(session: Session, owner_id: int) -> set[int]:
    """Which of an owner's sets are shared with at least one class."""
    query = (
        sa.select(SetShare.set_id)
        .join(QuestionSet, QuestionSet.id == SetShare.set_id)
        .where(QuestionSet.owner_id == owner_id)
    )
    return set(session.scalars(query))


def set_shares(session: Session, qset: QuestionSet, wanted: set[int], allowed: set[int]) -> None:
    """Share the set with exactly the `wanted` classes among those `allowed` (the owner's
    shareable classes); shares with classes outside `allowed` (left, or switched off) stay as
    they are, since the owner cannot see them to change them."""
    current = shared_class_ids(session, qset.id)
    for class_id in (wanted & allowed) - current:
        session.add(SetShare(set_id=qset.id, classroom_id=class_id))
    gone = (current & allowed) - wanted
    if gone:
        session.execute(
            sa.delete(SetShare).where(SetShare.set_id == qset.id, SetShare.classroom_id.in_(gone))
        )


def _live_share() -> sa.Select[Any]:
    """Shares that count: the class lets students share and the owner is still in it."""
    return (
        sa.select(SetShare.set_id)
        .join(Classroom, Classroom.id == SetShare.classroom_id)
        .join(QuestionSet, QuestionSet.id == SetShare.set_id)
        .join(
            Enrollment,
            sa.and_(
                Enrollment.classroom_id == SetShare.classroom_id,
                Enrollment.user_id == QuestionSet.owner_id,
            ),
        )
        .where(Classroom.student_sharing.is_(True), QuestionSet.archived.is_(False))
    )


def shared_with_teacher(session: Session, user: User, set_id: int) -> bool:
    """Whether the set is shared with a class this user teaches (so they may see and copy it)."""
    if not getattr(user, "is_teacher", False):  # anonymous and students: never
        return False
    query = _live_share().where(SetShare.set_id == set_id, Classroom.teacher_id == user.id)
    return session.scalar(sa.select(query.exists())) is True


def shared_with_class(session: Session, class_id: int) -> list[Any]:
    """The sets shared with a class: (id, title, owner's name, live questions), by title."""
    count = (
        sa.select(sa.func.count(Question.id))
        .where(Question.set_id == QuestionSet.id, Question.retired.is_(False))
        .correlate(QuestionSet)
        .scalar_subquery()
    )
    ids = _live_share().where(SetShare.classroom_id == class_id)
    return list(
        session.execute(
            sa.select(QuestionSet.id, QuestionSet.title, User.username, count.label("count"))
            .join(User, User.id == QuestionSet.owner_id)
            .where(QuestionSet.id.in_(ids))
            .order_by(QuestionSet.title, QuestionSet.id)
        )
    )
