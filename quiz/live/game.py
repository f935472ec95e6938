"""A live game's changes, each one transaction that moves the game's version on.

Every write here goes through the database only: the game row is the one source of truth for
every worker. An answer is gated by a conditional UPDATE of the game row (the question still
open, still the current one), so an answer racing the teacher's "next" either counts or is
refused, never half; a double tap meets the unique (game, player, question) key.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz.database import begin_write
from quiz.giveaways import draw_apart
from quiz.live import rules
from quiz.models import (
    GameState,
    LiveAnswer,
    LiveGame,
    LivePlayer,
    Pacing,
    Question,
    QuestionSet,
    User,
)
from quiz.questions import Grade
from quiz.quizzes.items import can_quiz_flashcard, flashcard_backs, without_choices
from quiz.sets.giveaway_pairs import pairs_of_set
from quiz.study.answers import Answer, apply_review
from quiz.timeutil import now_utc

PIN_TRIES = 20


class Refused(Exception):
    """A change the game does not take now (closed question, finished game); says why."""


class AlreadyAnswered(Refused):
    """This player answered this question already: the first answer counts."""


def token_hash(token: str) -> str:
    """What is stored of a guest's cookie token."""
    return hashlib.sha256(token.encode()).hexdigest()


def pick_questions(
    session: Session,
    set_id: int,
    *,
    count: int | None,
    kinds: Collection[str] = (),
    tags: Collection[str] = (),
    rng: random.Random,
) -> list[int]:
    """The set's live questions for a game, shuffled, drawn as a quiz draws them.

    Flashcards are asked as a choice among the set's backs, so one without another back is
    left out, and never two questions of a give-away pair.
    """
    backs = flashcard_backs(session, set_id)
    rows = session.execute(
        sa.select(Question.id, Question.kind, Question.tags)
        .where(Question.set_id == set_id, Question.retired.is_(False))
        .order_by(Question.position, Question.id)
    )
    ids = [
        qid
        for qid, kind, qtags in rows
        if (kind != "flashcard" or can_quiz_flashcard(qid, backs))
        and (not kinds or kind in kinds)
        and (not tags or set(qtags or ()) & set(tags))
    ]
    rng.shuffle(ids)
    pairs = pairs_of_set(session, set_id)
    drawn = draw_apart(ids, pairs, count or None)
    gone = without_choices(list(drawn), backs, pairs)
    return [qid for qid in drawn if qid not in gone]


def create_game(
    session: Session, owner: User, qset: QuestionSet, question_ids: list[int], **settings: Any
) -> LiveGame:
    """A new game in its lobby with a PIN unused among open games; commits."""
    for _ in range(PIN_TRIES):
        game = LiveGame(
            owner_id=owner.id,
            set_id=qset.id,
            pin=rules.new_pin(),
            question_ids=question_ids,
            seed=secrets.randbits(31),
            **settings,
        )
        session.add(game)
        try:
            session.commit()
        except IntegrityError:  # the PIN was taken by another open game: draw again
            session.rollback()
            continue
        return game
    raise Refused("No free game PIN right now; try again.")


def open_game_by_pin(session: Session, pin: str) -> LiveGame | None:
    """The open game with this PIN (finished games have none)."""
    return session.scalar(sa.select(LiveGame).where(LiveGame.pin == pin))


def _lock(session: Session, game_id: int) -> LiveGame:
    begin_write(session)
    query = sa.select(LiveGame).where(LiveGame.id == game_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    game = session.scalar(query.execution_options(populate_existing=True))
    if game is None:
        raise Refused("No such game.")
    return game


def control(session: Session, game_id: int, action: str, now: datetime | None = None) -> str:
    """The teacher moves the game on (next, pause, resume, end); commits; says what happened."""
    game = _lock(session, game_id)
    now = now or now_utc()
    state = game.state
    if state == GameState.FINISHED.value:
        session.rollback()
        raise Refused("This game is over: it can no longer change.")
    said = _apply(game, action, now)
    game.version += 1
    session.commit()
    return said


def _apply(game: LiveGame, action: str, now: datetime) -> str:
    """Change the locked game for one action; Refused when it does not apply now."""
    state, last = game.state, len(game.question_ids) - 1
    if action == "end":
        return _finish(game, now)
    if action == "next":
        if game.pacing == Pacing.STUDENT.value:
            if state == GameState.LOBBY.value:
                game.state = GameState.RUNNING.value
                return "The game has started: everyone goes at their own pace."
            return _finish(game, now)
        time_up = rules.seconds_left(game.opened_at, game.seconds, now) == 0
        if state == GameState.PAUSED.value or (state == GameState.QUESTION.value and not time_up):
            game.state = GameState.REVEAL.value
            game.paused_left_ms = None
            return "Answers are closed."
        if game.current >= last:
            return _finish(game, now)
        game.current += 1
        game.state = GameState.QUESTION.value
        game.opened_at = now
        return f"Question {game.current + 1} is open."
    if action == "pause" and state == GameState.QUESTION.value:
        left = rules.seconds_left(game.opened_at, game.seconds, now)
        game.state = GameState.PAUSED.value
        game.paused_left_ms = left * 1000
        return "Paused."
    if action in ("pause", "resume") and state == GameState.PAUSED.value:
        used_ms = game.seconds * 1000 - (game.paused_left_ms or 0)
        game.opened_at = now - timedelta(milliseconds=used_ms)
        game.state = GameState.QUESTION.value
        game.paused_left_ms = None
        return "Resumed."
    raise Refused("That does not apply now.")


def _finish(game: LiveGame, now: datetime) -> str:
    game.state = GameState.FINISHED.value
    game.finished_at = now
    game.pin = None  # free for another game; a finished game is joined by no one
    return "The game is over."


def join(
    session: Session, game: LiveGame, user: User | None, nickname: str, token: str | None
) -> LivePlayer:
    """Add a player (the same user again gets their player back); commits.

    Refused when the nickname is taken in this game.
    """
    if user is not None:
        found = session.scalar(
            sa.select(LivePlayer).where(
                LivePlayer.game_id == game.id, LivePlayer.user_id == user.id
            )
        )
        if found is not None:
            return found
    player = LivePlayer(
        game_id=game.id,
        user_id=user.id if user else None,
        nickname=nickname,
        token_hash=token_hash(token) if token else None,
        position=-1,
    )
    session.add(player)
    try:
        session.flush()
        _bump(session, game.id)
        session.commit()
    except IntegrityError as error:
        session.rollback()
        if user is not None:  # the same account joined from two tabs at once
            return session.scalars(
                sa.select(LivePlayer).where(
                    LivePlayer.game_id == game.id, LivePlayer.user_id == user.id
                )
            ).one()
        raise Refused("That nickname is taken in this game; choose another.") from error
    return player


def _bump(session: Session, game_id: int, gate: Any = None) -> int:
    """Move the game's version on where `gate` holds; the number of rows changed (0 or 1)."""
    result = session.execute(
        sa.update(LiveGame)
        .where(LiveGame.id == game_id, sa.true() if gate is None else gate)
        .values(version=LiveGame.version + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def question_index(game: LiveGame, player: LivePlayer) -> int:
    """Which question the player is on: the game's, or their own in a student-paced game."""
    return player.position if game.pacing == Pacing.STUDENT.value else game.current


def opened_at(game: LiveGame, player: LivePlayer) -> datetime | None:
    """When the player's current question opened, by the server's clock."""
    return player.shown_at if game.pacing == Pacing.STUDENT.value else game.opened_at


def record_answer(
    session: Session,
    game: LiveGame,
    player: LivePlayer,
    question_id: int,
    response: Any,
    grade: Grade,
    *,
    user: User | None,
    fuzzing: bool = True,
    now: datetime | None = None,
) -> LiveAnswer:
    """Keep a player's answer, with its points and (for an account) its FSRS review; commits.

    Refused when the question is closed or not the current one; AlreadyAnswered for a second
    answer. The game row is updated last, only if the game is still on this question: that
    UPDATE is the gate, and it holds the row's lock only for the end of the transaction.
    """
    begin_write(session)
    now = now or now_utc()
    index = question_index(game, player)
    student_paced = game.pacing == Pacing.STUDENT.value
    if not 0 <= index < len(game.question_ids) or game.question_ids[index] != question_id:
        session.rollback()
        raise Refused("That question is not open any more.")
    started = opened_at(game, player)
    if rules.is_late(started, game.seconds, now):
        session.rollback()
        raise Refused("Time was up: that answer came after the question closed.")
    elapsed = (now - started).total_seconds() if started else 0.0
    points = rules.points_for(
        grade.score, speed=game.speed_points, elapsed_s=elapsed, limit_s=game.seconds
    )
    answer = LiveAnswer(
        game_id=game.id,
        player_id=player.id,
        question_id=question_id,
        response=response,
        correct=grade.correct,
        score=grade.score,
        points=points,
        duration_ms=int(elapsed * 1000),
        answered_at=now,
    )
    session.add(answer)
    try:
        session.flush()
    except IntegrityError as error:  # a double tap: the first one counts
        session.rollback()
        raise AlreadyAnswered("Your answer was already in; it counts once.") from error
    if user is not None:
        apply_review(
            session,
            user,
            Answer(question_id, response, grade, duration_ms=answer.duration_ms),
            submission_id=f"live{game.id}q{question_id}",
            fuzzing=fuzzing,
        )
    if student_paced:
        gate = LiveGame.state == GameState.RUNNING.value
    else:
        gate = sa.and_(LiveGame.state == GameState.QUESTION.value, LiveGame.current == index)
    if not _bump(session, game.id, gate):
        session.rollback()
        raise Refused("Answers were closed before yours arrived.")
    session.execute(
        sa.update(LivePlayer)
        .where(LivePlayer.id == player.id)
        .values(points=LivePlayer.points + points)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return answer


def advance(session: Session, game: LiveGame, player: LivePlayer, seen: int) -> None:
    """A student-paced player moves from question `seen` to the next one; commits.

    Conditional on the player still being at `seen`, so a double tap moves once.
    """
    if game.state != GameState.RUNNING.value:
        raise Refused("The game is not running.")
    begin_write(session)
    session.execute(
        sa.update(LivePlayer)
        .where(LivePlayer.id == player.id, LivePlayer.position == seen)
        .values(position=seen + 1, shown_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    _bump(session, game.id)
    session.commit()
