"""Issue 21, defect 4: entering a valid class code (one's own class) reset the guessing limit."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.classes_helpers import CODE, World, login_as, make_world
from tests.reliability.figures import report

WRONG = ["HJK4MN", "HJK4MP", "HJK4MQ", "HJK4MR", "HJK4MT", "HJK4MU", "HJK4MV", "HJK4MW"]


@pytest.fixture
def world(app: Flask) -> World:
    return make_world(app)


def join(client: FlaskClient, code: str) -> int:
    """Post the join form once; the status code."""
    return client.post("/study/join", data={"code": code}).status_code


def guess_with_own_code_between(client: FlaskClient, guesses: int) -> list[int]:
    """Wrong codes, each followed by the student's own class code; the wrong codes' answers."""
    codes = []
    for n in range(guesses):
        codes.append(join(client, WRONG[n % len(WRONG)]))
        join(client, CODE)  # already a member: "You are already in ..."
    return codes


@pytest.mark.config(JOIN_CODE_LIMIT=5, LOGIN_FAILURE_LIMIT_PER_ADDRESS=1000)
def test_the_own_code_does_not_reset_the_account_limit(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "member")
    codes = guess_with_own_code_between(client, 12)
    assert codes[:5] == [422] * 5
    assert set(codes[5:]) == {429}, codes  # refused after the limit, own code or not
    assert join(client, CODE) == 429
    report(
        "D4-account", limit=5, wrong_codes=12, checked=codes.count(422), refused=codes.count(429)
    )


@pytest.mark.config(JOIN_CODE_LIMIT=1000, LOGIN_FAILURE_LIMIT_PER_ADDRESS=6)
def test_the_own_code_does_not_reset_the_address_limit(app: Flask, world: World) -> None:
    """Two accounts at one address: the valid codes of either clear nothing."""
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    login_as(first, "member")
    login_as(second, "outsider")
    codes = []
    for _ in range(6):
        codes += guess_with_own_code_between(first, 1) + guess_with_own_code_between(second, 1)
    assert codes[:6] == [422] * 6
    assert set(codes[6:]) == {429}, codes
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.3"
    login_as(elsewhere, "outsider")
    assert join(elsewhere, "HJK4MN") == 422  # the limit is this address's, not the account's
    report(
        "D4-address", limit=6, wrong_codes=12, checked=codes.count(422), refused=codes.count(429)
    )
