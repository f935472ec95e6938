"""Live answers racing: a double tap from one phone counts once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import LiveAnswer, LivePlayer, Review
from tests.conftest import count_rows, csrf_token
from tests.live_helpers import control, game_row, join, live_set, logged_in, start_game

PHONES = 3
TAPS = 3  # each phone sends its answer three times at once


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_concurrent_double_taps_count_once(app: Flask, user_factory) -> None:
    """Three phones (two accounts, one guest) each tap three times at once: three answers."""
    user_factory("tess", role="teacher")
    set_id = live_set(app)
    teacher = logged_in(app, "tess")
    game_id = start_game(teacher, set_id, kinds=["true_false"], guests="y")
    pin = game_row(app, game_id).pin
    phones = []
    for name in ("sam", "ann"):
        user_factory(name)
        phones.append(logged_in(app, name))
    phones.append(app.test_client())
    for n, phone in enumerate(phones):
        assert join(phone, pin, f"Guest {n}").status_code == 302
    control(teacher, game_id, "next")
    qid = str(game_row(app, game_id).question_ids[0])
    tokens = [
        csrf_token(p.get(f"/live/games/{game_id}/play").get_data(as_text=True)) for p in phones
    ]
    plan = [(phones[i], tokens[i]) for i in range(PHONES) for _ in range(TAPS)]
    start = threading.Barrier(len(plan))

    def tap(client, token: str) -> int:
        start.wait()
        data = {"csrf_token": token, "question_id": qid, "answer": "true"}
        return client.post(f"/live/games/{game_id}/answer", data=data).status_code

    with ThreadPoolExecutor(len(plan)) as pool:
        codes = list(pool.map(lambda job: tap(*job), plan))
    assert codes == [302] * len(plan)  # never a 500: the extra taps are told they counted once
    assert count_rows(app, LiveAnswer) == PHONES
    assert count_rows(app, Review) == 2  # the two accounts' answers, not the guest's
    with app.app_context():
        points = db.session.scalars(sa.select(LivePlayer.points)).all()
        answered = db.session.scalars(sa.select(LiveAnswer.points)).all()
    assert sorted(points) == sorted(answered)  # each player's total counts its answer once
    before = game_row(app, game_id).version
    control(teacher, game_id, "next")  # close the question
    late = phones[0].post(
        f"/live/games/{game_id}/answer",
        data={"csrf_token": tokens[0], "question_id": qid, "answer": "true"},
    )
    assert late.status_code == 302 and count_rows(app, LiveAnswer) == PHONES
    assert game_row(app, game_id).version == before + 1
