"""A partly right answer in a quiz (issue 22): it scores its weight in the attempt, the result page
shows it as partly right with that answer's feedback, and its card lapses (below the pass mark)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from fsrs import Rating

from quiz.extensions import db
from quiz.models import Attempt, Review, User
from quiz.scheduling import PASS_MARK
from tests.conftest import AuthActions
from tests.study_helpers import T0, choice_values, load_set, set_id

WEIGHTED_SET = """
slug: hometown
title: Hometown
description: Partial credit.
questions:
  - id: town
    kind: short_answer
    prompt: Jesus Christ was from
    answers:
      - {text: Nazareth, feedback: "Yes! That's right!"}
      - {text: Nazereth, weight: 75, feedback: "Right, but misspelled."}
      - {text: Bethlehem, weight: 25, feedback: "He was born here, but not raised here."}
    fuzzy: false
    explanation: He grew up in Nazareth.
  - id: region
    kind: multiple_choice
    prompt: Which region?
    choices:
      - {text: Galilee, correct: true}
      - {text: Judea, weight: 50, feedback: "Half: his birthplace is there."}
      - {text: Samaria}
    explanation: Nazareth is in Galilee.
"""


@pytest.fixture
def keys(app: Flask, user_factory) -> dict[str, int]:
    """The weighted set's question ids by key, and a student."""
    user_factory("sam")
    return load_set(app, WEIGHTED_SET)


def _answers(page: str, key: str, partly: bool) -> dict:
    """The form fields of a partly right (or right) answer."""
    if key == "town":
        return {"answer": "Bethlehem" if partly else "Nazareth"}
    return {"answer": choice_values(page, "Judea" if partly else "Galilee")}


@pytest.mark.parametrize("partly", [("town",), ("region",), ("town", "region")])
def test_a_partly_right_answer_scores_its_weight_in_a_quiz(
    app: Flask, client: FlaskClient, keys: dict[str, int], partly: tuple[str, ...]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        started = client.post(
            f"/study/sets/{set_id(app, 'hometown')}/quiz",
            data={"layout": "paged", "time_limit_min": "0"},
        )
        attempt_id = int(re.search(r"/attempts/(\d+)", started.headers["Location"]).group(1))
        for _ in keys:
            page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
            qid = int(re.search(r'name="question_id" value="(\d+)"', page).group(1))
            key = next(k for k, v in keys.items() if v == qid)
            data = {"question_id": qid, **_answers(page, key, key in partly)}
            client.post(f"/study/attempts/{attempt_id}/answer", data=data)
        client.post(f"/study/attempts/{attempt_id}/finish")
        result = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    weights = {"town": 0.25, "region": 0.5}
    expected = sum(weights[k] if k in partly else 1.0 for k in keys) / len(keys)
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert attempt.score == pytest.approx(expected)
        reviews = {r.question_id: r for r in db.session.scalars(sa.select(Review))}
        for key, qid in keys.items():
            review = reviews[qid]
            assert review.score == (weights[key] if key in partly else 1.0)
            assert review.correct is (key not in partly)
            # Below the pass mark a partly right answer is a lapse (Again).
            assert weights[key] < PASS_MARK
            assert review.rating == (Rating.Again if key in partly else Rating.Good)
    assert f"{int(expected * 100 + 0.5)}%" in result  # whole percents, half up
    if "town" in partly:
        assert "Partly right (25%)" in result
        assert "He was born here, but not raised here." in result
    if "region" in partly:
        assert "Partly right (50%)" in result and "Half: his birthplace is there." in result


def test_study_feedback_shows_partly_right_with_the_answers_feedback(
    app: Flask, client: FlaskClient, keys: dict[str, int]
) -> None:
    from tests.study_helpers import form_ids, study

    with app.app_context():
        sam = db.session.scalar(sa.select(User).where(User.username == "sam"))
    study(app, sam.id, "hometown")
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        for _ in keys:
            page = client.get("/study/next").get_data(as_text=True)
            ids = form_ids(page)
            key = next(k for k, v in keys.items() if v == int(ids["question_id"]))
            posted = client.post("/study/answer", data={**ids, **_answers(page, key, True)})
            assert posted.status_code == 302
            feedback = client.get(posted.headers["Location"]).get_data(as_text=True)
            percent, said = (
                ("25%", "He was born here, but not raised here.")
                if key == "town"
                else ("50%", "Half: his birthplace is there.")
            )
            assert f"Partly right ({percent})" in feedback and said in feedback
    with app.app_context():
        ratings = {r.rating for r in db.session.scalars(sa.select(Review))}
        assert ratings == {Rating.Again}
