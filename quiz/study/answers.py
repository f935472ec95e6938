"""Recording an answer: grade, review the card with FSRS, log it; once per submission id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from fsrs import Rating
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from quiz import scheduling
from quiz.database import begin_write, insert_returning, is_postgres
from quiz.media.render import show_media_of
from quiz.models import Card, PendingAnswer, Question, Review, ReviewOverride, User
from quiz.models.content import ShownQuestion
from quiz.questions import Grade, ResponseError, question_from_dict
from quiz.statements import built_once
from quiz.timeutil import now_utc

MAX_DURATION_MS = 60 * 60 * 1000


@dataclass(frozen=True)
class Answer:
    """A judged response, ready to be recorded."""

    question_id: int
    response: Any
    grade: Grade
    self_rating: str | None = None
    duration_ms: int | None = None
    question_version: int | None = None  # the question's as graded, if the caller read it


def card_state(card: Card) -> scheduling.CardState:
    """The scheduler's view of a stored card."""
    return scheduling.CardState(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def card_changes(card: Card, state: scheduling.CardState, rating: Rating) -> dict[str, Any]:
    """The card row's new values after one review (its version moves on with them)."""
    return {
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": state.due,
        "last_review": state.last_review,
        "reps": card.reps + 1,
        "lapses": card.lapses + (rating == Rating.Again),
        "version": card.version + 1,
    }


def review_row(
    user: User,
    card: Card,
    answer: Any,
    rating: Rating,
    state: scheduling.CardState,
    *,
    at: datetime,
    duration_ms: int | None,
    submission_id: str,
    attempt_id: int | None = None,
    question_version: int | None = None,
) -> dict[str, Any]:
    """The review row of one answer (anything with question_id, response and grade)."""
    return {
        "user_id": user.id,
        "card_id": card.id,
        "question_id": answer.question_id,
        "question_version": question_version,
        "attempt_id": attempt_id,
        "response": answer.response,
        "correct": answer.grade.correct,
        "score": answer.grade.score,
        "rating": int(rating),
        "desired_retention": user.desired_retention,
        "duration_ms": duration_ms,
        "reviewed_at": at,
        "due_after": state.due,
        "submission_id": submission_id,
    }


class StaleAnswer(Exception):
    """The card moved on since the page was shown (another tab, or Back): nothing recorded."""

    def __init__(self, answered_at: datetime | None) -> None:
        super().__init__("this card was answered elsewhere since the page was shown")
        self.answered_at = answered_at


def check_fresh(
    session: Session, user_id: int, question_id: int, card: Card | None, expected: int | None
) -> None:
    """Raise StaleAnswer unless the card is still as the page showed it (called under its lock).

    `expected` is the card version the page carried (0: no card yet; None: not sent, so no
    check). A right answer of another tab waiting for its rating makes the card stale too.
    """
    if expected is None:
        return
    held = session.scalar(_held_query(), {"user_id": user_id, "question_id": question_id})
    if held is not None:
        raise StaleAnswer(held)
    current = card.version if card is not None else 0
    if current != expected:
        raise StaleAnswer(card.last_review if card is not None else None)


def lock_fresh_card(
    session: Session, user_id: int, question_id: int, expected: int | None
) -> Card | None:
    """lock_card, then check_fresh: in one statement when the card exists (nearly always).

    The card row carries, as a subquery, when a held right answer to the question was given;
    only for a question without a card yet is that asked on its own.
    """
    if expected is None:
        return lock_card(session, user_id, question_id)
    params = {"user_id": user_id, "question_id": question_id}
    postgres = is_postgres(session)
    if postgres:
        # Two tabs answering one showing: a new card has no row to lock, and a tab that waited
        # on the row's lock would look for held answers in the snapshot it began with. A lock
        # per (student, question) first, then the check in a statement (a snapshot) of its own.
        session.execute(_showing_lock(), params)
    row = session.execute(_card_held_query(for_update=postgres), params).first()
    if row is None:
        check_fresh(session, user_id, question_id, None, expected)
        return None
    card, held = row
    if held is not None:
        raise StaleAnswer(held)
    if card.version != expected:
        raise StaleAnswer(card.last_review)
    return card


@built_once
def _showing_lock() -> sa.Select[tuple[Any]]:
    """PostgreSQL: a transaction lock on one student's card of one question."""
    key = [sa.cast(sa.bindparam(name), sa.Integer) for name in ("user_id", "question_id")]
    return sa.select(sa.func.pg_advisory_xact_lock(*key))


@built_once
def _card_held_query(*, for_update: bool = False) -> sa.Select[tuple[Card, datetime | None]]:
    """The student's card for a question with when a held answer to it was given, if any."""
    held = _held_query().limit(1).scalar_subquery()  # two tabs may each hold one
    query = sa.select(Card, held.label("held")).where(
        Card.user_id == sa.bindparam("user_id"), Card.question_id == sa.bindparam("question_id")
    )
    return query.with_for_update(of=Card) if for_update else query


def find_review(session: Session, user_id: int, submission_id: str) -> Review | None:
    """The review already stored for this submission, if any."""
    params = {"user_id": user_id, "submission_id": submission_id}
    return session.scalar(_find_review_query(), params)


@built_once
def _find_review_query() -> sa.Select[tuple[Review]]:
    """find_review's statement, built once."""
    return sa.select(Review).where(
        Review.user_id == sa.bindparam("user_id"),
        Review.submission_id == sa.bindparam("submission_id"),
    )


def lock_card(session: Session, user_id: int, question_id: int) -> Card | None:
    """The student's card for the question, if any, locked for this transaction."""
    params = {"user_id": user_id, "question_id": question_id}
    return session.scalar(_card_query(for_update=is_postgres(session)), params)


# Statements built once with bound parameters: they run on every answer, and building one
# costs about as much as running it.
@built_once
def _card_query(*, for_update: bool = False) -> sa.Select[tuple[Card]]:
    """The student's card for a question (row-locked when `for_update`)."""
    query = sa.select(Card).where(
        Card.user_id == sa.bindparam("user_id"), Card.question_id == sa.bindparam("question_id")
    )
    return query.with_for_update() if for_update else query


@built_once
def _held_query() -> sa.Select[tuple[datetime]]:
    """When the student's held right answer to a question was given, if there is one."""
    return sa.select(PendingAnswer.answered_at).where(
        PendingAnswer.user_id == sa.bindparam("user_id"),
        PendingAnswer.question_id == sa.bindparam("question_id"),
    )


def find_card(session: Session, user_id: int, question_id: int) -> Card | None:
    """The student's card for the question, if any (not locked)."""
    return session.scalar(_card_query(), {"user_id": user_id, "question_id": question_id})


def apply_review(
    session: Session,
    user: User,
    answer: Answer,
    *,
    submission_id: str,
    now: datetime | None = None,
    fuzzing: bool = True,
    attempt_id: int | None = None,
    expected_version: int | None = None,
) -> Review:
    """Review the card with FSRS and append the review row, inside the caller's transaction.

    Without `now`, the clock is read once the card is locked, so that review times always
    follow the order in which reviews are applied (and a replay sorted by time agrees).
    With `expected_version`, a card changed since the page was shown raises StaleAnswer.
    The rows are written as Core statements, as the quiz's bulk review writes them
    (attempts._review_in_bulk): through the unit of work, flushing one new card cost
    270 microseconds against 105. The review returned is not in the session.
    """
    retention = user.desired_retention
    duration = None
    if answer.duration_ms is not None:
        duration = max(0, min(int(answer.duration_ms), MAX_DURATION_MS))
    session.flush()  # what the session holds goes first, as autoflush would have sent it
    connection = session.connection()
    card = lock_fresh_card(session, user.id, answer.question_id, expected_version)
    if card is None:  # a new card: its row as the table's defaults make it
        params = {"user_id": user.id, "question_id": answer.question_id}
        card = Card(**connection.execute(insert_returning(Card.__table__), params).one()._mapping)
    now = now or now_utc()
    if card.last_review is not None and now < card.last_review:
        # A held answer settled late keeps its own time unless the card moved on meanwhile:
        # review times never go backwards, so the card stays the replay of its reviews.
        now = card.last_review
    rating = scheduling.rating_for(answer.grade.score, self_rating=answer.self_rating)
    state = scheduling.review(
        card_state(card),
        rating,
        now,
        card_id=card.id,
        desired_retention=retention,
        duration_ms=duration,
        fuzzing=fuzzing,
    )
    changes = card_changes(card, state, rating)
    # Locked above, so the version check cannot fail unless something is badly wrong.
    updated = connection.execute(
        _update_card_query(), {"card_id": card.id, "old_version": card.version, **changes}
    )
    if updated.rowcount != 1:
        raise StaleDataError(f"card {card.id} changed while it was locked")
    for name, value in changes.items():  # the loaded card, if any, as the row now is
        set_committed_value(card, name, value)
    values = review_row(
        user,
        card,
        answer,
        rating,
        state,
        at=now,
        duration_ms=duration,
        submission_id=submission_id,
        attempt_id=attempt_id,
        question_version=(
            question_version(session, answer.question_id)
            if answer.question_version is None
            else answer.question_version
        ),
    )
    review_id = connection.execute(_insert_review_query(), values).scalar_one()
    return Review(id=review_id, **values)


@built_once
def _update_card_query() -> sa.Update:
    table = Card.__table__
    return sa.update(table).where(
        table.c.id == sa.bindparam("card_id"), table.c.version == sa.bindparam("old_version")
    )


@built_once
def _insert_review_query() -> sa.Insert:
    return sa.insert(Review.__table__).returning(Review.__table__.c.id)


def question_version(session: Session, question_id: int) -> int | None:
    """The question's current version: from the loaded question if any, else one small read."""
    loaded = session.identity_map.get(identity_key(Question, question_id))
    if loaded is not None:
        return loaded.version
    return session.scalar(_version_query(), {"question_id": question_id})


@built_once
def _version_query() -> sa.Select[tuple[int]]:
    return sa.select(Question.version).where(Question.id == sa.bindparam("question_id"))


def record_answer(
    session: Session,
    user: User,
    answer: Answer,
    *,
    submission_id: str,
    now: datetime | None = None,
    fuzzing: bool = True,
    expected_version: int | None = None,
    also: Callable[[Session], object] | None = None,
) -> tuple[Review, bool]:
    """Record one study answer in its own transaction; commits.

    Returns the review and whether it is new. A submission id seen before returns the first
    review and writes nothing (double click, back button, retry). StaleAnswer when the card
    is no longer at `expected_version` (nothing is written). `also` runs in the same
    transaction, after the review is added, when the review is new.
    """
    # A repeated submission is found by its failure, not by a read before every write (the
    # callers looked it up already, outside the lock): its unique (user, submission) insert
    # fails, or its card has moved past `expected_version`; either way the first review is
    # returned. On PostgreSQL two first answers to a new card can also race to create it:
    # the loser retries once.
    for try_number in (1, 2):
        begin_write(session)
        try:
            review = apply_review(
                session,
                user,
                answer,
                submission_id=submission_id,
                now=now,
                fuzzing=fuzzing,
                expected_version=expected_version,
            )
            if also is not None:
                also(session)
            session.commit()
            return review, True
        except StaleAnswer:
            session.rollback()
            existing = find_review(session, user.id, submission_id)
            if existing is not None:  # the card moved on with this very submission
                return existing, False
            raise
        except IntegrityError:
            session.rollback()
            existing = find_review(session, user.id, submission_id)
            if existing is not None:
                return existing, False
            if try_number == 2:
                raise
    raise AssertionError("unreachable: the loop returns or raises")


def review_history(
    session: Session, card_id: int, since: datetime | None = None
) -> list[sa.Row[Any]]:
    """The card's reviews, oldest first, each with the rating it counts as.

    That is the review's own rating, or its override's when the student said "I was right"
    (quiz.overrides.claims): the review row itself is never changed. With `since` (the card's
    reset time), only the reviews after it: a reset card starts again from them.
    """
    query = (
        sa.select(
            Review.id,
            sa.func.coalesce(ReviewOverride.rating, Review.rating).label("rating"),
            Review.reviewed_at,
            Review.desired_retention,
        )
        .outerjoin(ReviewOverride, ReviewOverride.review_id == Review.id)
        .where(Review.card_id == card_id)
    )
    if since is not None:
        query = query.where(Review.reviewed_at > since)
    return list(session.execute(query.order_by(Review.reviewed_at, Review.id)).all())


def replay_rows(
    rows: Sequence[sa.Row[Any]], card: Card, *, fuzzing: bool = True
) -> scheduling.CardState:
    """The card's state after the given rows of `review_history` (from its reset, if any)."""
    return scheduling.replay(
        [(Rating(r.rating), r.reviewed_at, r.desired_retention) for r in rows],
        card_id=card.id,
        desired_retention=0.9,
        created=card.reset_at or card.created_at,
        fuzzing=fuzzing,
    )


def replay_card(session: Session, card: Card, *, fuzzing: bool = True) -> scheduling.CardState:
    """The card's state rebuilt from its review log alone (overridden ratings included)."""
    return replay_rows(review_history(session, card.id, since=card.reset_at), card, fuzzing=fuzzing)


def load_question(question: Question | ShownQuestion) -> Any:
    """The pure question object for a stored question (its set's media may then show)."""
    show_media_of(question.set_id)
    return question_from_dict(question.as_dict())


def stored_grade(item: Any, response: Any, *, correct: bool, score: float) -> Grade:
    """Feedback for a stored response, keeping the verdict recorded at the time.

    The question may have been edited since; its current feedback is shown, not a new verdict.
    """
    if response is None:
        return Grade(False, 0.0, "Not answered.", item.answer_text())
    try:
        fresh = item.grade(response)
    except ResponseError:
        return Grade(correct, score, "", item.answer_text())
    return Grade(correct, score, fresh.feedback, fresh.answer)
