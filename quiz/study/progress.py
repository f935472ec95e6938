"""The student's progress as plain data: scores, activity, memory and what is coming due.

Each function runs a fixed number of queries (the cards in one, the review times in one, the
attempts in one), never one per card or per day, and takes `now` instead of reading the clock.
Days are the student's local days (their time zone setting).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz import scheduling
from quiz.models import Attempt, Card, Question, QuestionSet, Review, ReviewOverride, User
from quiz.study import overrides
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


# Loading: one query each.


def _live_cards(session: Session, user: User) -> list[Card]:
    """The student's cards of live questions in sets they may still see."""
    query = (
        sa.select(Card)
        .join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user.id, live_questions(user.id))
    )
    return list(session.scalars(query))


def _review_times(
    session: Session, user: User, now: datetime, since: datetime | None
) -> list[datetime]:
    """When the student answered, from `since` (from the start when None) up to `now`."""
    query = sa.select(Review.reviewed_at).where(
        Review.user_id == user.id, Review.reviewed_at <= now
    )
    if since is not None:
        query = query.where(Review.reviewed_at >= since)
    return list(session.scalars(query))


def _window_start(user: User, now: datetime, days: int) -> datetime:
    """Local midnight `days - 1` days before today, so the window holds `days` whole days."""
    zone = user_zone(user)
    first = now.astimezone(zone).date() - timedelta(days=days - 1)
    return datetime.combine(first, datetime.min.time(), tzinfo=zone)


# Pure steps on loaded rows.


def _local_day_counts(times: Iterable[datetime], user: User) -> Counter[date]:
    """Reviews per local day."""
    zone = user_zone(user)
    return Counter(moment.astimezone(zone).date() for moment in times)


def _count_states(cards: Iterable[Card], new: int) -> dict[str, int]:
    """Cards per FSRS state, plus the never-seen questions as "new"."""
    counts = dict.fromkeys(STATE_KEYS, 0)
    counts["new"] = new
    for card in cards:
        counts[scheduling.STATE_LABELS[card.state]] += 1
    return counts


def _recall(card: Card, user: User, now: datetime) -> float | None:
    """The card's predicted recall at `now`; None if it was never reviewed."""
    return scheduling.retrievability(
        card_state(card), now, desired_retention=user.desired_retention
    )


def _mean_recall(cards: Iterable[Card], user: User, now: datetime) -> float | None:
    """Mean predicted recall over the reviewed cards."""
    values = [value for card in cards if (value := _recall(card, user, now)) is not None]
    return sum(values) / len(values) if values else None


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
    times = _review_times(session, user, now, _window_start(user, now, days))
    return dict(_local_day_counts(times, user))


def cards_by_state(session: Session, user: User) -> dict[str, int]:
    """Live questions by state: new (studied but never answered), learning, review, relearning."""
    return _count_states(_live_cards(session, user), count_new_available(session, user.id))


def average_retrievability(session: Session, user: User, now: datetime) -> float | None:
    """Mean predicted recall now over the reviewed cards of live questions; None if none."""
    return _mean_recall(_live_cards(session, user), user, now)


def due_per_day(
    session: Session, user: User, now: datetime, days: int = FORECAST_DAYS
) -> list[tuple[date, int]]:
    """Cards coming due on each of the next `days` local days (overdue ones count today)."""
    dues = [card.due for card in _live_cards(session, user)]
    return scheduling.due_forecast(dues, now, days, tz=user_zone(user))


def streak(session: Session, user: User, now: datetime) -> int:
    """Consecutive local days with at least one review, ending today (or yesterday)."""
    return _streak(session, user, now, reviews_per_day(session, user, now))


def _streak(session: Session, user: User, now: datetime, per_day: dict[date, int]) -> int:
    """The streak from the last year's days; the whole history only when it spans that year."""
    today = now.astimezone(user_zone(user)).date()
    count = _streak_from(set(per_day), today)
    if count >= HEATMAP_DAYS - 1:  # a streak this long may go back further than the window
        times = _review_times(session, user, now, None)
        count = _streak_from(set(_local_day_counts(times, user)), today)
    return count


def overview(session: Session, user: User, now: datetime) -> Overview:
    """The progress page's data, loading each kind of row once."""
    cards = _live_cards(session, user)
    per_day = reviews_per_day(session, user, now)
    return Overview(
        attempts=attempt_scores(session, user),
        reviews_per_day=per_day,
        cards_by_state=_count_states(cards, count_new_available(session, user.id)),
        average_retrievability=_mean_recall(cards, user, now),
        due_per_day=scheduling.due_forecast(
            [card.due for card in cards], now, FORECAST_DAYS, tz=user_zone(user)
        ),
        learned_recall=_mean_recall(
            [card for card in cards if card.state == scheduling.State.Review.value], user, now
        ),
        streak=_streak(session, user, now, per_day),
        today=now.astimezone(user_zone(user)).date(),
    )


def set_mastery(
    session: Session, user: User, qset: QuestionSet, now: datetime
) -> list[QuestionMastery]:
    """Each live question of the set, in position order, with the student's record on it."""
    wrong = Review.correct.is_(False)
    if qset.overrides_count_in_study:  # "I was right" counts as right unless the owner says no
        wrong = sa.and_(wrong, ReviewOverride.id.is_(None))
    stats = (
        sa.select(
            Review.question_id,
            sa.func.count().label("reviews"),
            sa.func.sum(sa.case((wrong, 1), else_=0)).label("wrong"),
        )
        .join(Question, Question.id == Review.question_id)
        .outerjoin(ReviewOverride, ReviewOverride.review_id == Review.id)
        .where(Review.user_id == user.id, Question.set_id == qset.id)
        .group_by(Review.question_id)
        .subquery()
    )
    query = (
        sa.select(Question, Card, stats.c.reviews, stats.c.wrong)
        .outerjoin(Card, sa.and_(Card.question_id == Question.id, Card.user_id == user.id))
        .outerjoin(stats, stats.c.question_id == Question.id)
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
