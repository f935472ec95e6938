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

RIGHT = {
    "capital": {"answer": "Niamey"},
    "distance": {"answer": "466 mi"},
    "austin": {"rating": "good"},
}
ALLIANCE = ("Mali", "Burkina Faso", "Niger")


def right(key: str, page: str, *picks: str) -> dict:
    """The right answer's form fields for a question as shown on this page."""
    if key == "alliance":
        return {"answer": choice_values(page, *(picks or ALLIANCE))}
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
        for _ in range(4):
            qid, page = current_question(client, attempt_id)
            seen.append(qid)
            key = key_of(keys, qid)
            answer = right(key, page, "Mali", "Niger")  # the alliance: 2 of 3 right
            client.post(f"/study/attempts/{attempt_id}/answer", data={"question_id": qid, **answer})
        result = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    assert sorted(seen) == sorted(keys.values())
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finished_at == T0
        assert attempt.score == pytest.approx((1 + 2 / 3 + 1 + 1) / 4)
        assert sorted(attempt.question_order) == sorted(keys.values())
        # Quiz answers are reviews too: every question now has a scheduled card.
        cards = db.session.scalars(sa.select(Card)).all()
        assert len(cards) == 4 and all(c.due > T0 for c in cards)
        ratings = {r.question_id: r.rating for r in db.session.scalars(sa.select(Review))}
        assert ratings[keys["alliance"]] == 1  # partial credit below the pass mark: Again
        assert ratings[keys["capital"]] == 3
    assert "91.7%" in result
    assert "Niamey is the capital" in result  # explanations on the result page


def test_questions_must_be_answered_in_order(
    app: Flask, client: FlaskClient, student: User, keys: dict[str, int]
) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        attempt_id = start(client, app)
        current, page = current_question(client, attempt_id)
        other = next(q for q in keys.values() if q not in (current, keys["alliance"]))
        response = client.post(
            f"/study/attempts/{attempt_id}/answer",
            data={"question_id": other, **RIGHT[key_of(keys, other)]},
        )
        assert response.status_code == 302
        assert count_rows(app, AttemptAnswer) == 0
        data = {"question_id": current, **right(key_of(keys, current), page)}
        client.post(f"/study/attempts/{attempt_id}/answer", data=data)
        client.post(f"/study/attempts/{attempt_id}/answer", data=data)  # double click
    assert count_rows(app, AttemptAnswer) == 1
    assert count_rows(app, Review) == 1


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
        assert attempt.score == pytest.approx(0.25)


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
        assert attempt.score == pytest.approx(0.5)  # two right, two left blank
    assert count_rows(app, AttemptAnswer) == 4
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
