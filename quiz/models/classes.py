"""Classes, who is in them and what they are asked to do."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class Classroom(Base):
    """A teacher's class; students join it with its code."""

    __tablename__ = "classroom"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    join_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


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

    # visible_to() looks a student's classes up on every study page.
    __table_args__ = (sa.Index("ix_enrollment_user_id", "user_id"),)


class Assignment(Base):
    """A set given to a class, optionally with a due date."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classroom.id", ondelete="CASCADE"), index=True
    )
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("question_set.id", ondelete="CASCADE"))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
