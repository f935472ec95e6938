"""The student's last word on a typed answer ("I was right"), and how it counts.

After a short answer, number or cloze is marked wrong (or partly right), the student may say
they were right, as Quizlet's override lets them. Reviews are append-only, so the review keeps
its grade and a `ReviewOverride` row says which rating it now counts as: the rating a right
answer gets (`rating_for(1.0)`, Good), or the student's own rating where a partly right answer
was already a pass. The card is then rebuilt from the replay of its reviews with that rating,
so a card still always equals `replay_card`.

The scheduler always takes the student's word (a false "Again" would reset the card, which is
the harm the override exists to undo). What the numbers show is the teacher's call, per set:
`overrides_count_in_study` (default on) makes the answer count as right in study progress,
`overrides_count_in_quizzes` (default off) adds it to scored quiz results.

The set's owner sees the overrides and can accept the answer: see quiz.overrides.accept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from fsrs import Rating
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz import scheduling
from quiz.database import begin_write, is_postgres
from quiz.models import AnswerMark, Attempt, Card, Question, QuestionSet, Review, ReviewOverride
from quiz.study.answers import replay_rows, review_history
from quiz.timeutil import now_utc

TYPED_KINDS = frozenset({"short_answer", "numeric", "cloze"})
# The rating the answer would have had if it had been graded right.
OVERRIDE_RATING = scheduling.rating_for(1.0)


class OverrideRefused(Exception):
    """Why this answer cannot be overridden or accepted; the message is for people."""


class NotFound(LookupError):
    """No such override or review for this user: answered with a 404."""


# The student's side.


def refusal(review: Review, question: Question) -> str | None:
    """Why the student cannot say "I was right" about this review; None when they can."""
    if question.kind not in TYPED_KINDS:
        return "Only typed answers (short answers, numbers and gaps) can be overridden."
    if review.correct:
        return "This answer was already marked right."
    if review.response is None:
        return "There was no answer to stand by."
    return None


def overridden_rating(review: Review) -> Rating:
    """The rating an overridden review counts as: Good in place of Again.

    A partly right answer above the pass mark was already a pass, rated Hard, Good or Easy by
    the student; that rating stands (the override then only changes what is counted).
    """
    rating = Rating(review.rating)
    return OVERRIDE_RATING if rating == Rating.Again else rating


def can_offer(review: Review | None, question: Question, override: Any) -> bool:
    """Whether the page shows the "I was right" button for this review."""
    return review is not None and override is None and refusal(review, question) is None


def study_note(qset: QuestionSet) -> str:
    """What an override means for the student's progress in this set."""
    if qset.overrides_count_in_study:
        return "It is scheduled as a right answer and counts as right in your progress."
    return "It is scheduled as a right answer; your teacher counts the original grade in progress."


def quiz_note(qset: QuestionSet) -> str:
    """What an override means for the score of a quiz on this set."""
    if qset.overrides_count_in_quizzes:
        return "It counts as right in this quiz's score."
    return "It is scheduled as a right answer; this quiz's score keeps the original grade."


def find_override(session: Session, review_id: int) -> ReviewOverride | None:
    """The override of a review, if the student made one."""
    return session.scalar(sa.select(ReviewOverride).where(ReviewOverride.review_id == review_id))


def _lock_card(session: Session, card_id: int) -> Card:
    """The review's card, locked for this transaction (begin_write holds SQLite's lock)."""
    query = sa.select(Card).where(Card.id == card_id)
    if is_postgres(session):
        query = query.with_for_update()
    card = session.scalar(query)
    if card is None:  # a review always has its card (both cascade from the user)
        raise NotFound(card_id)
    return card


def override_review(
    session: Session,
    user_id: int,
    review_id: int,
    *,
    now: datetime | None = None,
    fuzzing: bool = True,
) -> tuple[ReviewOverride, bool]:
    """Count the student's own review as right and rebuild its card by replay; commits.

    Returns the override and whether it is new: a second click returns the first and writes
    nothing. NotFound unless the review is the student's; OverrideRefused with the reason
    when the answer is not one that can be overridden.
    """
    for try_number in (1, 2):
        begin_write(session)
        review = session.scalar(sa.select(Review).where(Review.id == review_id))
        if review is None or review.user_id != user_id:
            session.rollback()
            raise NotFound(review_id)
        question = session.get(Question, review.question_id)
        reason = refusal(review, question) if question is not None else "The question is gone."
        if not reason and review.attempt_id is not None:
            attempt = session.get(Attempt, review.attempt_id)
            if attempt is not None and attempt.finished_at is None:
                reason = "Finish the quiz first; then you can say which answers were right."
        if reason:
            session.rollback()
            raise OverrideRefused(reason)
        card = _lock_card(session, review.card_id)
        existing = find_override(session, review.id)
        if existing is not None:
            session.rollback()
            return existing, False
        try:
            override = _apply(session, card, review, now or now_utc(), fuzzing)
            session.commit()
            return override, True
        except IntegrityError:  # the other click of a double click won on PostgreSQL
            session.rollback()
            if try_number == 2:
                raise
    raise AssertionError("unreachable: the loop returns or raises")


def _apply(
    session: Session, card: Card, review: Review, now: datetime, fuzzing: bool
) -> ReviewOverride:
    """Insert the override and store the replayed card, in the caller's transaction."""
    override = ReviewOverride(
        review_id=review.id,
        user_id=review.user_id,
        question_id=review.question_id,
        rating=int(overridden_rating(review)),
        due_after=review.due_after,
        created_at=now,
    )
    session.add(override)
    session.flush()
    # A card the student reset starts again after the reset: an override of an earlier review
    # is kept (it counts for the quiz) but no longer shapes the card.
    rows = review_history(session, card.id, since=card.reset_at)
    if not any(row.id == review.id for row in rows):
        return override
    upto = next(index for index, row in enumerate(rows) if row.id == review.id) + 1
    override.due_after = replay_rows(rows[:upto], card, fuzzing=fuzzing).due
    state = replay_rows(rows, card, fuzzing=fuzzing)
    card.state = state.state
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due
    card.last_review = state.last_review
    # As apply_review counts them: every review is a rep, every Again a lapse.
    card.reps = len(rows)
    card.lapses = sum(1 for row in rows if row.rating == Rating.Again)
    return override


# Counting, as the set's owner says.


def quiz_credit(session: Session, *where: Any) -> dict[int, float]:
    """Answers' worth of points that overrides add to attempts whose set counts them.

    Keyed by attempt id; `where` narrows the attempts (e.g. `Attempt.user_id == 3`).
    """
    query = (
        sa.select(Review.attempt_id, sa.func.sum(sa.literal(1.0) - Review.score))
        .join(ReviewOverride, ReviewOverride.review_id == Review.id)
        .join(Attempt, Attempt.id == Review.attempt_id)
        .join(QuestionSet, QuestionSet.id == Attempt.set_id)
        # A teacher's own mark on the answer settles it: the attempt's score holds it already.
        .outerjoin(
            AnswerMark,
            sa.and_(
                AnswerMark.attempt_id == Review.attempt_id,
                AnswerMark.question_id == Review.question_id,
                AnswerMark.score.is_not(None),
            ),
        )
        .where(QuestionSet.overrides_count_in_quizzes.is_(True), AnswerMark.id.is_(None), *where)
        .group_by(Review.attempt_id)
    )
    return {attempt_id: float(points or 0) for attempt_id, points in session.execute(query)}


def counted_score(score: float, question_order: list[int], credit: float) -> float:
    """An attempt's score (0 to 1) with the overrides' credit, out of its questions."""
    return min(1.0, score + credit / (len(question_order) or 1))


def attempt_score(session: Session, attempt: Attempt) -> float | None:
    """The score of one attempt as shown to the student and the teacher."""
    if attempt.score is None:
        return None
    credit = quiz_credit(session, Attempt.id == attempt.id).get(attempt.id, 0.0)
    return counted_score(attempt.score, attempt.question_order, credit)


def attempt_overrides(session: Session, attempt_id: int) -> dict[int, tuple[Review, Any]]:
    """Per question of the attempt, its review and that review's override (or None)."""
    query = (
        sa.select(Review, ReviewOverride)
        .outerjoin(ReviewOverride, ReviewOverride.review_id == Review.id)
        .where(Review.attempt_id == attempt_id)
    )
    return {review.question_id: (review, override) for review, override in session.execute(query)}
