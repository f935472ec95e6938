"""The bridge to the `fsrs` library: answer -> rating, card state in and out, forecasts.

This module schedules nothing itself: every interval comes from `fsrs.Scheduler`.

Fuzzing and replay. The design promises that a card always equals the replay of its reviews.
FSRS adds a small random "fuzz" to review intervals of 3 days or more so that cards learned
together do not stay bunched together; fsrs 6.3.2 draws it from the module-level `random`
(`from random import random` in `fsrs/scheduler.py`), so two runs of the same history would
disagree on `due`. Reseeding the process-wide generator would disturb every other user of
`random`, and writing our own fuzz would mean re-implementing scheduler math. Instead, each
review swaps the name `fsrs.scheduler.random` for a `random.Random` seeded from
(card id, review time) for the length of that one `review_card` call, under a lock. The fuzz
then keeps its spread across cards and days, but the same review of the same card always gets
the same fuzz, so `replay` reproduces the live state exactly, `due` included. If a future fsrs
draws its randomness differently, the replay tests fail loudly instead of drifting silently.
Fuzz only moves `due`; stability, difficulty, state and step never depend on it.
"""

from __future__ import annotations

import functools
import hashlib
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

import fsrs
import fsrs.scheduler as _fsrs_scheduler
from fsrs import Rating, State

from quiz.timeutil import as_utc

# Partial credit below this is a lapse. Anki's manual and the FSRS author agree that an
# incorrect answer is Again and never Hard (FSRS treats Hard as a pass), so "mostly right" is
# only a pass when it is right enough to count as remembered.
PASS_MARK = 0.8

SELF_RATINGS: dict[str, Rating] = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}
STATE_LABELS: dict[int, str] = {
    State.Learning.value: "learning",
    State.Review.value: "review",
    State.Relearning.value: "relearning",
}
MIN_RETENTION = 0.70
MAX_RETENTION = 0.97

# Scores are sums of fractions (e.g. 4 of 5 gaps): forgive float rounding at the pass mark.
_SCORE_EPSILON = 1e-9
_fuzz_lock = threading.Lock()


def rating_for(score: float, *, self_rating: str | None = None) -> Rating:
    """Map a graded answer (and the student's own rating, if any) to an FSRS rating.

    Following Anki's manual and the FSRS author: a wrong answer (score below PASS_MARK) is
    Again and a right one is Good. Hard and Easy only come from the student and only adjust a
    pass: "easy" on a wrong answer is still Again. Flashcards send their four buttons as
    `self_rating`; their "again" is a lapse whatever the score.
    """
    if self_rating is not None and self_rating not in SELF_RATINGS:
        raise ValueError(f"self_rating must be one of {', '.join(SELF_RATINGS)}: {self_rating!r}")
    if not 0.0 <= score <= 1.0:  # also refuses NaN
        raise ValueError(f"score must be between 0 and 1: {score!r}")
    if self_rating == "again" or score + _SCORE_EPSILON < PASS_MARK:
        return Rating.Again
    return SELF_RATINGS[self_rating or "good"]


@dataclass(frozen=True)
class CardState:
    """A card's FSRS memory state, as stored in the `card` table (UTC-aware times)."""

    state: int  # fsrs.State value: 1 learning, 2 review, 3 relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None = None

    def __post_init__(self) -> None:
        if self.state not in STATE_LABELS:
            raise ValueError(f"unknown card state: {self.state!r}")
        # fsrs insists on tzinfo being `timezone.utc` itself, so normalise here, once.
        object.__setattr__(self, "state", int(self.state))
        object.__setattr__(self, "due", as_utc(self.due))
        if self.last_review is not None:
            object.__setattr__(self, "last_review", as_utc(self.last_review))

    @classmethod
    def new(cls, now: datetime) -> CardState:
        """The state of a card never reviewed: learning, first step, due now."""
        return cls(state=State.Learning.value, step=0, stability=None, difficulty=None, due=now)

    @classmethod
    def from_fsrs(cls, card: fsrs.Card) -> CardState:
        """Take the state out of an `fsrs.Card`."""
        return cls(
            state=int(card.state),
            step=card.step,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )

    def to_fsrs(self, card_id: int) -> fsrs.Card:
        """Build an `fsrs.Card` with this state (the id keeps fsrs from inventing one)."""
        return fsrs.Card(
            card_id=card_id,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    @property
    def label(self) -> str:
        """The state's name for people: learning, review or relearning."""
        return STATE_LABELS[self.state]


def _check_retention(desired_retention: float) -> float:
    """Refuse a retention outside the range where FSRS's workload stays sensible."""
    if not MIN_RETENTION <= desired_retention <= MAX_RETENTION:  # also refuses NaN
        raise ValueError(
            f"desired retention must be between {MIN_RETENTION} and {MAX_RETENTION}: "
            f"{desired_retention!r}"
        )
    return float(desired_retention)


def make_scheduler(desired_retention: float = 0.9, *, fuzzing: bool = True) -> fsrs.Scheduler:
    """The fsrs Scheduler for a retention, with the library's (and Anki's) default steps."""
    return _cached_scheduler(_check_retention(desired_retention), bool(fuzzing))


@functools.lru_cache(maxsize=64)
def _cached_scheduler(desired_retention: float, fuzzing: bool) -> fsrs.Scheduler:
    """Build a Scheduler once per setting; every review would otherwise rebuild the same one."""
    return fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzzing)


def _fuzz_seed(card_id: int, now: datetime) -> int:
    """A seed fixed by the card and the review time, stable across processes and restarts."""
    key = f"{card_id}:{now.isoformat()}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def review(
    state: CardState,
    rating: Rating,
    now: datetime,
    *,
    card_id: int,
    desired_retention: float,
    duration_ms: int | None = None,
    fuzzing: bool = True,
) -> CardState:
    """Review a card once with fsrs and return its new state (the input is left untouched)."""
    now = as_utc(now)
    scheduler = make_scheduler(desired_retention, fuzzing=fuzzing)
    card = state.to_fsrs(card_id)
    if not fuzzing:
        new_card, _log = scheduler.review_card(card, rating, now, duration_ms)
        return CardState.from_fsrs(new_card)
    rng = random.Random(_fuzz_seed(card_id, now))  # noqa: S311 - scheduling fuzz, not security
    # See the module docstring: fsrs reads the name `random` from its own module at call time.
    with _fuzz_lock:
        saved = _fsrs_scheduler.random
        _fsrs_scheduler.random = rng.random
        try:
            new_card, _log = scheduler.review_card(card, rating, now, duration_ms)
        finally:
            _fsrs_scheduler.random = saved
    return CardState.from_fsrs(new_card)


def replay(
    reviews: Iterable[tuple[Rating, datetime] | tuple[Rating, datetime, float]],
    *,
    card_id: int,
    desired_retention: float,
    created: datetime,
    fuzzing: bool = True,
) -> CardState:
    """The state of a card after replaying its review history from new, oldest review first.

    An item may carry the desired retention in force at that review (the student can change
    it); items without one use `desired_retention`.
    """
    # Sorted (stably) like fsrs's own reschedule_card, so the order rows come back in is moot.
    ordered = sorted(
        (
            (item[0], as_utc(item[1]), item[2] if len(item) > 2 else desired_retention)
            for item in reviews
        ),
        key=lambda item: item[1],
    )
    state = CardState.new(created)
    for rating, at, retention in ordered:
        state = review(
            state, rating, at, card_id=card_id, desired_retention=retention, fuzzing=fuzzing
        )
    return state


def preview(
    state: CardState, now: datetime, *, card_id: int, desired_retention: float
) -> dict[str, datetime]:
    """When the card would come back for each of the four buttons (before fuzz)."""
    now = as_utc(now)
    scheduler = make_scheduler(desired_retention, fuzzing=False)
    card = state.to_fsrs(card_id)
    return {
        name: scheduler.review_card(card, rating, now)[0].due
        for name, rating in SELF_RATINGS.items()
    }


def retrievability(
    state: CardState, now: datetime, *, desired_retention: float = 0.9
) -> float | None:
    """The predicted probability of recalling the card at `now`; None if never reviewed."""
    if state.last_review is None or state.stability is None:
        return None
    # The retention picks the scheduler but does not change the forgetting curve itself.
    scheduler = make_scheduler(desired_retention, fuzzing=False)
    return float(scheduler.get_card_retrievability(state.to_fsrs(0), current_datetime=as_utc(now)))


def _plural(count: int, unit: str) -> str:
    """'1 minute', '4 minutes'."""
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def interval_text(now: datetime, due: datetime) -> str:
    """Say when a card comes back: 'in 10 minutes', 'tomorrow', 'in 3 months'."""
    seconds = (as_utc(due) - as_utc(now)).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in less than a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"in {_plural(minutes, 'minute')}"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"in {_plural(hours, 'hour')}"
    days = round(seconds / 86400)
    if days == 1:
        return "tomorrow"
    if days < 31:
        return f"in {days} days"
    if days < 365:
        return f"in {_plural(max(1, round(days / 30.44)), 'month')}"
    return f"in {_plural(round(days / 365.25), 'year')}"


def due_forecast(
    dues: Iterable[datetime], now: datetime, days: int = 14, tz: tzinfo = UTC
) -> list[tuple[date, int]]:
    """Cards due on each of the next `days` local days; overdue cards count on today."""
    if days < 1:
        raise ValueError(f"days must be at least 1: {days!r}")
    today = as_utc(now).astimezone(tz).date()
    counts = dict.fromkeys((today + timedelta(days=offset) for offset in range(days)), 0)
    for due in dues:
        day = max(as_utc(due).astimezone(tz).date(), today)
        if day in counts:
            counts[day] += 1
    return list(counts.items())


__all__ = [
    "MAX_RETENTION",
    "MIN_RETENTION",
    "PASS_MARK",
    "SELF_RATINGS",
    "STATE_LABELS",
    "CardState",
    "Rating",
    "State",
    "due_forecast",
    "interval_text",
    "make_scheduler",
    "preview",
    "rating_for",
    "replay",
    "retrievability",
    "review",
]
