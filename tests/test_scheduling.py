"""The fsrs bridge: ratings, card state conversion, replay, previews and forecasts."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import fsrs.scheduler
import pytest

from quiz.scheduling import (
    PASS_MARK,
    CardState,
    Rating,
    State,
    due_forecast,
    interval_text,
    make_scheduler,
    preview,
    rating_for,
    replay,
    retrievability,
    review,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
RATINGS = [Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Hard, Rating.Easy]
RATINGS += [Rating.Good] * 6


def history(card_id: int, *, fuzzing: bool) -> list[tuple[Rating, datetime, CardState]]:
    """Review a new card at each due time, a little late, and keep every step."""
    state, at, steps = CardState.new(T0), T0, []
    for index, rating in enumerate(RATINGS):
        state = review(state, rating, at, card_id=card_id, desired_retention=0.9, fuzzing=fuzzing)
        steps.append((rating, at, state))
        at = state.due + timedelta(hours=index % 5, minutes=7)
    return steps


@pytest.mark.parametrize(
    ("score", "self_rating", "expected"),
    [
        (0.0, None, Rating.Again),  # wrong
        (0.5, None, Rating.Again),  # partial credit below the pass mark is a lapse
        (0.79, None, Rating.Again),
        (PASS_MARK, None, Rating.Good),
        (4 / 5, None, Rating.Good),
        (sum([0.1] * 8), None, Rating.Good),  # 0.7999999999999999: rounding is forgiven
        (1.0, None, Rating.Good),
        (1.0, "good", Rating.Good),
        (1.0, "hard", Rating.Hard),
        (1.0, "easy", Rating.Easy),
        (0.9, "hard", Rating.Hard),
        (0.0, "easy", Rating.Again),  # saying "easy" does not turn a wrong answer into a pass
        (0.0, "hard", Rating.Again),  # and a wrong answer is never Hard
        (1.0, "again", Rating.Again),  # the flashcard "again" button
        (0.0, "again", Rating.Again),
    ],
)
def test_rating_for(score: float, self_rating: str | None, expected: Rating) -> None:
    assert rating_for(score, self_rating=self_rating) is expected


@pytest.mark.parametrize(
    ("score", "self_rating"), [(1.5, None), (-0.1, None), (float("nan"), None), (1.0, "meh")]
)
def test_rating_for_rejects_nonsense(score: float, self_rating: str | None) -> None:
    with pytest.raises(ValueError):
        rating_for(score, self_rating=self_rating)


def test_review_equals_fsrs_scheduler_without_fuzz() -> None:
    scheduler = fsrs.Scheduler(desired_retention=0.85, enable_fuzzing=False)
    card = fsrs.Card(card_id=42, due=T0)
    state, at = CardState.new(T0), T0
    for rating in RATINGS:
        card, _log = scheduler.review_card(card, rating, review_datetime=at)
        state = review(
            state, rating, at, card_id=42, desired_retention=0.85, duration_ms=1200, fuzzing=False
        )
        assert state == CardState.from_fsrs(card)
        at = card.due + timedelta(hours=3)
    assert state.state == State.Review


@pytest.mark.parametrize("fuzzing", [True, False])
def test_replay_equals_the_live_reviews(fuzzing: bool) -> None:
    steps = history(7, fuzzing=fuzzing)
    reviews = [(rating, at) for rating, at, _state in steps]
    live = steps[-1][2]
    if not fuzzing:  # without fuzz, the live history is also exactly what fsrs itself computes
        scheduler = fsrs.Scheduler(desired_retention=0.9, enable_fuzzing=False)
        card = fsrs.Card(card_id=7, due=T0)
        for rating, at in reviews:
            card, _log = scheduler.review_card(card, rating, at)
        assert live == CardState.from_fsrs(card)
    assert replay(reviews, card_id=7, desired_retention=0.9, created=T0, fuzzing=fuzzing) == live
    # The order rows come back in does not matter.
    shuffled = random.Random(3).sample(reviews, len(reviews))
    assert replay(shuffled, card_id=7, desired_retention=0.9, created=T0, fuzzing=fuzzing) == live


def test_fuzz_is_deterministic_per_review_but_still_fuzzes() -> None:
    """Same card and time -> same due; across cards the fuzz still spreads the dues."""
    state = CardState(
        state=State.Review, step=None, stability=40.0, difficulty=5.0, due=T0, last_review=T0
    )
    at = T0 + timedelta(days=40)
    kwargs = {"desired_retention": 0.9}
    first = review(state, Rating.Good, at, card_id=1, **kwargs)
    assert review(state, Rating.Good, at, card_id=1, **kwargs) == first
    dues = {review(state, Rating.Good, at, card_id=card_id, **kwargs).due for card_id in range(30)}
    assert len(dues) > 1
    unfuzzed = review(state, Rating.Good, at, card_id=1, fuzzing=False, **kwargs)
    assert all(abs(due - unfuzzed.due) <= timedelta(days=10) for due in dues)


def test_review_leaves_global_random_and_fsrs_alone() -> None:
    saved_state, saved_draw = random.getstate(), fsrs.scheduler.random
    state = CardState(
        state=State.Review, step=None, stability=40.0, difficulty=5.0, due=T0, last_review=T0
    )
    before = state
    review(state, Rating.Good, T0 + timedelta(days=40), card_id=1, desired_retention=0.9)
    assert random.getstate() == saved_state
    assert fsrs.scheduler.random is saved_draw
    assert state == before


def test_card_state_round_trips_through_fsrs() -> None:
    state = history(5, fuzzing=False)[-1][2]
    card = state.to_fsrs(5)
    assert card.card_id == 5
    assert card.state is State.Review
    assert CardState.from_fsrs(card) == state
    assert state.label == "review"


def test_new_card_is_learning_and_due_now() -> None:
    state = CardState.new(T0)
    assert (state.state, state.step, state.due, state.last_review) == (1, 0, T0, None)
    assert state.stability is None
    assert state.difficulty is None


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 3, 1, 9, 0)
    with pytest.raises(ValueError):
        CardState.new(naive)
    with pytest.raises(ValueError):
        review(CardState.new(T0), Rating.Good, naive, card_id=1, desired_retention=0.9)
    with pytest.raises(ValueError):
        due_forecast([naive], T0)


def test_aware_datetimes_are_normalised_to_timezone_utc() -> None:
    zone_utc = T0.replace(tzinfo=ZoneInfo("UTC"))
    state = CardState.new(zone_utc)
    assert state.due.tzinfo is UTC
    # fsrs itself refuses ZoneInfo("UTC"); the bridge must not pass it through.
    reviewed = review(state, Rating.Good, zone_utc, card_id=1, desired_retention=0.9)
    assert reviewed.last_review is not None
    assert reviewed.last_review.tzinfo is UTC
    paris = CardState.new(T0.astimezone(ZoneInfo("Europe/Paris")))
    assert paris.due == T0
    assert paris.due.tzinfo is UTC


@pytest.mark.parametrize("retention", [0.69, 0.98, 1.0, 0.0, float("nan")])
def test_retention_outside_range_is_rejected(retention: float) -> None:
    with pytest.raises(ValueError):
        make_scheduler(retention)
    with pytest.raises(ValueError):
        review(CardState.new(T0), Rating.Good, T0, card_id=1, desired_retention=retention)


def test_schedulers_are_cached_per_setting() -> None:
    assert make_scheduler(0.7) is make_scheduler(0.7)
    assert make_scheduler(0.97, fuzzing=False).desired_retention == 0.97
    assert make_scheduler(0.9, fuzzing=False) is not make_scheduler(0.9, fuzzing=True)
    assert make_scheduler(0.9, fuzzing=False).enable_fuzzing is False


def test_higher_retention_gives_a_shorter_interval() -> None:
    state = CardState(
        state=State.Review, step=None, stability=20.0, difficulty=5.0, due=T0, last_review=T0
    )
    at = T0 + timedelta(days=20)

    def due_at(retention: float) -> datetime:
        return review(
            state, Rating.Good, at, card_id=1, desired_retention=retention, fuzzing=False
        ).due

    assert due_at(0.95) < due_at(0.9) < due_at(0.8)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(0), "now"),
        (timedelta(minutes=-5), "now"),
        (timedelta(seconds=30), "in less than a minute"),
        (timedelta(minutes=1), "in 1 minute"),
        (timedelta(minutes=10), "in 10 minutes"),
        (timedelta(minutes=59, seconds=40), "in 1 hour"),
        (timedelta(hours=1), "in 1 hour"),
        (timedelta(hours=5), "in 5 hours"),
        (timedelta(hours=23, minutes=50), "tomorrow"),
        (timedelta(days=1), "tomorrow"),
        (timedelta(days=4), "in 4 days"),
        (timedelta(days=30), "in 30 days"),
        (timedelta(days=91), "in 3 months"),
        (timedelta(days=365), "in 1 year"),
        (timedelta(days=800), "in 2 years"),
    ],
)
def test_interval_text(delta: timedelta, text: str) -> None:
    assert interval_text(T0, T0 + delta) == text


def test_preview_orders_the_four_buttons() -> None:
    new = preview(CardState.new(T0), T0, card_id=1, desired_retention=0.9)
    assert list(new) == ["again", "hard", "good", "easy"]
    assert new["again"] < new["hard"] < new["good"] < new["easy"]
    assert new["good"] - T0 == timedelta(minutes=10)  # fsrs's second learning step
    mature = CardState(
        state=State.Review, step=None, stability=30.0, difficulty=5.0, due=T0, last_review=T0
    )
    at = T0 + timedelta(days=30)
    later = preview(mature, at, card_id=1, desired_retention=0.9)
    assert later["again"] < later["hard"] < later["good"] < later["easy"]
    # The preview matches what the unfuzzed review would do.
    reviewed = review(mature, Rating.Good, at, card_id=1, desired_retention=0.9, fuzzing=False)
    assert later["good"] == reviewed.due


def test_retrievability() -> None:
    assert retrievability(CardState.new(T0), T0) is None
    state = review(CardState.new(T0), Rating.Good, T0, card_id=1, desired_retention=0.9)
    assert retrievability(state, T0 + timedelta(hours=12)) == 1.0  # whole days only
    week = retrievability(state, T0 + timedelta(days=7), desired_retention=0.9)
    month = retrievability(state, T0 + timedelta(days=30), desired_retention=0.9)
    assert week is not None
    assert month is not None
    assert 0 < month < week < 1


def test_due_forecast_counts_overdue_on_today() -> None:
    now = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    dues = [
        datetime(2026, 2, 20, 8, 0, tzinfo=UTC),  # overdue
        datetime(2026, 3, 4, 10, 0, tzinfo=UTC),  # earlier today
        datetime(2026, 3, 4, 23, 59, tzinfo=UTC),  # later today
        datetime(2026, 3, 5, 0, 30, tzinfo=UTC),  # tomorrow
        datetime(2026, 3, 17, 12, 0, tzinfo=UTC),  # the 14th day
        datetime(2026, 3, 18, 0, 0, tzinfo=UTC),  # beyond the forecast
    ]
    forecast = due_forecast(dues, now)
    assert len(forecast) == 14
    assert forecast[0] == (date(2026, 3, 4), 3)
    assert forecast[1] == (date(2026, 3, 5), 1)
    assert forecast[13] == (date(2026, 3, 17), 1)
    assert sum(count for _day, count in forecast) == 5


def test_due_forecast_uses_the_students_local_days() -> None:
    new_york = ZoneInfo("America/New_York")  # UTC-5 in early March 2026
    now = datetime(2026, 3, 5, 3, 0, tzinfo=UTC)  # 22:00 on 4 March in New York
    dues = [
        datetime(2026, 3, 5, 4, 30, tzinfo=UTC),  # 23:30 on 4 March local: today
        datetime(2026, 3, 5, 5, 30, tzinfo=UTC),  # 00:30 on 5 March local: tomorrow
    ]
    assert due_forecast(dues, now, days=3, tz=new_york) == [
        (date(2026, 3, 4), 1),
        (date(2026, 3, 5), 1),
        (date(2026, 3, 6), 0),
    ]
    # In UTC both are due today, 5 March.
    assert due_forecast(dues, now, days=2) == [(date(2026, 3, 5), 2), (date(2026, 3, 6), 0)]


def test_due_forecast_needs_at_least_one_day() -> None:
    with pytest.raises(ValueError):
        due_forecast([], T0, days=0)
