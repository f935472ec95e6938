"""Quiz mode: scored attempts through a set, with order and time limit kept by the server."""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz import request_hints, scheduling
from quiz.database import begin_write, is_postgres
from quiz.giveaways import draw_apart
from quiz.models import Attempt, AttemptAnswer, Card, Question, QuestionSet, Review, User
from quiz.questions import MARKED_KINDS, Grade
from quiz.quizzes.items import can_quiz_flashcard, flashcard_backs, without_choices
from quiz.sets.giveaway_pairs import pairs_of_set
from quiz.study.answers import MAX_DURATION_MS, card_changes, card_state, review_row
from quiz.timeutil import now_utc

# Latency, and a browser that runs the countdown late in a background tab, must not cost a
# student their answers: the page hands a quiz in a little early, the server accepts a little
# late.
GRACE = timedelta(seconds=30)


class AttemptClosed(Exception):
    """The attempt is finished or its time is up; nothing more is accepted."""


class OutOfOrder(Exception):
    """An answer to a question that is not the current one of a paged attempt."""


def start_attempt(
    session: Session,
    user: User,
    qset: QuestionSet,
    *,
    one_page: bool,
    time_limit_s: int | None,
    now: datetime,
    assignment_id: int | None = None,
    shuffle: bool = True,
    count: int | None = None,
    kinds: Collection[str] = (),
    tags: Collection[str] = (),
) -> Attempt:
    """Create an attempt with the set's live questions in a fresh shuffled order; commits.

    Flashcards are asked as a choice among the set's backs, so one without another back to
    choose from is left out. `count` draws that many at random; `kinds` and `tags`, when
    given, keep only questions of those kinds and with one of those tags. An assignment may
    keep the set's own order (shuffle=False).
    """
    backs = flashcard_backs(session, qset.id)
    rows = session.execute(
        sa.select(Question.id, Question.kind, Question.tags)
        .where(Question.set_id == qset.id, Question.retired.is_(False))
        .order_by(Question.position, Question.id)
    )
    ids = [
        qid
        for qid, kind, qtags in rows
        if (kind != "flashcard" or can_quiz_flashcard(qid, backs))
        and (assignment_id is not None or kind not in MARKED_KINDS)  # essays need a marker
        and (not kinds or kind in kinds)
        and (not tags or set(qtags or ()) & set(tags))
    ]
    seed = secrets.randbits(31)
    rng = random.Random(seed)  # noqa: S311 - question order, not security
    shuffled = list(ids)
    rng.shuffle(shuffled)
    # Never two questions of a give-away pair in one attempt: the first met of each stays.
    pairs = pairs_of_set(session, qset.id)
    drawn = set(draw_apart(shuffled, pairs, count or None))
    drawn -= without_choices(list(drawn), backs, pairs)
    ids = [qid for qid in (shuffled if shuffle else ids) if qid in drawn]
    attempt = Attempt(
        user_id=user.id,
        set_id=qset.id,
        assignment_id=assignment_id,
        question_order=ids,
        seed=seed,
        one_page=one_page,
        time_limit_s=time_limit_s or None,
        started_at=now,
    )
    session.add(attempt)
    session.commit()
    request_hints.forget(session)  # the student has an open attempt now
    return attempt


def deadline(attempt: Attempt) -> datetime | None:
    """When the time limit runs out, if there is one."""
    if not attempt.time_limit_s:
        return None
    return attempt.started_at + timedelta(seconds=attempt.time_limit_s)


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    """Whole seconds until the time limit, for the page's countdown; None without a limit."""
    end = deadline(attempt)
    return None if end is None else max(0, int((end - now).total_seconds()))


def is_overtime(attempt: Attempt, now: datetime) -> bool:
    """Whether an answer arriving now comes too late."""
    end = deadline(attempt)
    return end is not None and now > end + GRACE


def questions_of(session: Session, attempt: Attempt) -> list[Question]:
    """The attempt's questions in its shuffled order."""
    rows = session.scalars(sa.select(Question).where(Question.id.in_(attempt.question_order)))
    by_id = {q.id: q for q in rows}
    return [by_id[qid] for qid in attempt.question_order if qid in by_id]


def answers_of(session: Session, attempt: Attempt) -> dict[int, AttemptAnswer]:
    """The attempt's answers by question id."""
    rows = session.scalars(sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))
    return {a.question_id: a for a in rows}


def current_question_id(attempt: Attempt, answered: set[int]) -> int | None:
    """The first question in order without an answer: the only one a paged attempt accepts."""
    return next((qid for qid in attempt.question_order if qid not in answered), None)


def view_seed(attempt: Attempt, question_id: int) -> int:
    """The shuffle seed of one question's choices in this attempt (stable across reloads)."""
    return attempt.seed * 1_000_003 + question_id


def submission_id(attempt: Attempt, question_id: int) -> str:
    """The review's one-time id: one answer per question per attempt."""
    return f"a{attempt.id}q{question_id}"


@dataclass(frozen=True)
class Judged:
    """A question's response in an attempt; response None means left blank."""

    question: Question
    response: Any
    grade: Grade | None
    duration_ms: int | None = None


def _lock_attempt(session: Session, attempt_id: int) -> Attempt:
    begin_write(session)
    query = sa.select(Attempt).where(Attempt.id == attempt_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    attempt = session.scalar(query)
    if attempt is None:
        raise AttemptClosed("no such attempt")
    return attempt


def _lock_cards(session: Session, user_id: int, question_ids: list[int]) -> dict[int, Card]:
    """The student's cards for these questions, the missing ones created, all locked.

    Three statements whatever the number of questions: a SELECT (FOR UPDATE, in id order so
    two submissions cannot deadlock), one multi-row INSERT of the new cards and a SELECT of
    them.
    """
    if not question_ids:
        return {}

    def select(ids: list[int]) -> sa.Select[tuple[Card]]:
        query = (
            sa.select(Card)
            .where(Card.user_id == user_id, Card.question_id.in_(ids))
            .order_by(Card.id)
            .execution_options(populate_existing=True)
        )
        return query.with_for_update() if is_postgres(session) else query

    cards = {card.question_id: card for card in session.scalars(select(question_ids))}
    missing = [qid for qid in question_ids if qid not in cards]
    if missing:
        session.execute(
            sa.insert(Card).values([{"user_id": user_id, "question_id": qid} for qid in missing])
        )
        cards.update((card.question_id, card) for card in session.scalars(select(missing)))
    return cards


@dataclass(frozen=True)
class _Given:
    """An answer of an attempt to turn into a review; `at` None means now."""

    question_id: int
    response: Any
    grade: Grade
    duration_ms: int | None = None
    at: datetime | None = None


def _review_in_bulk(
    session: Session, user: User, attempt: Attempt, given: list[_Given], fuzzing: bool
) -> None:
    """Review the attempt's answers with FSRS in bulk, inside the caller's transaction.

    The same steps as answers.apply_review for each answer, but with the cards locked
    together and the rows written by one executemany per table, so a 66-question quiz costs
    what a 6-question one does.
    """
    cards = _lock_cards(session, user.id, [g.question_id for g in given])
    retention = user.desired_retention
    card_rows, review_rows = [], []
    for answer in given:
        card = cards[answer.question_id]
        moment = answer.at or now_utc()  # the clock read after the lock, as apply_review does
        if card.last_review is not None and moment < card.last_review:
            moment = card.last_review
        rating = scheduling.rating_for(answer.grade.score)
        duration = None
        if answer.duration_ms is not None:
            duration = max(0, min(int(answer.duration_ms), MAX_DURATION_MS))
        state = scheduling.review(
            card_state(card),
            rating,
            moment,
            card_id=card.id,
            desired_retention=retention,
            duration_ms=duration,
            fuzzing=fuzzing,
        )
        card_rows.append({"card_id": card.id, **card_changes(card, state, rating)})
        review_rows.append(
            review_row(
                user,
                card,
                answer,
                rating,
                state,
                at=moment,
                duration_ms=duration,
                submission_id=submission_id(attempt, answer.question_id),
                attempt_id=attempt.id,
            )
        )
    if card_rows:
        # Locked above, so the version check the ORM would make cannot fail: the rows are
        # written by primary key in one executemany (the ORM's would check them one by one).
        table = Card.__table__
        session.execute(sa.update(table).where(table.c.id == sa.bindparam("card_id")), card_rows)
        session.execute(sa.insert(Review), review_rows)


def _open_attempt(
    session: Session, attempt_id: int, now: datetime | None, fuzzing: bool = True
) -> tuple[Attempt, datetime]:
    """Lock an attempt that still takes answers, and the time of this answer.

    A finished attempt raises AttemptClosed; so does an overtime one, after it is finished
    with the answers it has.
    """
    attempt = _lock_attempt(session, attempt_id)
    now = now or now_utc()
    if attempt.finished_at is not None:
        session.rollback()
        raise AttemptClosed("This quiz is already finished.")
    if is_overtime(attempt, now):
        _finish(session, attempt, now, fuzzing)
        session.commit()
        raise AttemptClosed("Time was up: answers after the limit are not counted.")
    return attempt, now


def _finish(session: Session, attempt: Attempt, now: datetime, fuzzing: bool = True) -> None:
    """Score the attempt and close it; answers kept until now (paged ones) become reviews."""
    answers = answers_of(session, attempt)
    reviewed = set(
        session.scalars(sa.select(Review.question_id).where(Review.attempt_id == attempt.id))
    )
    user = session.get(User, attempt.user_id)
    given = [
        _Given(
            a.question_id,
            a.response,
            Grade(a.correct, a.score, "", ""),
            a.duration_ms,
            a.answered_at,
        )
        for a in sorted(answers.values(), key=lambda a: (a.answered_at, a.id))
        if a.question_id not in reviewed and a.response is not None
    ]
    if given:  # an essay is marked by a teacher, never scheduled: it makes no review
        marked = set(
            session.scalars(
                sa.select(Question.id).where(
                    Question.id.in_([g.question_id for g in given]),
                    Question.kind.in_(MARKED_KINDS),
                )
            )
        )
        given = [g for g in given if g.question_id not in marked]
    if given and user is not None:
        _review_in_bulk(session, user, attempt, given, fuzzing)
    total = len(attempt.question_order) or 1
    attempt.score = sum(a.score for a in answers.values()) / total
    end = deadline(attempt)
    attempt.finished_at = min(now, end) if end else now


def save_answer(
    session: Session,
    user: User,
    attempt_id: int,
    item: Judged,
    *,
    flagged: bool | None = None,
    now: datetime | None = None,
    fuzzing: bool = True,
) -> Attempt:
    """Keep (or replace) the answer to one question of a paged attempt until it is handed in.

    Like a Moodle quiz, a paged attempt can be browsed back and forth and answers changed; they
    become reviews when the attempt is finished (see _finish). A blank response keeps any
    answer given before. `flagged` sets or clears the question's review flag. Raises
    AttemptClosed when finished or overtime (an overtime attempt is finished with what it
    has). Commits.
    """
    attempt, now = _open_attempt(session, attempt_id, now, fuzzing)
    if item.question.id not in attempt.question_order:
        session.rollback()
        raise OutOfOrder("That question is not part of this quiz.")
    if item.grade is not None:
        stored = session.scalar(
            sa.select(AttemptAnswer).where(
                AttemptAnswer.attempt_id == attempt.id,
                AttemptAnswer.question_id == item.question.id,
            )
        )
        if stored is None:
            stored = AttemptAnswer(attempt_id=attempt.id, question_id=item.question.id)
            session.add(stored)
        stored.response = item.response
        stored.correct = item.grade.correct
        stored.score = item.grade.score
        stored.duration_ms = item.duration_ms
        stored.answered_at = now
    if flagged is not None:
        marks = [qid for qid in attempt.flagged or [] if qid != item.question.id]
        attempt.flagged = [*marks, item.question.id] if flagged else marks
    try:
        session.commit()
    except IntegrityError as error:  # a double click raced in the same first answer
        session.rollback()
        raise OutOfOrder("That answer was saved already.") from error
    return attempt


def answer_all(
    session: Session,
    user: User,
    attempt_id: int,
    items: list[Judged],
    *,
    now: datetime | None = None,
    fuzzing: bool = True,
) -> Attempt:
    """Store every answer of a one-page attempt at once and finish it; commits.

    An overtime submission is refused whole and the attempt is finished with a score of 0.
    """
    attempt, now = _open_attempt(session, attempt_id, now, fuzzing)
    wanted = set(attempt.question_order)
    items = [item for item in items if item.question.id in wanted]
    rows = [
        {
            "attempt_id": attempt.id,
            "question_id": item.question.id,
            "response": item.response,
            "correct": bool(item.grade and item.grade.correct),
            "score": item.grade.score if item.grade else 0.0,
            "duration_ms": item.duration_ms,
            "answered_at": now,
        }
        for item in items
    ]
    # A blank is not a recall attempt; every given answer is a review.
    given = [
        _Given(item.question.id, item.response, item.grade, item.duration_ms)
        for item in items
        if item.grade is not None and item.question.kind not in MARKED_KINDS
    ]
    try:
        if rows:
            session.execute(sa.insert(AttemptAnswer), rows)
        _review_in_bulk(session, user, attempt, given, fuzzing)
    except IntegrityError as error:
        session.rollback()
        raise AttemptClosed("These answers were recorded already.") from error
    _finish(session, attempt, now, fuzzing)
    session.commit()
    return attempt


def close_attempt(
    session: Session, attempt_id: int, *, now: datetime | None = None, fuzzing: bool = True
) -> Attempt:
    """Finish an attempt now, or at its deadline if that has passed; idempotent; commits."""
    attempt = _lock_attempt(session, attempt_id)
    if attempt.finished_at is None:
        _finish(session, attempt, now or now_utc(), fuzzing)
    session.commit()
    return attempt
