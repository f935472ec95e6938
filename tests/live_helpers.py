"""Shared helpers for the live-game tests: a set of every kind, a teacher's game, phones."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import LiveGame, QuestionSet
from tests.conftest import AuthActions, csrf_token
from tests.study_helpers import load_set

LIVE_SET = """
slug: live-set
title: Live set
description: One question of each kind.
questions:
  - id: capital
    kind: multiple_choice
    prompt: Which city is the capital?
    choices:
      - {text: Niamey, correct: true}
      - {text: Agadez}
      - {text: Dosso}
    explanation: Niamey.
  - id: truth
    kind: true_false
    prompt: The drone base cost about 110 million dollars.
    answer: true
    explanation: Paragraph 9.
  - id: city
    kind: short_answer
    prompt: Who leads the junta?
    answers: [Tiani]
    explanation: General Tiani.
  - id: distance
    kind: numeric
    prompt: How many US troops were in the country?
    value: 1000
    tolerance: 100
    explanation: About 1,000.
  - id: unused
    kind: numeric
    prompt: How long is the runway?
    value: 750
    tolerance: 25
    unit: km
    explanation: About 750 km.
  - id: alliance
    kind: multiple_select
    prompt: Which countries formed the Alliance of Sahel States?
    choices:
      - {text: Mali, correct: true}
      - {text: Chad}
      - {text: Niger, correct: true}
    explanation: Mali, Burkina Faso and Niger.
"""


def live_set(app: Flask) -> int:
    """Load the live set (public, from the bank) and return its id."""
    load_set(app, LIVE_SET)
    with app.app_context():
        return db.session.scalar(sa.select(QuestionSet.id).where(QuestionSet.slug == "live-set"))


def form_post(client: FlaskClient, page_url: str, url: str, data: dict[str, Any]) -> Any:
    """POST `data` to `url` with the CSRF token of the page at `page_url`."""
    page = client.get(page_url).get_data(as_text=True)
    token = csrf_token(page) if "csrf_token" in page else ""
    return client.post(url, data={"csrf_token": token, **data})


def start_game(client: FlaskClient, set_id: int, **options: Any) -> int:
    """The logged-in teacher starts a game of the set; returns its id."""
    data = {"seconds": "20", "pacing": "teacher", "scoring": "speed", "leaderboard": "on"}
    data.update(options)
    url = f"/live/sets/{set_id}/start"
    response = form_post(client, url, url, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(re.search(r"/games/(\d+)/screen", response.headers["Location"]).group(1))


def control(client: FlaskClient, game_id: int, action: str) -> Any:
    """The teacher presses a control button."""
    url = f"/live/games/{game_id}/control"
    return form_post(client, url, url, {"action": action})


def game_row(app: Flask, game_id: int) -> LiveGame:
    """The game as stored now."""
    with app.app_context():
        game = db.session.get(LiveGame, game_id)
        db.session.expunge(game)
        return game


def join(client: FlaskClient, pin: str, nickname: str = "") -> Any:
    """Join through the form (a guest gives a nickname)."""
    return form_post(client, "/live/join", "/live/join", {"pin": pin, "nickname": nickname})


def logged_in(app: Flask, name: str) -> FlaskClient:
    """A new client logged in as `name`."""
    client = app.test_client()
    assert AuthActions(client).login(name).status_code == 302
    return client


def play_answer(client: FlaskClient, game_id: int, data: dict[str, Any]) -> Any:
    """Answer the phone's current question (its id read from the play page)."""
    page = client.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    qid = re.search(r'name="question_id" value="(\d+)"', page).group(1)
    return client.post(
        f"/live/games/{game_id}/answer",
        data={"csrf_token": csrf_token(page), "question_id": qid, **data},
    )
