"""The gradebook's rows from the database: a fixed number of queries for any class size.

The numbers themselves come from quiz.gradebook.compute (pure); this module loads the class's
categories, excused cells and the "I was right" credit, and turns progress into its inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.classes import assigned
from quiz.gradebook import compute
from quiz.models import (
    Assignment,
    Attempt,
    Card,
    Classroom,
    Excusal,
    GradeCategory,
    Mode,
    QuestionSet,
)
from quiz.overrides.claims import quiz_credit

DEFAULT_NAMES = {Mode.QUIZ.value: "Quizzes", Mode.STUDY.value: "Study"}


def policy_of(classroom: Classroom) -> compute.Policy:
    """The class's gradebook rules."""
    return compute.Policy(bool(classroom.missing_counts_zero), classroom.late_penalty_pct)


def category_rows(session: Session, class_ids: Iterable[int]) -> dict[int, list[GradeCategory]]:
    """The saved categories of each class, in the order they were made (one query)."""
    found: dict[int, list[GradeCategory]] = defaultdict(list)
    ids = sorted(set(class_ids))
    if ids:
        query = sa.select(GradeCategory).where(GradeCategory.classroom_id.in_(ids))
        for row in session.scalars(query.order_by(GradeCategory.id)):
            found[row.classroom_id].append(row)
    return found


def categories_of(rows: Sequence[GradeCategory]) -> list[compute.Category]:
    """The class's categories; with none saved, one per mode with equal weights."""
    if not rows:
        return [compute.Category(mode, name, 1.0) for mode, name in DEFAULT_NAMES.items()]
    return [compute.Category(row.id, row.name, row.weight) for row in rows]


def category_key(assignment: Assignment, rows: Sequence[GradeCategory]) -> Hashable:
    """The category an assignment counts in: its own, else its mode's, else the first."""
    if not rows:
        return assignment.mode
    ids = {row.id for row in rows}
    if assignment.category_id in ids:
        return assignment.category_id
    by_mode = [row.id for row in rows if row.mode == assignment.mode]
    return by_mode[0] if by_mode else rows[0].id


def item_of(assignment: Assignment, rows: Sequence[GradeCategory]) -> compute.Item:
    """An assignment as the pure gradebook sees it."""
    return compute.Item(
        assignment.id,
        category_key(assignment, rows),
        float(assignment.points if assignment.points is not None else 100.0),
        assignment.late_penalty_pct,
    )


def excused_pairs(
    session: Session, assignment_ids: Sequence[int], users: sa.ColumnElement[bool]
) -> set[tuple[int, int]]:
    """(user, assignment) pairs the teacher excused (one query)."""
    if not assignment_ids:
        return set()
    rows = session.execute(
        sa.select(Excusal.user_id, Excusal.assignment_id).where(
            Excusal.assignment_id.in_(list(assignment_ids)), users
        )
    )
    return {(user_id, assignment_id) for user_id, assignment_id in rows}


def credited_attempts(
    session: Session, users: sa.ColumnElement[bool], assignment_ids: Sequence[int]
) -> list[assigned.AttemptRow]:
    """Attempts at these assignments, scored with the "I was right" credit (two queries)."""
    rows = assigned.attempt_rows(session, users, assignment_ids)
    if not rows:
        return rows
    credit = quiz_credit(session, users, Attempt.assignment_id.in_(list(assignment_ids)))
    return assigned.with_credit(rows, credit)


def work_of(
    assignment: Assignment,
    progress: assigned.Progress,
    tries: Sequence[assigned.AttemptRow],
    now: datetime,
    *,
    excused: bool,
) -> compute.Work:
    """One student's work on one assignment, as compute's input."""
    if assignment.mode == Mode.QUIZ:
        return compute.quiz_work(
            assignment.due_at, now, [(t.score, t.finished_at) for t in tries], excused=excused
        )
    return compute.study_work(
        assignment.due_at,
        now,
        progress.recall_at_due,
        assignment.target_recall,
        progress.last_activity,
        studied=progress.studied,
        excused=excused,
    )


@dataclass(frozen=True)
class Book:
    """A class's gradebook: its categories, items and a graded row per student."""

    categories: list[compute.Category]
    items: list[compute.Item]
    rows: dict[int, compute.Row]
    policy: compute.Policy

    @property
    def shares(self) -> dict[Hashable, float]:
        """Each category's share of the total."""
        return compute.weight_shares(self.categories)


def grade_book(
    classroom: Classroom,
    category_list: Sequence[GradeCategory],
    assignments: Sequence[Assignment],
    user_ids: Iterable[int],
    grid: dict[tuple[int, int], assigned.Progress],
    attempts: Iterable[assigned.AttemptRow],
    excused: set[tuple[int, int]],
    now: datetime,
) -> Book:
    """Grade every student of the class on its assignments (no queries here)."""
    categories = categories_of(category_list)
    items = [item_of(a, category_list) for a in assignments]
    policy = policy_of(classroom)
    tries: dict[tuple[int, int], list[assigned.AttemptRow]] = defaultdict(list)
    for row in attempts:
        tries[(row.user_id, row.assignment_id)].append(row)
    rows = {}
    for user_id in user_ids:
        works = [
            work_of(
                a,
                grid[(user_id, a.id)],
                tries[(user_id, a.id)],
                now,
                excused=(user_id, a.id) in excused,
            )
            for a in assignments
        ]
        rows[user_id] = compute.grade_row(items, works, categories, policy)
    return Book(categories, items, rows, policy)


def student_book(
    session: Session, classroom: Classroom, user_id: int, now: datetime
) -> tuple[list[tuple[Assignment, str]], Book]:
    """One student's gradebook row in one class, with the class's assignments (seven queries)."""
    pairs = [
        (a, title)
        for a, title in session.execute(
            sa.select(Assignment, QuestionSet.title)
            .join(QuestionSet, QuestionSet.id == Assignment.set_id)
            .where(Assignment.classroom_id == classroom.id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    ]
    assignments = [a for a, _t in pairs]
    questions = assigned.live_question_ids(session, {a.set_id for a in assignments})
    question_ids = [qid for ids in questions.values() for qid in ids]
    cards = (
        assigned.card_rows(session, Card.user_id == user_id, Card.question_id.in_(question_ids))
        if question_ids
        else []
    )
    ids = [a.id for a in assignments]
    tries = credited_attempts(session, Attempt.user_id == user_id, ids)
    grid = assigned.progress_grid(assignments, questions, [user_id], cards, tries, now)
    book = grade_book(
        classroom,
        category_rows(session, [classroom.id])[classroom.id],
        assignments,
        [user_id],
        grid,
        tries,
        excused_pairs(session, ids, Excusal.user_id == user_id),
        now,
    )
    return pairs, book
