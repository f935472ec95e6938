"""Custom study: study ahead, today's wrong answers, cramming without moving cards, more new."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Card, CramAnswer, Review, User
from quiz.study.answers import card_state, replay_card
from tests.conftest import AuthActions, count_rows, statements_for
from tests.study_helpers import T0, answer_next, form_ids, load_set, reviews, set_id, study


@pytest.fixture
def student(app: Flask, user_factory, auth: AuthActions) -> User:
    user = user_factory("sam")
    load_set(app)
    study(app, user.id)
    with time_machine.travel(T0, tick=False):
        auth.login("sam")
    return user


def card_states(app: Flask) -> dict[int, tuple]:
    with app.app_context():
        return {c.question_id: (card_state(c), c.reps) for c in db.session.scalars(sa.select(Card))}


def test_cram_keeps_answers_and_moves_no_card(
    app: Flask, client: FlaskClient, student: User
) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez")  # one real review: the capital, wrong
        before = card_states(app)
        start = client.post("/study/custom", data={"mode": "cram", "set_id": set_id(app)})
        assert start.headers["Location"] == "/study/custom/next"
        page = client.get("/study/custom/next").get_data(as_text=True)
        assert "Cram: Sahel basics" in page and 'name="mode" value="cram"' in page
        ids = form_ids(page)
        wrong = client.post("/study/answer", data={**ids, "answer": "Agadez", "mode": "cram"})
        assert wrong.headers["Location"].startswith("/study/practice-answers/")
        feedback = client.get(wrong.headers["Location"]).get_data(as_text=True)
        assert "Wrong" in feedback and "Niamey is the capital" in feedback
        nxt = client.get("/study/custom/next").get_data(as_text=True)
        assert form_ids(nxt)["question_id"] != ids["question_id"]  # answered ones leave the run
    assert count_rows(app, CramAnswer) == 1 and count_rows(app, Review) == 1
    assert card_states(app) == before  # cramming moved nothing
    with app.app_context():
        for card in db.session.scalars(sa.select(Card)):
            assert replay_card(db.session, card, fuzzing=False) == card_state(card)


def test_a_run_ends_with_its_summary(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez")
        client.post("/study/custom", data={"mode": "wrong"})
        page = client.get("/study/custom/next").get_data(as_text=True)
        assert "wrong answers: 0 of 1 done" in page
        answer = {**form_ids(page), "answer": "Niamey", "mode": "cram"}
        done = client.post("/study/answer", data=answer)
        assert done.headers["Location"].startswith("/study/custom/next?last=c")
        summary = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "wrong answers: done" in summary
    assert "your schedule did not change" in summary
    assert count_rows(app, Review) == 1 and count_rows(app, CramAnswer) == 1


def test_study_ahead_records_real_reviews(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Niamey")  # right: due again in 10 minutes
        refused = client.post("/study/custom", data={"mode": "ahead", "days": "0"})
        assert refused.status_code == 422 and "from 1 to 30" in refused.get_data(as_text=True)
        client.post("/study/custom", data={"mode": "ahead", "days": "1"})
        page = client.get("/study/custom/next").get_data(as_text=True)
        assert "Study ahead" in page and 'name="mode"' not in page
        answer_next_custom = client.post(
            "/study/answer", data={**form_ids(page), "answer": "Agadez"}
        )
        assert answer_next_custom.status_code == 302
    assert len(reviews(app)) == 2  # the early review counts


def test_new_limit_raised_once_a_day(app: Flask, client: FlaskClient, student: User) -> None:
    with app.app_context():
        db.session.get(User, student.id).new_per_day = 1
        db.session.commit()
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez")
        assert "limit of new questions" in client.get("/study/next").get_data(as_text=True)
        assert client.post("/study/custom", data={"mode": "raise", "extra": "2"}).status_code == 302
        assert form_ids(client.get("/study/next").get_data(as_text=True))
        again = client.post("/study/custom", data={"mode": "raise", "extra": "2"})
        assert again.status_code == 422 and "once already" in again.get_data(as_text=True)


def test_custom_pages_need_a_login_and_cost_the_same(
    app: Flask, client: FlaskClient, student: User, user_factory
) -> None:
    anonymous = app.test_client()
    for path in ("/study/custom", "/study/custom/next", "/study/practice-answers/1"):
        assert "/auth/login" in anonymous.get(path).headers["Location"]
    with time_machine.travel(T0, tick=False):
        client.post("/study/custom", data={"mode": "cram", "set_id": set_id(app)})
        page = client.get("/study/custom/next").get_data(as_text=True)
        done = client.post("/study/answer", data={**form_ids(page), "answer": "x", "mode": "cram"})
        user_factory("eve")
        other = app.test_client()
        AuthActions(other).login("eve")
        assert other.get(done.headers["Location"]).status_code == 404  # not eve's answer
        few = statements_for(app, client, "/study/custom")
        client.post("/study/custom/stop")
        for _ in range(3):
            answer_next(client, answer="Agadez")
        assert statements_for(app, client, "/study/custom") == few


def test_raising_the_limit_leads_to_the_new_questions_and_the_cram_run_waits(
    app: Flask, client: FlaskClient, student: User
) -> None:
    """Issue 20: the page said "2 more new questions today" but showed the cram's cards."""
    with app.app_context():
        db.session.get(User, student.id).new_per_day = 1
        db.session.commit()
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez")  # today's one new question
        client.post("/study/custom", data={"mode": "cram", "set_id": set_id(app)})
        assert "Cram: Sahel basics" in client.get("/study/custom/next").get_data(as_text=True)
        raised = client.post("/study/custom", data={"mode": "raise", "extra": "2"})
        assert raised.headers["Location"] == "/study/next"
        page = client.get("/study/next", follow_redirects=True).get_data(as_text=True)
        assert 'name="mode" value="cram"' not in page  # not the cram's card
        assert form_ids(page)  # a raised new question, from the queue
        assert "2 more new questions today. “Cram: Sahel basics” waits under Custom study" in page
        custom = client.get("/study/custom").get_data(as_text=True)
        assert "You are in the middle of “Cram: Sahel basics”" in custom
        resumed = client.get("/study/custom/next").get_data(as_text=True)
        assert "Cram: Sahel basics" in resumed and 'name="mode" value="cram"' in resumed
        assert client.get("/study/next").headers["Location"] == "/study/custom/next"
