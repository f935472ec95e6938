"""The set page lists the give-away pairs it keeps apart: for those who may open the set, at a
cost that does not grow with the set (issue 28)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question, QuestionSet
from tests.conftest import AuthActions, statements_for


def set_with_pairs(app: Flask, owner_id: int, pairs: int, visibility: str = "private") -> int:
    """A set of `pairs` capital questions, each given away by a question naming the capital."""
    with app.app_context():
        qset = QuestionSet(owner_id=owner_id, title=f"Capitals {pairs}", visibility=visibility)
        for n in range(pairs):
            for offset, (prompt, answer) in enumerate(
                [(f"Which country has Capital{n} as its capital?", f"Country{n}"),
                 (f"Which city is the capital of the {n}th country?", f"Capital{n}")]
            ):  # fmt: skip
                qset.questions.append(
                    Question(
                        key=f"q{n}-{offset}",
                        kind="short_answer",
                        prompt=prompt,
                        spec={"answers": [answer]},
                        explanation="Because.",
                        tags=[],
                        position=2 * n + offset,
                    )
                )
        db.session.add(qset)
        db.session.commit()
        return qset.id


@pytest.fixture
def owner(app: Flask, user_factory) -> int:
    """Teacher tina's id."""
    return user_factory("tina", role="teacher").id


def test_owner_sees_the_pairs_found(app: Flask, client: FlaskClient, owner: int) -> None:
    set_id = set_with_pairs(app, owner, 2)
    AuthActions(client).login("tina")
    page = client.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    section = page[page.index('id="kept-apart"') :]
    assert section.count("<tr>") == 1 + 2  # the header and one row per pair
    assert "Which country has Capital0 as its capital?" in section
    assert "“Capital0”" in section and "its wording" in section


def test_bank_set_page_lists_found_and_recorded_pairs(
    app: Flask, client: FlaskClient, owner: int
) -> None:
    app.test_cli_runner().invoke(args=["seed"])
    with app.app_context():
        set_id = db.session.scalar(
            sa.select(QuestionSet.id).where(QuestionSet.slug == "niger-air-base-101")
        )
    AuthActions(client).login("tina")
    page = client.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    section = page[page.index('id="kept-apart"') :]
    assert section.count("<tr>") == 1 + 16
    assert "recorded by hand" in section and "a choice" in section and "“Mali”" in section


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("sam", 404),
        ("otto", 404),
        ("tina", 200),
        ("ada", 200),
    ],  # a student: 404 (own sets)
)
def test_who_sees_a_private_sets_pairs(
    app: Flask, user_factory, owner: int, who: str | None, status: int
) -> None:
    """Only who may open the set sees its pairs: the page's own rule, pairs included."""
    user_factory("sam")
    user_factory("otto", role="teacher")
    user_factory("ada", role="admin")
    set_id = set_with_pairs(app, owner, 1)
    client = app.test_client()
    if who:
        AuthActions(client).login(who)
    response = client.get(f"/teach/sets/{set_id}")
    assert response.status_code == status
    assert ("Capital0" in response.get_data(as_text=True)) is (status == 200)


def test_set_page_statements_do_not_grow_with_pairs(
    app: Flask, client: FlaskClient, owner: int
) -> None:
    few, many = set_with_pairs(app, owner, 1), set_with_pairs(app, owner, 40)
    AuthActions(client).login("tina")
    assert statements_for(app, client, f"/teach/sets/{few}") == statements_for(
        app, client, f"/teach/sets/{many}"
    )
