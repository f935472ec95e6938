"""Live games through the app: start, join, answer, close, double taps, reviews, results."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Card, LiveAnswer, LivePlayer, Review
from quiz.timeutil import now_utc
from tests.conftest import csrf_token
from tests.live_helpers import (
    control,
    game_row,
    join,
    live_set,
    logged_in,
    play_answer,
    start_game,
)

pytestmark = pytest.mark.config(WTF_CSRF_ENABLED=True)


@pytest.fixture
def world(app: Flask, user_factory) -> dict:
    """A teacher, two students, and the live set."""
    user_factory("tess", role="teacher")
    user_factory("sam")
    user_factory("ann")
    return {"set": live_set(app)}


def test_a_teacher_paced_game_from_lobby_to_results(app: Flask, world: dict) -> None:
    teacher = logged_in(app, "tess")
    game_id = start_game(teacher, world["set"], count="3", guests="y")
    game = game_row(app, game_id)
    assert game.state == "lobby" and len(game.pin) == 6 and len(game.question_ids) == 3
    screen = teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)
    assert game.pin in screen and "<svg" in screen and "Log out" not in screen
    sam = logged_in(app, "sam")
    assert join(sam, game.pin).status_code == 302
    guest = app.test_client()
    assert join(guest, game.pin, "  Zoë  the   guest ").status_code == 302
    assert "Wait for the teacher" in sam.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    control(teacher, game_id, "next")
    assert game_row(app, game_id).state == "question"
    for phone in (sam, guest):
        page = phone.get(f"/live/games/{game_id}/play").get_data(as_text=True)
        assert "Question 1 of 3" in page
    # Something is given for whichever kind came first; a refused parse says so and counts nil.
    play_answer(sam, game_id, {"answer": "0", "gap-0": "x", "pos-0": "1"})
    page = sam.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    with app.app_context():
        answers = db.session.scalar(sa.select(sa.func.count()).select_from(LiveAnswer))
    assert answers in (0, 1)
    control(teacher, game_id, "next")  # close answers
    assert game_row(app, game_id).state == "reveal"
    screen = teacher.get(f"/live/games/{game_id}/screen").get_data(as_text=True)
    assert "Leaderboard" in screen and "Zoë the guest" in screen
    assert "right" in screen
    late = play_answer_after_close(sam, game_id)
    assert late is None or "not open" in late
    control(teacher, game_id, "end")
    game = game_row(app, game_id)
    assert game.state == "finished" and game.pin is None
    results = teacher.get(f"/live/games/{game_id}/results")
    assert results.status_code == 200 and "Zoë the guest" in results.get_data(as_text=True)
    csv = teacher.get(f"/live/games/{game_id}/results.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    # A finished game is read-only.
    control(teacher, game_id, "next")
    assert game_row(app, game_id).state == "finished"
    assert "Game over" in sam.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    mine = sam.get("/live/").get_data(as_text=True)
    assert "Live set" in mine


def play_answer_after_close(client, game_id: int) -> str | None:
    """The play page after close offers no form: None, or the page's text if it does."""
    page = client.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    return None if 'name="question_id"' not in page else page


def first_question_kind(app: Flask, game_id: int) -> str:
    from quiz.models import Question

    with app.app_context():
        qid = game_row(app, game_id).question_ids[0]
        return db.session.get(Question, qid).kind


def test_an_answer_counts_once_becomes_a_review_and_late_ones_are_refused(
    app: Flask, world: dict
) -> None:
    teacher = logged_in(app, "tess")
    game_id = start_game(teacher, world["set"], kinds=["true_false"])
    pin = game_row(app, game_id).pin
    sam = logged_in(app, "sam")
    join(sam, pin)
    control(teacher, game_id, "next")
    sam.token = csrf_token(sam.get(f"/live/games/{game_id}/play").get_data(as_text=True))
    assert play_answer(sam, game_id, {"answer": "false"}).status_code == 302
    again = play_answer_again(sam, game_id, "true")
    assert "counts once" in again or "not open" in again
    with app.app_context():
        rows = db.session.scalars(sa.select(LiveAnswer)).all()
        assert len(rows) == 1 and rows[0].correct is False and rows[0].points == 0
        review = db.session.scalars(sa.select(Review)).one()
        assert (
            review.correct is False
            and review.submission_id == f"live{game_id}q{rows[0].question_id}"
        )
        card = db.session.scalars(sa.select(Card)).one()
        # A miss is rated Again: the card is due again within the day, so study brings it back.
        assert card.reps == 1 and card.lapses == 1
        assert card.due <= now_utc() + timedelta(days=1)
    page = sam.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    assert "Answer sent" in page
    control(teacher, game_id, "next")
    page = sam.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    assert "Not right" in page and "rank 1 of 1" in page


def play_answer_again(client, game_id: int, value: str) -> str:
    """Post a second answer to the same question, as a double tap would, and read the flash."""
    with client.application.app_context():
        qid = game_row(client.application, game_id).question_ids[0]
    client.post(
        f"/live/games/{game_id}/answer",
        data={"csrf_token": client.token, "question_id": str(qid), "answer": value},
    )
    return client.get(f"/live/games/{game_id}/play").get_data(as_text=True)


@pytest.mark.parametrize(
    ("nickname", "ok"),
    [
        ("<script>alert(1)</script>", False),
        ("a", False),
        ("x" * 21, False),
        ("Robert'); DROP TABLE--", False),
        ("\u202eevil", False),
        ("zero\u200bwidth", False),
        ("=HYPERLINK(1)", False),
        ("Ana-María O'Neil", True),
        ("李小龍", True),
    ],
)
def test_hostile_nicknames_are_refused_with_a_reason(
    app: Flask, world: dict, nickname: str, ok: bool
) -> None:
    teacher = logged_in(app, "tess")
    game_id = start_game(teacher, world["set"], guests="y")
    pin = game_row(app, game_id).pin
    response = join(app.test_client(), pin, nickname)
    with app.app_context():
        players = db.session.scalars(sa.select(LivePlayer.nickname)).all()
    if ok:
        assert response.status_code == 302 and players == [nickname]
    else:
        assert response.status_code == 422 and players == []
        assert "nickname" in response.get_data(as_text=True).lower()


def test_guests_are_refused_unless_allowed_and_a_taken_nickname_is_told(
    app: Flask, world: dict
) -> None:
    teacher = logged_in(app, "tess")
    closed = game_row(app, start_game(teacher, world["set"])).pin
    response = join(app.test_client(), closed, "Guest")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    open_pin = game_row(app, start_game(teacher, world["set"], guests="y")).pin
    assert join(app.test_client(), open_pin, "Guest").status_code == 302
    taken = join(app.test_client(), open_pin, "Guest")
    assert taken.status_code == 422 and "taken" in taken.get_data(as_text=True)
    assert join(app.test_client(), "999999", "Other").status_code in (404, 422)


def test_status_answers_304_while_nothing_changes(app: Flask, world: dict) -> None:
    teacher = logged_in(app, "tess")
    game_id = start_game(teacher, world["set"])
    phone = app.test_client()
    first = phone.get(f"/live/games/{game_id}/status")
    assert first.status_code == 200 and first.json["state"] == "lobby"
    etag = first.headers["ETag"]
    assert (
        phone.get(f"/live/games/{game_id}/status", headers={"If-None-Match": etag}).status_code
        == 304
    )
    control(teacher, game_id, "next")
    moved = phone.get(f"/live/games/{game_id}/status", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.json["state"] == "question"
    assert phone.get("/live/games/999999/status").status_code == 404


def test_student_paced_game(app: Flask, world: dict) -> None:
    teacher = logged_in(app, "tess")
    game_id = start_game(
        teacher, world["set"], pacing="student", kinds=["true_false", "multiple_choice"]
    )
    pin = game_row(app, game_id).pin
    sam = logged_in(app, "sam")
    join(sam, pin)
    control(teacher, game_id, "next")
    assert game_row(app, game_id).state == "running"
    from tests.live_helpers import form_post

    play = f"/live/games/{game_id}/play"
    form_post(sam, play, f"/live/games/{game_id}/next", {"seen": "-1"})
    assert "Question 1 of 2" in sam.get(play).get_data(as_text=True)
    value = "true" if first_question_kind(app, game_id) == "true_false" else "0"
    play_answer(sam, game_id, {"answer": value})
    page = sam.get(play).get_data(as_text=True)
    assert "points" in page and "Next question" in page
    form_post(sam, play, f"/live/games/{game_id}/next", {"seen": "0"})
    form_post(sam, play, f"/live/games/{game_id}/next", {"seen": "0"})  # a double tap moves once
    assert "Question 2 of 2" in sam.get(play).get_data(as_text=True)


def test_answers_after_close_are_refused_and_told(app: Flask, world: dict) -> None:
    from quiz.models import LiveGame

    teacher = logged_in(app, "tess")
    game_id = start_game(teacher, world["set"], kinds=["true_false"])
    pin = game_row(app, game_id).pin
    sam, ann = logged_in(app, "sam"), logged_in(app, "ann")
    join(sam, pin)
    join(ann, pin)
    control(teacher, game_id, "next")
    qid = str(game_row(app, game_id).question_ids[0])
    play = f"/live/games/{game_id}/play"
    tokens = {c: csrf_token(c.get(play).get_data(as_text=True)) for c in (sam, ann)}
    # The time ran out (opened long ago, by the server's clock): refused, and said so.
    with app.app_context():
        game = db.session.get(LiveGame, game_id)
        game.opened_at = now_utc() - timedelta(seconds=60)
        db.session.commit()
    sam.post(
        f"/live/games/{game_id}/answer",
        data={"csrf_token": tokens[sam], "question_id": qid, "answer": "true"},
    )
    assert "Time was up" in sam.get(play).get_data(as_text=True)
    # The teacher closed it (reveal): refused too.
    with app.app_context():
        game = db.session.get(LiveGame, game_id)
        game.opened_at = now_utc()
        db.session.commit()
    control(teacher, game_id, "next")
    ann.post(
        f"/live/games/{game_id}/answer",
        data={"csrf_token": tokens[ann], "question_id": qid, "answer": "true"},
    )
    assert "closed" in ann.get(play).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LiveAnswer)) == 0


def test_a_late_joiner_starts_at_the_current_question_and_a_reload_returns_there(
    app: Flask, world: dict
) -> None:
    teacher = logged_in(app, "tess")
    game_id = start_game(teacher, world["set"], count="3")
    pin = game_row(app, game_id).pin
    for _ in range(3):  # question 1, its reveal, question 2
        control(teacher, game_id, "next")
    sam = logged_in(app, "sam")
    join(sam, pin)
    page = sam.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    assert "Question 2 of 3" in page and 'name="question_id"' in page
    again = logged_in(app, "sam")  # another device of the same account: the same player
    join(again, pin)
    assert "Question 2 of 3" in again.get(f"/live/games/{game_id}/play").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LivePlayer)) == 1


def test_a_guest_cookie_is_for_its_own_game_only(app: Flask, world: dict) -> None:
    teacher = logged_in(app, "tess")
    first = start_game(teacher, world["set"], guests="y")
    second = start_game(teacher, world["set"], guests="y")
    guest = app.test_client()
    assert join(guest, game_row(app, first).pin, "Guest").status_code == 302
    assert guest.get(f"/live/games/{first}/play").status_code == 200
    assert guest.get(f"/live/games/{second}/play").status_code == 404
    # Another guest's forged cookie names no player: a 404, never someone else's seat.
    stranger = app.test_client()
    stranger.set_cookie(f"live{first}", "forged-token", path="/live/")
    assert stranger.get(f"/live/games/{first}/play").status_code == 404
    # Neither a student nor another teacher controls the game or reads its results.
    sam = logged_in(app, "sam")
    for path in ("screen", "control", "results", "results.csv"):
        assert sam.get(f"/live/games/{first}/{path}").status_code == 403
    assert guest.get(f"/live/games/{first}/screen").status_code == 302  # to log in


def test_pin_guessing_is_limited(app: Flask, world: dict) -> None:
    teacher = logged_in(app, "tess")
    pin = game_row(app, start_game(teacher, world["set"])).pin
    sam = logged_in(app, "sam")
    wrong = "100000" if pin != "100000" else "100001"
    codes = [join(sam, wrong).status_code for _ in range(11)]
    assert codes == [404] * 10 + [429]
    assert join(sam, pin).status_code == 429  # even the right one, until the window passes
