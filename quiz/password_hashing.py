"""Password hashes: Argon2id (argon2-cffi) for new ones; hashes of earlier releases (werkzeug's
PBKDF2 or scrypt) still verify, and needs_rehash says when one should be replaced.

A method is a string, as before: "argon2id:m=19456,t=2,p=1" (memory in KiB, passes,
parallelism) or one of werkzeug's ("pbkdf2:sha256:1000000"), which tests and old data use.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash, generate_password_hash

ARGON2_METHOD = "argon2id:"
ARGON2_HASH = "$argon2"


@lru_cache(maxsize=16)
def argon2_hasher(method: str) -> PasswordHasher | None:
    """The Argon2id hasher an "argon2id:m=..,t=..,p=.." method names; None for werkzeug's."""
    if not method.startswith(ARGON2_METHOD):
        return None
    try:
        params = dict(part.split("=", 1) for part in method[len(ARGON2_METHOD) :].split(","))
        return PasswordHasher(
            time_cost=int(params["t"]),
            memory_cost=int(params["m"]),
            parallelism=int(params["p"]),
            type=Type.ID,
        )
    except (KeyError, ValueError) as error:
        raise ValueError(f"not an Argon2id method (argon2id:m=KiB,t=N,p=N): {method}") from error


def make_hash(password: str, method: str) -> str:
    """A new hash of the password with the method."""
    hasher = argon2_hasher(method)
    if hasher is None:
        return generate_password_hash(password, method=method)
    return hasher.hash(password)


def verify_hash(stored: str, password: str) -> bool:
    """Whether the password matches the stored hash, whichever scheme made it."""
    if stored.startswith(ARGON2_HASH):
        try:
            # The cost parameters are read from the hash itself, not from the hasher.
            return _any_argon2().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(stored, password)


def needs_rehash(stored: str, method: str) -> bool:
    """Whether a hash that just verified was made otherwise than `method` now says."""
    hasher = argon2_hasher(method)
    if hasher is None:
        scheme = stored.split("$", 1)[0]
        return not (scheme == method or scheme.startswith(method + ":"))
    if not stored.startswith(ARGON2_HASH):
        return True
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _any_argon2() -> PasswordHasher:
    return PasswordHasher()
