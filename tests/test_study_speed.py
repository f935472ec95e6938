"""One round trip per card: rating goes on to the next card, undo, stale answers from other tabs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Card, PendingAnswer, Review, ReviewOverride, User
from quiz.study.answers import card_state, replay_card
from tests.conftest import AuthActions, count_rows, statements_for
from tests.study_helpers import T0, load_set, reviews, study

FLASHCARDS = """
slug: cards
title: Cards
questions:
  - id: austin
    kind: flashcard
    prompt: Lloyd Austin
    back: US Defense Secretary
    explanation: Paragraph eleven.
  - id: langley
    kind: flashcard
    prompt: Michael Langley
    back: Head of US Africa Command
    explanation: Paragraph twenty-one.
  - id: capital
    kind: short_answer
    prompt: Which city is Niger's capital?
    answers: [Niamey]
    explanation: Niamey is the capital.
"""
VERSION_RE = re.compile(r'name="card_version" value="(\d*)"')
FLIP_RE = re.compile(r'href="(/study/flip/\d+\?[^"]+)"')
IDS_RE = re.compile(r'name="(question_id|submission_id)" value="([^"]+)"')


@pytest.fixture
def student(app: Flask, user_factory, auth: AuthActions) -> User:
    load_set(app, FLASHCARDS)
    user = user_factory("sam")
    study(app, user.id, "cards")
    with time_machine.travel(T0, tick=False):
        auth.login("sam")
    return user


def back_of(client: FlaskClient, page: str) -> str:
    """The flip page a front links to (what JavaScript prefetches)."""
    match = FLIP_RE.search(page)
    assert match, "no Show answer link"
    return client.get(match[1].replace("&amp;", "&")).get_data(as_text=True)


def rate(client: FlaskClient, back: str, rating: str = "good") -> object:
    """Post a rating from a flip page's form."""
    data = dict(IDS_RE.findall(back))
    data["card_version"] = VERSION_RE.search(back)[1]
    data["rating"] = rating
    return client.post("/study/answer", data=data)


def test_front_never_holds_the_back_and_the_flip_key_is_no_rating(
    client: FlaskClient, student: User
) -> None:
    with time_machine.travel(T0, tick=False):
        front = client.get("/study/next").get_data(as_text=True)
        back = back_of(client, front)
    assert "Lloyd Austin" in front and "US Defense Secretary" not in front
    assert 'data-rating-key="1"' not in front  # "1" twice can never flip then rate Again
    assert "Space" in front
    assert "US Defense Secretary" in back
    assert "data-default-rating" in back  # Space or Enter rates Good


def test_rating_goes_straight_to_the_next_card_with_undo(
    app: Flask, client: FlaskClient, student: User
) -> None:
    with time_machine.travel(T0, tick=False):
        back = back_of(client, client.get("/study/next").get_data(as_text=True))
        response = rate(client, back, "good")
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location.startswith("/study/next?last=")
        page = client.get(location).get_data(as_text=True)
    assert "Michael Langley" in page  # the next card, in the same response
    assert "Last:" in page and "Lloyd Austin" in page and "Good" in page
    assert 'action="/study/undo"' in page
    review_id = reviews(app)[0].id
    with time_machine.travel(T0 + timedelta(seconds=20), tick=False):
        undone = client.post("/study/undo", data={"review_id": review_id})
    assert undone.status_code == 302
    assert count_rows(app, Review) == 0 and count_rows(app, Card) == 0  # new again
    with time_machine.travel(T0 + timedelta(seconds=21), tick=False):
        assert "Lloyd Austin" in client.get("/study/next").get_data(as_text=True)


@pytest.mark.config(SCHEDULER_FUZZING=True)
def test_undo_restores_the_card_and_its_replay(
    app: Flask, client: FlaskClient, student: User
) -> None:
    """With the real fsrs scheduler and its fuzz: undo gives back the card as it was."""
    moments = [T0, T0 + timedelta(minutes=15), T0 + timedelta(days=3), T0 + timedelta(days=12)]
    before = None
    for moment in moments:
        with time_machine.travel(moment, tick=False), app.app_context():
            card = db.session.scalar(sa.select(Card).where(Card.user_id == student.id))
            before = (card_state(card), card.reps, card.lapses) if card else None
        with time_machine.travel(moment, tick=False):
            page = client.get(f"/study/questions/{austin_id(app)}").get_data(as_text=True)
            rate(client, back_of(client, page), "good")
    last = reviews(app)[-1]
    with time_machine.travel(moments[-1] + timedelta(seconds=5), tick=False):
        client.post("/study/undo", data={"review_id": last.id})
    assert count_rows(app, Review) == 3
    with app.app_context():
        card = db.session.scalar(sa.select(Card).where(Card.user_id == student.id))
        assert (card_state(card), card.reps, card.lapses) == before
        assert replay_card(db.session, card, fuzzing=True) == card_state(card)


def austin_id(app: Flask) -> int:
    return load_set(app, FLASHCARDS)["austin"]


def test_only_the_latest_own_review_can_be_undone(
    app: Flask, client: FlaskClient, student: User, user_factory
) -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            page = client.get(f"/study/questions/{austin_id(app)}").get_data(as_text=True)
            rate(client, back_of(client, page), "again")
    first, second = reviews(app)
    user_factory("eve")
    other = app.test_client()
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        assert client.post("/study/undo", data={"review_id": first.id}).status_code == 302
        assert count_rows(app, Review) == 2  # not the latest: refused
        anonymous = other.post("/study/undo", data={"review_id": second.id})
        assert "/auth/login" in anonymous.headers["Location"]
        AuthActions(other).login("eve")
        assert other.post("/study/undo", data={"review_id": second.id}).status_code == 404
    assert count_rows(app, Review) == 2


def test_second_tab_is_told_its_answer_is_stale(
    app: Flask, client: FlaskClient, student: User
) -> None:
    with time_machine.travel(T0, tick=False):
        tab1 = back_of(client, client.get("/study/next").get_data(as_text=True))
        tab2 = back_of(client, client.get("/study/next").get_data(as_text=True))
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        assert rate(client, tab1, "good").status_code == 302
    with time_machine.travel(T0 + timedelta(seconds=9), tick=False):
        stale = rate(client, tab2, "again")
        page = client.get(stale.headers["Location"]).get_data(as_text=True)
    assert "answered in another tab at 09:00" in page  # the student's zone is UTC
    assert [r.rating for r in reviews(app)] == [3]
    with app.app_context():
        card = db.session.scalar(sa.select(Card))
        assert card.reps == 1 and replay_card(db.session, card, fuzzing=False) == card_state(card)


def test_second_tab_right_answer_is_stale_while_one_is_held(
    app: Flask, client: FlaskClient, student: User
) -> None:
    capital = load_set(app, FLASHCARDS)["capital"]
    with time_machine.travel(T0, tick=False):
        pages = [client.get(f"/study/questions/{capital}").get_data(as_text=True) for _ in "12"]
        forms = [
            {**dict(IDS_RE.findall(p)), "card_version": VERSION_RE.search(p)[1]} for p in pages
        ]
        first = client.post("/study/answer", data={**forms[0], "answer": "Niamey"})
        assert first.headers["Location"].startswith("/study/answers/")
        second = client.post("/study/answer", data={**forms[1], "answer": "Niamey"})
        assert "another tab" in client.get(second.headers["Location"]).get_data(as_text=True)
    # The second post rated the held answer Good first (as any study post does), then was
    # refused: one review, nothing held, nothing recorded from the second tab.
    assert count_rows(app, PendingAnswer) == 0 and [r.rating for r in reviews(app)] == [3]


def test_going_back_and_answering_again_is_told(
    app: Flask, client: FlaskClient, student: User
) -> None:
    capital = load_set(app, FLASHCARDS)["capital"]
    with time_machine.travel(T0, tick=False):
        page = client.get(f"/study/questions/{capital}").get_data(as_text=True)
        form = {**dict(IDS_RE.findall(page)), "card_version": VERSION_RE.search(page)[1]}
        client.post("/study/answer", data={**form, "answer": "Agadez"})
        again = client.post("/study/answer", data={**form, "answer": "Niamey"})
        shown = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "You had answered this card at 09:00" in shown
    assert [r.correct for r in reviews(app)] == [False]


def test_session_summary_at_the_end(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        for _ in range(2):
            rate(client, back_of(client, client.get("/study/next").get_data(as_text=True)), "easy")
        page = client.get("/study/next").get_data(as_text=True)
        form = {**dict(IDS_RE.findall(page)), "card_version": VERSION_RE.search(page)[1]}
        client.post("/study/answer", data={**form, "answer": "Agadez", "shown_ms": "0"})
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        done = client.get("/study/next").get_data(as_text=True)
    assert "All done for now" in done
    text = " ".join(re.sub(r"<[^>]+>", " ", done).split())
    assert "3 answers" in text and "2 right (67%)" in text
    assert "Later today: 1" in text and "Within a week: 0" in text


def test_next_page_costs_the_same_with_more_reviews(app: Flask, user_factory) -> None:
    """The summary line and undo check cost no query per review."""
    load_set(app, FLASHCARDS)
    counts = []
    for name, rounds in (("few", 1), ("many", 8)):
        user = user_factory(name)
        study(app, user.id, "cards")
        client = app.test_client()
        with time_machine.travel(T0, tick=False):
            AuthActions(client).login(name)
        location = ""
        for n in range(rounds):
            with time_machine.travel(T0 + timedelta(days=n), tick=False):
                page = client.get(f"/study/questions/{austin_id(app)}").get_data(as_text=True)
                location = rate(client, back_of(client, page)).headers["Location"]
        with time_machine.travel(T0 + timedelta(days=200), tick=False):  # every card due again
            AuthActions(client).login(name)
            counts.append(statements_for(app, client, location))
    assert counts[0] == counts[1], counts


def test_undo_of_an_overridden_answer_takes_the_override_too(
    app: Flask, client: FlaskClient, student: User
) -> None:
    capital = load_set(app, FLASHCARDS)["capital"]
    for seconds, text in ((0, "Niamey"), (700, "Agadez")):
        with time_machine.travel(T0 + timedelta(seconds=seconds), tick=False):
            page = client.get(f"/study/questions/{capital}").get_data(as_text=True)
            form = {**dict(IDS_RE.findall(page)), "card_version": VERSION_RE.search(page)[1]}
            response = client.post("/study/answer", data={**form, "answer": text})
            if "/study/answers/" in response.headers["Location"]:
                client.post(response.headers["Location"], data={"rating": "good"})
    wrong = reviews(app)[-1]
    assert not wrong.correct
    with time_machine.travel(T0 + timedelta(seconds=710), tick=False):
        client.post(f"/study/reviews/{wrong.id}/override")
        assert count_rows(app, ReviewOverride) == 1
        client.post("/study/undo", data={"review_id": wrong.id})
    assert count_rows(app, ReviewOverride) == 0 and count_rows(app, Review) == 1
    with app.app_context():
        card = db.session.scalar(sa.select(Card))
        assert card.reps == 1 and card.lapses == 0
        assert replay_card(db.session, card, fuzzing=False) == card_state(card)
