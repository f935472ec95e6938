"""The study queue: what a student sees next, and the sets they study."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from quiz import request_hints
from quiz.database import column_rows
from quiz.models import (
    Assignment,
    Attempt,
    Card,
    Enrollment,
    Mode,
    NewLimitRaise,
    PendingAnswer,
    Question,
    QuestionSet,
    ShowAnswers,
    StudiedSet,
    User,
    Visibility,
)
from quiz.models.base import UTCDateTime
from quiz.models.content import ShownQuestion, shown_question
from quiz.questions import MARKED_KINDS
from quiz.sets.giveaway_pairs import held_back
from quiz.statements import built_once

# Counts the study pages show (due cards, new questions) stop one past this: "100+" beyond it,
# so that a page costs the same however large the student's backlog has grown.
COUNT_CAP = 100


def shown_count(count: int) -> str:
    """A count as the pages show it: exact up to COUNT_CAP, then "100+" (filter `queue_count`)."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


def user_zone(user: User) -> ZoneInfo:
    """The student's time zone, for where their days begin."""
    try:
        return ZoneInfo(user.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def start_of_day(user: User, now: datetime) -> datetime:
    """Midnight of the student's current local day, as a UTC-aware datetime."""
    local = now.astimezone(user_zone(user))
    midnight = datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)
    return midnight.astimezone(now.tzinfo)


def visible_to(user_id: Any, now: Any) -> sa.ColumnElement[bool]:
    """The one rule for who sees a set in study: public ones, your own, your classes' sets
    assigned to study, and sets assigned as a quiz once the quiz's answers are released.

    A set a class gets only as a quiz is its answer key: studying, practising or browsing it
    would show the answers, so it stays out of every student list, queue and page until
    `quiz_released` (the quiz itself is reached through its assignment). Archived sets
    (deleted after students studied them) leave every list and queue.
    """
    mine = sa.select(Assignment.set_id).join(
        Enrollment, Enrollment.classroom_id == Assignment.classroom_id
    )
    to_study = mine.where(Enrollment.user_id == user_id, Assignment.mode == Mode.STUDY.value)
    released = mine.where(
        Enrollment.user_id == user_id,
        Assignment.mode == Mode.QUIZ.value,
        quiz_released(user_id, now),
    )
    return sa.and_(
        QuestionSet.archived.is_(False),
        sa.or_(
            QuestionSet.visibility == Visibility.PUBLIC.value,
            QuestionSet.owner_id == user_id,
            QuestionSet.id.in_(to_study),
            QuestionSet.id.in_(released),
        ),
    )


def quiz_released(user_id: Any, now: Any) -> sa.ColumnElement[bool]:
    """Whether an assigned quiz (the `Assignment` row in the query) has released its answers
    to the student, so that its set may be studied: never with "never show answers"; after
    the due date; and with "after each attempt", once the student has used every attempt
    (before that, the set's other questions would still be unseen quiz questions)."""
    finished = (
        sa.select(sa.func.count(Attempt.id))
        .where(
            Attempt.assignment_id == Assignment.id,
            Attempt.user_id == user_id,
            Attempt.finished_at.is_not(None),
        )
        .scalar_subquery()
    )
    return sa.and_(
        Assignment.show_answers != ShowAnswers.NEVER.value,
        sa.or_(
            sa.and_(Assignment.due_at.is_not(None), Assignment.due_at < now),
            sa.and_(
                Assignment.show_answers == ShowAnswers.AFTER_ATTEMPT.value,
                Assignment.max_attempts.is_not(None),
                finished >= Assignment.max_attempts,
            ),
        ),
    )


def visible_sets(user_id: int, now: datetime) -> sa.Select[tuple[QuestionSet]]:
    """Sets the student may study or take as a quiz of their own, by title."""
    return sa.select(QuestionSet).where(visible_to(user_id, now)).order_by(QuestionSet.title)


def live_questions(user_id: Any, now: Any) -> sa.ColumnElement[bool]:
    """Questions that are not retired and belong to a set the student may still see."""
    return sa.and_(
        Question.retired.is_(False),
        Question.kind.not_in(MARKED_KINDS),  # essays are marked by a teacher, never scheduled
        Question.set_id.in_(sa.select(QuestionSet.id).where(visible_to(user_id, now))),
    )


def studied_set_ids(session: Session, user_id: int) -> list[int]:
    """The ids of the sets the student studies."""
    return list(session.scalars(sa.select(StudiedSet.set_id).where(StudiedSet.user_id == user_id)))


def not_held(user_id: int) -> sa.ColumnElement[bool]:
    """Questions without a right answer of the student's waiting for its rating."""
    held = sa.select(PendingAnswer.question_id).where(PendingAnswer.user_id == user_id)
    return Question.id.not_in(held)


def questions_locked_by_open_attempt(
    session: Session, user: User, now: datetime
) -> dict[int, Attempt]:
    """The questions of the student's open quiz attempts, each with its attempt.

    While an attempt can still take answers, its questions stay out of study, practice and
    flip: otherwise the student could see the right answer there and go back to the quiz.
    """
    from quiz.quizzes.attempts import is_overtime

    hints = request_hints.hints_for(session, user.id)
    if hints is not None and not hints.open_attempt:
        return {}  # the login loader saw none open when the request began
    attempts = session.scalars(_open_attempts_query(), {"user_id": user.id})
    return {
        question_id: attempt
        for attempt in attempts
        if not is_overtime(attempt, now)
        for question_id in attempt.question_order
    }


@built_once
def _open_attempts_query() -> sa.Select[tuple[Attempt]]:
    """The student's unfinished attempts, oldest first; built once."""
    return (
        sa.select(Attempt)
        .where(Attempt.user_id == sa.bindparam("user_id"), Attempt.finished_at.is_(None))
        .order_by(Attempt.started_at)
    )


def in_play(now: datetime) -> sa.ColumnElement[bool]:
    """Cards the student has not suspended, nor buried until later than `now`."""
    return sa.and_(
        Card.suspended.is_(False),
        sa.or_(Card.buried_until.is_(None), Card.buried_until <= now),
    )


def due_cards(user_id: int, now: datetime, exclude: Collection[int] = ()) -> sa.Select[tuple[Card]]:
    """The student's cards due by `now`, most overdue first, live questions only."""
    query = (
        sa.select(Card)
        .join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user_id, Card.due <= now, live_questions(user_id, now))
        .where(not_held(user_id), in_play(now))
        .order_by(Card.due, Card.id)
    )
    return query.where(Question.id.not_in(exclude)) if exclude else query


def new_questions(
    user_id: Any, now: Any, exclude: Collection[int] = ()
) -> sa.Select[tuple[Question]]:
    """Questions of the studied sets the student has never answered, in set order."""
    has_card = sa.exists().where(Card.user_id == user_id, Card.question_id == Question.id)
    query = (
        sa.select(Question)
        .join(StudiedSet, StudiedSet.set_id == Question.set_id)
        .where(StudiedSet.user_id == user_id, live_questions(user_id, now), ~has_card)
        .where(not_held(user_id))
        # StudiedSet.set_id (equal to Question.set_id) lets SQLite take the sets in index order
        # and sort one set's questions at a time, stopping at the first set with a new one.
        .order_by(StudiedSet.added_at, StudiedSet.set_id, Question.position, Question.id)
    )
    return query.where(Question.id.not_in(exclude)) if exclude else query


def new_cards_today(session: Session, user: User, now: datetime) -> int:
    """How many questions the student met for the first time today (their local day)."""
    since = start_of_day(user, now)
    query = sa.select(sa.func.count()).where(Card.user_id == user.id, Card.created_at >= since)
    return session.scalar(query) or 0


def local_day(user: User, now: datetime) -> date:
    """The student's current local date."""
    return now.astimezone(user_zone(user)).date()


def new_left_today(session: Session, user: User, now: datetime) -> int:
    """New questions the student may still meet today: the daily limit, raised if they chose."""
    since = start_of_day(user, now)
    met = (
        sa.select(sa.func.count())
        .where(Card.user_id == user.id, Card.created_at >= since)
        .scalar_subquery()
    )
    extra = (
        sa.select(NewLimitRaise.extra)
        .where(NewLimitRaise.user_id == user.id, NewLimitRaise.day == local_day(user, now))
        .scalar_subquery()
    )
    met_count, raised = session.execute(sa.select(met, sa.func.coalesce(extra, 0))).one()
    return max(0, user.new_per_day + (raised or 0) - (met_count or 0))


@dataclass(frozen=True)
class Next:
    """What the study page shows: a question (with its card, if any) or when to come back."""

    question: ShownQuestion | None
    card_version: int | None  # the question's card's (None: never answered, no card yet)
    due_count: int  # exact up to COUNT_CAP, COUNT_CAP + 1 for more (see shown_count)
    new_left: int
    # A due card's: when it fell due. With nothing to study now: when the next card comes
    # back (None when none will). A new question: None.
    next_due: datetime | None
    locked_by: Attempt | None = None  # an open quiz holding some questions back


def next_item(
    session: Session, user: User, now: datetime, locked: dict[int, Attempt] | None = None
) -> Next:
    """Due reviews first (most overdue first), then new questions up to the daily limit.

    One round trip: the counts, the next due time and the chosen question (with its card and
    set) come back in one row, since every study page shows them. Questions of an open quiz
    attempt are left out (see questions_locked_by_open_attempt). The question comes back as
    plain columns (ShownQuestion): a page shows it, nothing writes through it.
    """
    if locked is None:
        locked = questions_locked_by_open_attempt(session, user, now)
    locked_by = next(iter(locked.values()), None)
    params = {
        "user_id": user.id,
        "now": now,
        "since": start_of_day(user, now),
        "day": local_day(user, now),
        "new_per_day": user.new_per_day,
    }
    if locked:
        params["locked"] = list(locked)
    row = column_rows(session, _next_item_query(bool(locked)), params).one()
    question = shown_question(row) if row.id is not None else None
    version, due, count, met, raised, next_due = row[-6:]
    new_left = max(0, user.new_per_day + (raised or 0) - (met or 0))
    if version is not None:  # a due card: its version (the form's) and when it fell due
        return Next(question, version, count or 0, new_left, due, locked_by)
    return Next(question, None, count or 0, new_left, next_due, locked_by)


@built_once
def _next_item_query(leaves_out: bool) -> sa.Select[Any]:
    """next_item's statement, built once: building it cost more than running it.

    `leaves_out`: with the questions of an open quiz left out. Without it (nearly always)
    the statement has no list parameter, which SQLAlchemy would render anew each time.
    """
    user_id: Any = sa.bindparam("user_id", type_=sa.Integer)
    now: Any = sa.bindparam("now", type_=UTCDateTime())
    since = sa.bindparam("since", type_=UTCDateTime())
    day = sa.bindparam("day", type_=sa.Date)
    new_per_day = sa.bindparam("new_per_day", type_=sa.Integer)
    allowed = _not_locked(leaves_out)
    # The most overdue cards, up to one past the cap, found once: the count and the first
    # card both come from it (a CTE used twice, which both databases materialize once).
    held = held_back(user_id)  # give-away partners of the latest answers
    due_top = (
        due_cards(user_id, now)
        .where(allowed)
        .with_only_columns(Card.id, Card.due, sa.case((held, 1), else_=0).label("held"))
        .limit(COUNT_CAP + 1)
        .cte("due_top")
    )
    due_count = _scalar(sa.select(sa.func.count()).select_from(due_top))
    met = _scalar(
        sa.select(sa.func.count()).where(Card.user_id == user_id, Card.created_at >= since)
    )
    raised = _scalar(
        sa.select(NewLimitRaise.extra).where(
            NewLimitRaise.user_id == user_id, NewLimitRaise.day == day
        )
    )
    # A card that a question just answered gives away (or that gives it away) waits while
    # anything else can be shown: free due cards, then free new questions, then the rest.
    first_due = sa.select(due_top.c.id).order_by(due_top.c.due, due_top.c.id).limit(1)
    free_due = _scalar(first_due.where(due_top.c.held == 0))
    held_due = _scalar(first_due)
    first_new = new_questions(user_id, now).where(allowed).with_only_columns(Question.id).limit(1)
    free_new, held_new = _scalar(first_new.where(~held)), _scalar(first_new)
    upcoming = _scalar(
        sa.select(sa.func.min(Card.due))
        .join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user_id, Card.due > now, live_questions(user_id, now), in_play(now))
    )
    # Aliases, so that the subqueries above keep their own card and question tables instead
    # of correlating to the outer ones.
    card_row, question_row = aliased(Card, name="next_card"), aliased(Question, name="next_q")
    set_row = aliased(QuestionSet, name="next_set")
    may_add = met < new_per_day + sa.func.coalesce(raised, 0)
    allowed_free_new = sa.case((may_add, free_new))
    allowed_new = sa.case((may_add, sa.func.coalesce(free_new, held_new)))
    chosen_card = sa.func.coalesce(free_due, sa.case((allowed_free_new.is_(None), held_due)))
    one = sa.select(sa.literal(1).label("one")).subquery("one")
    # When the next card comes back is shown only when there is nothing to study now: both
    # databases evaluate a subquery in a CASE branch only when the branch is taken.
    upcoming_if_none = sa.case((question_row.id.is_(None), upcoming))
    shown = [getattr(question_row, name) for name in ShownQuestion.COLUMNS]
    return (
        # The card's version and due time only: a whole Card would cost more to load.
        sa.select(
            *shown,
            # Every study page shows the question's set title (only it: a set's source text
            # can be a whole article).
            set_row.title.label("set_title"),
            card_row.version.label("card_version"),
            card_row.due,
            due_count,
            met,
            raised,
            upcoming_if_none,
        )
        .select_from(one)
        .outerjoin(card_row, card_row.id == chosen_card)
        .outerjoin(
            question_row, question_row.id == sa.func.coalesce(card_row.question_id, allowed_new)
        )
        .outerjoin(set_row, set_row.id == question_row.set_id)
    )


def due_count(session: Session, user: User, now: datetime) -> int:
    """How many cards are due now, up to COUNT_CAP + 1 (see shown_count); for pages that show
    only the count, which next_item's whole statement would cost twice as much to give."""
    leaves_out, params = due_count_params(session, user, now)
    return session.scalar(_due_count_query(leaves_out), params) or 0


def due_count_params(session: Session, user: User, now: datetime) -> tuple[bool, dict[str, Any]]:
    """For due_count's statement or column: whether it leaves questions out, and its
    parameters (the questions of an open quiz attempt are not due in study)."""
    locked = questions_locked_by_open_attempt(session, user, now)
    params: dict[str, Any] = {"user_id": user.id, "now": now}
    if locked:
        params["locked"] = list(locked)
    return bool(locked), params


@built_once
def _due_count_query(leaves_out: bool) -> sa.Select[tuple[int]]:
    """due_count's statement, built once (`leaves_out`: as for _next_item_query)."""
    user_id: Any = sa.bindparam("user_id", type_=sa.Integer)
    now: Any = sa.bindparam("now", type_=UTCDateTime())
    due = due_cards(user_id, now).where(_not_locked(leaves_out)).with_only_columns(Card.id)
    return _capped_count(due)


def due_count_column(leaves_out: bool) -> sa.ScalarSelect[int]:
    """due_count as a column of another statement, for a page that reads other rows anyway.

    Its parameters: `user_id`, `now`, and `locked` (with `leaves_out`) as for due_count.
    """
    return _scalar(_due_count_query(leaves_out))


def _not_locked(leaves_out: bool) -> sa.ColumnElement[bool]:
    """Questions outside the `locked` list parameter, or (without one) every question."""
    if not leaves_out:
        return sa.true()
    return Question.id.not_in(sa.bindparam("locked", type_=sa.Integer, expanding=True))


def _capped_count(query: sa.Select[Any]) -> sa.Select[tuple[int]]:
    """How many rows the query gives, counting no further than COUNT_CAP + 1."""
    return sa.select(sa.func.count()).select_from(
        query.order_by(None).limit(COUNT_CAP + 1).subquery()
    )


def _scalar(query: sa.Select[Any]) -> sa.ScalarSelect[Any]:
    """A scalar subquery that never correlates to the query it sits in."""
    return query.correlate(None).scalar_subquery()


def count_new_available(
    session: Session, user_id: int, now: datetime, *, capped: bool = True
) -> int:
    """How many never-seen questions the studied sets still hold (capped: up to COUNT_CAP + 1)."""
    query = new_questions(user_id, now).with_only_columns(Question.id)
    if capped:
        return session.scalar(_capped_count(query)) or 0
    return (
        session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    )
