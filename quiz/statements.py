"""Statements built once per process, each with its cache key hashed once.

SQLAlchemy finds the compiled form of every statement it runs in its compiled cache, under the
statement's cache key: a tuple mirroring the statement's whole structure. It works the key out
once per statement object (it is memoized), but hashes it again on every execution, and a
tuple does not keep its hash: for the study queue's statement, a tuple of 3,256 items, that
cost 16 microseconds each time (issue 12). No option of SQLAlchemy's keeps the hash, so this
module hands the memoized key back with its tuple replaced by one that does.

This is safe because a statement never changes once built: every SQLAlchemy method returns a
copy, and a copy leaves memoized values behind (it works out its own key). The key's items
and bound parameters are the statement's own, as before; only the hash is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.sql.base import Executable

P = ParamSpec("P")
S = TypeVar("S", bound=Executable)


class HashedKey(tuple[Any, ...]):
    """A cache key's tuple that hashes once (dict lookups ask for the hash every time)."""

    hash_value: int

    def __hash__(self) -> int:
        return self.hash_value


def with_hashed_key(statement: S) -> S:
    """The statement, its memoized cache key now hashing once; unchanged if it has no key."""
    key = statement._generate_cache_key()
    if key is None or isinstance(key.key, HashedKey):  # not cacheable, or done already
        return statement
    hashed = HashedKey(key.key)
    hashed.hash_value = hash(key.key)
    kept = key._replace(key=hashed)
    # SQLAlchemy's own memo slot for the key: the statement's copies do not inherit it.
    statement._set_memoized_attribute("_generate_cache_key", lambda: kept)
    return statement


def built_once(build: Callable[P, S]) -> Callable[P, S]:
    """functools.cache for a function that builds a statement (one per set of arguments),
    with the statement's cache key hashed once (with_hashed_key)."""

    @functools.cache
    @functools.wraps(build)
    def cached(*args: Any, **kwargs: Any) -> S:
        return with_hashed_key(build(*args, **kwargs))

    return cached  # type: ignore[return-value]
