"""A student's own set shared with a class they are in, for its teacher to see and copy."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class SetShare(Base):
    """One set shown to one class's teacher; no row means the set is private to its owner."""

    __tablename__ = "set_share"

    set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_set.id", ondelete="CASCADE"), primary_key=True
    )
    classroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classroom.id", ondelete="CASCADE"), primary_key=True
    )
    shared_at: Mapped[datetime] = mapped_column(default=now_utc)

    # The class page lists its shared sets by class.
    __table_args__ = (sa.Index("ix_set_share_classroom_id", "classroom_id"),)
