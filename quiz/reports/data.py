"""What a class's reports show, loaded in bulk: a fixed number of queries for any class size.

Every function here runs the same statements for 3 students or 300: rows come back as
tuples, grouped and computed in Python (quiz.classes.assigned, quiz.insight), never loaded as
one object per card or per answer. A teacher sees a student only through this class's
assignments: every query is limited to the class's members and its assigned sets.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz import insight
from quiz.charts import recall_band
from quiz.classes import assigned
from quiz.gradebook import data as grades
from quiz.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Classroom,
    Enrollment,
    Excusal,
    Mode,
    Question,
    QuestionSet,
    Review,
    ReviewOverride,
    User,
)
from quiz.reports import aggregates, forecast_view
from quiz.study.answers import load_question
from quiz.study.display import describe_response

CHOICE_KINDS = frozenset({"multiple_choice", "multiple_select", "true_false"})


def members(classroom: Classroom) -> sa.Select[tuple[int]]:
    """The ids of the class's students, as a subquery."""
    return sa.select(Enrollment.user_id).where(Enrollment.classroom_id == classroom.id)


def class_question_ids(classroom: Classroom) -> sa.Select[tuple[int]]:
    """Live questions of the sets assigned to the class, as a subquery."""
    set_ids = sa.select(Assignment.set_id).where(Assignment.classroom_id == classroom.id)
    return sa.select(Question.id).where(Question.set_id.in_(set_ids), Question.retired.is_(False))


@dataclass
class ClassData:
    """The class's students, assignments and the rows every report starts from."""

    students: list[tuple[int, str]]
    assignments: list[tuple[Assignment, str]]
    questions: dict[int, list[int]]
    activity: dict[int, tuple[datetime | None, int]]  # student -> (last review, overdue cards)
    attempts: list[assigned.AttemptRow]
    grid: dict[tuple[int, int], assigned.Progress] = field(default_factory=dict)
    book: grades.Book | None = None


def load(session: Session, classroom: Classroom, now: datetime, *, grid: bool = True) -> ClassData:
    """Students, assignments, questions, each student's activity and memory per assignment
    (summed in SQL: quiz.reports.aggregates), attempts (with their "I was right" credit),
    categories and excused cells: nine queries.

    With grid=False the per-assignment progress and grades are left out (the forecast does
    not show them).
    """
    students = [
        (row.id, row.username)
        for row in session.execute(
            sa.select(User.id, User.username)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.classroom_id == classroom.id)
            .order_by(User.username_key)
        )
    ]
    pairs = [
        (a, title)
        for a, title in session.execute(
            sa.select(Assignment, QuestionSet.title)
            .join(QuestionSet, QuestionSet.id == Assignment.set_id)
            .where(Assignment.classroom_id == classroom.id)
            .order_by(Assignment.due_at, Assignment.id)
        )
    ]
    questions = assigned.live_question_ids(session, {a.set_id for a, _t in pairs})
    in_class = Attempt.user_id.in_(members(classroom))
    assignment_ids = [a.id for a, _t in pairs]
    if grid:
        tries = grades.credited_attempts(session, in_class, assignment_ids)
    else:
        tries = assigned.attempt_rows(session, in_class, assignment_ids)
    data = ClassData(students, pairs, questions, {}, tries)
    if grid:
        assignments = [a for a, _t in pairs]
        user_ids = [s for s, _n in students]
        memory = aggregates.memory(session, classroom, assignments, questions, now)
        data.activity = memory.activity
        data.grid = assigned.progress_grid(
            assignments, questions, user_ids, (), tries, now, memory=memory.cells
        )
        data.book = grades.grade_book(
            classroom,
            grades.category_rows(session, [classroom.id])[classroom.id],
            assignments,
            user_ids,
            data.grid,
            tries,
            grades.excused_pairs(session, assignment_ids, Excusal.user_id.in_(members(classroom))),
            now,
        )
    return data


@dataclass(frozen=True)
class StudentRow:
    """One row of the dashboard."""

    id: int
    username: str
    cells: list[assigned.Progress]
    last_activity: datetime | None
    overdue: int


def dashboard_rows(data: ClassData, now: datetime) -> list[StudentRow]:
    """A row per student: progress per assignment, last activity and overdue cards."""
    last: dict[int, datetime] = {}
    overdue: dict[int, int] = {}
    for user_id, (last_review, late_cards) in data.activity.items():
        if last_review is not None:
            last[user_id] = last_review
        overdue[user_id] = late_cards
    for attempt in data.attempts:
        moment = attempt.finished_at or attempt.started_at
        if attempt.user_id not in last or moment > last[attempt.user_id]:
            last[attempt.user_id] = moment
    return [
        StudentRow(
            user_id,
            name,
            [data.grid[(user_id, a.id)] for a, _t in data.assignments],
            last.get(user_id),
            overdue.get(user_id, 0),
        )
        for user_id, name in data.students
    ]


def cell_value(cell: assigned.Progress) -> float:
    """A cell as one number for sorting and the gradebook: best score or recall at due."""
    value = cell.best if cell.best is not None else cell.recall_at_due
    return -1.0 if value is None else value


def sort_rows(
    rows: list[StudentRow], assignments: Sequence[Assignment], key: str, descending: bool
) -> list[StudentRow]:
    """Sort by name, activity, overdue cards or an assignment column ("a<id>")."""
    index = {f"a{a.id}": i for i, a in enumerate(assignments)}
    oldest = datetime.min.replace(tzinfo=None)

    def sort_key(row: StudentRow) -> Any:
        if key == "activity":
            return row.last_activity.replace(tzinfo=None) if row.last_activity else oldest
        if key == "overdue":
            return row.overdue
        if key in index:
            return cell_value(row.cells[index[key]])
        return row.username.casefold()

    return sorted(rows, key=sort_key, reverse=descending)


def behind(rows: list[StudentRow], now: datetime, days: int) -> list[StudentRow]:
    """Students with overdue cards or no activity in the last `days` days."""
    since = now - timedelta(days=days)
    return [
        row
        for row in rows
        if row.overdue > 0 or row.last_activity is None or row.last_activity < since
    ]


def weekly_scores(data: ClassData, zone: Any) -> list[insight.WeekSpread]:
    """Median and quartiles of the class's finished assigned quizzes per week (percent)."""
    return insight.weekly_spread(
        [
            (row.finished_at, row.score * 100)
            for row in data.attempts
            if row.finished_at is not None and row.score is not None
        ],
        zone,
    )


# Item analysis.


def picked_labels(item: Any, response: Any) -> list[str]:
    """The choice texts a response picked, for the choice counts; none for other kinds."""
    if item.kind not in CHOICE_KINDS or response is None:
        return []
    text = describe_response(item, response)
    return text.split("; ") if item.kind == "multiple_select" else [text]


@dataclass(frozen=True)
class ItemReport:
    """Item analysis of one set in one class."""

    questions: list[Question]
    stats: list[insight.ItemStats]
    attempts: int


def item_report(
    session: Session, classroom: Classroom, qset: QuestionSet, min_attempts: int
) -> ItemReport:
    """Facility, discrimination and choices over each student's first attempt (five queries).

    First attempts only, as a test is first taken: later attempts are practice on questions
    already seen and would flatten the discrimination.
    """
    quiz_ids = sa.select(Assignment.id).where(
        Assignment.classroom_id == classroom.id,
        Assignment.set_id == qset.id,
        Assignment.mode == Mode.QUIZ.value,
    )
    first = (
        sa.select(Attempt.user_id, sa.func.min(Attempt.id).label("attempt_id"))
        .where(
            Attempt.assignment_id.in_(quiz_ids),
            Attempt.user_id.in_(members(classroom)),
            Attempt.finished_at.is_not(None),
        )
        .group_by(Attempt.user_id)
        .subquery()
    )
    orders = session.execute(
        sa.select(Attempt.id, Attempt.question_order).where(
            Attempt.id.in_(sa.select(first.c.attempt_id))
        )
    ).all()
    firsts = AttemptAnswer.attempt_id.in_(sa.select(first.c.attempt_id))
    rows = session.execute(
        sa.select(AttemptAnswer.attempt_id, AttemptAnswer.question_id, AttemptAnswer.score).where(
            firsts
        )
    ).all()
    # The choices picked, counted by the database: a class of 1,000 gives the same few
    # responses, each decoded and put in words once (as text: PostgreSQL's json has no "=").
    response_text = sa.cast(AttemptAnswer.response, sa.Text)
    distinct = session.execute(
        sa.select(AttemptAnswer.question_id, response_text, sa.func.count())
        .where(firsts, AttemptAnswer.response.is_not(None))
        .group_by(AttemptAnswer.question_id, response_text)
    ).all()
    questions = list(
        session.scalars(
            sa.select(Question)
            .where(Question.set_id == qset.id, Question.retired.is_(False))
            .order_by(Question.position, Question.id)
        )
    )
    items = {q.id: load_question(q) for q in questions}
    # A question the attempt asked but the student left unanswered scores 0, as in Moodle.
    scores: dict[int, dict[int, float]] = {
        attempt_id: dict.fromkeys(order or [], 0.0) for attempt_id, order in orders
    }
    for attempt_id, question_id, score in rows:
        scores.setdefault(attempt_id, {})[question_id] = score
    picks: Counter[tuple[int, str]] = Counter()
    for question_id, text, count in distinct:
        if question_id in items and items[question_id].kind in CHOICE_KINDS and text:
            for label in picked_labels(items[question_id], json.loads(text)):
                picks[(question_id, label)] += count
    scored = [insight.ScoredAttempt(key, values) for key, values in scores.items()]
    stats = insight.item_analysis(scored, [q.id for q in questions], picks, min_attempts)
    return ItemReport(questions, stats, len(scored))


# A student's answers and the answer export.


def answer_rows(
    session: Session, classroom: Classroom, users: sa.ColumnElement[bool], set_id: int | None
) -> sa.Select[Any]:
    """Reviews of class members on the class's sets (optionally one set), newest first."""
    set_ids = sa.select(Assignment.set_id).where(Assignment.classroom_id == classroom.id)
    query = (
        sa.select(
            Review.id,
            Review.user_id,
            User.username,
            Review.question_id,
            Question.set_id,
            Question.key,
            Review.response,
            Review.correct,
            Review.score,
            Review.duration_ms,
            Review.reviewed_at,
            Review.attempt_id,
            ReviewOverride.rating.label("override_rating"),
            ReviewOverride.accepted_at.label("override_accepted_at"),
        )
        .join(Question, Question.id == Review.question_id)
        .join(User, User.id == Review.user_id)
        .outerjoin(ReviewOverride, ReviewOverride.review_id == Review.id)
        .where(users, Question.set_id.in_(set_ids), Review.user_id.in_(members(classroom)))
        .order_by(Review.reviewed_at.desc(), Review.id.desc())
    )
    if set_id is not None:
        query = query.where(Question.set_id == set_id)
    return query


def override_text(row: Any) -> str:
    """The student's "I was right" on an answer, if any, in words."""
    if row.override_rating is None:
        return ""
    accepted = " and the teacher accepted it" if row.override_accepted_at else ""
    return f"student said it was right{accepted}"


def question_rows(session: Session, question_ids: Sequence[int]) -> dict[int, Question]:
    """Question rows by id (for their labels)."""
    questions = session.scalars(sa.select(Question).where(Question.id.in_(question_ids)))
    return {q.id: q for q in questions}


def question_items(session: Session, question_ids: Sequence[int] | sa.Select[Any]) -> dict:
    """Question rows and their pure objects by id, to describe responses."""
    questions = session.scalars(sa.select(Question).where(Question.id.in_(question_ids)))
    return {q.id: (q, load_question(q)) for q in questions}


def iter_answers(session: Session, query: sa.Select[Any], batch: int = 2000) -> Iterator[Any]:
    """Stream a large result in batches, so a year of answers is not held in memory."""
    result = session.execute(query.execution_options(yield_per=batch))
    yield from result


def percent_text(value: float | None) -> str:
    """'87%', or '—' for never studied."""
    return "—" if value is None else f"{round(value * 100)}%"


band = recall_band  # the heat class of a recall (quiz.charts, shared with the SVG heat map)


def heat_rows(arranged: forecast_view.Arranged) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The forecast table as text: (student, average, [(cell text, heat class), ...]).

    Formatted here rather than in the template: a class of 300 and 100 questions is 30,000
    cells, and a Jinja macro call per cell would dominate the page's time.
    """
    return [
        (row.name, percent_text(row.average), [(percent_text(v), band(v)) for v in row.cells])
        for row in arranged.rows
    ]
