"""Defect 1: registration checks cheap things first, is limited per address, hashes boundedly."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from quiz import create_app
from quiz.extensions import db
from quiz.models import User
from quiz.models import user as user_module
from tests.conftest import PASSWORD, count_rows
from tests.reliability.forms import parse_forms
from tests.reliability.servers import database, gunicorn, make_app, server_env
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
    """Counts make_hash calls and the most that ran at once."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, pause: float = 0.0) -> None:
        self.calls = 0
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()
        real = user_module.make_hash

        def counting(password: str, method: str) -> str:
            with self._lock:
                self.calls += 1
                self.running += 1
                self.most = max(self.most, self.running)
            try:
                time.sleep(pause)
                return real(password, method)
            finally:
                with self._lock:
                    self.running -= 1

        monkeypatch.setattr(user_module, "make_hash", counting)


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


# Costly enough (about a quarter of a second here) that logins sent together overlap.
SLOW_HASH = "argon2id:m=65536,t=4,p=1"


def _login_at_once(base: str, names: list[str]) -> list[tuple[str, requests.Response]]:
    """A login of each name, each from a new browser on a new connection, sent together;
    (name, response) in the order they came back."""
    jobs = []
    for name in names:
        browser = requests.Session()
        browser.headers["Connection"] = "close"
        page = browser.get(f"{base}/auth/login", timeout=30)
        data = {**parse_forms(page.text)[0].defaults(), "username": name, "password": PASSWORD}

        def job(b: requests.Session = browser, n: str = name, d: dict = data) -> Any:
            return n, b.post(f"{base}/auth/login", data=d, allow_redirects=False, timeout=60)

        jobs.append(job)
    return run_together(jobs)


@pytest.mark.slow
def test_the_hash_bound_holds_across_gunicorn_workers(tmp_path: Path) -> None:
    """One hashing slot for the whole server, three sync workers: logins that arrive while
    another worker hashes are answered at once with 503 and Retry-After (a bound per worker
    would let all three hash), and go through when retried."""
    names = [f"pupil{n}" for n in range(6)]  # a class: one account each
    with database("sqlite", tmp_path) as db_config:
        app = make_app(db_config)
        with app.app_context():
            for name in names:
                pupil = User(email=f"{name}@example.org", role="student")
                pupil.set_username(name)
                pupil.set_password(PASSWORD, SLOW_HASH)
                db.session.add(pupil)
            db.session.commit()
            db.engine.dispose()
        env = server_env(
            db_config,
            PASSWORD_HASH_METHOD=SLOW_HASH,
            PASSWORD_HASH_CONCURRENCY=1,
            PASSWORD_HASH_WAIT_S=0,
            PASSWORD_HASH_SLOT_DIR=str(tmp_path / "slots"),
            LOGIN_FAILURE_LIMIT_PER_ADDRESS=1000,
        )
        with gunicorn(env, workers=3) as base:
            answers = _login_at_once(base, names)
            codes = sorted(r.status_code for _name, r in answers)
            busy = [(name, r) for name, r in answers if r.status_code == 503]
            assert busy, codes  # a per-worker bound: six 302s
            assert set(codes) <= {302, 503}, codes
            for _name, refused in busy:
                assert refused.headers.get("Retry-After", "").isdigit(), refused.text[-3000:]
                assert "busy checking passwords" in refused.text
            time.sleep(int(busy[0][1].headers["Retry-After"]))
            retried = [_login_at_once(base, [name])[0][1].status_code for name, _r in busy]
            assert retried == [302] * len(busy)
