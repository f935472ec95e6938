"""Quizzes as flexible as Moodle's: N drawn at random, kinds and topics, flags, review, result."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Attempt, User
from tests.conftest import AuthActions, statements_for
from tests.study_helpers import T0, load_set, set_id

MATCHING = """
slug: mixed
title: Mixed
questions:
  - id: pairs
    kind: matching
    prompt: Match each person to their role.
    pairs:
      - {left: Lloyd Austin, right: Defense Secretary}
      - {left: Michael Langley, right: Africa Command}
      - {left: Abdourahamane Tiani, right: Junta leader}
    explanation: Paragraphs 11 and 21.
    tags: [people]
  - id: capital
    kind: short_answer
    prompt: Which city is Niger's capital?
    answers: [Niamey]
    explanation: Niamey.
    tags: [places]
  - id: agadez
    kind: short_answer
    prompt: Which city has the drone base?
    answers: [Agadez]
    explanation: Agadez.
    tags: [places]
"""


@pytest.fixture
def student(app: Flask, user_factory) -> User:
    load_set(app, MATCHING)
    return user_factory("sam")


def start(client: FlaskClient, app: Flask, **fields: str) -> int:
    data = {"layout": "paged", "time_limit_min": "0", **fields}
    response = client.post(f"/study/sets/{set_id(app, 'mixed')}/quiz", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def order_of(app: Flask, attempt_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.get(Attempt, attempt_id).question_order)


def test_n_questions_drawn_by_topic_and_kind(
    app: Flask, client: FlaskClient, student: User
) -> None:
    keys = load_set(app, MATCHING)
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        page = client.get(f"/study/sets/{set_id(app, 'mixed')}/quiz").get_data(as_text=True)
        assert 'value="places"' in page and 'value="matching"' in page
        two = start(client, app, count="2")
        places = start(client, app, tags="places")
        one_kind = start(client, app, kinds="matching")
        refused = client.post(
            f"/study/sets/{set_id(app, 'mixed')}/quiz",
            data={"layout": "paged", "time_limit_min": "0", "count": "0"},
        )
    assert len(order_of(app, two)) == 2
    assert sorted(order_of(app, places)) == sorted([keys["capital"], keys["agadez"]])
    assert order_of(app, one_kind) == [keys["pairs"]]
    assert refused.status_code == 200  # the form again, with its message
    assert "Number must be between 1 and 500" in refused.get_data(as_text=True)


def test_flag_review_and_result_summary(app: Flask, client: FlaskClient, student: User) -> None:
    keys = load_set(app, MATCHING)
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app)
        order = order_of(app, attempt_id)
        url = f"/study/attempts/{attempt_id}"
        page = client.get(f"{url}?n=2").get_data(as_text=True)
        assert "Question 2 of 3" in page and 'aria-current="step"' in page
        client.post(
            f"{url}/answer",
            data={
                "question_id": keys["capital"],
                "answer": "Niamey",
                "flag_shown": "1",
                "flag": "1",
                "go": "review",
            },
        )
        pairs = client.get(f"{url}?n={order.index(keys['pairs']) + 1}").get_data(as_text=True)
        selects = re.findall(r'<select id="match-(\d+)"', pairs)
        options = re.findall(r'<option value="(\d+)">([^<]+)</option>', pairs)
        wanted = {"Lloyd Austin": "Defense Secretary", "Michael Langley": "Africa Command"}
        lefts = re.findall(r'<label for="match-(\d+)">([^<]+)</label>', pairs)
        data = {"question_id": keys["pairs"], "go": "next"}
        for index, left in lefts:
            right = wanted.get(left, "Defense Secretary")  # the third pair is wrong
            data[f"match-{index}"] = next(v for v, text in options if text == right)
        assert len(selects) == 3
        client.post(f"{url}/answer", data=data)
        review = client.get(f"{url}/review").get_data(as_text=True)
        assert "2 of 3 answered, 1 flagged" in review and "1 question is not answered" in review
        client.post(f"{url}/finish")
        result = client.get(f"{url}/result").get_data(as_text=True)
        only_wrong = client.get(f"{url}/result?show=wrong").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", result).split())
    assert "Fully right: 1 of 3" in text and "By kind of question" in text and "By topic" in text
    assert "places 1 of 2" in text
    assert result.count('class="line-ok"') == 2 and result.count('class="line-bad"') == 1
    assert "Each pair" in result
    assert only_wrong.count('class="result-item"') == 2  # the right one is left out


def test_a_page_after_the_limit_never_offers_next(
    app: Flask, client: FlaskClient, student: User
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, time_limit_min="1")
        page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
        assert "30 seconds after still count" in page and 'class="timer-bar"' in page
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):  # in the grace
        for path in ("", "/review"):
            late = client.get(f"/study/attempts/{attempt_id}{path}").get_data(as_text=True)
            assert "Time is up" in late and 'value="next"' not in late


def test_review_page_access_and_cost(
    app: Flask, client: FlaskClient, student: User, user_factory
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        small = start(client, app, count="1")
        large = start(client, app)
        user_factory("eve")
        other = app.test_client()
        AuthActions(other).login("eve")
        assert other.get(f"/study/attempts/{small}/review").status_code == 404
        anonymous = app.test_client().get(f"/study/attempts/{small}/review")
        assert "/auth/login" in anonymous.headers["Location"]
        counts = [
            statements_for(app, client, f"/study/attempts/{a}/review") for a in (small, large)
        ]
        pages = [statements_for(app, client, f"/study/attempts/{a}?n=1") for a in (small, large)]
        for attempt_id in (small, large):
            client.post(f"/study/attempts/{attempt_id}/finish")
        results = [
            statements_for(app, client, f"/study/attempts/{a}/result") for a in (small, large)
        ]
    assert counts[0] == counts[1] and pages[0] == pages[1] and results[0] == results[1]
