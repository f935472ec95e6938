"""An Anki card's review history replayed through the real fsrs scheduler. Pure.

Anki's `revlog` has one row per answer: its id is the time in milliseconds since the epoch,
`ease` the button (1 Again, 2 Hard, 3 Good, 4 Easy) and `type` what kind of review it was.
Rows with ease 0 are manual changes, not answers ("Set due date", "Reschedule"): they are
skipped, except "Forget" (a manual row that sets the interval to 0), after which the card is
new again and only later answers count. Every answer, whatever its type (learning, review,
relearning, filtered deck), is fed to fsrs in time order, as Anki's own FSRS does, through
quiz.scheduling.replay: the app's scheduler with its seeded fuzz, so the state is the one the
app would have reached had the student answered here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Rating

from quiz.formats.anki.collection import Collection, Review
from quiz.formats.anki.read import base_key, meta_key
from quiz.scheduling import CardState, replay
from quiz.scheduling import review as review_once

MANUAL_TYPES = (4, 5)


@dataclass(frozen=True)
class Replayed:
    """A card's rebuilt state, with how many answers it came from and what was skipped."""

    state: CardState
    answers: int
    skipped: int  # manual rows (rescheduling) that are not answers
    reset_at: datetime | None  # the last "Forget", when there was one


def review_time(review: Review) -> datetime:
    """When a revlog row was written (its id), in UTC."""
    return datetime.fromtimestamp(review.id / 1000, tz=UTC)


def replay_card(
    reviews: Iterable[Review],
    *,
    card_id: int,
    desired_retention: float = 0.9,
    fuzzing: bool = True,
) -> Replayed | None:
    """The fsrs state a card's revlog rows lead to (oldest first); None if it has no answers.
    ValueError for an ease outside 0-4 (a damaged row)."""
    answers: list[tuple[Rating, datetime]] = []
    skipped, reset_at = 0, None
    for review in sorted(reviews, key=lambda r: r.id):
        if not 0 <= review.ease <= 4:
            raise ValueError(f"revlog row {review.id}: ease {review.ease} is not 0 to 4")
        if review.ease == 0:
            skipped += 1
            if review.type in MANUAL_TYPES and review.interval == 0:
                answers, reset_at = [], review_time(review)  # "Forget": new again
            continue
        answers.append((Rating(review.ease), review_time(review)))
    if not answers:
        return None
    state = replay(
        answers,
        card_id=card_id,
        desired_retention=desired_retention,
        created=answers[0][1],
        fuzzing=fuzzing,
    )
    return Replayed(state, len(answers), skipped, reset_at)


@dataclass(frozen=True)
class Step:
    """One answer of a replay: its revlog row, rating, time and the state it left."""

    review: Review
    rating: Rating
    at: datetime
    state: CardState


def replay_steps(
    reviews: Iterable[Review],
    *,
    card_id: int,
    desired_retention: float = 0.9,
    fuzzing: bool = True,
) -> list[Step]:
    """Every answer of a card's revlog after its last "Forget" (as replay_card counts them),
    with the state each one left: the last one's is replay_card's."""
    ordered = sorted(reviews, key=lambda r: r.id)
    start = 0
    for index, row in enumerate(ordered):
        if row.ease == 0 and row.type in MANUAL_TYPES and row.interval == 0:
            start = index + 1
    answers = [row for row in ordered[start:] if 1 <= row.ease <= 4]
    if not answers:
        return []
    steps: list[Step] = []
    state = CardState.new(review_time(answers[0]))
    for row in answers:
        at, rating = review_time(row), Rating(row.ease)
        state = review_once(
            state, rating, at, card_id=card_id, desired_retention=desired_retention, fuzzing=fuzzing
        )
        steps.append(Step(row, rating, at, state))
    return steps


def card_keys(collection: Collection) -> dict[int, str]:
    """Which question key each Anki card became (quiz.formats.anki.read's keys): a note's
    card `ord` n is the note's nth question; every card of a cloze note is its one question."""
    notes = {note.id: note for note in collection.notes}
    keys: dict[int, str] = {}
    for card_id, (note_id, ord_) in collection.cards.items():
        note = notes.get(note_id)
        notetype = collection.notetypes.get(note.notetype_id) if note is not None else None
        if note is None or notetype is None:
            continue
        exported = meta_key(note)
        if exported is not None:
            if ord_ == 0:
                keys[card_id] = exported
            continue
        base = base_key(note)
        keys[card_id] = base if notetype.cloze or ord_ == 0 else f"{base}-{ord_ + 1}"
    return keys
