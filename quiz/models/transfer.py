"""An uploaded import kept between its preview and the teacher's confirmation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class PendingImport(Base):
    """The file a teacher previewed, with the choices made on the import page.

    The confirm step names it by its random token and writes exactly this text, so the file is
    never sent back to the server (a 2 MB upload could not be) nor trusted from the browser.
    Rows expire; the next upload or `flask purge-import-previews` deletes expired ones.
    """

    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # None: a new set. A deleted set takes its previews with it.
    set_id: Mapped[int | None] = mapped_column(sa.ForeignKey("question_set.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    fmt: Mapped[str] = mapped_column(sa.String(16))
    title: Mapped[str] = mapped_column(sa.String(200))
    visibility: Mapped[str] = mapped_column(sa.String(16))
    retire: Mapped[bool] = mapped_column(default=False)
    # Bytes as uploaded (text, or an .apkg/.colpkg/.xlsx zip): PostgreSQL's text type refuses
    # a NUL character, and a binary file is read again from exactly these bytes.
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    # What the file was read with (Quizlet's separators), as JSON.
    options: Mapped[str] = mapped_column(sa.String(400), default="{}", server_default="{}")
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(index=True)
