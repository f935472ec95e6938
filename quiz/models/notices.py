"""Reminders and notices: one row per (user, kind, subject), shown in the app and e-mailed."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class NoticeKind(enum.StrEnum):
    """What a notice is about; each kind can be turned off per person."""

    REMINDER = "reminder"  # an assignment is due soon and not finished
    RELEASED = "released"  # a quiz mark or comment was released
    DIGEST = "digest"  # a teacher's weekly digest: who is behind


class MailState(enum.StrEnum):
    """Whether a notice's e-mail is still to be queued, was queued, or will never be."""

    PENDING = "pending"
    QUEUED = "queued"
    OFF = "off"  # the person turned the kind off, or has no usable address


class Notice(Base):
    """One notice to one person. The unique key decides that it exists (and is mailed) once,
    whichever run of send-notices, or how many at once, gets there first."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    subject: Mapped[str] = mapped_column(sa.String(64))  # "assignment:12", "week:2026-W49"
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str | None] = mapped_column(sa.String(300))  # a path in the app
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    mail: Mapped[str] = mapped_column(sa.String(8), default=MailState.PENDING.value, index=True)
    dismissed_at: Mapped[datetime | None]

    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "subject"),
        sa.Index("ix_notice_user_open", "user_id", "dismissed_at"),
    )


class NoticeOptOut(Base):
    """A kind of e-mail one person turned off (the notice still shows in the app)."""

    __tablename__ = "notice_opt_out"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
