"""Classes, who is in them and what they are asked to do."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.models.study import Attempt, Review
from quiz.timeutil import now_utc


class Mode(enum.StrEnum):
    """What an assignment asks: study the set until the due date, or take it as a quiz."""

    STUDY = "study"
    QUIZ = "quiz"


class ShowAnswers(enum.StrEnum):
    """When an assigned quiz's result page shows the right answers."""

    AFTER_ATTEMPT = "after_attempt"
    AFTER_DUE = "after_due"
    NEVER = "never"


class Classroom(Base):
    """A teacher's class; students join it with its code."""

    __tablename__ = "classroom"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    # Due dates are entered and shown in the class's zone, whoever looks at them.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # The gradebook: work overdue and not done counts as 0 only if the teacher says so.
    missing_counts_zero: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Percent off late work, for assignments that do not set their own (None: no penalty).
    late_penalty_pct: Mapped[int | None]
    # Whether the class's students may share their own sets with it (the teacher's switch).
    student_sharing: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    __table_args__ = (
        sa.CheckConstraint("late_penalty_pct BETWEEN 0 AND 100", name="late_penalty_pct"),
    )


class Enrollment(Base):
    """A student's membership of a class."""

    __tablename__ = "enrollment"

    classroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classroom.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(default=now_utc)

    # The student's side (their home page, the study queue's visible_to) looks up by user.
    __table_args__ = (sa.Index("ix_enrollment_user_id", "user_id"),)


class Assignment(Base):
    """A set given to a class with a due date, as study (a recall target) or as a quiz."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classroom.id", ondelete="CASCADE"), index=True
    )
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("question_set.id", ondelete="CASCADE"))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    mode: Mapped[str] = mapped_column(sa.String(8), default=Mode.QUIZ.value)
    # Study mode: the predicted recall on the due date that counts as done.
    target_recall: Mapped[float] = mapped_column(default=0.9)
    # Quiz mode: None means unlimited attempts / no time limit.
    max_attempts: Mapped[int | None]
    time_limit_s: Mapped[int | None]
    # Quiz mode: questions drawn at random for each attempt; None asks the whole set.
    question_count: Mapped[int | None]
    shuffle: Mapped[bool] = mapped_column(default=True)
    show_answers: Mapped[str] = mapped_column(
        sa.String(16), default=ShowAnswers.AFTER_ATTEMPT.value
    )
    allow_late: Mapped[bool] = mapped_column(default=True)
    # The gradebook: what the assignment is worth, its category (None: its mode's) and its
    # own late penalty in percent (None: the class's).
    points: Mapped[float] = mapped_column(default=100.0, server_default="100")
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("grade_category.id", ondelete="SET NULL")
    )
    late_penalty_pct: Mapped[int | None]

    __table_args__ = (
        sa.CheckConstraint("mode IN ('study', 'quiz')", name="mode"),
        sa.CheckConstraint(
            "show_answers IN ('after_attempt', 'after_due', 'never')", name="show_answers"
        ),
        sa.CheckConstraint("target_recall > 0 AND target_recall < 1", name="target_recall"),
        sa.CheckConstraint("points >= 0", name="points"),
        sa.CheckConstraint("late_penalty_pct BETWEEN 0 AND 100", name="late_penalty_pct"),
    )


# Indexes the class dashboard's bulk queries need on tables this module does not define:
# attempts by assignment, and every class member's answers to one set's questions.
sa.Index("ix_attempt_assignment_id", Attempt.assignment_id)
sa.Index("ix_review_question_id_user_id", Review.question_id, Review.user_id)
