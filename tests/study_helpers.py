"""Shared helpers for study and quiz tests: a small set loaded through the real bank code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from html import unescape

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.bank import sync_sets
from quiz.extensions import db
from quiz.formats.yaml_bank import parse_set
from quiz.models import Card, Question, QuestionSet, Review, StudiedSet

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

SMALL_SET = """
slug: sahel-basics
title: Sahel basics
description: A few questions for tests.
questions:
  - id: capital
    kind: short_answer
    prompt: Which city is Niger's capital?
    answers: [Niamey]
    near_misses: [Agadez]
    explanation: Niamey is the capital; Agadez is the drone-base city.
    paragraph: 8
  - id: alliance
    kind: multiple_select
    prompt: Which countries formed the Alliance of Sahel States?
    choices:
      - {text: Mali, correct: true}
      - {text: Chad}
      - {text: Burkina Faso, correct: true}
      - {text: Niger, correct: true}
    explanation: The three military-ruled states formed it after leaving the G5 force.
    paragraph: 27
  - id: distance
    kind: numeric
    prompt: How far is Agadez from the capital?
    value: 750
    tolerance: 25
    unit: km
    explanation: About 750 km, or 460 miles, to the northeast.
    paragraph: 14
  - id: austin
    kind: flashcard
    prompt: Lloyd Austin
    back: US Defense Secretary
    explanation: He said the Russians had no access to US forces.
    paragraph: 11
  - id: langley
    kind: flashcard
    prompt: Michael Langley
    back: Head of US Africa Command
    explanation: He told the BBC the US wants to stay engaged with Niger and Chad.
    paragraph: 21
"""


def load_set(app: Flask, text: str = SMALL_SET) -> dict[str, int]:
    """Load a YAML set through the bank code; return question ids by key."""
    with app.app_context():
        sync_sets(db.session, [parse_set(text, "test.yaml")])
        db.session.commit()
        rows = db.session.execute(sa.select(Question.key, Question.id)).all()
        return {key: qid for key, qid in rows}


def set_id(app: Flask, slug: str = "sahel-basics") -> int:
    """The id of a set by slug."""
    with app.app_context():
        return db.session.scalar(sa.select(QuestionSet.id).where(QuestionSet.slug == slug))


def study(app: Flask, user_id: int, slug: str = "sahel-basics") -> None:
    """Make the student study a set."""
    with app.app_context():
        db.session.add(StudiedSet(user_id=user_id, set_id=set_id(app, slug), added_at=T0))
        db.session.commit()


FIELD_RE = re.compile(r'name="(question_id|submission_id)" value="([^"]+)"')


def form_ids(html: str) -> dict[str, str]:
    """The hidden question and submission ids of an answer page."""
    return dict(FIELD_RE.findall(html))


def post_answer(client: FlaskClient, data: dict, self_rating: str = "good") -> object:
    """Post an answer; a right one is then rated on its page (Good unless told otherwise)."""
    response = client.post("/study/answer", data=data)
    location = response.headers.get("Location", "")
    if "/study/answers/" in location:
        response = client.post(location, data={"rating": self_rating})
    return response


def answer_next(
    client: FlaskClient, self_rating: str = "good", **fields: str
) -> tuple[dict[str, str], object]:
    """Open the next question and post an answer to it (rating a right one)."""
    page = client.get("/study/next").get_data(as_text=True)
    ids = form_ids(page)
    assert ids, "no question on the study page"
    return ids, post_answer(client, {**ids, **fields}, self_rating)


def reviews(app: Flask) -> list[Review]:
    """Every review row, oldest first."""
    with app.app_context():
        rows = db.session.scalars(sa.select(Review).order_by(Review.reviewed_at, Review.id)).all()
        db.session.expunge_all()
        return list(rows)


def cards(app: Flask) -> list[Card]:
    """Every card row."""
    with app.app_context():
        rows = db.session.scalars(sa.select(Card).order_by(Card.id)).all()
        db.session.expunge_all()
        return list(rows)


CHOICE_RE = re.compile(
    r'name="(?:q\d+-)?answer" value="(\d+)"[^>]*>\s*<span class="choice-text">([^<]*)</span>'
)


def choice_values(html: str, *texts: str) -> list[str]:
    """The form values of the shown choices with these texts (values are display positions)."""
    shown = {unescape(text): value for value, text in CHOICE_RE.findall(html)}
    return [shown[text] for text in texts]


def answer_choices(
    client: FlaskClient, *texts: str, self_rating: str = "good", **fields: str
) -> tuple[dict[str, str], object]:
    """Open the next question, pick the choices with these texts, and post."""
    page = client.get("/study/next").get_data(as_text=True)
    data = {**form_ids(page), "answer": choice_values(page, *texts), **fields}
    return form_ids(page), post_answer(client, data, self_rating)


def add_overdue_cards(
    app: Flask, user_id: int, question_ids: Sequence[int], before: datetime
) -> None:
    """Review cards on these questions, due a day (and n minutes) before `before`, in order."""
    with app.app_context():
        for n, question_id in enumerate(question_ids):
            due = before - timedelta(days=1, minutes=n)
            db.session.add(
                Card(
                    user_id=user_id,
                    question_id=question_id,
                    state=2,
                    stability=3.0,
                    difficulty=5.0,
                    due=due,
                    last_review=due - timedelta(days=3),
                    reps=1,
                    created_at=due - timedelta(days=3),
                )
            )
        db.session.commit()


def flashcard_yaml(slug: str, count: int, title: str) -> str:
    """A YAML set of `count` flashcards ("Front <slug> <n>" / "Back <slug> <n>")."""
    lines = [f"slug: {slug}", f"title: {title}", "questions:"]
    for n in range(count):
        lines += [
            f"  - id: {slug}{n}",
            "    kind: flashcard",
            f"    prompt: Front {slug} {n}",
            f"    back: Back {slug} {n}",
            f"    explanation: Why {n}.",
        ]
    return "\n".join(lines) + "\n"
