"""The pacing of password checks: races, one counter per account, addresses, timing (the
growing delays and device cookies are in tests/reliability/test_defect_lockout.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.auth import passwords
from quiz.extensions import db
from quiz.models import LoginFailure, User
from tests.conftest import PASSWORD, TEST_HASH, AuthActions, count_rows
from tests.study_helpers import T0

NEW_PASSWORD = "a new passphrase 42"
WRONG = "wrong guess"


class HashChecks:
    """Wraps `verify_hash` where the auth code calls it, and keeps each hash it got."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hashes: list[str] = []
        self._lock = threading.Lock()
        real = passwords.verify_hash

        def counting(pwhash: str, password: str) -> bool:
            with self._lock:
                self.hashes.append(pwhash)
            return real(pwhash, password)

        monkeypatch.setattr(passwords, "verify_hash", counting)

    @property
    def count(self) -> int:
        return len(self.hashes)


@pytest.fixture
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> HashChecks:
    """Every password check the app makes from now on."""
    return HashChecks(monkeypatch)


def login(client: FlaskClient, username: str = "alice", password: str = WRONG) -> int:
    """Post the login form once; the status code."""
    return client.post("/auth/login", data={"username": username, "password": password}).status_code


def change_password(client: FlaskClient, current: str) -> Any:
    """Post the change-password form."""
    return client.post(
        "/auth/account",
        data={"current": current, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )


def client_at(app: Flask, address: str) -> FlaskClient:
    """A test client whose requests come from another address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def run_together(jobs: list[Callable[[], int]]) -> list[int]:
    """Run the jobs in threads released at once by a barrier; their results."""
    barrier = threading.Barrier(len(jobs))
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            result = job()
        except BaseException as error:  # reported by the test below, not lost in a thread
            with lock:
                errors.append(error)
        else:
            with lock:
                results.append(result)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    assert not errors, errors
    return results


@pytest.mark.config(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=60)
def test_racing_wrong_passwords_get_at_most_the_limit_of_checks(
    app: Flask, user_factory: Any, hash_checks: HashChecks
) -> None:
    """Each attempt is committed before it is counted, so a burst cannot outrun the count."""
    user_factory("alice")
    clients = [app.test_client() for _ in range(12)]
    codes = run_together([lambda c=c: login(c) for c in clients])
    assert len(codes) == 12 and set(codes) <= {200, 429}
    assert sum(code != 429 for code in codes) <= 3
    assert hash_checks.count <= 3
    # Refused attempts are forgotten: what is left is exactly the checks that were made.
    assert count_rows(app, LoginFailure) == hash_checks.count == sum(c != 429 for c in codes)


@pytest.mark.config(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=60)
def test_username_and_email_share_one_counter(
    client: FlaskClient, user_factory: Any, hash_checks: HashChecks
) -> None:
    user_factory("alice")
    names = ["alice", "alice@example.org", " ALICE ", "Alice@Example.org", "alice"]
    assert [login(client, name) for name in names] == [200, 200, 200, 429, 429]
    assert hash_checks.count == 3
    assert login(client, "alice@example.org", PASSWORD) == 429


@pytest.mark.config(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=60)
def test_right_password_clears_the_account_counter(client: FlaskClient, user_factory: Any) -> None:
    user_factory("alice")
    assert [login(client, "alice@example.org") for _ in range(2)] == [200, 200]
    assert login(client, "alice", PASSWORD) == 302
    client.post("/auth/logout")
    assert [login(client) for _ in range(4)] == [200, 200, 200, 429]


def test_unknown_and_deactivated_users_cost_one_hash(
    app: Flask, client: FlaskClient, user_factory: Any, hash_checks: HashChecks
) -> None:
    """No shortcut for a name without a usable account: its answer takes as long."""
    alice = user_factory("alice")
    user_factory("bob")
    with app.app_context():
        db.session.get(User, alice.id).active = False
        db.session.commit()
    assert login(client, "nobody") == 200
    assert login(client, "alice", PASSWORD) == 200  # deactivated: refused like a wrong password
    assert login(client, "bob") == 200
    assert hash_checks.count == 3
    dummy, deactivated, known = hash_checks.hashes
    assert dummy == deactivated == passwords.dummy_hash(TEST_HASH)
    assert dummy.startswith("$argon2id$v=19$m=8,t=1,p=1$")  # as costly as the configured method
    assert known.startswith("$argon2id$v=19$m=8,t=1,p=1$") and known != dummy


def test_dummy_hash_is_made_once_per_method() -> None:
    first = passwords.dummy_hash("pbkdf2:sha256:1001")
    assert passwords.dummy_hash("pbkdf2:sha256:1001") is first
    assert first.startswith("pbkdf2:sha256:1001$")
    assert passwords.dummy_hash("pbkdf2:sha256:1002").startswith("pbkdf2:sha256:1002$")
    assert not passwords.verify_password(None, "", "pbkdf2:sha256:1001")


@pytest.mark.config(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=60)
def test_change_password_guessing_is_limited(
    app: Flask, client: FlaskClient, user_factory: Any
) -> None:
    """A borrowed session cannot guess the current password without limit."""
    alice = user_factory("alice")
    assert AuthActions(client).login().status_code == 302
    for i in range(3):
        response = change_password(client, f"guess {i}")
        assert response.status_code == 200
        assert "not your current password" in response.get_data(as_text=True)
    assert change_password(client, "guess 3").status_code == 429
    response = change_password(client, PASSWORD)
    assert response.status_code == 429  # the right one waits too
    assert "Too many attempts. Wait 60 seconds" in response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(User, alice.id).password_hash
        assert passwords.verify_password(stored, PASSWORD, TEST_HASH)  # unchanged
    # This browser's counter, not the account's: another browser of alice's is not held up.
    assert login(app.test_client(), "alice", PASSWORD) == 302


@pytest.mark.config(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=60)
def test_guessing_elsewhere_does_not_hold_up_the_owner(
    app: Flask, client: FlaskClient, user_factory: Any
) -> None:
    user_factory("alice")
    assert AuthActions(client).login().status_code == 302
    other = client_at(app, "10.0.0.9")
    assert [login(other) for _ in range(4)] == [200, 200, 200, 429]
    assert change_password(client, PASSWORD).status_code == 302


def test_per_address_cap_defaults_to_fifty(app: Flask) -> None:
    assert app.config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"] == 50


@pytest.mark.config(LOGIN_FREE_FAILURES=2)
def test_a_shared_address_is_not_capped_by_the_account_limit(
    app: Flask, client: FlaskClient
) -> None:
    """A school behind one public address: many pupils mistyping is not an attack."""
    assert {login(client, f"pupil{i}") for i in range(12)} == {200}


@pytest.mark.config(LOGIN_FAILURE_LIMIT_PER_ADDRESS=5)
def test_per_address_cap(app: Flask, client: FlaskClient, user_factory: Any) -> None:
    user_factory("alice")
    assert [login(client, f"name{i}") for i in range(6)] == [200] * 5 + [429]
    assert login(client, "alice", PASSWORD) == 429  # this address waits, whatever the account
    assert login(client_at(app, "10.0.0.2"), "alice", PASSWORD) == 302  # others do not


def test_old_failures_are_pruned(app: Flask, client: FlaskClient, user_factory) -> None:
    """Rows older than the window count for nothing and are deleted by the next attempt."""
    user_factory("alice")
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            AuthActions(client).login(password="wrong one")
    assert count_rows(app, LoginFailure) == 3
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        AuthActions(client).login(password="wrong again")
    assert count_rows(app, LoginFailure) == 1


def test_limiter_bookkeeping_skips_the_flush_wait_on_postgresql(
    app: Flask, backend: str, user_factory: Callable[..., Any]
) -> None:
    """A login's failure rows commit without waiting for PostgreSQL's WAL flush (a class
    logging in made two flushes a login ahead of studying students' commits), and are still
    seen by every other session the moment they commit."""
    import sqlalchemy as sa
    from sqlalchemy import event

    from quiz.auth import limiter

    user_factory("alice")
    seen: list[str] = []
    with app.app_context():
        listen = lambda *args: seen.append(args[2])  # noqa: E731  (conn, cursor, statement, ...)
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            policy = limiter.policy_from(app.config)
            assert limiter.pace_attempt(db.session, "user:1", "10.0.0.1", policy) == 0
            with db.engine.connect() as other:  # another worker's connection
                rows = other.execute(sa.select(sa.func.count()).select_from(LoginFailure))
                assert rows.scalar_one() == 1
            limiter.clear_failures(db.session, "user:1", address="10.0.0.1")
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    assert count_rows(app, LoginFailure) == 0
    relaxed = [s for s in seen if "synchronous_commit" in s]
    # Twice: the attempt's own transaction and the clearing's (SQLite has no such setting).
    assert len(relaxed) == (2 if backend == "postgresql" else 0), seen
