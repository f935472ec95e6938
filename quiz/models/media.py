"""Pictures and sound of a set: the bytes once per content hash, and each set's named links."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class MediaFile(Base):
    """One stored file, named by the SHA-256 of its (re-encoded) bytes, so a file uploaded to
    ten sets is kept once. In the database so every app server, backup and export sees it."""

    __tablename__ = "media_file"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    mime: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column()
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class SetMedia(Base):
    """A file placed in a set under a name that Markdown refers to as `media:NAME`."""

    __tablename__ = "set_media"
    __table_args__ = (sa.UniqueConstraint("set_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_set.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(sa.ForeignKey("media_file.sha256"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    alt: Mapped[str] = mapped_column(sa.String(500), default="")
    transcript: Mapped[str] = mapped_column(sa.Text, default="")
    decorative: Mapped[bool] = mapped_column(default=False)
    # Who uploaded it: the per-teacher quota counts their files.
    uploaded_by: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
