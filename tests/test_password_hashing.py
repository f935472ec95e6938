"""quiz.password_hashing: Argon2id methods, older werkzeug hashes, when to rehash."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from quiz.password_hashing import make_hash, needs_rehash, verify_hash

CHEAP = "argon2id:m=8,t=1,p=1"


def test_argon2id_round_trip_and_parameters_in_the_hash() -> None:
    stored = make_hash("a long passphrase", CHEAP)
    assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert verify_hash(stored, "a long passphrase")
    assert not verify_hash(stored, "a long passphrasE")
    assert not needs_rehash(stored, CHEAP)
    assert needs_rehash(stored, "argon2id:m=16,t=1,p=1")
    assert needs_rehash(stored, "argon2id:m=8,t=2,p=1")


def test_werkzeug_hashes_verify_and_are_replaced_by_argon2id() -> None:
    old = generate_password_hash("a long passphrase", method="pbkdf2:sha256:1000")
    assert verify_hash(old, "a long passphrase")
    assert not verify_hash(old, "wrong")
    assert needs_rehash(old, CHEAP)
    assert not needs_rehash(old, "pbkdf2:sha256:1000")
    assert not needs_rehash(old, "pbkdf2:sha256")  # werkzeug's own default iterations
    assert needs_rehash(old, "pbkdf2:sha256:2000")


@pytest.mark.parametrize("stored", ["!", "", "$argon2id$garbage", "pbkdf2:sha256:1000$x"])
def test_unusable_hashes_match_nothing(stored: str) -> None:
    assert not verify_hash(stored, "anything")
    assert needs_rehash(stored, CHEAP)


@pytest.mark.parametrize("method", ["argon2id:", "argon2id:m=8,t=1", "argon2id:m=x,t=1,p=1"])
def test_a_malformed_argon2id_method_is_named(method: str) -> None:
    with pytest.raises(ValueError, match="argon2id:m=KiB,t=N,p=N"):
        make_hash("x", method)
