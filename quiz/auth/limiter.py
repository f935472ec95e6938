"""Failed-login counting in the database, so every worker shares one limit."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import LoginFailure
from quiz.timeutil import now_utc


def is_limited(
    session: Session, username_key: str, address: str, *, limit: int, window_s: int
) -> bool:
    """Whether this account or this address has failed too often lately."""
    since = now_utc() - timedelta(seconds=window_s)
    recent = (
        sa.select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.failed_at >= since)
    )
    per_account = session.scalar(recent.where(LoginFailure.username_key == username_key)) or 0
    per_address = session.scalar(recent.where(LoginFailure.address == address)) or 0
    # An address may try a few accounts (a shared classroom) before it is slowed down.
    return per_account >= limit or per_address >= limit * 3


def record_failure(session: Session, username_key: str, address: str) -> None:
    """Count one failed login."""
    session.add(LoginFailure(username_key=username_key[:254], address=address[:64]))


def clear_failures(session: Session, username_key: str) -> None:
    """Forget an account's failures after a successful login."""
    session.execute(sa.delete(LoginFailure).where(LoginFailure.username_key == username_key))
