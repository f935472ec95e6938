"""Large downloads built in the background, and what the last seed of the bank loaded."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class ExportJob(Base):
    """A class's answers as a stored CSV file: queued, building, ready or failed.

    Built outside the request (a worker's timeout would cut a long stream into a shorter CSV
    that looks complete); served from the file with its Content-Length.
    """

    __tablename__ = "export_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classroom.id", ondelete="CASCADE"), index=True
    )
    requested_by: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(sa.String(20), default="answers")
    status: Mapped[str] = mapped_column(sa.String(10), default="queued")
    rows: Mapped[int] = mapped_column(default=0)
    expected_rows: Mapped[int] = mapped_column(default=0)
    # The gzip file under the instance folder, and the size of the CSV inside it.
    file_name: Mapped[str | None] = mapped_column(sa.String(80))
    csv_bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    error: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class SeedRecord(Base):
    """The hash of the question bank's files at the last seed, so a restart can skip it."""

    __tablename__ = "seed_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_hash: Mapped[str] = mapped_column(sa.String(64))
    seeded_at: Mapped[datetime] = mapped_column(default=now_utc)
