"""Source texts: YAML `source_text`, citations, and the passage in a student's feedback."""

from __future__ import annotations

from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.formats.yaml_bank import BankError, dump_set, parse_set
from quiz.models import Question, QuestionSet, StudiedSet
from quiz.models.content import split_paragraphs
from tests.conftest import AuthActions
from tests.study_helpers import form_ids

SET = """
slug: notes
title: Notes
source_text: |
  First paragraph, about **Niamey**.

  Second paragraph, about Agadez.
questions:
  - id: capital
    kind: short_answer
    prompt: Capital?
    answers: [Niamey]
    explanation: It is Niamey.
    paragraph: {paragraph}
"""


def test_source_text_round_trips_through_yaml() -> None:
    data = parse_set(SET.format(paragraph=2), "notes.yaml")
    assert split_paragraphs(data.source_text) == [
        "First paragraph, about **Niamey**.",
        "Second paragraph, about Agadez.",
    ]
    text = dump_set(data)
    assert "source_text: |" in text
    assert parse_set(text, "again.yaml") == data


def test_a_citation_past_the_source_text_is_refused() -> None:
    with pytest.raises(BankError, match=r"notes.yaml, line \d+: question 1.*paragraph: 3 is past"):
        parse_set(SET.format(paragraph=3), "notes.yaml")


@pytest.mark.parametrize(
    ("text", "count"),
    [("", 0), ("One.", 1), ("One.\n\nTwo.", 2), ("One.\r\n \r\nTwo.\n\n\n\nThree.", 3)],
)
def test_paragraphs_are_split_on_blank_lines(text: str, count: int) -> None:
    assert len(split_paragraphs(text)) == count


def test_starter_feedback_shows_the_cited_note(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    """After answering a starter question, the student reads our note on its paragraph."""
    app.test_cli_runner().invoke(args=["seed"])
    sam = user_factory("sam")
    with app.app_context():
        qset = db.session.scalar(
            sa.select(QuestionSet).where(QuestionSet.slug == "niger-air-base-101")
        )
        question = db.session.scalar(
            sa.select(Question).where(Question.set_id == qset.id, Question.kind == "short_answer")
        )
        note = qset.passage(question.paragraph)
        db.session.add(StudiedSet(user_id=sam.id, set_id=qset.id))
        db.session.commit()
        qid = question.id
    assert note
    AuthActions(client).login("sam")
    page = client.get(f"/study/questions/{qid}").get_data(as_text=True)
    response = client.post(
        "/study/answer", data={**form_ids(page), "answer": "zzzz"}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert ">Wrong</h2>" in html
    # One line names the source and paragraph, then the note (not the paragraph twice).
    line = f"Source: {qset.source['title']}, paragraph {question.paragraph}"
    assert unescape(html).count(f"aragraph {question.paragraph}") == 1
    assert f'<figcaption class="source">{line}</figcaption>' in unescape(html)
    assert note.split(".")[0] in unescape(html)
