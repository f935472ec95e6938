"""Moodle XML categories (and Anki subdecks, see test_transfer_binary_web): the preview offers
tags of one set or one new set per category; either way the questions are the same."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.formats.moodle.reader import read_moodle_xml
from quiz.models import Question, QuestionSet
from tests.transfer_helpers import client_for, confirm_fields, make_roles, make_set, post_import

XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/Geography/Niger</text></category>
  </question>
  <question type="truefalse">
    <name><text>capital</text></name>
    <questiontext format="html"><text>Niamey is the capital.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="category"><category><text>$course$/top/History</text></category></question>
  <question type="truefalse">
    <name><text>independence</text></name>
    <questiontext format="html"><text>Niger became independent in 1960.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
  <question type="truefalse">
    <name><text>colony</text></name>
    <questiontext format="html"><text>Niger was a French colony.</text></questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"""


@pytest.fixture
def roles(app: Flask) -> dict:
    return make_roles(app)


def sets_and_tags(app: Flask) -> list[tuple[str, str, list[str]]]:
    """(set title, question key, tags) for every question."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(QuestionSet.title, Question.key, Question.tags)
            .join(QuestionSet, QuestionSet.id == Question.set_id)
            .order_by(QuestionSet.id, Question.position)
        ).all()
    return [(r.title, r.key, list(r.tags or [])) for r in rows]


def test_the_reader_names_each_questions_category() -> None:
    result = read_moodle_xml(XML)
    assert result.groups == ("Geography / Niger", "History", "History")


def test_categories_become_tags_by_default(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = post_import(client, XML, filename="bank.xml")
    html = page.get_data(as_text=True)
    assert "2 categories: make them" in html
    assert "Geography / Niger: 1 question" in html and "History: 2 questions" in html
    assert client.post("/teach/import/confirm", data=confirm_fields(html)).status_code == 302
    assert sets_and_tags(app) == [
        ("Niger", "capital", ["geography", "niger"]),
        ("Niger", "independence", ["history"]),
        ("Niger", "colony", ["history"]),
    ]


def test_one_set_per_category_when_chosen(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    html = post_import(client, XML, filename="bank.xml").get_data(as_text=True)
    done = client.post("/teach/import/confirm", data={**confirm_fields(html), "grouping": "sets"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/teach/")
    assert sets_and_tags(app) == [
        ("Geography / Niger", "capital", []),
        ("History", "independence", []),
        ("History", "colony", []),
    ]
    page = client.get("/teach/").get_data(as_text=True)
    assert "Imported into “Geography / Niger”" in page and "Imported into “History”" in page


def test_into_an_existing_set_there_is_no_choice(app: Flask, roles: dict) -> None:
    set_id = make_set(app)
    client = client_for(app, "tina")
    html = post_import(client, XML, filename="bank.xml", target=str(set_id)).get_data(as_text=True)
    assert "make them" not in html
    fields = {**confirm_fields(html), "grouping": "sets"}  # ignored: the set was chosen
    assert client.post("/teach/import/confirm", data=fields).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionSet)) == 1
