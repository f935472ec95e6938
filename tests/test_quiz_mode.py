"""Quiz mode: shuffled scored attempts, server-side order and time limit, reviews fed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer, Card, Review, User
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import T0, choice_values, load_set, set_id

RIGHT = {"capital": {"answer": "Niamey"}, "distance": {"answer": "466 mi"}}
# Picked by their text, as a student would: form values are display positions.
CHOSEN = {
    "alliance": ("Mali", "Burkina Faso", "Niger"),
    "austin": ("US Defense Secretary",),  # a flashcard, asked as a choice among the set's backs
    "langley": ("Head of US Africa Command",),
}


def right(key: str, page: str, *picks: str) -> dict:
    """The right answer's form fields for a question as shown on this page."""
    if key in CHOSEN:
        return {"answer": choice_values(page, *(picks or CHOSEN[key]))}
    return RIGHT[key]


@pytest.fixture
def keys(app: Flask) -> dict[str, int]:
    """The small set's question ids by key."""
    return load_set(app)


@pytest.fixture
def student(app: Flask, user_factory) -> User:
    """A student (log in inside each test's frozen time)."""
    return user_factory("sam")


def start(client: FlaskClient, app: Flask, **fields: str) -> int:
    """Start a quiz on the small set; return the attempt id."""
    data = {"layout": "paged", "time_limit_min": "0", **fields}
    response = client.post(f"/study/sets/{set_id(app)}/quiz", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))


def current_question(client: FlaskClient, attempt_id: int) -> tuple[int, str]:
    """The id of the question a paged attempt shows now, and the page."""
    page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
    return int(re.search(r'name="question_id" value="(\d+)"', page).group(1)), page


def key_of(keys: dict[str, int], question_id: int) -> str:
    return next(k for k, v in keys.items() if v == question_id)


def test_paged_quiz_scores_and_schedules(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app)
        seen = []
        for _ in range(5):
            qid, page = current_question(client, attempt_id)
            seen.append(qid)
            key = key_of(keys, qid)
            picks = ("Mali", "Niger") if key == "alliance" else ()  # the alliance: 2 of 3 right
            answer = right(key, page, *picks)
            client.post(f"/study/attempts/{attempt_id}/answer", data={"question_id": qid, **answer})
        assert count_rows(app, Review) == 0  # kept, changeable, until handed in
        client.post(f"/study/attempts/{attempt_id}/finish")
        result = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    assert sorted(seen) == sorted(keys.values())
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished_at == T0
        assert attempt.score == pytest.approx((1 + 2 / 3 + 1 + 1 + 1) / 5)
        assert sorted(attempt.question_order) == sorted(keys.values())
        # Quiz answers are reviews too: every question now has a scheduled card.
        cards = db.session.scalars(sa.select(Card)).all()
        assert len(cards) == 5 and all(c.due > T0 for c in cards)
        ratings = {r.question_id: r.rating for r in db.session.scalars(sa.select(Review))}
        assert ratings[keys["alliance"]] == 1  # partial credit below the pass mark: Again
        assert ratings[keys["capital"]] == 3
    assert "93%" in result  # one rounding everywhere: whole percents
    assert "Niamey is the capital" in result  # explanations on the result page


def test_paged_answers_can_be_given_in_any_order_and_changed(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    """As in Moodle: previous and next, answers changed until handed in, then reviews."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app)
        current, _page = current_question(client, attempt_id)
        other = next(q for k, q in keys.items() if k in RIGHT and q != current)
        key = key_of(keys, other)
        wrong = {"question_id": other, "answer": "Agadez" if key == "capital" else "10 km"}
        response = client.post(f"/study/attempts/{attempt_id}/answer", data={**wrong, "go": "prev"})
        assert response.status_code == 302
        fixed = {"question_id": other, **RIGHT[key], "flag_shown": "1", "flag": "1"}
        client.post(f"/study/attempts/{attempt_id}/answer", data=fixed)
        client.post(f"/study/attempts/{attempt_id}/answer", data=fixed)  # double click
        assert count_rows(app, AttemptAnswer) == 1 and count_rows(app, Review) == 0
        review = client.get(f"/study/attempts/{attempt_id}/review").get_data(as_text=True)
        assert "1 of 5 answered, 1 flagged" in review and "4 questions are not answered" in review
        client.post(f"/study/attempts/{attempt_id}/finish")
    assert count_rows(app, AttemptAnswer) == 1
    assert [r.correct for r in reviews_of(app)] == [True]  # the changed answer counts


def reviews_of(app: Flask) -> list[Review]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Review)).all()
        db.session.expunge_all()
        return list(rows)


def test_time_limit_is_enforced_by_the_server(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, time_limit_min="1")
        first, page = current_question(client, attempt_id)
        client.post(
            f"/study/attempts/{attempt_id}/answer",
            data={"question_id": first, **right(key_of(keys, first), page)},
        )
        second, page = current_question(client, attempt_id)
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        response = client.post(
            f"/study/attempts/{attempt_id}/answer",
            data={"question_id": second, **right(key_of(keys, second), page)},
        )
        assert response.status_code == 302
        result = client.get(f"/study/attempts/{attempt_id}", follow_redirects=True)
    assert "Result" in result.get_data(as_text=True)
    assert count_rows(app, AttemptAnswer) == 1
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished_at == T0 + timedelta(minutes=1)
        assert attempt.score == pytest.approx(0.2)  # 1 of 5


def test_one_page_quiz_all_or_nothing(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, layout="one_page")
        page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
        for qid in keys.values():
            assert f'name="q{qid}-' in page
        bad = {f"q{keys['capital']}-answer": "Niamey", f"q{keys['distance']}-answer": "750 kg"}
        response = client.post(f"/study/attempts/{attempt_id}/answer", data=bad)
        assert response.status_code == 422
        assert count_rows(app, AttemptAnswer) == 0 and count_rows(app, Review) == 0
        good = {f"q{keys['capital']}-answer": "Niamey", f"q{keys['distance']}-answer": "750"}
        response = client.post(f"/study/attempts/{attempt_id}/answer", data=good)
        assert response.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.score == pytest.approx(0.4)  # two right, three left blank
    assert count_rows(app, AttemptAnswer) == 5
    assert count_rows(app, Review) == 2  # blanks are not reviews


def test_quiz_page_never_contains_the_answer(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, layout="one_page")
        page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
    explanations = (
        "Niamey is the capital",
        "three military-ruled states",
        "About 750 km",
        "no access to US forces",
    )
    for secret in explanations:
        assert secret not in page
    assert "checked" not in page  # no choice comes pre-selected
    # Flashcards are asked as a choice: each back shows up once per flashcard question as an
    # option, never as a revealed answer beside its own front.
    for back in ("US Defense Secretary", "Head of US Africa Command"):
        assert page.count(f'<span class="choice-text">{back}</span>') == 2
    assert "<details" not in page


def test_flashcard_in_a_quiz_is_scored_and_scheduled(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    """A flashcard answered wrongly in a quiz scores 0 and its card gets Again."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, layout="one_page")
        page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
        austin = f"q{keys['austin']}-answer"
        options = re.findall(
            rf'name="{austin}" value="(\d+)"[^>]*>\s*<span class="choice-text">([^<]*)<', page
        )
        wrong = next(value for value, text in options if text != "US Defense Secretary")
        client.post(f"/study/attempts/{attempt_id}/answer", data={austin: wrong})
    with app.app_context():
        review = db.session.scalar(sa.select(Review).where(Review.question_id == keys["austin"]))
        assert (review.correct, review.rating) == (False, 1)


def test_time_up_without_answers_is_closed_by_a_post(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    """Opening an expired attempt writes nothing; the student's POST closes it."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, time_limit_min="1")
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
        assert "Time is up" in page
        assert client.get(f"/study/attempts/{attempt_id}/result").status_code == 302
        with app.app_context():
            assert db.session.get(Attempt, attempt_id).finished_at is None
        response = client.post(f"/study/attempts/{attempt_id}/finish")
        assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.finished_at, attempt.score) == (T0 + timedelta(minutes=1), 0.0)


def test_ending_a_paged_quiz_early(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app)
        first, page = current_question(client, attempt_id)
        data = {"question_id": first, **right(key_of(keys, first), page)}
        client.post(f"/study/attempts/{attempt_id}/answer", data=data)
        client.post(f"/study/attempts/{attempt_id}/finish")
        result = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "20%" in result and "Not answered" in result


def test_other_students_attempt_is_404(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int], user_factory
) -> None:
    AuthActions(client).login("sam")
    attempt_id = start(client, app)
    user_factory("eve")
    other = app.test_client()
    AuthActions(other).login("eve")
    assert other.get(f"/study/attempts/{attempt_id}").status_code == 404
    assert other.get(f"/study/attempts/{attempt_id}/result").status_code == 404
    response = other.post(f"/study/attempts/{attempt_id}/answer", data={"question_id": "1"})
    assert response.status_code == 404


def test_one_page_quiz_after_the_limit_counts_nothing(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, layout="one_page", time_limit_min="1")
        page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
    assert '<button type="submit" disabled hidden' in page  # Enter does not hand it in
    late = {f"q{keys['capital']}-answer": "Niamey"}
    with time_machine.travel(T0 + timedelta(minutes=1, seconds=31), tick=False):  # past grace
        client.post(f"/study/attempts/{attempt_id}/answer", data=late)
    assert count_rows(app, AttemptAnswer) == 0 and count_rows(app, Review) == 0
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == 0.0


def test_time_up_hand_in_counts_unjudgeable_answers_as_blank(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app, layout="one_page", time_limit_min="1")
    sent = {
        f"q{keys['capital']}-answer": "Niamey",
        f"q{keys['distance']}-answer": "750 kg",
        "time_up": "1",
    }
    with time_machine.travel(T0 + timedelta(minutes=1, seconds=3), tick=False):  # in the grace
        response = client.post(f"/study/attempts/{attempt_id}/answer", data=sent)
    assert response.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.score == pytest.approx(0.2)  # the capital counted; the rest blank
    assert count_rows(app, Review) == 1


ORDER_SET = """
slug: order-set
title: Order set
questions:
  - id: events
    kind: ordering
    prompt: Put these in order.
    items: [Ukraine invasion, Expulsion order, Chad elections]
    explanation: February 2022, then March, then May 6.
  - id: truth
    kind: true_false
    prompt: Agadez is about 750 km from Niamey.
    answer: true
    explanation: Paragraph 14 gives about 750 km.
"""


def test_ordering_counts_in_a_one_page_quiz_and_answers_survive_a_422(
    app: Flask, client: FlaskClient, student: User
) -> None:
    keys = load_set(app, ORDER_SET)
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        response = client.post(
            f"/study/sets/{set_id(app, 'order-set')}/quiz",
            data={"layout": "one_page", "time_limit_min": "0"},
        )
        attempt_id = int(re.search(r"/attempts/(\d+)", response.headers["Location"]).group(1))
        page = client.get(f"/study/attempts/{attempt_id}").get_data(as_text=True)
        prefix = f"q{keys['events']}-pos-"
        shown = re.findall(
            rf'name="{prefix}(\d)".*?</select>\s*<label[^>]*><span[^>]*>Place of </span>([^<]+)<',
            page,
            re.S,
        )
        right = ["Ukraine invasion", "Expulsion order", "Chad elections"]
        data = {f"{prefix}{slot}": str(right.index(text) + 1) for slot, text in shown}
        data[f"q{keys['truth']}-answer"] = "maybe"  # cannot be judged: the page comes back
        again = client.post(f"/study/attempts/{attempt_id}/answer", data=data)
        assert again.status_code == 422
        kept = again.get_data(as_text=True)
        for slot, text in shown:  # the order the student gave is still there
            position = right.index(text) + 1
            assert re.search(rf'name="{prefix}{slot}".*?value="{position}" selected', kept, re.S)
        data[f"q{keys['truth']}-answer"] = "true"
        client.post(f"/study/attempts/{attempt_id}/answer", data=data)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score == pytest.approx(1.0)
