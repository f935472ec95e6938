"""Answers racing each other for one card: nothing lost, nothing doubled, never a 500."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Card, PendingAnswer, Review
from quiz.study.answers import card_state, replay_card
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import load_set, set_id, study

TABS = 4
DOUBLE_CLICKS = 2


@pytest.mark.parametrize("answer", ["Agadez", "Niamey"], ids=["wrong", "right"])
def test_concurrent_answers_to_one_card(app: Flask, user_factory, answer: str) -> None:
    """Four tabs answer the same new card at once, two of them double-clicking.

    A wrong answer is reviewed at once; a right one is held for its rating, and held answers
    become reviews (Good) on the next study request.
    """
    keys = load_set(app)
    user = user_factory("sam")
    study(app, user.id)
    clients = [app.test_client() for _ in range(TABS + DOUBLE_CLICKS)]
    for client in clients:
        assert AuthActions(client).login("sam").status_code == 302
    submissions = [uuid.uuid4().hex for _ in range(TABS)]
    plan = [(clients[i], submissions[i % TABS]) for i in range(len(clients))]
    start = threading.Barrier(len(plan))

    def post(client, submission_id: str) -> int:
        start.wait()
        data = {"question_id": keys["capital"], "submission_id": submission_id, "answer": answer}
        return client.post("/study/answer", data=data).status_code

    with ThreadPoolExecutor(len(plan)) as pool:
        codes = list(pool.map(lambda job: post(*job), plan))
    assert codes == [302] * len(plan)
    # Any study POST rates Good whatever is still held (here: choosing the set again).
    settle = clients[0].post(f"/study/sets/{set_id(app)}/study", data={"action": "add"})
    assert settle.status_code == 302
    assert count_rows(app, PendingAnswer) == 0
    assert count_rows(app, Review) == TABS  # each submission once, none lost
    with app.app_context():
        card = db.session.scalar(sa.select(Card))
        assert card.reps == TABS
        assert replay_card(db.session, card, fuzzing=False) == card_state(card)
        ids = db.session.scalars(sa.select(Review.submission_id)).all()
        assert sorted(ids) == sorted(submissions)
