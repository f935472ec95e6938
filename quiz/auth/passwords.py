"""Password policy (ASVS 6.2.4), the one place a password is checked against a hash, and the
per-worker bound on hashes running at once."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from flask import current_app
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.security import check_password_hash, generate_password_hash

COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "12345678",
        "123456789",
        "1234567890",
        "11111111",
        "00000000",
        "qwertyuiop",
        "qwerty123",
        "qwertyui",
        "1q2w3e4r",
        "1qaz2wsx",
        "abcd1234",
        "abc12345",
        "iloveyou",
        "sunshine1",
        "princess1",
        "football",
        "baseball",
        "welcome1",
        "letmein1",
        "trustno1",
        "dragon123",
        "monkey123",
        "superman",
        "starwars",
        "whatever",
        "computer",
        "internet",
        "michelle",
        "jennifer",
        "87654321",
        "12341234",
        "aaaaaaaa",
        "changeme",
        "admin123",
        "administrator",
        "student1",
        "teacher1",
        "password!",
        "p@ssw0rd",
    }
)


def password_problem(password: str) -> str | None:
    """Why the password is unacceptable, or None when it is fine."""
    if password.casefold() in COMMON_PASSWORDS:
        return "This password is one of the most common ones; choose another."
    if len(set(password)) < 4:
        return "Use a password with more different characters."
    return None


@lru_cache(maxsize=8)
def dummy_hash(method: str) -> str:
    """A hash of a random password, made once per hashing method."""
    return generate_password_hash(secrets.token_urlsafe(24), method=method)


def verify_password(stored_hash: str | None, password: str, method: str) -> bool:
    """Whether the password matches the stored hash.

    With no hash (no such account, or a deactivated one) the password is still checked, against
    a dummy made with the configured method, so the answer takes as long either way and does
    not tell which accounts exist.
    """
    if stored_hash is None:
        check_password_hash(dummy_hash(method), password)
        return False
    return check_password_hash(stored_hash, password)


_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


class HashingBusy(ServiceUnavailable):
    """Every hashing slot of this worker stayed taken: the client should retry shortly."""

    retry_after = 5
    user_message = "The server is busy checking passwords. Try again in a few seconds."


def _slot(size: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        if size not in _slots:
            _slots[size] = threading.BoundedSemaphore(size)
        return _slots[size]


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Hold one of this worker's PASSWORD_HASH_CONCURRENCY slots while hashing (a second of
    CPU each in production), so a burst of logins or registrations cannot starve every other
    request of the worker; HashingBusy (503) when none frees up within PASSWORD_HASH_WAIT_S."""
    config = current_app.config
    slot = _slot(max(1, int(config["PASSWORD_HASH_CONCURRENCY"])))
    if not slot.acquire(timeout=float(config["PASSWORD_HASH_WAIT_S"])):
        raise HashingBusy()
    try:
        yield
    finally:
        slot.release()
