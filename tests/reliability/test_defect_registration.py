"""Defect 1: registration checks cheap things first, is limited per address, hashes boundedly."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz import create_app
from quiz.models import User
from quiz.models import user as user_module
from tests.conftest import PASSWORD, count_rows
from tests.test_login_limiter import run_together


def register(client: FlaskClient, name: str, email: str | None = None) -> Any:
    """Post the registration form."""
    return client.post(
        "/auth/register",
        data={
            "username": name,
            "email": email or f"{name}@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )


class Hashes:
    """Counts generate_password_hash calls and the most that ran at once."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, pause: float = 0.0) -> None:
        self.calls = 0
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()
        real = user_module.generate_password_hash

        def counting(password: str, method: str = "scrypt", salt_length: int = 16) -> str:
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                time.sleep(pause)
                return real(password, method=method, salt_length=salt_length)
            finally:
                with self._lock:
                    self.running -= 1

        monkeypatch.setattr(user_module, "generate_password_hash", counting)


def test_a_taken_username_costs_no_hash(
    client: FlaskClient, user_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(A taken e-mail is answered as a new one, at the same cost: test_defect_enumeration.)"""
    user_factory("alice")
    hashes = Hashes(monkeypatch)
    for name, email in [("alice", "new@example.org"), (" ALICE", "newer@example.org")]:
        response = register(client, name, email)
        assert response.status_code == 200
        assert "already registered" in response.get_data(as_text=True)
    response = register(client, "x", "not an email")  # an invalid form: no hash either
    assert response.status_code == 200
    assert hashes.calls == 0


@pytest.mark.config(REGISTRATION_LIMIT_PER_ADDRESS=3)
def test_registrations_are_limited_per_address_across_workers(app: Flask, backend: str) -> None:
    """Two app objects on one database stand for two workers: they share the count."""
    other_worker = create_app(
        {**app.config, "SQLALCHEMY_ENGINE_OPTIONS": app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    )
    first, second = app.test_client(), other_worker.test_client()
    assert register(first, "pupil1").status_code == 302
    first.post("/auth/logout")
    assert register(second, "pupil2").status_code == 302
    second.post("/auth/logout")
    assert register(first.application.test_client(), "pupil3").status_code == 302
    refused = register(other_worker.test_client(), "pupil4")
    assert refused.status_code == 429
    assert "Wait" in refused.get_data(as_text=True)
    assert refused.headers.get("Retry-After", "").isdigit()
    elsewhere = other_worker.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    assert register(elsewhere, "pupil5").status_code == 302
    assert count_rows(app, User) == 4
    with other_worker.app_context():
        from quiz.extensions import db

        db.engine.dispose()


@pytest.mark.config(PASSWORD_HASH_CONCURRENCY=2)
def test_hashes_running_at_once_are_bounded(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    hashes = Hashes(monkeypatch, pause=0.2)
    clients = []
    for n in range(6):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        clients.append(client)
    codes = run_together(
        [lambda c=c, n=n: register(c, f"racer{n}").status_code for n, c in enumerate(clients)]
    )
    assert sorted(codes) == [302] * 6
    assert hashes.calls == 6
    assert hashes.most <= 2
