"""Live class games: a game run from a set, its players and their answers, all in the database.

Nothing about a running game is kept in a worker's memory: any worker (or server) answers any
request from these rows, and a restart loses nothing. `version` moves on with every change, so
the status URL can answer "unchanged" (304) from one indexed read.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class Pacing(enum.StrEnum):
    """Who moves the game on: the teacher (everyone on one question) or each student."""

    TEACHER = "teacher"
    STUDENT = "student"


class GameState(enum.StrEnum):
    """Where a game is; a student-paced game is RUNNING between LOBBY and FINISHED."""

    LOBBY = "lobby"
    QUESTION = "question"
    PAUSED = "paused"
    REVEAL = "reveal"
    RUNNING = "running"
    FINISHED = "finished"


class LiveGame(Base):
    """One live game of a set, run by its owner."""

    __tablename__ = "live_game"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_set.id", ondelete="CASCADE"), index=True
    )
    # Six digits while the game is open; NULL once finished, so a PIN is unique among open games
    # only (NULLs never collide) and can be handed out again.
    pin: Mapped[str | None] = mapped_column(sa.String(6), unique=True)
    pacing: Mapped[str] = mapped_column(sa.String(8), default=Pacing.TEACHER.value)
    question_ids: Mapped[list[int]] = mapped_column(sa.JSON)
    seed: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[int] = mapped_column(default=20)
    speed_points: Mapped[bool] = mapped_column(default=True)
    leaderboard: Mapped[str] = mapped_column(sa.String(9), default="on")  # on, off, anonymous
    guests: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(sa.String(9), default=GameState.LOBBY.value)
    current: Mapped[int] = mapped_column(default=-1)  # index into question_ids; -1 in the lobby
    opened_at: Mapped[datetime | None]  # the server's clock when the current question opened
    paused_left_ms: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    finished_at: Mapped[datetime | None]

    __table_args__ = (sa.CheckConstraint("seconds BETWEEN 5 AND 600", name="seconds"),)

    @property
    def is_open(self) -> bool:
        """Whether the game still changes (a finished one is read-only)."""
        return self.state != GameState.FINISHED.value


class LivePlayer(Base):
    """Someone in a game: a logged-in user, or a guest known by nickname and a cookie token."""

    __tablename__ = "live_player"

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(sa.ForeignKey("live_game.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    nickname: Mapped[str] = mapped_column(sa.String(40))
    # A guest's cookie holds this token's value; only its SHA-256 is stored.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64))
    points: Mapped[int] = mapped_column(default=0)
    # Student-paced games: the player's own question and when it was shown to them.
    position: Mapped[int] = mapped_column(default=0)
    shown_at: Mapped[datetime | None]
    joined_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        sa.UniqueConstraint("game_id", "user_id"),
        sa.UniqueConstraint("game_id", "nickname"),
    )


class LiveAnswer(Base):
    """One answer of a player to a question; the unique key makes a double tap count once."""

    __tablename__ = "live_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(sa.ForeignKey("live_game.id", ondelete="CASCADE"))
    player_id: Mapped[int] = mapped_column(sa.ForeignKey("live_player.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    response: Mapped[Any] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    score: Mapped[float]
    points: Mapped[int]
    duration_ms: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("game_id", "player_id", "question_id"),)
