"""Duplicate a question; tag, remove, copy and move ticked questions from the set's page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question
from tests.conftest import AuthActions, count_rows
from tests.teach_helpers import make_set, question_ids


@pytest.fixture
def sets(app: Flask, client: FlaskClient, user_factory) -> tuple[int, int, int]:
    """tina's set of 3 questions, tina's empty second set and tom's set; tina logged in."""
    tina = user_factory("tina", role="teacher")
    tom = user_factory("tom", role="teacher")
    AuthActions(client).login("tina")
    return (
        make_set(app, tina.id, questions=3),
        make_set(app, tina.id, title="Second"),
        make_set(app, tom.id, questions=1, title="Tom's"),
    )


def live(app: Flask, set_id: int) -> list[tuple[str, list[str]]]:
    with app.app_context():
        return [
            (q.prompt, q.tags)
            for q in db.session.scalars(
                sa.select(Question)
                .where(Question.set_id == set_id, Question.retired.is_(False))
                .order_by(Question.position, Question.id)
            )
        ]


def test_duplicate_puts_the_copy_after_the_original_and_opens_it(
    app: Flask, client: FlaskClient, sets: tuple[int, int, int]
) -> None:
    first, _, _ = question_ids(app, sets[0])
    response = client.post(f"/teach/questions/{first}/duplicate")
    assert response.status_code == 302 and "/edit" in response.location
    assert [p for p, _ in live(app, sets[0])] == [
        "Question 0?",
        "Question 0?",
        "Question 1?",
        "Question 2?",
    ]
    with app.app_context():
        keys = {q.key for q in db.session.scalars(sa.select(Question).filter_by(set_id=sets[0]))}
    assert len(keys) == 4  # the copy has a key of its own


def test_bulk_tags_add_only_what_is_missing(
    app: Flask, client: FlaskClient, sets: tuple[int, int, int]
) -> None:
    ids = question_ids(app, sets[0])
    form = {"bulk_action": "tag", "bulk_tags": "sahel, maps, sahel", "question": ids[:2]}
    assert client.post(f"/teach/sets/{sets[0]}/bulk", data=form).status_code == 302
    assert [tags for _, tags in live(app, sets[0])] == [["sahel", "maps"], ["sahel", "maps"], []]


def test_bulk_retire_removes_the_ticked_questions(
    app: Flask, client: FlaskClient, sets: tuple[int, int, int]
) -> None:
    ids = question_ids(app, sets[0])
    client.post(f"/teach/sets/{sets[0]}/bulk", data={"bulk_action": "retire", "question": ids[1]})
    assert [p for p, _ in live(app, sets[0])] == ["Question 0?", "Question 2?"]


@pytest.mark.parametrize("action", ["copy", "move"])
def test_copy_and_move_to_another_own_set(
    app: Flask, client: FlaskClient, sets: tuple[int, int, int], action: str
) -> None:
    ids = question_ids(app, sets[0])
    form = {"bulk_action": action, "target": str(sets[1]), "question": [ids[0], ids[2]]}
    response = client.post(f"/teach/sets/{sets[0]}/bulk", data=form, follow_redirects=True)
    assert "to “Second”" in response.get_data(as_text=True)
    assert [p for p, _ in live(app, sets[1])] == ["Question 0?", "Question 2?"]
    left = [p for p, _ in live(app, sets[0])]
    assert left == (
        ["Question 1?"] if action == "move" else ["Question 0?", "Question 1?", "Question 2?"]
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bulk_action": "copy", "target": "OTHER"}, "Choose one of your other sets"),
        ({"bulk_action": "copy", "target": "SELF"}, "Choose one of your other sets"),
        ({"bulk_action": "copy", "target": "x"}, "Choose one of your other sets"),
        ({"bulk_action": "tag", "bulk_tags": " , "}, "Write the tags"),
        ({"bulk_action": "explode"}, "Choose what to do"),
        ({"bulk_action": "retire", "question": []}, "Tick at least one"),
        ({"bulk_action": "retire", "question": ["TOMS"]}, "Tick at least one"),
        ({"bulk_action": "retire", "question": ["99999999999999999999"]}, "Tick at least one"),
    ],
)
def test_bad_bulk_input_changes_nothing_and_says_why(
    app: Flask, client: FlaskClient, sets: tuple[int, int, int], changes: dict, message: str
) -> None:
    ids = question_ids(app, sets[0])
    toms = question_ids(app, sets[2])
    form = {"question": [ids[0]], **changes}
    form["target"] = {"OTHER": str(sets[2]), "SELF": str(sets[0])}.get(
        form.get("target"), form.get("target", "")
    )
    form["question"] = [str(toms[0]) if q == "TOMS" else q for q in form["question"]]
    before = count_rows(app, Question)
    response = client.post(f"/teach/sets/{sets[0]}/bulk", data=form, follow_redirects=True)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert count_rows(app, Question) == before
    assert live(app, sets[0]) == [(f"Question {n}?", []) for n in range(3)]
    assert live(app, sets[2]) == [("Question 0?", [])]


def test_the_set_page_offers_only_the_owners_other_sets(
    client: FlaskClient, sets: tuple[int, int, int]
) -> None:
    html = client.get(f"/teach/sets/{sets[0]}").get_data(as_text=True)
    assert f'<option value="{sets[1]}">Second</option>' in html
    assert "Tom&#39;s" not in html and f'<option value="{sets[2]}"' not in html
    assert html.count('form="bulk"') == 3
