"""Who may change or read a question set from the teachers' pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, url_for
from flask_login import current_user

from quiz.extensions import db
from quiz.models import QuestionSet, User, Visibility
from quiz.mysets.sharing import shared_with_teacher


def can_edit(user: User, qset: QuestionSet) -> bool:
    """The owner and admins change a set; bank sets (seeded by slug) are read-only for all."""
    if qset.slug is not None:
        return False
    return qset.owner_id == user.id or user.is_admin


def owned_set_or_404(set_id: int) -> QuestionSet:
    """A set the current user may change; anything else is a 404, so ids cannot be probed."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not can_edit(current_user, qset):
        abort(404)
    return qset


def can_read(user: User, qset: QuestionSet) -> bool:
    """Teacher-side reading (export, print with answers, duplicate, assign): the owner (archived
    sets too), admins, and any teacher for a live public or starter set. Membership of a class
    the set is assigned to gives a student's rights only (the study pages), never these; a
    student reads only their own sets here (public ones they study on the study pages)."""
    if user.is_admin or (qset.owner_id is not None and qset.owner_id == user.id):
        return True
    if not user.is_teacher:
        return False
    return not qset.archived and qset.visibility == Visibility.PUBLIC.value


def readable_set_or_404(set_id: int) -> QuestionSet:
    """A set the current user may read (to export, print or duplicate); otherwise a 404."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not can_read(current_user, qset):
        abort(404)
    return qset


def viewable_set_or_404(set_id: int) -> QuestionSet:
    """A set the user may open on the sets' pages (and copy): one they may read, or a
    student's set shared with a class they teach."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is not None and (can_edit(current_user, qset) or qset.owner_id == current_user.id):
        return qset
    if qset is not None and shared_with_teacher(db.session, current_user, qset.id):
        return qset
    return readable_set_or_404(set_id)


def sets_home() -> str:
    """Where the sets' pages lead back to: a teacher's sets page, or a student's My sets."""
    return url_for("teach.index" if current_user.is_teacher else "study.my_sets")


def readable_sets() -> sa.ColumnElement[bool]:
    """can_read as a filter on QuestionSet, for the current user's lists and choices."""
    if current_user.is_admin:
        return sa.true()
    if not current_user.is_teacher:
        return QuestionSet.owner_id == current_user.id
    return sa.or_(
        QuestionSet.owner_id == current_user.id,
        sa.and_(QuestionSet.archived.is_(False), QuestionSet.visibility == Visibility.PUBLIC.value),
    )
