"""A question's most frequent wrong typed answers under Teach, and "Accept this" (issue 23)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question, Review
from tests.conftest import AuthActions, statements_for
from tests.test_override import World, answer, build_world, last_review, login


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def page(question_id: int) -> str:
    return f"/teach/questions/{question_id}/wrong-answers"


def accept(client: FlaskClient, question_id: int, text: str, gap: str = "") -> Any:
    """Post "Accept this" (the tests' app checks no CSRF token; tests/reliability does)."""
    data = {"text": text} | ({"gap": gap} if gap else {})
    return client.post(page(question_id) + "/accept", data=data)


def copies(app: Flask, review_id: int, responses: list[Any]) -> None:
    """More wrong answers like one real review (another submission each)."""
    with app.app_context():
        review = db.session.get(Review, review_id)
        columns = {c.key: getattr(review, c.key) for c in sa.inspect(Review).columns}
        for number, response in enumerate(responses):
            fields = columns | {"response": response, "submission_id": f"copy-{number}"}
            db.session.add(Review(**{k: v for k, v in fields.items() if k != "id"}))
        db.session.commit()


def test_access_per_role(app: Flask, client: FlaskClient, world: World) -> None:
    question = world.q["base"]
    login(client, "sam")
    answer(client, question, answer="Tillia")
    AuthActions(client).logout()
    response = client.get(page(question))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login(client, "olga")  # a student
    assert client.get(page(question)).status_code == 403
    assert client.post(page(question) + "/accept", data={"text": "Tillia"}).status_code in (
        400,
        403,
    )
    login(client, "tom")  # a teacher, not the owner: the question is not found
    assert client.get(page(question)).status_code == 404
    assert accept(client, question, "Tillia").status_code == 404
    for teacher in ("tess", "ada"):  # the owner and an admin
        login(client, teacher)
        text = client.get(page(question)).get_data(as_text=True)
        assert "Tillia" in text and "Accept this" in text


def test_most_frequent_first_and_accept_adds_the_answer(
    app: Flask, client: FlaskClient, world: World
) -> None:
    question = world.q["base"]
    login(client, "sam")
    answer(client, question, answer="Tillia")
    copies(app, last_review(app).id, ["Base 201", "tillia", "Tillia.", "Base 201", "Ouallam"])
    login(client, "tess")
    text = client.get(page(question)).get_data(as_text=True)
    assert text.index("Tillia") < text.index("Base 201") < text.index("Ouallam")
    response = accept(client, question, "Ouallam")
    assert response.status_code == 302
    assert "now accepted" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert "Ouallam" in db.session.get(Question, question).spec["answers"]
    assert "Ouallam" not in client.get(page(question)).get_data(as_text=True)


def test_a_near_miss_is_refused_and_nothing_changes(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "tess")
    response = accept(client, world.q["capital"], "Agadez")
    assert response.status_code == 302
    assert "Not added" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Question, world.q["capital"]).spec["answers"] == ["Niamey"]


def test_a_cloze_gap_takes_the_answer_in_its_own_gap(
    app: Flask, client: FlaskClient, world: World
) -> None:
    question = world.q["cloze"]
    login(client, "sam")
    answer(client, question, **{"gap-0": "American", "gap-1": "Air Base 101"})
    login(client, "tess")
    text = client.get(page(question)).get_data(as_text=True)
    assert "American" in text and "Air Base 101" not in text.split("Most frequent")[1]
    assert accept(client, question, "American", gap="0").status_code == 302
    with app.app_context():
        assert "{{US|American}}" in db.session.get(Question, question).spec["text"]


@pytest.mark.parametrize("kind", ["base", "cloze"])
def test_the_page_costs_the_same_statements_with_more_answers(
    app: Flask, client: FlaskClient, world: World, kind: str
) -> None:
    question = world.q[kind]
    fields = {"answer": "Tillia"} if kind == "base" else {"gap-0": "UK", "gap-1": "Tillia"}
    login(client, "sam")
    answer(client, question, **fields)
    review = last_review(app)
    login(client, "tess")
    few = statements_for(app, client, page(question))

    def varied(number: int) -> Any:
        """Some answers repeated, many different: the page still shows ten."""
        said = "Tillia" if number % 3 else f"Tillia{number}"
        return said if kind == "base" else [f"UK{number % 7}", said]

    copies(app, review.id, [varied(number) for number in range(300)])
    assert statements_for(app, client, page(question)) == few


def test_the_authoring_form_takes_groups_and_full_name(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "tess")
    new = f"/teach/sets/{world.set_id}/questions/new"
    page = client.get(new, query_string={"kind": "cloze"}).get_data(as_text=True)
    assert 'name="groups"' in page
    fields = {"prompt": "Fill in.", "explanation": "Why.", "text": "{{Mali}} and {{Chad}}"}
    response = client.post(new + "?kind=cloze", data=fields | {"groups": "1 5"})
    assert response.status_code == 422
    assert "no gap 5 (the text has 2)" in response.get_data(as_text=True)
    assert client.post(new + "?kind=cloze", data=fields | {"groups": "1 2"}).status_code == 302
    person = {"prompt": "Who?", "explanation": "Why.", "answers": "Ada Lovelace", "fuzzy": "y"}
    response = client.post(new + "?kind=short_answer", data=person | {"full_name": "y"})
    assert response.status_code == 302
    with app.app_context():
        specs = [q.spec for q in db.session.scalars(sa.select(Question).order_by(Question.id))]
    assert specs[-2]["groups"] == [[1, 2]] and specs[-1]["full_name"] is True
