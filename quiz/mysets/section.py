"""The sharing part of a set's page: shown to a student who owns the set, to no one else."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from quiz.extensions import db
from quiz.models import QuestionSet
from quiz.mysets.sharing import shareable_classes, shared_class_ids


def student_owns(qset: QuestionSet) -> bool:
    """Whether the set is the current student's own (so the teacher-only tools are hidden)."""
    return not current_user.is_teacher and qset.owner_id == current_user.id


def share_section(qset: QuestionSet) -> dict[str, Any]:
    """The template values of the set page's sharing form (empty for anyone but its student)."""
    if not student_owns(qset):
        return {"student_set": False}
    return {
        "student_set": True,
        "share_classes": shareable_classes(db.session, current_user.id),
        "shared_ids": shared_class_ids(db.session, qset.id),
    }
