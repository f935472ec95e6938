"""Mail waiting to be sent: written in the request, sent after the response."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class OutgoingMail(Base):
    """One e-mail to send; deleted only once the mail server has accepted it."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    queued_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Set by the sender that took the row; a claim older than mailer.CLAIM_S is taken again
    # (the sender crashed or the server refused), so a mail is sent at least once.
    claimed_at: Mapped[datetime | None] = mapped_column(index=True)
    # Extra headers (a notice's List-Unsubscribe and List-Unsubscribe-Post), or None.
    headers: Mapped[dict[str, str] | None] = mapped_column(sa.JSON)
