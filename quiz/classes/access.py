"""Which classes and assignments a teacher may open, and the class's clock."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import Session

from quiz import joincode
from quiz.extensions import db
from quiz.models import Assignment, Classroom, Enrollment, User

CODE_TRIES = 20


def class_zone(classroom: Classroom) -> ZoneInfo:
    """The class's time zone (UTC if the stored name is unknown)."""
    try:
        return ZoneInfo(classroom.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_local(classroom: Classroom, moment: datetime | None) -> datetime | None:
    """A UTC time as the class's wall clock shows it."""
    return moment.astimezone(class_zone(classroom)) if moment else None


def from_local(classroom: Classroom, naive: datetime) -> datetime:
    """A wall-clock time typed for the class, as an aware datetime in the class's zone."""
    return naive.replace(tzinfo=class_zone(classroom))


def local_morning(classroom: Classroom, day: date) -> datetime:
    """9:00 on a day in the class's zone: when an exam on that day is taken."""
    return datetime.combine(day, time(9, 0), tzinfo=class_zone(classroom))


def can_manage(user: User, classroom: Classroom) -> bool:
    """The class's teacher, and admins, manage it and see its students."""
    return classroom.teacher_id == user.id or user.is_admin


def class_or_404(class_id: int) -> Classroom:
    """A class the current teacher may manage; anybody else's is a 404."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or not can_manage(current_user, classroom):
        abort(404)
    return classroom


def assignment_or_404(classroom: Classroom, assignment_id: int) -> Assignment:
    """An assignment of this class; any other id is a 404."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.classroom_id != classroom.id:
        abort(404)
    return assignment


def member_or_404(classroom: Classroom, user_id: int) -> User:
    """A student enrolled in this class; anybody else is a 404."""
    user = db.session.scalar(
        sa.select(User)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.classroom_id == classroom.id, User.id == user_id)
    )
    if user is None:
        abort(404)
    return user


def unused_code(session: Session) -> str:
    """A join code no class has yet (the unique constraint still guards a race)."""
    for _ in range(CODE_TRIES):
        code = joincode.new_code()
        if session.scalar(sa.select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code
    raise RuntimeError("could not find an unused join code")
