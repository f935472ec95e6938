"""Defect 2: growing delays per account instead of a lock; known devices get through."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tests.reliability.figures import report
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


# Issue 21, defect 11: how long a new browser with the right password stays locked out.

LOCKED_AT_MOST_S = 120  # the figure RELIABILITY.md states
GIVE_UP = timedelta(hours=2)  # "locked" for this long counts as locked for good


def wait_of(response: Any) -> int:
    """0 when the request was answered, else the Retry-After it was refused with."""
    return int(response.headers["Retry-After"]) if response.status_code == 429 else 0


@pytest.mark.config(LOGIN_FREE_FAILURES=5, LOGIN_DELAY_BASE_S=2, LOGIN_DELAY_MAX_S=900)
def test_a_stranger_guessing_at_full_rate_holds_a_new_browser_for_minutes(
    app: Flask, user_factory: Any
) -> None:
    """The stranger asks again the moment each refusal says it may (and goes first on a tie);
    after half an hour of that, the owner tries from a new browser right after one of the
    stranger's checks (the worst moment), and again whenever told to."""
    user_factory("alice")
    stranger, browser = at(app, "198.51.100.7"), at(app, "203.0.113.9")
    checks: list[datetime] = []
    last_wait = 0
    with time_machine.travel(T0, tick=False) as clock:
        stranger_next, browser_next, got_in = T0, None, None
        start = T0 + timedelta(minutes=30)
        while got_in is None and (browser_next is None or browser_next < start + GIVE_UP):
            if browser_next is None or stranger_next <= browser_next:
                clock.move_to(stranger_next)
                response = login(stranger)
                if response.status_code == 200:
                    checks.append(stranger_next)
                    if browser_next is None and stranger_next >= start:
                        start = browser_next = stranger_next
                last_wait = wait_of(response)
                stranger_next += timedelta(seconds=last_wait)
            else:
                clock.move_to(browser_next)
                response = login(browser, password=PASSWORD)
                if response.status_code == 302:
                    got_in = browser_next
                browser_next += timedelta(seconds=wait_of(response))
    locked_s = ((got_in or browser_next) - start).total_seconds()
    in_last_hour = sum(1 for moment in checks if moment >= checks[-1] - timedelta(hours=1))
    report(
        "D11-stranger",
        new_browser_locked_s=locked_s,
        stranger_checks=len(checks),
        stranger_checks_last_hour=in_last_hour,
        stranger_wait_s=last_wait,
    )
    assert got_in is not None and locked_s <= LOCKED_AT_MOST_S, locked_s
    assert last_wait >= 60 and in_last_hour <= 15  # the stranger stays slowed


def test_fifty_failures_from_a_school_hold_new_browsers_there_for_minutes(
    app: Flask, user_factory: Any
) -> None:
    """Fifty wrong logins from one shared address (the default limit), then a pupil's new
    browser there; then the stranger goes on guessing names at full rate for an hour."""
    user_factory("alice")
    limit = app.config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"]
    assert limit == 50
    stranger, browser = at(app, "192.0.2.1"), at(app, "192.0.2.1")
    with time_machine.travel(T0, tick=False) as clock:
        assert {login(stranger, f"pupil{n}").status_code for n in range(limit)} == {200}
        moment, got_in = T0, None
        while got_in is None and moment < T0 + GIVE_UP:
            clock.move_to(moment)
            response = login(browser, password=PASSWORD)
            if response.status_code == 302:
                got_in = moment
            moment += timedelta(seconds=wait_of(response))
        locked_s = ((got_in or moment) - T0).total_seconds()
        checks, end = 0, moment + timedelta(hours=1)
        while moment < end:
            clock.move_to(moment)
            response = login(stranger, f"other{checks}")
            checks += response.status_code == 200
            moment += timedelta(seconds=max(wait_of(response), 1))
    report(
        "D11-address",
        failures=limit,
        new_browser_locked_s=locked_s,
        stranger_checks_next_hour=checks,
    )
    assert got_in is not None and locked_s <= LOCKED_AT_MOST_S, locked_s
    assert checks <= 61  # the address stays slowed: about one check a minute


def test_guessing_spread_over_many_addresses_is_slowed_and_holds_the_owner_a_minute(
    app: Flask, user_factory: Any
) -> None:
    """Past the account's free failures from everywhere, each check waits up to a minute."""
    user_factory("alice")
    free = app.config["LOGIN_ACCOUNT_FREE_FAILURES"]
    with time_machine.travel(T0, tick=False) as clock:
        codes = [login(at(app, f"198.51.100.{n}")).status_code for n in range(free + 3)]
        assert codes[:free] == [200] * free and set(codes[free:]) == {429}
        refused = login(at(app, "198.51.100.200"))
        assert 0 < wait_of(refused) <= app.config["LOGIN_ACCOUNT_DELAY_MAX_S"]
        clock.shift(timedelta(seconds=wait_of(refused)))
        assert login(at(app, "203.0.113.9"), password=PASSWORD).status_code == 302
    report(
        "D11-spread",
        addresses=free + 4,
        checked=codes.count(200),
        new_browser_locked_s=wait_of(refused),
    )
