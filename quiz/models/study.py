"""Scheduling state and the history of every answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class Card(Base):
    """A student's FSRS memory state for one question; always the replay of its reviews."""

    __tablename__ = "card"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[int] = mapped_column(default=1)
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime] = mapped_column(default=now_utc)
    last_review: Mapped[datetime | None]
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    version: Mapped[int] = mapped_column(default=1)
    # The student's own hold on the card, outside FSRS: a suspended card leaves the queue until
    # unsuspended; a buried one until the time given (the student's next local midnight).
    suspended: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    buried_until: Mapped[datetime | None]
    # "Reset" makes the card new again: its state is the replay of the reviews after this time
    # only (the earlier ones stay in the log, as every answer is kept).
    reset_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own idiom
    __table_args__ = (
        sa.UniqueConstraint("user_id", "question_id"),
        sa.Index("ix_card_user_id_due", "user_id", "due"),
        # The new questions a student met today (the daily limit), without reading every card.
        sa.Index("ix_card_user_id_created_at", "user_id", "created_at"),
    )


class Review(Base):
    """One answer, append-only: what was said, how it was judged and the rating FSRS got."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(sa.ForeignKey("card.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    # The version of the question answered (see quiz.models.versions); None before versions.
    question_version: Mapped[int | None]
    attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="SET NULL"), index=True
    )
    response: Mapped[Any] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    score: Mapped[float]
    rating: Mapped[int]
    # The retention the scheduler used, so a replay matches after the student changes it.
    desired_retention: Mapped[float]
    duration_ms: Mapped[int | None]
    reviewed_at: Mapped[datetime] = mapped_column(default=now_utc)
    due_after: Mapped[datetime]
    submission_id: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.UniqueConstraint("user_id", "submission_id"),
        sa.Index("ix_review_user_id_reviewed_at", "user_id", "reviewed_at"),
        # The per-question counts of the mastery page, read from the index alone.
        sa.Index("ix_review_user_id_question_id", "user_id", "question_id", "correct"),
        # Quiz reviews by attempt: most reviews are study answers without one, and SQLite's
        # statistics then call the full index useless (all NULLs look like one huge value) and
        # scan a million rows for a student's quiz scores; this one holds only quiz reviews.
        sa.Index(
            "ix_review_attempt_id_given",
            "attempt_id",
            sqlite_where=sa.text("attempt_id IS NOT NULL"),
            postgresql_where=sa.text("attempt_id IS NOT NULL"),
        ),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name="rating"),
    )


class Attempt(Base):
    """A scored run through a set in quiz mode."""

    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("question_set.id", ondelete="CASCADE"))
    assignment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assignment.id", ondelete="SET NULL")
    )
    question_order: Mapped[list[int]] = mapped_column(sa.JSON)
    seed: Mapped[int]
    one_page: Mapped[bool] = mapped_column(default=False)
    time_limit_s: Mapped[int | None]
    started_at: Mapped[datetime] = mapped_column(default=now_utc)
    finished_at: Mapped[datetime | None]
    score: Mapped[float | None]
    version: Mapped[int] = mapped_column(default=1)
    # Question ids the student flagged for review in a paged attempt.
    flagged: Mapped[list[int]] = mapped_column(sa.JSON, default=list, server_default="[]")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own idiom
    __table_args__ = (sa.Index("ix_attempt_user_id_set_id", "user_id", "set_id"),)


class AttemptAnswer(Base):
    """One answer inside an attempt; one per question."""

    __tablename__ = "attempt_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    response: Mapped[Any] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    score: Mapped[float]
    # Time spent on the question, kept until a paged attempt is handed in and becomes reviews.
    duration_ms: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_id"),)


class PendingAnswer(Base):
    """A right answer waiting for the student to say whether it was hard, good or easy.

    It is kept in the database, so the answer survives a closed tab; it becomes a review
    (rated Good unless the student chose) on the next study request.
    """

    __tablename__ = "pending_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    submission_id: Mapped[str] = mapped_column(sa.String(64))
    response: Mapped[Any] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    score: Mapped[float]
    duration_ms: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("user_id", "submission_id"),)


class CramAnswer(Base):
    """An answer given while cramming: kept for the student's record, never moving a card.

    A separate table rather than a flag on Review, so that the review log stays exactly what
    the card replays and every count of reviews stays a count of scheduled answers.
    """

    __tablename__ = "cram_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    submission_id: Mapped[str] = mapped_column(sa.String(64))
    response: Mapped[Any] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    score: Mapped[float]
    duration_ms: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        sa.UniqueConstraint("user_id", "submission_id"),
        sa.Index("ix_cram_answer_user_id_answered_at", "user_id", "answered_at"),
    )


class NewLimitRaise(Base):
    """Extra new questions a student allowed themselves on one local day (once a day)."""

    __tablename__ = "new_limit_raise"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    extra: Mapped[int]


class ReviewOverride(Base):
    """A student's "I was right" on a typed answer marked wrong.

    The review row keeps its original grade; this row says which rating it now counts as, so
    the card is the replay of its reviews with this rating in place of the review's own.
    """

    __tablename__ = "review_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The review's question, kept here so the teacher's list joins to sets without the review.
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    rating: Mapped[int]
    # When the card came due after the overridden review, in the new replay.
    due_after: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Set when the set's owner added the answer to the question's accepted answers.
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 4", name="rating"),)
