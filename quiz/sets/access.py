"""Who may change or read a question set from the teachers' pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from quiz.extensions import db
from quiz.models import QuestionSet, User, Visibility


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
    sets too), admins, and anyone for a live public or starter set. Membership of a class the
    set is assigned to gives a student's rights only (the study pages), never these."""
    if user.is_admin or (qset.owner_id is not None and qset.owner_id == user.id):
        return True
    return not qset.archived and qset.visibility == Visibility.PUBLIC.value


def readable_set_or_404(set_id: int) -> QuestionSet:
    """A set the current user may read (to export, print or duplicate); otherwise a 404."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not can_read(current_user, qset):
        abort(404)
    return qset


def readable_sets() -> sa.ColumnElement[bool]:
    """can_read as a filter on QuestionSet, for the current user's lists and choices."""
    if current_user.is_admin:
        return sa.true()
    return sa.or_(
        QuestionSet.owner_id == current_user.id,
        sa.and_(QuestionSet.archived.is_(False), QuestionSet.visibility == Visibility.PUBLIC.value),
    )
