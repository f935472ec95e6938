"""Defect 4: huge integers and control characters get a 400 or a form error, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.models import Review
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import load_set, study

DIGITS = "9" * 5000


@pytest.fixture
def student(app: Flask, client: FlaskClient, user_factory: Any) -> dict[str, int]:
    """A logged-in student studying the small set; its question ids."""
    keys = load_set(app)
    user = user_factory("sam")
    study(app, user.id)
    AuthActions(client).login("sam")
    return keys


@pytest.mark.parametrize("field", ["question_id", "answer", "shown_ms"])
def test_five_thousand_digits_in_a_study_answer(
    app: Flask, client: FlaskClient, student: dict[str, int], field: str
) -> None:
    data = {"question_id": str(student["alliance"]), "submission_id": "a" * 32, "answer": "1"}
    data[field] = DIGITS
    response = client.post("/study/answer", data=data)
    assert response.status_code in (302, 400, 422)
    assert count_rows(app, Review) == 0 or field == "shown_ms"


def test_five_thousand_digits_in_an_attempt_position(
    app: Flask, client: FlaskClient, student: dict[str, int]
) -> None:
    from tests.test_quiz_mode import start

    attempt_id = start(client, app)
    for field in ("question_id", "answer", "pos-0", "match-0"):
        response = client.post(
            f"/study/attempts/{attempt_id}/answer", data={"question_id": DIGITS, field: DIGITS}
        )
        assert response.status_code < 500


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f"])
@pytest.mark.parametrize(
    ("path", "field", "data"),
    [
        ("/auth/login", "username", {"username": "alice", "password": "x"}),
        ("/auth/login", "password", {"username": "alice", "password": "x"}),
        ("/auth/register", "username", {"username": "bob", "email": "b@example.org"}),
        ("/auth/register", "email", {"username": "bob", "email": "b@example.org"}),
    ],
)
def test_control_characters_are_refused(
    client: FlaskClient, user_factory: Any, path: str, field: str, data: dict, char: str
) -> None:
    """PostgreSQL refuses NUL in text: the probe got a 500 from a NUL in the login name."""
    user_factory("alice")
    data = {**data, "password": "x", "confirm": "x"}
    data[field] = data[field][:2] + char + data[field][2:]
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_control_characters_in_a_logged_in_form_and_a_query(
    client: FlaskClient, student: dict[str, int]
) -> None:
    data = {"desired_retention": "0.9", "new_per_day": "20", "timezone": "UTC\x00"}
    assert client.post("/study/settings", data=data).status_code == 400
    assert client.get("/auth/login?next=/study/%00").status_code == 400
    # Tabs and line breaks are text, not control: a typed answer may hold them.
    data = {
        "question_id": str(student["capital"]),
        "submission_id": "b" * 32,
        "answer": "Nia\tmey\r\n",
    }
    assert client.post("/study/answer", data=data).status_code == 302
