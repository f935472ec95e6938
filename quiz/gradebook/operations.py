"""The gradebook's writes: excusing a student, saving the class's gradebook settings."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.gradebook.data import DEFAULT_NAMES
from quiz.gradebook.settings import Parsed
from quiz.models import Assignment, Classroom, Excusal, GradeCategory
from quiz.timeutil import now_utc


def set_excused(
    session: Session, assignment: Assignment, user_id: int, excused: bool, by_id: int
) -> None:
    """Excuse the student from the assignment, or clear it (nothing happens twice: a second
    click's insert meets the primary key, which the view takes as done)."""
    if not excused:
        session.execute(
            sa.delete(Excusal).where(
                Excusal.assignment_id == assignment.id, Excusal.user_id == user_id
            )
        )
        return
    if session.get(Excusal, (assignment.id, user_id)) is None:
        session.add(
            Excusal(assignment_id=assignment.id, user_id=user_id, by_id=by_id, created_at=now_utc())
        )


def category_keys(rows: Sequence[GradeCategory]) -> list[str]:
    """The form's keys for the class's categories: saved ids, or the default modes."""
    return [str(row.id) for row in rows] if rows else list(DEFAULT_NAMES)


def save_settings(
    session: Session,
    classroom: Classroom,
    rows: Sequence[GradeCategory],
    assignments: Sequence[Assignment],
    parsed: Parsed,
) -> None:
    """Store what the form said (parsed without errors), in the caller's transaction."""
    classroom.missing_counts_zero = parsed.missing_counts_zero
    classroom.late_penalty_pct = parsed.late_penalty_pct
    by_key: dict[str, GradeCategory] = {str(row.id): row for row in rows}
    for change in parsed.categories:
        row = by_key.get(change.key)
        if row is None:  # a default category saved for the first time, or the new one
            mode = change.key if change.key in DEFAULT_NAMES else None
            row = GradeCategory(classroom_id=classroom.id, name=change.name, mode=mode)
            session.add(row)
            by_key[change.key] = row
        row.name = change.name
        row.weight = change.weight
    session.flush()
    changes = {change.id: change for change in parsed.assignments}
    for assignment in assignments:
        change = changes.get(assignment.id)
        if change is None:
            continue
        assignment.points = change.points
        assignment.late_penalty_pct = change.late_penalty_pct
        chosen = by_key.get(change.category)
        # Left in its mode's category, it follows that category (None), as new ones do.
        default = chosen is not None and chosen.mode == assignment.mode
        assignment.category_id = None if chosen is None or default else chosen.id


def saved_categories(session: Session, classroom: Classroom) -> list[GradeCategory]:
    """The class's saved categories, oldest first."""
    return list(
        session.scalars(
            sa.select(GradeCategory)
            .where(GradeCategory.classroom_id == classroom.id)
            .order_by(GradeCategory.id)
        )
    )
