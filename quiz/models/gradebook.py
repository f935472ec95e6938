"""What a class's gradebook adds: weighted categories and excused work."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class GradeCategory(Base):
    """A weighted group of a class's assignments (quizzes 70%, study 30%)."""

    __tablename__ = "grade_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classroom.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(60))
    weight: Mapped[float] = mapped_column(default=1.0)
    # The mode whose assignments fall here unless they name a category ("quiz", "study").
    mode: Mapped[str | None] = mapped_column(sa.String(8))

    __table_args__ = (sa.CheckConstraint("weight >= 0", name="weight"),)


class Excusal(Base):
    """A student excused from one assignment: the cell is left out of every average."""

    __tablename__ = "excusal"

    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
