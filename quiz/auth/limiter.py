"""Limits on password checks and other account actions, kept in the database so every worker
shares them (OWASP Authentication Cheat Sheet: delays rather than lock-outs, device cookies).

Password checks: each attempt is written and committed *before* it is counted, then paced by
three counters of failures in the window, the wait being the longest of them:
- per (account, address): `free_failures` free, then a delay after the last one that doubles
  with every failure up to `delay_max_s` (15 minutes): the one guessing is slowed for good;
- per account from every address: `account_free_failures` free, then the same doubling but
  capped at `account_delay_max_s` (a minute), so guessing spread over many addresses stays
  slow while a stranger can hold a new browser of the owner's for a minute at most;
- per address: `per_address` free, then one check per `address_delay_s` (a minute), so a
  school's shared address is slowed, not shut for the window.
An attempt made too early is refused unchecked and its row deleted, so hammering does not
extend the wait. A browser holding a device cookie for the account (it logged in there before)
counts on its own counter only, so guessing from elsewhere never keeps the owner out. Racing
attempts see each other's committed rows, so a burst cannot slip past: the k-th to commit sees
k-1 earlier failures.

On PostgreSQL these bookkeeping transactions commit without waiting for the WAL flush
(`synchronous_commit = off`, for that transaction only): a committed row is visible to every
other session at once either way, and what a server crash could lose (the last fraction of a
second of failure rows) costs an attacker one more guess. A class logging in at once made two
flushes a login, queued in front of the commits of students already studying.
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
    account_free_failures: int = 20
    account_delay_max_s: int = 60
    address_delay_s: int = 60


def policy_from(config: Mapping[str, Any]) -> Policy:
    """The policy the app is configured with."""
    return Policy(
        free_failures=int(config["LOGIN_FREE_FAILURES"]),
        delay_base_s=int(config["LOGIN_DELAY_BASE_S"]),
        delay_max_s=int(config["LOGIN_DELAY_MAX_S"]),
        per_address=int(config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"]),
        window_s=int(config["LOGIN_FAILURE_WINDOW_S"]),
        account_free_failures=int(config["LOGIN_ACCOUNT_FREE_FAILURES"]),
        account_delay_max_s=int(config["LOGIN_ACCOUNT_DELAY_MAX_S"]),
        address_delay_s=int(config["LOGIN_ADDRESS_DELAY_S"]),
    )


def delay_after(
    failures: int, policy: Policy, *, free: int | None = None, most: int | None = None
) -> int:
    """Seconds the next check must wait after the last of `failures` failures (by default
    with the per-account-and-address allowance and cap)."""
    free = policy.free_failures if free is None else free
    if failures < free:
        return 0
    doublings = min(failures - free, 40)
    return min(policy.delay_base_s * 2**doublings, policy.delay_max_s if most is None else most)


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


def _without_flush_wait(session: AnySession) -> None:
    """Let this transaction commit without waiting for the disk (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))


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
    _without_flush_wait(session)
    session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at < since))
    row = LoginFailure(username_key=counter, address=row_address, failed_at=now)
    session.add(row)
    session.commit()  # visible to every other worker before we count
    same_key = LoginFailure.username_key == counter
    same_address = LoginFailure.address == row_address
    pair = sa.and_(same_key, same_address)
    at = LoginFailure.failed_at
    counts = session.execute(
        sa.select(
            sa.func.count().filter(pair),
            sa.func.max(at).filter(pair),
            sa.func.count().filter(same_key),
            sa.func.max(at).filter(same_key),
            sa.func.count().filter(same_address),
            sa.func.max(at).filter(same_address),
        ).where(at >= since, LoginFailure.id != row.id, sa.or_(same_key, same_address))
    ).one()
    pair_n, pair_last, key_n, key_last, address_n, address_last = counts

    def until(last: datetime | None, delay: int) -> int:
        return _seconds_until(last + timedelta(seconds=delay), now) if last and delay else 0

    wait = until(pair_last, delay_after(pair_n, policy))
    if not device:
        account_delay = delay_after(
            key_n, policy, free=policy.account_free_failures, most=policy.account_delay_max_s
        )
        wait = max(wait, until(key_last, account_delay))
        if address_n >= policy.per_address:
            wait = max(wait, until(address_last, policy.address_delay_s))
    if wait:
        _without_flush_wait(session)
        session.execute(sa.delete(LoginFailure).where(LoginFailure.id == row.id))
    session.commit()
    return wait


def forget_newest_attempt(session: AnySession, key: str, *, device: str | None = None) -> None:
    """Take back the newest attempt pace_attempt recorded on this counter (the password was
    not checked after all), and commit."""
    counter = device_key(device) if device else key[:KEY_MAX]
    _without_flush_wait(session)
    newest = (
        sa.select(sa.func.max(LoginFailure.id))
        .where(LoginFailure.username_key == counter)
        .scalar_subquery()
    )
    session.execute(sa.delete(LoginFailure).where(LoginFailure.id == newest))
    session.commit()


def clear_failures(
    session: AnySession, key: str, *, device: str | None = None, address: str | None = None
) -> None:
    """Forget the failures of the counter a right password was given on: a trusted browser's,
    or those of the account from `address` (the account's from everywhere when None)."""
    _without_flush_wait(session)
    if device:
        counter = device_key(device)
        session.execute(sa.delete(LoginFailure).where(LoginFailure.username_key == counter))
        return
    where = LoginFailure.username_key == key[:KEY_MAX]
    if address is not None:
        where = sa.and_(where, LoginFailure.address == address[:ADDRESS_MAX])
    session.execute(sa.delete(LoginFailure).where(where))


@dataclass(frozen=True)
class Limits:
    """A hard limit per key and per address in a window (class-code guesses use it)."""

    per_account: int
    per_address: int
    window_s: int


def begin_attempt(session: AnySession, key: str, address: str, limits: Limits) -> int | None:
    """Record one guess before it is checked; its row id, or None when over a hard limit.

    For guesses that lock nobody out when refused (a class code is the student's own
    counter): refused attempts count too, so the limit holds while the guessing goes on.
    Committed before counting, like pace_attempt. A guess that turns out right is given back
    with forget_attempt; it clears nothing, so right guesses cannot reset the count.
    """
    key, address = key[:KEY_MAX], address[:ADDRESS_MAX]
    since = now_utc() - timedelta(seconds=limits.window_s)
    session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at < since))
    row = LoginFailure(username_key=key, address=address)
    session.add(row)
    session.commit()
    same_key = LoginFailure.username_key == key
    same_address = LoginFailure.address == address
    per_key, per_address = session.execute(
        sa.select(sa.func.count().filter(same_key), sa.func.count().filter(same_address)).where(
            LoginFailure.failed_at >= since, sa.or_(same_key, same_address)
        )
    ).one()
    session.commit()
    allowed = per_key <= limits.per_account and per_address <= limits.per_address
    return row.id if allowed else None


def forget_attempt(session: AnySession, attempt: int) -> None:
    """Uncount one guess that was right (only that one: earlier wrong ones still count)."""
    session.execute(sa.delete(LoginFailure).where(LoginFailure.id == attempt))


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
