"""T6: the pacing of logins and the registration limit hold across several real gunicorn
workers (one database, many processes), each attempt on a fresh connection."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import requests

from quiz.extensions import db
from quiz.models import User
from tests.conftest import PASSWORD, TEST_HASH
from tests.reliability.figures import report
from tests.reliability.forms import parse_forms
from tests.reliability.servers import database, gunicorn, make_app, server_env

FREE, BASE_DELAY = 3, 4
PLANS = [
    pytest.param("sqlite", 2, id="sqlite-2-workers"),
    pytest.param("postgresql", 4, id="postgresql-4-workers", marks=pytest.mark.pg),
]


def attempt(base: str, password: str, browser: requests.Session | None = None) -> requests.Response:
    """One login through the real form, on a new connection (any worker may answer)."""
    browser = browser or requests.Session()
    browser.headers["Connection"] = "close"
    page = browser.get(f"{base}/auth/login", timeout=30)
    data = {**parse_forms(page.text)[0].defaults(), "username": "alice", "password": password}
    return browser.post(f"{base}/auth/login", data=data, allow_redirects=False, timeout=30)


def register(base: str, name: str) -> int:
    browser = requests.Session()
    browser.headers["Connection"] = "close"
    page = browser.get(f"{base}/auth/register", timeout=30)
    data = {
        **parse_forms(page.text)[0].defaults(),
        "username": name,
        "email": f"{name}@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    return browser.post(
        f"{base}/auth/register", data=data, allow_redirects=False, timeout=30
    ).status_code


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "workers"), PLANS)
def test_limits_hold_across_workers(kind: str, workers: int, tmp_path: Path) -> None:
    with database(kind, tmp_path) as db_config:
        app = make_app(db_config)
        with app.app_context():
            alice = User(email="alice@example.org", role="student")
            alice.set_username("alice")
            alice.set_password(PASSWORD, TEST_HASH)
            db.session.add(alice)
            db.session.commit()
            db.session.remove()
        env = server_env(
            db_config,
            LOGIN_FREE_FAILURES=FREE,
            LOGIN_DELAY_BASE_S=BASE_DELAY,
            REGISTRATION_LIMIT_PER_ADDRESS=3,
        )
        with gunicorn(env, workers) as base:
            laptop = requests.Session()
            assert attempt(base, PASSWORD, laptop).status_code == 302  # alice's own browser
            laptop.post(f"{base}/auth/logout", data=_token(base, laptop), timeout=30)
            codes = [attempt(base, f"wrong {n}").status_code for n in range(12)]
            refused = [attempt(base, "wrong again") for _ in range(4)]
            waits = {int(r.headers["Retry-After"]) for r in refused}
            texts = all(re.search(r"Wait \d+ seconds?", r.text) for r in refused)
            during = attempt(base, PASSWORD).status_code
            known = attempt(base, PASSWORD, laptop).status_code
            time.sleep(max(waits) + 0.5)
            after = attempt(base, PASSWORD).status_code
            registrations = [register(base, f"pupil{n}") for n in range(5)]
        with app.app_context():
            db.engine.dispose()
    triggered_at = codes.index(429) + 1 if 429 in codes else None
    report(
        "T6",
        backend=kind,
        workers=workers,
        attempts=len(codes),
        limit_triggered_at=triggered_at,
        refused_after=f"{codes[FREE:].count(429)}/{len(codes) - FREE}",
        logins_during_delay=int(during == 302),
        known_device_login=known,
        unlocked_after_s=max(waits),
        registrations=registrations,
    )
    assert codes[:FREE] == [200] * FREE and set(codes[FREE:]) == {429}
    assert texts and during == 429 and known == 302 and after == 302
    assert registrations == [302, 302, 302, 429, 429]


def _token(base: str, browser: requests.Session) -> dict[str, str]:
    page = browser.get(f"{base}/study/", timeout=30)
    form = next(f for f in parse_forms(page.text) if f.action.endswith("/auth/logout"))
    return form.defaults()
