"""What a student may do to their own cards outside answering: undo, suspend, bury, reset.

Undo is the one exception to the append-only review log, and a narrow one: only the student's
latest study review of a card (never a quiz answer) can be taken back, and the card is then
rebuilt from the reviews that remain, so it still equals their replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from fsrs import Rating
from sqlalchemy.orm import Session

from quiz import scheduling
from quiz.database import begin_write
from quiz.models import Card, Review, User
from quiz.study.answers import lock_card, replay_card, review_history
from quiz.study.queue import user_zone
from quiz.timeutil import now_utc


class CannotUndo(Exception):
    """The review is not the student's latest study review of its card."""


def latest_review_id(session: Session, card: Card) -> int | None:
    """The id of the card's newest review that counts (after its last reset)."""
    query = sa.select(Review.id).where(Review.card_id == card.id)
    if card.reset_at is not None:
        query = query.where(Review.reviewed_at > card.reset_at)
    return session.scalar(query.order_by(Review.reviewed_at.desc(), Review.id.desc()).limit(1))


def can_undo(session: Session, review: Review) -> bool:
    """Whether this review is a study answer that is still its card's latest."""
    if review.attempt_id is not None:
        return False
    card = session.get(Card, review.card_id)
    return card is not None and latest_review_id(session, card) == review.id


def undo_review(
    session: Session, user: User, review_id: int, *, fuzzing: bool = True
) -> Card | None:
    """Take back the student's latest review of a card and restore the card before it; commits.

    Returns the restored card, or None when the card had no other review and is gone (the
    question is new again). Raises LookupError for a review that is not the student's, and
    CannotUndo when it is not the card's latest study review.
    """
    begin_write(session)
    review = session.get(Review, review_id)
    if review is None or review.user_id != user.id:
        session.rollback()
        raise LookupError(review_id)
    card = lock_card(session, user.id, review.question_id)
    latest = latest_review_id(session, card) if card is not None else None
    if card is None or review.attempt_id is not None or latest != review.id:
        session.rollback()
        raise CannotUndo("Only your latest study answer to a card can be undone.")
    session.delete(review)
    session.flush()
    # With "I was right" overrides counted as the replay counts them.
    remaining = [row.rating for row in review_history(session, card.id, since=card.reset_at)]
    if not remaining and card.reset_at is None:
        session.delete(card)
        session.commit()
        return None
    restore(card, replay_card(session, card, fuzzing=fuzzing), remaining)
    session.commit()
    return card


def restore(card: Card, state: scheduling.CardState, ratings: Sequence[int]) -> None:
    """Write a replayed state and the counts of the reviews it came from into the card."""
    card.state = state.state
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due
    card.last_review = state.last_review
    card.reps = len(ratings)
    card.lapses = sum(1 for rating in ratings if rating == int(Rating.Again))


def next_midnight(user: User, now: datetime) -> datetime:
    """The start of the student's next local day, in UTC."""
    zone = user_zone(user)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=zone).astimezone(now.tzinfo)


ACTIONS = ("suspend", "unsuspend", "bury", "unbury", "reset")


def apply_action(
    session: Session, user: User, card_ids: list[int], action: str, *, fuzzing: bool = True
) -> int:
    """Suspend, unsuspend, bury (until the next local day), unbury or reset the student's cards.

    Cards that are not the student's are ignored. Returns how many changed; commits.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown card action: {action!r}")
    begin_write(session)
    now = now_utc()
    query = sa.select(Card).where(Card.user_id == user.id, Card.id.in_(card_ids))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    cards = session.scalars(query).all()
    for card in cards:
        if action == "suspend":
            card.suspended = True
        elif action == "unsuspend":
            card.suspended = False
        elif action == "bury":
            card.buried_until = next_midnight(user, now)
        elif action == "unbury":
            card.buried_until = None
        else:  # reset: new again; the reviews stay in the log but no longer shape the card
            card.reset_at = max(now, card.last_review or now)
            restore(card, replay_card(session, card, fuzzing=fuzzing), [])
    session.commit()
    return len(cards)
