"""Browse my cards: search, suspend, bury until tomorrow, reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Card, Review, User
from quiz.study.answers import card_state, replay_card
from tests.conftest import AuthActions, count_rows, statements_for
from tests.study_helpers import T0, answer_next, form_ids, load_set, study


@pytest.fixture
def student(app: Flask, user_factory, auth: AuthActions) -> User:
    user = user_factory("sam")
    load_set(app)
    study(app, user.id)
    with time_machine.travel(T0, tick=False):
        auth.login("sam")
    return user


def card_ids(page: str) -> list[str]:
    return re.findall(r'name="card" value="(\d+)"', page)


def test_search_by_text_and_state(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez")  # capital: wrong
        answer_next(client, answer="0")  # alliance: partly
        everything = client.get("/study/cards").get_data(as_text=True)
        assert len(card_ids(everything)) == 2
        found = client.get("/study/cards?q=capital").get_data(as_text=True)
        assert len(card_ids(found)) == 1 and "Niger&#39;s capital" in found
        assert card_ids(client.get("/study/cards?q=%25").get_data(as_text=True)) == []
        lapsed = client.get("/study/cards?lapses=1&state=learning").get_data(as_text=True)
        assert len(card_ids(lapsed)) == 2
        assert card_ids(client.get("/study/cards?due=later").get_data(as_text=True)) == []


def test_suspended_card_leaves_the_queue(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        ids, _ = answer_next(client, answer="Agadez")
        card = card_ids(client.get("/study/cards").get_data(as_text=True))[0]
        done = client.post("/study/cards/action", data={"card": card, "action": "suspend"})
        assert "Suspended 1 card" in client.get(done.headers["Location"]).get_data(as_text=True)
        listed = client.get("/study/cards?state=suspended").get_data(as_text=True)
        assert card_ids(listed) == [card]
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        AuthActions(client).login("sam")
        page = client.get("/study/next").get_data(as_text=True)
        assert form_ids(page)["question_id"] != ids["question_id"]  # due, but suspended
        client.post("/study/cards/action", data={"card": card, "action": "unsuspend"})
        back = form_ids(client.get("/study/next").get_data(as_text=True))
        assert back["question_id"] == ids["question_id"]  # the most overdue card again


def test_bury_until_tomorrow_and_reset(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        ids, _ = answer_next(client, answer="Agadez")  # capital: due again in a minute
        card = card_ids(client.get("/study/cards").get_data(as_text=True))[0]
        client.post("/study/cards/action", data={"card": card, "action": "bury"})
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        page = client.get("/study/next").get_data(as_text=True)
        assert form_ids(page)["question_id"] != ids["question_id"]
    with time_machine.travel(T0 + timedelta(days=1), tick=False):  # the next local day
        AuthActions(client).login("sam")
        page = client.get("/study/next").get_data(as_text=True)
        assert form_ids(page)["question_id"] == ids["question_id"]
        client.post("/study/cards/action", data={"card": card, "action": "reset"})
    assert count_rows(app, Review) == 1  # the answer stays in the history
    with app.app_context():
        row = db.session.get(Card, int(card))
        assert row.reps == 0 and row.lapses == 0 and row.stability is None
        assert replay_card(db.session, row, fuzzing=False) == card_state(row)


def test_cards_are_private_and_actions_checked(
    app: Flask, client: FlaskClient, student: User, user_factory
) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez")
        card = card_ids(client.get("/study/cards").get_data(as_text=True))[0]
        anonymous = app.test_client()
        assert "/auth/login" in anonymous.get("/study/cards").headers["Location"]
        user_factory("eve")
        other = app.test_client()
        AuthActions(other).login("eve")
        assert card_ids(other.get("/study/cards").get_data(as_text=True)) == []
        other.post("/study/cards/action", data={"card": card, "action": "suspend"})
        bad = other.post("/study/cards/action", data={"card": "x", "action": "suspend"})
        assert bad.status_code == 400
        assert other.post("/study/cards/action", data={"action": "delete"}).status_code == 400
    with app.app_context():
        assert db.session.get(Card, int(card)).suspended is False  # eve's post changed nothing


def test_browse_costs_the_same_with_3_or_30_cards(app: Flask, user_factory) -> None:
    lines = ["slug: big", "title: Big", "questions:"]
    for n in range(32):
        lines += [
            f"  - id: q{n}",
            "    kind: true_false",
            f"    prompt: Statement {n}",
            "    answer: true",
            "    explanation: Because it is so.",
        ]
    load_set(app, "\n".join(lines) + "\n")
    counts = []
    for name, answered in (("few", 3), ("many", 30)):
        user = user_factory(name)
        study(app, user.id, "big")
        with app.app_context():
            db.session.get(User, user.id).new_per_day = 100
            db.session.commit()
        client = app.test_client()
        with time_machine.travel(T0, tick=False):
            AuthActions(client).login(name)
            for _ in range(answered):
                answer_next(client, answer="false")
            assert len(card_ids(client.get("/study/cards").get_data(as_text=True))) == answered
            counts.append(statements_for(app, client, "/study/cards?q=Statement"))
    assert counts[0] == counts[1], counts
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Card)) == 33


def test_teachers_and_admins_see_only_their_own_cards(
    app: Flask, client: FlaskClient, student: User, user_factory
) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez")
        for role in ("teacher", "admin"):
            user_factory(f"{role}1", role=role)
            other = app.test_client()
            AuthActions(other).login(f"{role}1")
            assert card_ids(other.get("/study/cards").get_data(as_text=True)) == []
            assert "No answers yet today" in other.get("/study/next").get_data(as_text=True)


def test_done_page_costs_the_same_after_more_answers(app: Flask, user_factory) -> None:
    lines = ["slug: tf", "title: TF", "questions:"]
    for n in range(12):
        lines += [
            f"  - id: q{n}",
            "    kind: true_false",
            f"    prompt: Claim {n}",
            "    answer: true",
            "    explanation: Because.",
        ]
    load_set(app, "\n".join(lines) + "\n")
    counts = []
    for name, answers in (("few", 2), ("many", 10)):
        user = user_factory(name)
        study(app, user.id, "tf")
        with app.app_context():
            db.session.get(User, user.id).new_per_day = answers
            db.session.commit()
        client = app.test_client()
        with time_machine.travel(T0, tick=False):
            AuthActions(client).login(name)
            for _ in range(answers):
                answer_next(client, answer="false")  # wrong: back in a minute
        with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
            page = client.get("/study/next").get_data(as_text=True)
            assert "All done for now" in page and f"{answers} answers" in page.replace(
                "<strong>", ""
            ).replace("</strong>", "")
            counts.append(statements_for(app, client, "/study/next"))
    assert counts[0] == counts[1], counts
