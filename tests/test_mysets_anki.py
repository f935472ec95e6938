"""A student's own Anki deck imported with its review history (issue 22): each card's revlog
becomes their reviews, the card's state is the real scheduler's replay of them, and the app's
own replay of the stored reviews gives the same state, so the due dates carry on."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quiz.extensions import db
from quiz.formats.anki.collection import read_package
from quiz.formats.anki.history import card_keys, replay_card, replay_steps
from quiz.models import Card, Question, QuestionSet, Review
from quiz.study.answers import card_state
from quiz.study.answers import replay_card as app_replay
from tests.anki_helpers import BASIC, CLOZE, REVERSED, Deck, NoteSpec, package
from tests.conftest import AuthActions
from tests.test_anki_history import HISTORY, START, rows

NOTES = [
    NoteSpec(1, BASIC, ["chien", "dog"]),
    NoteSpec(2, REVERSED, ["chat", "cat"]),
    NoteSpec(3, CLOZE, ["Le {{c1::chien}} et le {{c2::chat}}", ""]),
    NoteSpec(4, BASIC, ["oiseau", "bird"]),  # never reviewed
]
# Card ids are note id * 10 + ord: card 21 is the reverse of note 2; 30 and 31 the cloze's.
LOG = [
    *((r.id, 10, r.ease, r.type) for r in rows(HISTORY, 10)),
    *((r.id + 1, 21, r.ease, r.type) for r in rows(HISTORY[:3], 21)),
    *((r.id + 2, 30, r.ease, r.type) for r in rows(HISTORY[:2], 30)),
    *((r.id + 3, 31, r.ease, r.type) for r in rows(HISTORY[:4], 31)),
    (int((START + timedelta(days=40)).timestamp() * 1000), 10, 0, 5),  # a manual reschedule
]


def deck() -> bytes:
    """The student's package, with its review log."""
    return package(Deck(NOTES, revlog=LOG), "anki21b")


def import_deck(client: FlaskClient, content: bytes, keep: bool, target: str = "new") -> None:
    """Upload, preview and confirm, ticking "keep my history" or not."""
    body = {"upload": FileStorage(io.BytesIO(content), "french.apkg"), "fmt": "guess",
            "target": target, "title": "French deck"}  # fmt: skip
    boundary, encoded = encode_multipart(body)
    kind = f"multipart/form-data; boundary={boundary}"
    page = client.post("/teach/import", data=encoded, content_type=kind)
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    html = page.get_data(as_text=True)
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    sha = html.split('name="sha256" type="hidden" value="')[1].split('"')[0]
    confirm = {"token": token, "sha256": sha, **({"keep_history": "y"} if keep else {})}
    assert client.post("/teach/import/confirm", data=confirm).status_code == 302


@pytest.fixture
def sam(app: Flask, user_factory) -> FlaskClient:
    """A logged-in student."""
    user_factory("sam")
    client = app.test_client()
    AuthActions(client).login("sam")
    return client


def test_the_keys_of_a_packages_cards() -> None:
    collection = read_package(deck())
    keys = card_keys(collection)
    assert keys[20] + "-2" == keys[21]  # the reverse card: the note's second question
    assert keys[30] == keys[31]  # every cloze number: the note's one question
    steps = replay_steps(rows(HISTORY, 10), card_id=10, fuzzing=False)
    replayed = replay_card(rows(HISTORY, 10), card_id=10, fuzzing=False)
    assert replayed is not None and steps[-1].state == replayed.state


def test_a_students_history_is_replayed_into_their_cards(app: Flask, sam: FlaskClient) -> None:
    import_deck(sam, deck(), keep=True)
    with app.app_context():
        qset = db.session.scalar(sa.select(QuestionSet))
        assert qset.visibility == "private"
        questions = {q.prompt: q for q in qset.questions}
        cards = {c.question_id: c for c in db.session.scalars(sa.select(Card))}
        assert len(cards) == 3  # chien, cat->chat, the cloze; oiseau was never reviewed
        dog = cards[questions["chien"].id]
        expected = replay_card(rows(HISTORY, 10), card_id=dog.id, fuzzing=False)
        assert expected is not None and card_state(dog) == expected.state
        assert dog.reps == len(HISTORY) and dog.lapses == 1
        # The app's own replay of the stored reviews: the same state, so nothing jumps later.
        for card in cards.values():
            assert app_replay(db.session, card, fuzzing=False) == card_state(card)
        cloze = next(q for q in qset.questions if q.kind == "cloze")
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Review.id)).where(Review.question_id == cloze.id)
            )
            == 4
        )  # the cloze card with the most answers
        assert dog.due > START + timedelta(days=30)


def test_the_preview_offers_it_to_students_only(app: Flask, sam: FlaskClient, user_factory) -> None:
    body = {"upload": FileStorage(io.BytesIO(deck()), "french.apkg"), "target": "new"}
    boundary, encoded = encode_multipart(body)
    kind = f"multipart/form-data; boundary={boundary}"
    page = sam.post("/teach/import", data=encoded, content_type=kind).get_data(as_text=True)
    assert "Keep my Anki review history" in page
    user_factory("tina", role="teacher")
    tina = app.test_client()
    AuthActions(tina).login("tina")
    boundary, encoded = encode_multipart(body)
    page = tina.post(
        "/teach/import", data=encoded, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert "Keep my Anki review history" not in page.get_data(as_text=True)
    import_deck(tina, deck(), keep=True)  # a forged tick: a teacher's import keeps none
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Card.id))) == 0


def test_without_the_tick_or_twice_nothing_is_doubled(app: Flask, sam: FlaskClient) -> None:
    import_deck(sam, deck(), keep=False)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Card.id))) == 0
        set_id = db.session.scalar(sa.select(QuestionSet.id))
    import_deck(sam, deck(), keep=True, target=str(set_id))
    import_deck(sam, deck(), keep=True, target=str(set_id))  # studied now: kept as they are
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Card.id))) == 3
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == len(HISTORY) + 3 + 4
        assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 5
