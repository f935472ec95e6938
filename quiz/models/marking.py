"""A teacher's marks: essays marked by hand, comments on any answer, overridden automatic marks."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class AnswerMark(Base):
    """The teacher's word on one answer of an attempt, kept beside the automatic grade.

    The attempt answer keeps the score the app gave (0 for an essay); `score` is the teacher's
    (None: only a comment, the automatic score stands). Keyed by attempt and question like the
    answer itself, so the score queries join it without the answer row.
    """

    __tablename__ = "answer_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    marker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    score: Mapped[float | None]
    # The automatic score when the mark was given, so the override is read beside it.
    original_score: Mapped[float]
    ticks: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # rubric criteria met
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")  # why an automatic mark changed
    marked_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question_id"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score"),
    )


class MarksRelease(Base):
    """An assignment whose marks and comments its students may see (released by its teacher)."""

    __tablename__ = "marks_release"

    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True
    )
    released_at: Mapped[datetime] = mapped_column(default=now_utc)
    released_by: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
