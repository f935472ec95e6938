"""Defect 2: growing delays per account instead of a lock; known devices get through."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tests.study_helpers import T0

WRONG = "wrong guess"


def login(client: FlaskClient, username: str = "alice", password: str = WRONG) -> Any:
    """Post the login form once."""
    return client.post("/auth/login", data={"username": username, "password": password})


def at(app: Flask, address: str) -> FlaskClient:
    """A fresh browser at an address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def wait_seconds(response: Any) -> int:
    """The wait the refusal names, in seconds (checked against Retry-After)."""
    text = response.get_data(as_text=True)
    match = re.search(r"Wait (\d+) (second|minute)s?", text)
    assert match, text
    seconds = int(match.group(1)) * (60 if match.group(2) == "minute" else 1)
    retry = int(response.headers["Retry-After"])
    assert abs(retry - seconds) <= 60
    return retry


@pytest.mark.config(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=10)
def test_a_known_browser_logs_in_while_an_attacker_guesses(app: Flask, user_factory: Any) -> None:
    """The lock-out found by the probe: ten wrong passwords refused the right one too."""
    user_factory("alice")
    with time_machine.travel(T0, tick=False):
        laptop = at(app, "192.0.2.10")
        assert login(laptop, password=PASSWORD).status_code == 302
        laptop.post("/auth/logout")
        attacker = at(app, "198.51.100.7")
        codes = [login(attacker).status_code for _ in range(20)]
        assert codes[:3] == [200, 200, 200] and 429 in codes
        assert login(attacker, password=PASSWORD).status_code == 429  # an unknown device waits
        assert login(laptop, password=PASSWORD).status_code == 302  # alice's browser does not


@pytest.mark.config(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=10, LOGIN_DELAY_MAX_S=600)
def test_delays_grow_name_the_wait_and_refusals_do_not_extend_them(
    app: Flask, user_factory: Any
) -> None:
    user_factory("alice")
    attacker = at(app, "198.51.100.7")
    with time_machine.travel(T0, tick=False) as clock:
        assert [login(attacker).status_code for _ in range(3)] == [200, 200, 200]
        waits = []
        for _ in range(4):
            refused = login(attacker)
            assert refused.status_code == 429
            waits.append(wait_seconds(refused))
            for _ in range(5):  # hammering during the wait is refused unchecked, not counted
                assert login(attacker).status_code == 429
            clock.shift(timedelta(seconds=waits[-1]))
            assert login(attacker).status_code == 200  # checked (and wrong) after the wait
        assert waits == [10, 20, 40, 80]
        clock.shift(timedelta(seconds=160))
        assert login(at(app, "203.0.113.5"), password=PASSWORD).status_code == 302


@pytest.mark.config(LOGIN_FAILURE_LIMIT_PER_ADDRESS=5)
def test_a_school_address_keeps_its_limit_for_unknown_devices_only(
    app: Flask, user_factory: Any
) -> None:
    user_factory("alice")
    with time_machine.travel(T0, tick=False):
        pupil = at(app, "192.0.2.1")
        assert login(pupil, password=PASSWORD).status_code == 302
        pupil.post("/auth/logout")
        stranger = at(app, "192.0.2.1")
        codes = [login(stranger, f"name{i}").status_code for i in range(8)]
        assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
        assert "Wait" in login(stranger, "alice", PASSWORD).get_data(as_text=True)
        assert login(pupil, password=PASSWORD).status_code == 302  # her browser is known


def test_a_forged_device_cookie_is_ignored(app: Flask, user_factory: Any) -> None:
    app.config.update(LOGIN_FREE_FAILURES=2, LOGIN_DELAY_BASE_S=60)
    user_factory("alice")
    with time_machine.travel(T0, tick=False):
        attacker = at(app, "198.51.100.7")
        attacker.set_cookie(app.config["DEVICE_COOKIE_NAME"], "1.abc.forged")
        codes = [login(attacker).status_code for _ in range(4)]
        assert codes == [200, 200, 429, 429]
