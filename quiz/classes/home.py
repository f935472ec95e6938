"""A student's classes and assignments: what their home and progress pages list, and joining."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz import insight, joincode
from quiz.classes import assigned
from quiz.gradebook import compute
from quiz.gradebook import data as grades
from quiz.models import (
    Assignment,
    Attempt,
    Card,
    Classroom,
    Enrollment,
    Excusal,
    Mode,
    Question,
    QuestionSet,
    ShowAnswers,
    User,
)
from quiz.study.queue import user_zone

STATUS_ORDER = {"missing": 0, "in progress": 1, "to do": 2, "late": 3, "done": 4}


@dataclass(frozen=True)
class AssignmentView:
    """One assignment as its student sees it."""

    assignment: Assignment
    title: str
    class_name: str
    zone: str
    progress: assigned.Progress
    grade: compute.Cell | None = None

    @property
    def due_local(self) -> datetime | None:
        """The due time on the student's clock (`zone`: every time a student's screen shows is
        in their own zone, named once)."""
        due = self.assignment.due_at
        return due.astimezone(zone_of(self.zone)) if due else None


@dataclass(frozen=True)
class ClassView:
    """One of the student's classes with its assignments, soonest due first."""

    classroom: Classroom
    teacher: str
    assignments: list[AssignmentView]
    grade: compute.Row | None = None


def zone_of(name: str) -> ZoneInfo:
    """A zone by name, UTC when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def student_classes(session: Session, user: User, now: datetime) -> list[ClassView]:
    """The student's active classes and assignments with their progress and grades (eight
    queries, however many classes)."""
    rows = session.execute(
        sa.select(Classroom, User.username)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .join(User, User.id == Classroom.teacher_id)
        .where(Enrollment.user_id == user.id, Classroom.archived_at.is_(None))
        .order_by(Classroom.name, Classroom.id)
    ).all()
    if not rows:
        return []
    class_ids = [classroom.id for classroom, _teacher in rows]
    pairs = session.execute(
        sa.select(Assignment, QuestionSet.title)
        .join(QuestionSet, QuestionSet.id == Assignment.set_id)
        .where(Assignment.classroom_id.in_(class_ids))
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    assignments = [a for a, _title in pairs]
    questions = assigned.live_question_ids(session, {a.set_id for a in assignments})
    all_questions = [qid for ids in questions.values() for qid in ids]
    cards = (
        assigned.card_rows(session, Card.user_id == user.id, Card.question_id.in_(all_questions))
        if all_questions
        else []
    )
    ids = [a.id for a in assignments]
    tries = grades.credited_attempts(session, Attempt.user_id == user.id, ids)
    grid = assigned.progress_grid(assignments, questions, [user.id], cards, tries, now)
    categories = grades.category_rows(session, class_ids)
    excused = grades.excused_pairs(session, ids, Excusal.user_id == user.id)
    zone = user_zone(user).key  # a student's screens show their own zone's clock
    views = []
    for classroom, teacher in rows:
        mine = [(a, title) for a, title in pairs if a.classroom_id == classroom.id]
        book = grades.grade_book(
            classroom,
            categories[classroom.id],
            [a for a, _t in mine],
            [user.id],
            grid,
            tries,
            excused,
            now,
        )
        row = book.rows[user.id]
        listed = [
            AssignmentView(a, title, classroom.name, zone, grid[(user.id, a.id)], cell)
            for (a, title), cell in zip(mine, row.cells, strict=True)
        ]
        views.append(ClassView(classroom, teacher, listed, row))
    return views


def next_to_do(classes: list[ClassView]) -> AssignmentView | None:
    """The unfinished assignment to do first: overdue ones, then the soonest due."""
    open_ones = [v for c in classes for v in c.assignments if not v.progress.finished]
    if not open_ones:
        return None
    far = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    return min(
        open_ones,
        key=lambda v: (STATUS_ORDER[v.progress.status] > 1, v.assignment.due_at or far),
    )


def upcoming_study(classes: list[ClassView], now: datetime) -> list[AssignmentView]:
    """Assignments due from now on, for the forecast on the progress page."""
    return [
        v
        for c in classes
        for v in c.assignments
        if v.assignment.due_at is not None and v.assignment.due_at >= now
    ]


def find_class(session: Session, typed: str) -> Classroom | None:
    """The active class with this code, however it was typed; None for any other."""
    code = joincode.normalize(typed)
    if not joincode.looks_valid(code):
        return None
    return session.scalar(
        sa.select(Classroom).where(Classroom.join_code == code, Classroom.archived_at.is_(None))
    )


@dataclass(frozen=True)
class Invitation:
    """What a signed join link says before the student joins: the class and its teacher."""

    class_name: str
    teacher_name: str


def invited_class(session: Session, code: str, token: str, secret: str) -> Invitation | None:
    """The active class a signed join link invites to; None for an unsigned or altered link."""
    normalized = joincode.normalize(code)
    if not token or not joincode.link_token_matches(normalized, token, secret):
        return None
    row = session.execute(
        sa.select(Classroom.name, User.username)
        .join(User, User.id == Classroom.teacher_id)
        .where(Classroom.join_code == normalized, Classroom.archived_at.is_(None))
    ).first()
    return Invitation(row.name, row.username) if row is not None else None


def enroll(session: Session, user: User, classroom: Classroom) -> bool:
    """Put the student in the class and its study sets in their queue; False if already in."""
    if session.get(Enrollment, (classroom.id, user.id)) is not None:
        return False
    session.add(Enrollment(classroom_id=classroom.id, user_id=user.id))
    study_sets = session.scalars(
        sa.select(Assignment.set_id).where(
            Assignment.classroom_id == classroom.id, Assignment.mode == Mode.STUDY.value
        )
    )
    for set_id in set(study_sets):
        assigned.add_to_queues(session, set_id, [user.id])
    return True


def answers_shown(assignment: Assignment | None, now: datetime) -> bool:
    """Whether a quiz result may show the right answers now, as the assignment says."""
    if assignment is None or assignment.show_answers == ShowAnswers.AFTER_ATTEMPT:
        return True
    if assignment.show_answers == ShowAnswers.AFTER_DUE:
        return assignment.due_at is not None and now > assignment.due_at
    return False


def enrolled_assignment(session: Session, user: User, assignment_id: int) -> Assignment | None:
    """An assignment of an active class the student is in; None for any other."""
    return session.scalar(
        sa.select(Assignment)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(
            Assignment.id == assignment_id,
            Enrollment.user_id == user.id,
            Classroom.archived_at.is_(None),
        )
    )


def one_progress(
    session: Session, user: User, assignment: Assignment, now: datetime
) -> assigned.Progress:
    """The student's progress on one assignment."""
    questions = assigned.live_question_ids(session, [assignment.set_id])
    ids = questions.get(assignment.set_id, [])
    cards = (
        assigned.card_rows(session, Card.user_id == user.id, Card.question_id.in_(ids))
        if ids
        else []
    )
    tries = grades.credited_attempts(session, Attempt.user_id == user.id, [assignment.id])
    grid = assigned.progress_grid([assignment], questions, [user.id], cards, tries, now)
    return grid[(user.id, assignment.id)]


def home_context(session: Session, user: User, now: datetime) -> dict[str, object]:
    """What the study home page's class box needs: the classes and the next assignment."""
    views = student_classes(session, user, now)
    return {"class_views": views, "next_assignment": next_to_do(views)}


def attempt_reveals(session: Session, attempt_id: int, now: datetime) -> bool:
    """Whether the answers of an attempt's reviews may be shown (its assignment decides)."""
    assignment = session.scalar(
        sa.select(Assignment)
        .join(Attempt, Attempt.assignment_id == Assignment.id)
        .where(Attempt.id == attempt_id)
    )
    return answers_shown(assignment, now)


@dataclass(frozen=True)
class DueForecast:
    """An upcoming due date: the set's predicted recall then, and what to study before it."""

    view: AssignmentView
    target: float
    weakest: list[tuple[Question, float]]  # below the target, weakest first
    below: int


def due_forecasts(
    session: Session, user: User, views: list[AssignmentView], limit: int = 5
) -> list[DueForecast]:
    """Per upcoming assignment, the questions forecast below target on its due date.

    Two queries whatever the number of assignments: the sets' questions and the student's
    cards on them. A quiz has no target of its own: 90% stands in.
    """
    if not views:
        return []
    set_ids = {v.assignment.set_id for v in views}
    questions = session.scalars(
        sa.select(Question)
        .where(Question.set_id.in_(set_ids), Question.retired.is_(False))
        .order_by(Question.position, Question.id)
    ).all()
    states = {
        qid: (stability, last)
        for qid, stability, last in session.execute(
            sa.select(Card.question_id, Card.stability, Card.last_review).where(
                Card.user_id == user.id, Card.question_id.in_([q.id for q in questions])
            )
        )
    }
    curve = insight.Curve.from_scheduler()
    result = []
    for view in views:
        due = view.assignment.due_at
        target = view.assignment.target_recall if view.assignment.mode == Mode.STUDY else 0.9
        recalls = [
            (q, insight.recall_at(*states.get(q.id, (None, None)), due, curve) or 0.0)
            for q in questions
            if q.set_id == view.assignment.set_id and due is not None
        ]
        low = sorted((pair for pair in recalls if pair[1] < target), key=lambda pair: pair[1])
        result.append(DueForecast(view, target, low[:limit], len(low)))
    return result
