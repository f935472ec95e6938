"""Where students stand on their assignments, computed in bulk for one student or a class.

Three queries cover any number of students and assignments: the sets' live questions, the
students' card states on them (as tuples, never Card objects) and their attempts. Recall on a
due date comes from quiz.insight, which reproduces fsrs's retrievability over those tuples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz import insight
from quiz.models import Assignment, Attempt, Card, Mode, Question, StudiedSet


class CardRow(NamedTuple):
    """The parts of a card the dashboards need."""

    user_id: int
    question_id: int
    stability: float | None
    last_review: datetime | None
    due: datetime
    reps: int


class AttemptRow(NamedTuple):
    """The parts of an attempt the dashboards need."""

    id: int
    user_id: int
    assignment_id: int
    score: float | None
    started_at: datetime
    finished_at: datetime | None
    asked: int = 0  # questions in the attempt, for the "I was right" credit


@dataclass(frozen=True)
class Progress:
    """One student on one assignment."""

    status: str  # "to do", "in progress", "done", "late", "missing"
    attempts: int = 0
    best: float | None = None  # quiz scores, 0..1
    latest: float | None = None
    open_attempt: int | None = None
    studied: int = 0  # questions answered at least once
    total: int = 0
    recall_at_due: float | None = None  # mean over the set, never-seen questions as 0
    last_activity: datetime | None = None

    @property
    def finished(self) -> bool:
        """Done, on time or late."""
        return self.status in ("done", "late")


def live_question_ids(session: Session, set_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each set's live question ids in set order (one query)."""
    found: dict[int, list[int]] = defaultdict(list)
    ids = sorted(set(set_ids))
    if not ids:
        return found
    rows = session.execute(
        sa.select(Question.set_id, Question.id)
        .where(Question.set_id.in_(ids), Question.retired.is_(False))
        .order_by(Question.set_id, Question.position, Question.id)
    )
    for set_id, question_id in rows:
        found[set_id].append(question_id)
    return found


def card_rows(
    session: Session, users: sa.ColumnElement[bool], questions: sa.ColumnElement[bool]
) -> list[CardRow]:
    """Card states as tuples, filtered by conditions on Card.user_id and Card.question_id."""
    rows = session.execute(
        sa.select(
            Card.user_id, Card.question_id, Card.stability, Card.last_review, Card.due, Card.reps
        ).where(users, questions)
    )
    return [CardRow._make(row) for row in rows]


def attempt_rows(
    session: Session, users: sa.ColumnElement[bool], assignment_ids: Sequence[int]
) -> list[AttemptRow]:
    """Attempts made for the given assignments, oldest first."""
    if not assignment_ids:
        return []
    rows = session.execute(
        sa.select(
            Attempt.id,
            Attempt.user_id,
            Attempt.assignment_id,
            Attempt.score,
            Attempt.started_at,
            Attempt.finished_at,
            Attempt.question_order,
        )
        .where(users, Attempt.assignment_id.in_(list(assignment_ids)))
        .order_by(Attempt.started_at, Attempt.id)
    )
    return [AttemptRow(*row[:-1], asked=len(row[-1] or ())) for row in rows]


def with_credit(rows: Sequence[AttemptRow], credit: dict[int, float]) -> list[AttemptRow]:
    """Attempts scored as their result pages show them: with the overrides' credit (points
    per attempt, from quiz.overrides.claims.quiz_credit, which heeds the set's setting)."""
    return [
        row._replace(score=min(1.0, row.score + credit[row.id] / (row.asked or 1)))
        if row.score is not None and row.id in credit
        else row
        for row in rows
    ]


def _memory(
    assignment: Assignment,
    question_ids: list[int],
    cards: dict[int, CardRow],
    now: datetime,
    curve: insight.Curve,
) -> dict[str, Any]:
    """Questions studied, mean recall on the due date (unseen count 0) and the last review."""
    when = assignment.due_at or now
    held = [cards[qid] for qid in question_ids if qid in cards]
    recall = insight.mean_recall(
        ((c.stability, c.last_review) for c in held), when, curve, len(question_ids)
    )
    return {
        "studied": sum(1 for c in held if c.reps > 0),
        "total": len(question_ids),
        "recall_at_due": recall,
        "last_activity": max((c.last_review for c in held if c.last_review), default=None),
    }


def _quiz_progress(
    assignment: Assignment, tries: list[AttemptRow], memory: dict[str, Any], now: datetime
) -> Progress:
    done = [t for t in tries if t.finished_at is not None and t.score is not None]
    open_ids = [t.id for t in tries if t.finished_at is None]
    last = max((t.finished_at or t.started_at for t in tries), default=None)
    common = {
        **memory,
        "attempts": len(tries),
        "best": max((t.score for t in done if t.score is not None), default=None),
        "latest": done[-1].score if done else None,
        "open_attempt": open_ids[-1] if open_ids else None,
        "last_activity": max(filter(None, (last, memory["last_activity"])), default=None),
    }
    due = assignment.due_at
    if done:
        on_time = due is None or any(
            t.finished_at is not None and t.finished_at <= due for t in done
        )
        return Progress("done" if on_time else "late", **common)
    if open_ids:
        return Progress("in progress", **common)
    return Progress("missing" if due is not None and now > due else "to do", **common)


def _study_progress(assignment: Assignment, memory: dict[str, Any], now: datetime) -> Progress:
    due, mean, last = assignment.due_at, memory["recall_at_due"], memory["last_activity"]
    if mean is not None and mean >= assignment.target_recall:
        late = due is not None and last is not None and last > due
        return Progress("late" if late else "done", **memory)
    if due is not None and now > due:
        return Progress("missing", **memory)
    return Progress("in progress" if memory["studied"] else "to do", **memory)


def summed_memory(
    studied: int, total: int, recall_sum: float | None, last_review: datetime | None
) -> dict[str, Any]:
    """The memory part of a cell from sums the database made (quiz.reports.aggregates)."""
    return {
        "studied": studied,
        "total": total,
        "recall_at_due": (recall_sum or 0.0) / total if total > 0 else None,
        "last_activity": last_review,
    }


def progress_grid(
    assignments: Sequence[Assignment],
    questions: dict[int, list[int]],
    user_ids: Iterable[int],
    cards: Iterable[CardRow],
    attempts: Iterable[AttemptRow],
    now: datetime,
    memory: dict[tuple[int, int], dict[str, Any]] | None = None,
) -> dict[tuple[int, int], Progress]:
    """(user, assignment) -> Progress, from rows loaded in bulk (no queries here).

    `memory`, when given, holds each (user, assignment)'s memory already summed by the
    database (a class of 1,000 has too many cards to load); `cards` is then not read.
    """
    curve = insight.Curve.from_scheduler()
    by_user_cards: dict[int, dict[int, CardRow]] = defaultdict(dict)
    if memory is None:
        for card in cards:
            by_user_cards[card.user_id][card.question_id] = card
    by_pair: dict[tuple[int, int], list[AttemptRow]] = defaultdict(list)
    for row in attempts:
        by_pair[(row.user_id, row.assignment_id)].append(row)
    grid = {}
    for user_id in user_ids:
        for assignment in assignments:
            total = len(questions.get(assignment.set_id, []))
            if memory is not None:
                held = memory.get((user_id, assignment.id))
                cell_memory = held or summed_memory(0, total, None, None)
            else:
                cell_memory = _memory(
                    assignment,
                    questions.get(assignment.set_id, []),
                    by_user_cards[user_id],
                    now,
                    curve,
                )
            if assignment.mode == Mode.QUIZ:
                tries = by_pair[(user_id, assignment.id)]
                cell = _quiz_progress(assignment, tries, cell_memory, now)
            else:
                cell = _study_progress(assignment, cell_memory, now)
            grid[(user_id, assignment.id)] = cell
    return grid


def start_refusal(assignment: Assignment, progress: Progress, now: datetime) -> str | None:
    """Why a student may not start another attempt at an assigned quiz, or None."""
    if assignment.mode != Mode.QUIZ:
        return "This assignment is for study, not a quiz."
    if assignment.due_at is not None and now > assignment.due_at and not assignment.allow_late:
        return "The due date has passed and this quiz does not accept late attempts."
    if assignment.max_attempts is not None and progress.attempts >= assignment.max_attempts:
        return f"You have used all {assignment.max_attempts} attempts at this quiz."
    return None


def add_to_queues(session: Session, set_id: int, user_ids: Iterable[int]) -> int:
    """Make a set part of these students' studies (StudiedSet rows); returns how many added."""
    wanted = set(user_ids)
    if not wanted:
        return 0
    have = set(
        session.scalars(
            sa.select(StudiedSet.user_id).where(
                StudiedSet.set_id == set_id, StudiedSet.user_id.in_(wanted)
            )
        )
    )
    for user_id in sorted(wanted - have):
        session.add(StudiedSet(user_id=user_id, set_id=set_id))
    return len(wanted - have)
