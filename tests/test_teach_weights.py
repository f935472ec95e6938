"""The authoring form's weights and per-answer feedback (issue 22): stored as the YAML format says,
shown again on edit, and refused next to their field when out of range."""

from __future__ import annotations

from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question
from tests.conftest import AuthActions, count_rows
from tests.teach_helpers import error_next_to, make_set, valid_form


@pytest.fixture
def teacher(app: Flask, client: FlaskClient, user_factory) -> int:
    """A logged-in teacher with an empty set; the set id."""
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    return make_set(app, user.id)


def _saved(app: Flask, set_id: int) -> Question:
    with app.app_context():
        return db.session.scalar(sa.select(Question).where(Question.set_id == set_id))


WEIGHTED = {
    "multiple_choice": (
        {"choices-1-weight": "25", "choices-1-feedback": "Close: a quarter."},
        lambda spec: spec["choices"][1]["weight"] == 25 and "correct" not in spec["choices"][1],
    ),
    "multiple_select": (
        {
            "choices-0-correct": "y",
            "choices-0-weight": "50",
            "choices-1-weight": "-25",
            "choices-2-correct": "y",
            "choices-2-weight": "50%",
        },
        lambda spec: [c.get("weight") for c in spec["choices"]] == [50, -25, 50],
    ),
    "short_answer": (
        {
            "weighted-0-text": "Niamey",
            "weighted-0-weight": "25",
            "weighted-0-feedback": "The capital, not the base.",
            "weighted-1-text": "Agades",
            "weighted-1-weight": "",
            "weighted-1-feedback": "The old spelling.",
            "answers": "Agadez",
            "near_misses": "",
        },
        lambda spec: (
            spec["answers"]
            == [
                "Agadez",
                {"text": "Agades", "feedback": "The old spelling."},
                {"text": "Niamey", "weight": 25, "feedback": "The capital, not the base."},
            ]
        ),
    ),
    "numeric": (
        {
            "feedback": "Spot on.",
            "numbers-0-value": "750",
            "numbers-0-tolerance": "100",
            "numbers-0-weight": "50",
            "numbers-0-feedback": "Near enough for half.",
        },
        lambda spec: (
            spec["feedback"] == "Spot on."
            and spec["partial"]
            == [{"value": 750, "tolerance": 100, "weight": 50, "feedback": "Near enough for half."}]
        ),
    ),
}


@pytest.mark.parametrize("kind", sorted(WEIGHTED))
def test_weights_and_feedback_are_written_and_shown_again(
    app: Flask, client: FlaskClient, teacher: int, kind: str
) -> None:
    changes, check = WEIGHTED[kind]
    form = valid_form(kind, **changes)
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind={kind}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    question = _saved(app, teacher)
    assert check(question.spec), question.spec
    html = unescape(client.get(f"/teach/questions/{question.id}/edit").get_data(as_text=True))
    for name, value in changes.items():
        if value and name.endswith(("weight", "feedback", "text")):
            assert f'value="{value.rstrip("%")}"' in html, name


INVALID = [
    ("multiple_choice", {"choices-1-weight": "120"}, "choices-1-weight", "from 0 to 100"),
    ("multiple_choice", {"choices-1-weight": "-10"}, "choices-1-weight", "from 0 to 100"),
    ("multiple_choice", {"choices-1-weight": "lots"}, "choices-1-weight", "must be a number"),
    ("multiple_choice", {"choices-0-weight": "50"}, "choices-0-weight", "worth 100%"),
    ("multiple_select", {"choices-1-weight": "-150"}, "choices-1-weight", "from -100 to 100"),
    (
        "multiple_select",
        {"choices-0-weight": "40", "choices-2-weight": "40"},
        "choices",
        "add up to 100%, not 80%",
    ),
    (
        "short_answer",
        {"weighted-0-text": "Niamey", "weighted-0-weight": "150"},
        "weighted-0-weight",
        "from 0 to 100",
    ),
    (
        "short_answer",
        {"answers": "", "weighted-0-text": "Niamey", "weighted-0-weight": "50"},
        "answers",
        "at least one answer worth 100%",
    ),
    (
        "numeric",
        {"numbers-0-value": "700", "numbers-0-weight": "100"},
        "numbers-0-weight",
        "between 0 and 100",
    ),
    ("numeric", {"numbers-0-value": "700", "numbers-0-weight": ""}, "numbers-0-weight", "required"),
]


@pytest.mark.parametrize(("kind", "changes", "key", "words"), INVALID)
def test_bad_weights_are_shown_next_to_their_field_and_not_written(
    app: Flask, client: FlaskClient, teacher: int, kind: str, changes: dict, key: str, words: str
) -> None:
    form = valid_form(kind, **changes)
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind={kind}", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    message = error_next_to(html, key)
    assert message is not None, (key, html[html.find("error-summary") :][:600])
    assert words.lower() in message.lower(), message
    assert count_rows(app, Question) == 0


def test_a_weighted_row_is_added_without_javascript(client: FlaskClient, teacher: int) -> None:
    form = valid_form("short_answer", action="add-weighted")
    html = client.post(f"/teach/sets/{teacher}/questions/new?kind=short_answer", data=form)
    assert 'name="weighted-0-weight"' in html.get_data(as_text=True)


def test_blank_optional_rows_are_left_out_and_errors_name_the_right_row(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    form = valid_form(
        "short_answer",
        **{
            "weighted-0-text": "",
            "weighted-0-weight": "",
            "weighted-0-feedback": "",
            "weighted-1-text": "Tillia",
            "weighted-1-weight": "101",
            "weighted-1-feedback": "",
        },
    )
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind=short_answer", data=form)
    assert response.status_code == 422
    assert "from 0 to 100" in error_next_to(response.get_data(as_text=True), "weighted-1-weight")
    form["weighted-1-weight"] = "10"
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind=short_answer", data=form)
    assert response.status_code == 302
    assert _saved(app, teacher).spec["answers"][-1] == {"text": "Tillia", "weight": 10}
