"""Limits on password checks and other account actions, kept in the database so every worker
shares them (OWASP Authentication Cheat Sheet: delays rather than lock-outs, device cookies).

Password checks: each attempt is written and committed *before* it is counted. Per account,
the first `free_failures` failures cost nothing; after that each check must wait a delay that
doubles with every failure (up to `delay_max_s`) after the previous one. An attempt made too
early is refused unchecked and its row deleted, so hammering does not extend the wait. A
browser holding a device cookie for the account (it logged in there before) counts on its own
counter instead, so guessing from elsewhere never keeps the owner out. Unknown devices also
share a per-address limit. Racing attempts see each other's committed rows, so a burst cannot
slip past: the k-th to commit sees k-1 earlier failures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from quiz.models import AuthEvent, LoginFailure, normalize_name
from quiz.timeutil import now_utc

KEY_MAX = 254  # login_failure.username_key, auth_event.key
ADDRESS_MAX = 64  # login_failure.address, auth_event.address
AnySession = Session | scoped_session[Session]


@dataclass(frozen=True)
class Policy:
    """How password checks are paced, per account (or device) and per address."""

    free_failures: int
    delay_base_s: int
    delay_max_s: int
    per_address: int
    window_s: int


def policy_from(config: Mapping[str, Any]) -> Policy:
    """The policy the app is configured with."""
    return Policy(
        free_failures=int(config["LOGIN_FREE_FAILURES"]),
        delay_base_s=int(config["LOGIN_DELAY_BASE_S"]),
        delay_max_s=int(config["LOGIN_DELAY_MAX_S"]),
        per_address=int(config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"]),
        window_s=int(config["LOGIN_FAILURE_WINDOW_S"]),
    )


def delay_after(failures: int, policy: Policy) -> int:
    """Seconds the next check must wait after the last of `failures` failures."""
    if failures < policy.free_failures:
        return 0
    doublings = min(failures - policy.free_failures, 40)
    return min(policy.delay_base_s * 2**doublings, policy.delay_max_s)


def account_key(user_id: int | None, typed: str = "") -> str:
    """One counter per account, whether it was named by username or by email.

    An existing account counts on its id; a name nobody has counts on the normalized text, in
    a separate namespace so that typing "user:1" cannot reach account 1's counter.
    """
    if user_id is not None:
        return f"user:{user_id}"
    return f"name:{normalize_name(typed)}"[:KEY_MAX]


def device_key(nonce: str) -> str:
    """The counter of one trusted browser."""
    return f"device:{nonce}"[:KEY_MAX]


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(0, math.ceil((moment - now).total_seconds()))


def pace_attempt(
    session: AnySession, key: str, address: str, policy: Policy, *, device: str | None = None
) -> int:
    """Record one password check before it happens; 0 when it may go ahead, else the seconds
    to wait (the attempt is then forgotten). `device` is the nonce of a trusted browser.

    Commits and leaves no transaction open, so no lock is held while the caller hashes.
    """
    now = now_utc()
    since = now - timedelta(seconds=policy.window_s)
    counter = device_key(device) if device else key[:KEY_MAX]
    # A trusted browser's attempts do not use up its address's allowance (a school's pupils).
    row_address = "" if device else address[:ADDRESS_MAX]
    session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at < since))
    row = LoginFailure(username_key=counter, address=row_address, failed_at=now)
    session.add(row)
    session.commit()  # visible to every other worker before we count
    earlier, last = session.execute(
        sa.select(sa.func.count(), sa.func.max(LoginFailure.failed_at)).where(
            LoginFailure.username_key == counter,
            LoginFailure.failed_at >= since,
            LoginFailure.id != row.id,
        )
    ).one()
    wait = (
        _seconds_until(last + timedelta(seconds=delay_after(earlier, policy)), now) if last else 0
    )
    if not device:
        from_address, oldest = session.execute(
            sa.select(sa.func.count(), sa.func.min(LoginFailure.failed_at)).where(
                LoginFailure.address == row_address, LoginFailure.failed_at >= since
            )
        ).one()
        if from_address > policy.per_address:
            wait = max(wait, _seconds_until(oldest + timedelta(seconds=policy.window_s), now), 1)
    if wait:
        session.execute(sa.delete(LoginFailure).where(LoginFailure.id == row.id))
    session.commit()
    return wait


def forget_attempt(session: AnySession, key: str, *, device: str | None = None) -> None:
    """Take back the newest attempt pace_attempt recorded on this counter (the password was
    not checked after all), and commit."""
    counter = device_key(device) if device else key[:KEY_MAX]
    newest = (
        sa.select(sa.func.max(LoginFailure.id))
        .where(LoginFailure.username_key == counter)
        .scalar_subquery()
    )
    session.execute(sa.delete(LoginFailure).where(LoginFailure.id == newest))
    session.commit()


def clear_failures(session: AnySession, key: str, *, device: str | None = None) -> None:
    """Forget the failures of the counter a right password was given on."""
    counter = device_key(device) if device else key[:KEY_MAX]
    session.execute(sa.delete(LoginFailure).where(LoginFailure.username_key == counter))


@dataclass(frozen=True)
class Limits:
    """A hard limit per key and per address in a window (class-code guesses use it)."""

    per_account: int
    per_address: int
    window_s: int


def begin_attempt(session: AnySession, key: str, address: str, limits: Limits) -> bool:
    """Record one guess before it is checked; False when it is over a hard limit.

    For guesses that lock nobody out when refused (a class code is the student's own
    counter): refused attempts count too, so the limit holds while the guessing goes on.
    Committed before counting, like pace_attempt.
    """
    key, address = key[:KEY_MAX], address[:ADDRESS_MAX]
    since = now_utc() - timedelta(seconds=limits.window_s)
    session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at < since))
    session.add(LoginFailure(username_key=key, address=address))
    session.commit()
    same_key = LoginFailure.username_key == key
    same_address = LoginFailure.address == address
    per_key, per_address = session.execute(
        sa.select(sa.func.count().filter(same_key), sa.func.count().filter(same_address)).where(
            LoginFailure.failed_at >= since, sa.or_(same_key, same_address)
        )
    ).one()
    session.commit()
    return per_key <= limits.per_account and per_address <= limits.per_address


@dataclass(frozen=True)
class EventLimit:
    """How many events of one kind a window allows, per key and per address."""

    kind: str
    per_key: int | None
    per_address: int | None
    window_s: int


def begin_event(session: AnySession, limit: EventLimit, key: str, address: str) -> int:
    """Record one action (a registration, a reset e-mail); 0 when allowed, else the seconds to
    wait (the action is then forgotten). Committed before counting, like pace_attempt."""
    now = now_utc()
    since = now - timedelta(seconds=limit.window_s)
    key, address = key[:KEY_MAX], address[:ADDRESS_MAX]
    session.execute(sa.delete(AuthEvent).where(AuthEvent.at < since))
    row = AuthEvent(kind=limit.kind, key=key, address=address, at=now)
    session.add(row)
    session.commit()
    wait = 0
    for column, value, most in (
        (AuthEvent.key, key, limit.per_key),
        (AuthEvent.address, address, limit.per_address),
    ):
        if most is None:
            continue
        count, oldest = session.execute(
            sa.select(sa.func.count(), sa.func.min(AuthEvent.at)).where(
                AuthEvent.kind == limit.kind, column == value, AuthEvent.at >= since
            )
        ).one()
        if count > most:
            wait = max(wait, _seconds_until(oldest + timedelta(seconds=limit.window_s), now), 1)
    if wait:
        session.execute(sa.delete(AuthEvent).where(AuthEvent.id == row.id))
    session.commit()
    return wait


def wait_text(seconds: int) -> str:
    """'Wait 40 seconds' or 'Wait 3 minutes' (rounded up)."""
    if seconds < 120:
        return f"Wait {seconds} second{'s' if seconds != 1 else ''}"
    return f"Wait {math.ceil(seconds / 60)} minutes"
