"""Defect 3: while a quiz attempt is open, its questions are out of study, practice and flip."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.models import Review
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import load_set, study
from tests.test_quiz_mode import start


@pytest.fixture
def keys(app: Flask, client: FlaskClient, user_factory: Any) -> dict[str, int]:
    """A logged-in student studying the small set."""
    keys = load_set(app)
    user = user_factory("sam")
    study(app, user.id)
    AuthActions(client).login("sam")
    return keys


def test_open_attempt_questions_are_not_studied(
    app: Flask, client: FlaskClient, keys: dict[str, int]
) -> None:
    wrong = {"question_id": keys["capital"], "submission_id": "c" * 32, "answer": "Agadez"}
    earlier = client.post("/study/answer", data=wrong).headers["Location"]
    assert client.get(earlier).status_code == 200
    attempt_id = start(client, app)
    for path in (
        f"/study/questions/{keys['capital']}",
        f"/study/flip/{keys['austin']}",
        earlier,  # an old review shows the right answer too
    ):
        response = client.get(path)
        assert response.status_code == 409, path
        page = response.get_data(as_text=True)
        assert "open quiz" in page and f"/study/attempts/{attempt_id}" in page
    data = {"question_id": keys["distance"], "submission_id": "d" * 32, "answer": "750 km"}
    response = client.post("/study/answer", data=data)
    assert response.status_code == 409
    assert count_rows(app, Review) == 1
    page = client.get("/study/next").get_data(as_text=True)
    assert 'name="submission_id"' not in page  # every question of the set is in the quiz
    assert "open quiz" in page
    assert client.post(f"/study/attempts/{attempt_id}/finish").status_code == 302
    assert client.get(f"/study/questions/{keys['capital']}").status_code == 200
    assert 'name="submission_id"' in client.get("/study/next").get_data(as_text=True)


def test_open_attempt_questions_are_not_crammed(
    app: Flask, client: FlaskClient, keys: dict[str, int]
) -> None:
    """Custom study (cram) and its practice feedback wait for the quiz, as study does."""
    from tests.test_custom_study import set_id

    assert client.post("/study/custom", data={"mode": "cram", "set_id": set_id(app)}).status_code
    page = client.get("/study/custom/next").get_data(as_text=True)
    ids = {
        name: value
        for name, value in (
            ("question_id", page.split('name="question_id" value="')[1].split('"')[0]),
            ("submission_id", page.split('name="submission_id" value="')[1].split('"')[0]),
        )
    }
    wrong = client.post("/study/answer", data={**ids, "answer": "Agadez", "mode": "cram"})
    feedback = wrong.headers["Location"]
    assert feedback.startswith("/study/practice-answers/")
    attempt_id = start(client, app)
    for path in ("/study/custom/next", feedback):
        response = client.get(path)
        assert response.status_code == 409, path
        assert f"/study/attempts/{attempt_id}" in response.get_data(as_text=True)
    assert client.post(f"/study/attempts/{attempt_id}/finish").status_code == 302
    assert client.get("/study/custom/next").status_code == 200
