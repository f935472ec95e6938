"""An Anki card's revlog replayed through fsrs gives the state the real scheduler reaches when
fed the same answers by hand; manual rows are skipped, "Forget" starts again; and the revlog
of a package built in the test suite is read and replayed card by card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs
import pytest
from fsrs import Rating

from quiz.formats.anki.collection import Review, read_package
from quiz.formats.anki.history import replay_card
from quiz.scheduling import CardState, replay
from tests.anki_helpers import BASIC, Deck, NoteSpec, package

START = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
# (minutes after START, ease, type): learning steps, then reviews days apart, a lapse, relearn.
HISTORY = [
    (0, 3, 0), (10, 3, 0), (60 * 24, 3, 1), (60 * 24 * 4, 4, 1), (60 * 24 * 15, 1, 1),
    (60 * 24 * 15 + 10, 3, 2), (60 * 24 * 17, 2, 1), (60 * 24 * 30, 3, 1),
]  # fmt: skip


def rows(history: list[tuple[int, int, int]], card_id: int = 55) -> list[Review]:
    """Revlog rows as Anki writes them: the id is the time in milliseconds."""
    return [
        Review(int((START + timedelta(minutes=m)).timestamp() * 1000), card_id, ease, kind, 1)
        for m, ease, kind in history
    ]


def by_hand(history: list[tuple[int, int, int]], card_id: int = 55) -> fsrs.Card:
    """The fsrs scheduler itself, fed the same answers one by one (no fuzz)."""
    scheduler = fsrs.Scheduler(desired_retention=0.9, enable_fuzzing=False)
    card = fsrs.Card(card_id=card_id)
    for minutes, ease, _kind in history:
        card, _log = scheduler.review_card(card, Rating(ease), START + timedelta(minutes=minutes))
    return card


def test_a_replayed_history_equals_fsrs_fed_by_hand() -> None:
    replayed = replay_card(rows(HISTORY), card_id=55, fuzzing=False)
    assert replayed is not None and replayed.answers == len(HISTORY)
    assert replayed.state == CardState.from_fsrs(by_hand(HISTORY))
    assert replayed.state.state == fsrs.State.Review.value
    assert replayed.state.last_review == START + timedelta(days=30)


def test_the_order_of_rows_does_not_matter() -> None:
    shuffled = list(reversed(rows(HISTORY)))
    assert replay_card(shuffled, card_id=55, fuzzing=False) == replay_card(
        rows(HISTORY), card_id=55, fuzzing=False
    )


def test_with_fuzz_it_is_the_apps_own_replay() -> None:
    answers = [(Rating(e), START + timedelta(minutes=m)) for m, e, _k in HISTORY]
    expected = replay(answers, card_id=55, desired_retention=0.9, created=answers[0][1])
    replayed = replay_card(rows(HISTORY), card_id=55)
    assert replayed is not None and replayed.state == expected
    # Fuzz moves only the due date: the memory state is the scheduler's by hand.
    plain = CardState.from_fsrs(by_hand(HISTORY))
    assert (replayed.state.stability, replayed.state.difficulty) == (
        plain.stability, plain.difficulty
    )  # fmt: skip


def test_manual_rows_are_skipped_and_forget_starts_again() -> None:
    manual = Review(int((START + timedelta(days=20)).timestamp() * 1000), 55, 0, 4, 7)
    forget = Review(int((START + timedelta(days=16)).timestamp() * 1000), 55, 0, 4, 0)
    with_manual = replay_card([*rows(HISTORY), manual], card_id=55, fuzzing=False)
    assert with_manual is not None and with_manual.skipped == 1
    assert with_manual.state == CardState.from_fsrs(by_hand(HISTORY))
    reset = replay_card([*rows(HISTORY), forget], card_id=55, fuzzing=False)
    after = [row for row in HISTORY if row[0] > 60 * 24 * 16]
    assert reset is not None and reset.answers == len(after)
    assert reset.state == CardState.from_fsrs(by_hand(after))
    assert reset.reset_at == START + timedelta(days=16)


def test_no_answers_is_none_and_a_bad_ease_is_refused() -> None:
    assert replay_card([], card_id=1) is None
    with pytest.raises(ValueError, match="ease 7 is not 0 to 4"):
        replay_card([Review(1_700_000_000_000, 1, 7, 1)], card_id=1)


def test_a_packages_revlog_replays_card_by_card() -> None:
    notes = [NoteSpec(1, BASIC, ["chien", "dog"]), NoteSpec(2, BASIC, ["chat", "cat"])]
    log = [(r.id, 10, r.ease, r.type) for r in rows(HISTORY, 10)]  # card ids: note id * 10
    log += [(r.id + 1, 20, r.ease, r.type) for r in rows(HISTORY[:3], 20)]
    for layout in ("anki21", "anki21b"):
        collection = read_package(package(Deck(notes, revlog=log), layout))
        cards: dict[int, list[Review]] = {}
        for review in collection.reviews:
            cards.setdefault(review.card_id, []).append(review)
        assert sorted(cards) == [10, 20]
        first = replay_card(cards[10], card_id=10, fuzzing=False)
        second = replay_card(cards[20], card_id=20, fuzzing=False)
        assert first is not None and first.state == CardState.from_fsrs(by_hand(HISTORY, 10))
        assert second is not None and second.answers == 3
