"""The student's progress as plain data: scores, activity, memory and what is coming due.

Each function runs a fixed number of queries (the cards in one, the reviews per day in one,
the attempts in one) that the database aggregates, so neither the number of queries nor the
rows loaded grow with the student's history; each takes `now` instead of reading the clock.
Days are the student's local days (their time zone setting).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz import scheduling
from quiz.models import Attempt, Card, Question, QuestionSet, Review, ReviewOverride, User
from quiz.overrides import claims as overrides
from quiz.progress import sqldays
from quiz.study.answers import card_state
from quiz.study.queue import count_new_available, live_questions, user_zone

HEATMAP_DAYS = 371  # 53 weeks: the heatmap's longest span
FORECAST_DAYS = 14
MOST_MISSED = 5
STATE_KEYS = ("new", "learning", "review", "relearning")


@dataclass(frozen=True)
class QuestionMastery:
    """How well the student knows one question of a set."""

    question: Question
    state: str  # "new" (never answered), "learning", "review" or "relearning"
    retrievability: float | None  # predicted recall now; None if never reviewed
    reviews: int
    wrong: int  # answers not fully right (partial credit included), overrides as the set says
    last_reviewed: datetime | None
    next_due: datetime | None


@dataclass(frozen=True)
class SetAttempt:
    """One finished quiz attempt at a set."""

    id: int
    finished_at: datetime
    percent: float


@dataclass(frozen=True)
class Overview:
    """Everything the progress page shows, read with one query per kind of row."""

    attempts: list[tuple[datetime, float, str]]
    reviews_per_day: dict[date, int]
    cards_by_state: dict[str, int]
    average_retrievability: float | None
    due_per_day: list[tuple[date, int]]
    # Cards in FSRS's review state have been remembered across at least one real interval:
    # "learned". Their predicted recall is what a student means by "how much do I know".
    learned_recall: float | None
    streak: int
    today: date


# Loading: one query each, aggregated by the database (one row per day or per state).


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _live_card_filter(user: User, now: datetime) -> sa.ColumnElement[bool]:
    """The student's cards of live questions in sets they may still see."""
    return sa.and_(Card.user_id == user.id, live_questions(user.id, now))


def _day_counts(session: Session, user: User, since: datetime, until: datetime) -> Counter[date]:
    """Reviews per local day between `since` and `until`, counted by the database."""
    zone = user_zone(user)
    day = sqldays.local_day(
        Review.reviewed_at, sqldays.offset_pieces(zone, since, until), _dialect(session)
    )
    inner = (
        sa.select(day.label("day"))
        .where(Review.user_id == user.id, Review.reviewed_at >= since, Review.reviewed_at <= until)
        .subquery()
    )
    # Grouped in an outer query: PostgreSQL cannot match an expression with bound values in
    # GROUP BY to the same expression in the SELECT list.
    rows = session.execute(sa.select(inner.c.day, sa.func.count()).group_by(inner.c.day))
    return Counter({date.fromisoformat(str(day)[:10]): count for day, count in rows})


def _first_review(session: Session, user: User) -> datetime | None:
    """When the student first answered anything."""
    return session.scalar(
        sa.select(sa.func.min(Review.reviewed_at)).where(Review.user_id == user.id)
    )


def _window_start(user: User, now: datetime, days: int) -> datetime:
    """Local midnight `days - 1` days before today, so the window holds `days` whole days."""
    zone = user_zone(user)
    first = now.astimezone(zone).date() - timedelta(days=days - 1)
    return datetime.combine(first, datetime.min.time(), tzinfo=zone)


@dataclass(frozen=True)
class _CardSummary:
    """The live cards in figures: per state, mean recall, and due per local day."""

    states: dict[str, int]
    mean_recall: float | None
    due_per_day: list[tuple[date, int]]
    learned_recall: float | None  # over the cards in FSRS's review state


def _card_summary(
    session: Session, user: User, now: datetime, days: int = FORECAST_DAYS
) -> _CardSummary:
    """One grouped query over the live cards: at most 4 states x (days + 1) rows."""
    if days < 1:
        raise ValueError(f"days must be at least 1: {days!r}")
    zone = user_zone(user)
    dialect = _dialect(session)
    today = now.astimezone(zone).date()
    today_start = datetime.combine(today, datetime.min.time(), tzinfo=zone)
    window_end = datetime.combine(today + timedelta(days=days), datetime.min.time(), tzinfo=zone)
    pieces = sqldays.offset_pieces(zone, today_start, window_end)
    day = sa.case(
        (Card.due < today_start, sa.literal(today.isoformat())),
        (Card.due >= window_end, sa.null()),
        else_=sqldays.local_day(Card.due, pieces, dialect),
    )
    inner = (
        sa.select(
            Card.state.label("state"),
            day.label("day"),
            sqldays.recall(Card.stability, Card.last_review, now, dialect).label("recall"),
        )
        .join(Question, Question.id == Card.question_id)
        .where(_live_card_filter(user, now))
        .subquery()
    )
    query = sa.select(
        inner.c.state,
        inner.c.day,
        sa.func.count(),
        sa.func.sum(inner.c.recall),
        sa.func.count(inner.c.recall),
    ).group_by(inner.c.state, inner.c.day)
    states = dict.fromkeys(STATE_KEYS[1:], 0)
    due = dict.fromkeys((today + timedelta(days=offset) for offset in range(days)), 0)
    recall_sum, recalled = 0.0, 0
    learned_sum, learned = 0.0, 0
    for state, when, count, total, counted in session.execute(query):
        states[scheduling.STATE_LABELS[state]] += count
        if when is not None:
            key = date.fromisoformat(str(when)[:10])
            if key in due:
                due[key] += count
        recall_sum += float(total or 0.0)
        recalled += counted
        if state == scheduling.State.Review.value:
            learned_sum += float(total or 0.0)
            learned += counted
    return _CardSummary(
        states,
        recall_sum / recalled if recalled else None,
        list(due.items()),
        learned_sum / learned if learned else None,
    )


# Pure steps on loaded rows.


def _count_states(states: dict[str, int], new: int) -> dict[str, int]:
    """Cards per FSRS state, plus the never-seen questions as "new"."""
    return {"new": new, **{key: states.get(key, 0) for key in STATE_KEYS[1:]}}


def _recall(card: Card, user: User, now: datetime) -> float | None:
    """The card's predicted recall at `now`; None if it was never reviewed."""
    return scheduling.retrievability(
        card_state(card), now, desired_retention=user.desired_retention
    )


def _streak_from(days: set[date], today: date) -> int:
    """Consecutive days with reviews ending today, or yesterday if today has none yet."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


# Public functions.


def attempt_scores(session: Session, user: User) -> list[tuple[datetime, float, str]]:
    """Finished quiz attempts as (finish time, score in percent, set title), oldest first.

    Scores include the student's overrides where the set's owner counts them in quizzes.
    """
    query = (
        sa.select(
            Attempt.id,
            Attempt.finished_at,
            Attempt.score,
            Attempt.question_order,
            QuestionSet.title,
        )
        .join(QuestionSet, QuestionSet.id == Attempt.set_id)
        .where(
            Attempt.user_id == user.id,
            Attempt.finished_at.is_not(None),
            Attempt.score.is_not(None),
        )
        .order_by(Attempt.finished_at, Attempt.id)
    )
    credit = overrides.quiz_credit(session, Attempt.user_id == user.id)
    return [(row.finished_at, _percent(row, credit), row.title) for row in session.execute(query)]


def _percent(row: sa.Row, credit: dict[int, float]) -> float:
    """An attempt row's counted score in percent."""
    return overrides.counted_score(row.score, row.question_order, credit.get(row.id, 0.0)) * 100


def set_attempts(session: Session, user: User, qset: QuestionSet) -> list[SetAttempt]:
    """The student's finished attempts at one set, oldest first (overrides counted as set)."""
    where = (Attempt.user_id == user.id, Attempt.set_id == qset.id)
    query = (
        sa.select(Attempt.id, Attempt.finished_at, Attempt.score, Attempt.question_order)
        .where(*where, Attempt.finished_at.is_not(None), Attempt.score.is_not(None))
        .order_by(Attempt.finished_at, Attempt.id)
    )
    credit = overrides.quiz_credit(session, *where)
    return [
        SetAttempt(row.id, row.finished_at, _percent(row, credit)) for row in session.execute(query)
    ]


def reviews_per_day(
    session: Session, user: User, now: datetime, days: int = HEATMAP_DAYS
) -> dict[date, int]:
    """Reviews on each of the last `days` local days up to today; days without any are absent."""
    return dict(_day_counts(session, user, _window_start(user, now, days), now))


def cards_by_state(session: Session, user: User, now: datetime) -> dict[str, int]:
    """Live questions by state: new (studied but never answered), learning, review, relearning."""
    query = (
        sa.select(Card.state, sa.func.count())
        .join(Question, Question.id == Card.question_id)
        .where(_live_card_filter(user, now))
        .group_by(Card.state)
    )
    states = {scheduling.STATE_LABELS[state]: count for state, count in session.execute(query)}
    return _count_states(states, count_new_available(session, user.id, now, capped=False))


def average_retrievability(session: Session, user: User, now: datetime) -> float | None:
    """Mean predicted recall now over the reviewed cards of live questions; None if none."""
    return _card_summary(session, user, now).mean_recall


def due_per_day(
    session: Session, user: User, now: datetime, days: int = FORECAST_DAYS
) -> list[tuple[date, int]]:
    """Cards coming due on each of the next `days` local days (overdue ones count today)."""
    return _card_summary(session, user, now, days).due_per_day


def streak(session: Session, user: User, now: datetime) -> int:
    """Consecutive local days with at least one review, ending today (or yesterday)."""
    return _streak(session, user, now, reviews_per_day(session, user, now))


def _streak(session: Session, user: User, now: datetime, per_day: dict[date, int]) -> int:
    """The streak from the last year's days; older days only when it spans that whole year."""
    today = now.astimezone(user_zone(user)).date()
    count = _streak_from(set(per_day), today)
    if count >= HEATMAP_DAYS - 1:  # a streak this long may go back further than the window
        first = _first_review(session, user)
        if first is not None:
            count = _streak_from(set(_day_counts(session, user, first, now)), today)
    return count


def overview(session: Session, user: User, now: datetime) -> Overview:
    """The progress page's data: a fixed number of grouped queries whatever the history."""
    cards = _card_summary(session, user, now)
    per_day = reviews_per_day(session, user, now)
    return Overview(
        attempts=attempt_scores(session, user),
        reviews_per_day=per_day,
        cards_by_state=_count_states(
            cards.states, count_new_available(session, user.id, now, capped=False)
        ),
        average_retrievability=cards.mean_recall,
        due_per_day=cards.due_per_day,
        learned_recall=cards.learned_recall,
        streak=_streak(session, user, now, per_day),
        today=now.astimezone(user_zone(user)).date(),
    )


def set_mastery(
    session: Session, user: User, qset: QuestionSet, now: datetime
) -> list[QuestionMastery]:
    """Each live question of the set, in position order, with the student's record on it."""
    # Counted per question from the (user_id, question_id, correct) index: the cost follows
    # the set's size and its reviews, not the student's whole history.
    reviews = (
        sa.select(sa.func.count())
        .where(Review.user_id == user.id, Review.question_id == Question.id)
        .correlate(Question)
        .scalar_subquery()
    )
    wrong_reviews = sa.select(sa.func.count()).select_from(Review)
    wrong_rule = Review.correct.is_(False)
    if qset.overrides_count_in_study:  # "I was right" counts as right unless the owner says no
        wrong_reviews = wrong_reviews.outerjoin(
            ReviewOverride, ReviewOverride.review_id == Review.id
        )
        wrong_rule = sa.and_(wrong_rule, ReviewOverride.id.is_(None))
    wrong = (
        wrong_reviews.where(
            Review.user_id == user.id, Review.question_id == Question.id, wrong_rule
        )
        .correlate(Question)
        .scalar_subquery()
    )
    query = (
        sa.select(Question, Card, reviews, wrong)
        .outerjoin(Card, sa.and_(Card.question_id == Question.id, Card.user_id == user.id))
        .where(Question.set_id == qset.id, Question.retired.is_(False))
        .order_by(Question.position, Question.id)
    )
    rows = []
    for question, card, reviews, wrong in session.execute(query):
        rows.append(
            QuestionMastery(
                question=question,
                state=scheduling.STATE_LABELS[card.state] if card else "new",
                retrievability=_recall(card, user, now) if card else None,
                reviews=int(reviews or 0),
                wrong=int(wrong or 0),
                last_reviewed=card.last_review if card else None,
                next_due=card.due if card else None,
            )
        )
    return rows


def most_missed(
    mastery: Sequence[QuestionMastery], limit: int = MOST_MISSED
) -> list[QuestionMastery]:
    """The questions answered wrong most often (at least once), ties in set order."""
    missed = [row for row in mastery if row.wrong > 0]
    return sorted(missed, key=lambda row: -row.wrong)[:limit]
