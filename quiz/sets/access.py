"""Who may change or read a question set from the teachers' pages."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from quiz.extensions import db
from quiz.models import QuestionSet, User
from quiz.study import queue


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


def readable_set_or_404(set_id: int) -> QuestionSet:
    """A set the current user may read (to export, print or duplicate); otherwise a 404."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is None:
        abort(404)
    if not (current_user.is_admin or queue.can_see_set(db.session, current_user, qset)):
        abort(404)
    return qset
