"""Who may see a set's files: whoever may read the set on the teachers' side or study it."""

from __future__ import annotations

from flask_login import current_user

from quiz.extensions import db
from quiz.models import QuestionSet
from quiz.mysets.sharing import shared_with_teacher
from quiz.sets.access import can_read
from quiz.study import lookups


def may_see_set(qset: QuestionSet) -> bool:
    """The owner, admins, teachers reading a public set or a student's set shared with their
    class, and students who may study the set; a student's private set is its owner's alone."""
    return (
        can_read(current_user, qset)
        or lookups.can_see_set(db.session, current_user, qset)
        or shared_with_teacher(db.session, current_user, qset.id)
    )
