"""Password-check limiting in the database, so every worker shares one limit.

Every attempt is written and committed *before* the password is checked, and only then
counted. Whoever commits the n-th row of a window sees at least n rows when it counts, so
however many requests race, at most `per_account` of them check a password for one account
(and at most `per_address` from one address). Refused attempts count too, which keeps an
account closed while the guessing goes on; a right password clears the account's rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from quiz.models import LoginFailure, normalize_name
from quiz.timeutil import now_utc

KEY_MAX = 254  # login_failure.username_key
ADDRESS_MAX = 64  # login_failure.address


@dataclass(frozen=True)
class Limits:
    """How many password checks a window allows, per account and per address."""

    per_account: int
    per_address: int
    window_s: int


def limits_from(config: Mapping[str, Any]) -> Limits:
    """The limits the app is configured with."""
    return Limits(
        per_account=int(config["LOGIN_FAILURE_LIMIT"]),
        per_address=int(config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"]),
        window_s=int(config["LOGIN_FAILURE_WINDOW_S"]),
    )


def account_key(user_id: int | None, typed: str = "") -> str:
    """One counter per account, whether it was named by username or by email.

    An existing account counts on its id; a name nobody has counts on the normalized text, in
    a separate namespace so that typing "user:1" cannot reach account 1's counter.
    """
    if user_id is not None:
        return f"user:{user_id}"
    return f"name:{normalize_name(typed)}"[:KEY_MAX]


def begin_attempt(
    session: Session | scoped_session[Session], key: str, address: str, limits: Limits
) -> bool:
    """Record one password check before it happens; False when it is over a limit.

    Commits and leaves no transaction open, so no lock is held while the caller hashes.
    """
    key, address = key[:KEY_MAX], address[:ADDRESS_MAX]
    since = now_utc() - timedelta(seconds=limits.window_s)
    # Rows older than the window count for nothing: drop them so the table stays small.
    session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at < since))
    session.add(LoginFailure(username_key=key, address=address))
    session.commit()  # visible to every other worker before we count
    same_account = LoginFailure.username_key == key
    same_address = LoginFailure.address == address
    per_account, per_address = session.execute(
        sa.select(
            sa.func.count().filter(same_account),
            sa.func.count().filter(same_address),
        ).where(LoginFailure.failed_at >= since, sa.or_(same_account, same_address))
    ).one()
    session.commit()
    return per_account <= limits.per_account and per_address <= limits.per_address


def clear_failures(session: Session | scoped_session[Session], key: str) -> None:
    """Forget an account's failures (its current attempt included) after a right password."""
    session.execute(sa.delete(LoginFailure).where(LoginFailure.username_key == key[:KEY_MAX]))
