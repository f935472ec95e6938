"""Which notices are due now: reminders before a due date, released marks, teachers' digests.

Each is written as a row keyed (user, kind, subject) that is inserted only if missing, so a
run that finds the same reminder again, or a second run at the same moment, adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for

from quiz.auth.limiter import AnySession
from quiz.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    Mode,
    Notice,
    NoticeKind,
    QuestionSet,
    User,
)
from quiz.timeutil import now_utc

DIGEST_WINDOW = timedelta(days=7)  # a digest looks a week back and a week ahead
BEHIND_NAMES = 12  # names listed per assignment in a digest; the rest are counted


def app_path(endpoint: str, **values: Any) -> str:
    """A path in the app, outside any request (the command builds links too)."""
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def insert_missing(session: AnySession, rows: list[dict[str, Any]]) -> int:
    """Insert the notices that do not exist yet; the unique key turns the rest away."""
    if not rows:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = Notice.__table__
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "subject"])
        .returning(table.c.id)  # only the rows this run inserted come back
    )
    made = 0
    for start in range(0, len(rows), 500):
        made += len(session.execute(statement, rows[start : start + 500]).all())
    return made


def _finished(user_column: Any) -> sa.Exists:
    return sa.exists().where(
        Attempt.assignment_id == Assignment.id,
        Attempt.user_id == user_column,
        Attempt.finished_at.is_not(None),
    )


def reminder_rows(session: AnySession, now: datetime, before: timedelta) -> list[dict[str, Any]]:
    """A reminder for every member who has not finished a quiz due within `before`."""
    rows = session.execute(
        sa.select(Assignment.id, Assignment.due_at, QuestionSet.title, Classroom.name, User.id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .join(QuestionSet, QuestionSet.id == Assignment.set_id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .join(User, User.id == Enrollment.user_id)
        .where(
            Classroom.archived_at.is_(None),
            User.active.is_(True),
            Assignment.mode == Mode.QUIZ.value,
            Assignment.due_at > now,
            Assignment.due_at <= now + before,
            ~_finished(User.id),
        )
    ).all()
    return [
        {
            "user_id": user_id,
            "kind": NoticeKind.REMINDER.value,
            "subject": f"assignment:{assignment_id}",
            "title": f"Due soon: {title}"[:200],
            "body": f"{title} for {class_name} is due {due_at:%Y-%m-%d %H:%M} UTC.",
            "link": app_path("study.assignment", assignment_id=assignment_id),
        }
        for assignment_id, due_at, title, class_name, user_id in rows
    ]


def released_rows(session: AnySession, assignment_id: int) -> list[dict[str, Any]]:
    """A note to everyone who handed the assignment in: its marks or comments are out."""
    rows = session.execute(
        sa.select(Attempt.user_id, sa.func.max(Attempt.id), QuestionSet.title)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(QuestionSet, QuestionSet.id == Assignment.set_id)
        .where(Attempt.assignment_id == assignment_id, Attempt.finished_at.is_not(None))
        .group_by(Attempt.user_id, QuestionSet.title)
    ).all()
    return [
        {
            "user_id": user_id,
            "kind": NoticeKind.RELEASED.value,
            "subject": f"assignment:{assignment_id}",
            "title": f"Marked: {title}"[:200],
            "body": f"Your mark and comments for {title} are ready.",
            "link": app_path("study.attempt_result", attempt_id=attempt_id),
        }
        for user_id, attempt_id, title in rows
    ]


def notify_marks_released(session: AnySession, assignment_id: int) -> int:
    """Call when an assignment's marks or comments are released (the caller commits);
    the next send-notices mails them. Calling it again adds nothing."""
    return insert_missing(session, released_rows(session, assignment_id))


def digest_rows(session: AnySession, now: datetime) -> list[dict[str, Any]]:
    """This week's digest for every teacher with a quiz due in the fortnight around now: who
    has not finished it."""
    year, week, _ = now.isocalendar()
    behind = session.execute(
        sa.select(
            Classroom.teacher_id,
            Classroom.id,
            Classroom.name,
            Assignment.id,
            QuestionSet.title,
            Assignment.due_at,
            User.username,
        )
        .join(Assignment, Assignment.classroom_id == Classroom.id)
        .join(QuestionSet, QuestionSet.id == Assignment.set_id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .join(User, User.id == Enrollment.user_id)
        .where(
            Classroom.archived_at.is_(None),
            Assignment.mode == Mode.QUIZ.value,
            Assignment.due_at.between(now - DIGEST_WINDOW, now + DIGEST_WINDOW),
            User.id != Classroom.teacher_id,
            ~_finished(User.id),
        )
        .order_by(Classroom.name, Assignment.due_at, User.username_key)
    ).all()
    lines: dict[int, dict[tuple[int, str, str, datetime], list[str]]] = defaultdict(dict)
    first_class: dict[int, int] = {}
    for teacher_id, class_id, class_name, assignment_id, title, due_at, name in behind:
        first_class.setdefault(teacher_id, class_id)
        key = (assignment_id, class_name, title, due_at)
        lines[teacher_id].setdefault(key, []).append(name)
    rows = []
    for teacher_id, per_assignment in lines.items():
        parts = []
        for (_, class_name, title, due_at), names in per_assignment.items():
            shown = ", ".join(names[:BEHIND_NAMES])
            more = f" and {len(names) - BEHIND_NAMES} more" if len(names) > BEHIND_NAMES else ""
            parts.append(
                f"{class_name}: {title} (due {due_at:%Y-%m-%d}): {len(names)} not finished: "
                f"{shown}{more}."
            )
        rows.append(
            {
                "user_id": teacher_id,
                "kind": NoticeKind.DIGEST.value,
                "subject": f"week:{year}-W{week:02d}",
                "title": f"This week: {len(parts)} quiz(zes) with students behind",
                "body": "\n".join(parts),
                "link": app_path("teach.class_page", class_id=first_class[teacher_id]),
            }
        )
    return rows


def collect(session: AnySession, before: timedelta, now: datetime | None = None) -> int:
    """Write every notice due now that is not written yet; how many were new."""
    now = now or now_utc()
    made = insert_missing(session, reminder_rows(session, now, before))
    made += insert_missing(session, digest_rows(session, now))
    return made
