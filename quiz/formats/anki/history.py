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

from quiz.formats.anki.collection import Review
from quiz.scheduling import CardState, replay

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
