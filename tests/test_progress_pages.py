"""The student's progress pages: /study/progress and a set's progress page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.progress import data as progress
from tests.conftest import AuthActions, statements_for
from tests.progress_helpers import (
    add_attempt,
    answer,
    at,
    call,
    make_set,
    make_student,
    study_set,
)


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed, as a reader would get it."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@contextmanager
def frozen(when: str) -> Iterator[None]:
    """Freeze the clock the views read."""
    with time_machine.travel(at(when), tick=False):
        yield


@pytest.fixture
def history(app: Flask, user_factory: Any) -> dict[str, Any]:
    """A Niamey student with four reviews on three local days and two finished quizzes."""
    alice = make_student(user_factory, app, "alice", "Africa/Niamey")
    set_id, (q0, q1, q2, _q3) = make_set(app, 4)
    study_set(app, alice, set_id)
    answer(app, alice, q2, "2026-03-02 12:00", correct=False)  # 2 March local
    answer(app, alice, q2, "2026-03-03 12:00")  # 3 March
    answer(app, alice, q0, "2026-03-03 23:30")  # 00:30 on 4 March in Niamey
    answer(app, alice, q1, "2026-03-04 10:00")  # 4 March
    attempts = [
        add_attempt(app, alice, set_id, "2026-03-02 13:00", 0.5),
        add_attempt(app, alice, set_id, "2026-03-03 13:00", 0.75),
    ]
    add_attempt(app, alice, set_id, "2026-03-04 08:00", None, finished=False)
    return {"user": alice, "set": set_id, "attempts": attempts, "wrong": q2}


NOW = "2026-03-04 12:00"


def test_progress_page_shows_the_numbers(
    app: Flask, client: FlaskClient, auth: AuthActions, history: dict[str, Any]
) -> None:
    with frozen(NOW):
        auth.login()
        response = client.get("/study/progress")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    recall = call(app, history["user"], progress.average_retrievability, at(NOW))
    assert 0 < recall < 1
    assert f"over every card you have answered it is {round(recall * 100)}% now" in text
    assert "Learned: 0 of 4 (0%)" in text and "Recall of learned cards: none learned yet" in text
    assert "Streak: 3 days" in text
    assert "Reviews today: 2" in text
    assert "Due today: 3" in text
    assert "4 reviews on 3 days" in text
    assert "2 quizzes finished; latest 75%, best 75%" in text
    for state, count in (("New", 1), ("Learning", 3), ("Review", 0), ("Relearning", 0)):
        assert f"{state} {count}" in text

    # One dot per finished attempt; the heatmap counts in local days.
    assert html.count("<circle") == 2
    assert "<title>2026-03-04: 2 reviews</title>" in html
    assert "<title>2026-03-03: 1 review</title>" in html
    assert "<title>2026-03-02: 1 review</title>" in html
    assert "<title>2026-03-05: 0 reviews</title>" not in html  # the calendar ends today
    # The forecast's 14 bars start today, labelled by weekday and day.
    assert html.count('<rect class="bar"') == 14 + 4  # and four states
    assert "<title>Wed 4: 3</title>" in html and "<title>Tue 17: 0</title>" in html
    assert "style=" not in html


def test_progress_page_of_a_new_student(
    client: FlaskClient, auth: AuthActions, app: Flask, user_factory: Any
) -> None:
    make_student(user_factory, app, "alice")
    with frozen(NOW):
        auth.login()
        response = client.get("/study/progress")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "Recall of learned cards: none learned yet" in text
    assert "Streak: 0 days" in text
    assert "No quizzes finished yet" in text


def test_set_progress_page(
    app: Flask, client: FlaskClient, auth: AuthActions, history: dict[str, Any]
) -> None:
    with frozen(NOW):
        auth.login()
        response = client.get(f"/study/sets/{history['set']}/progress")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Mastery: Sahel basics" in text
    assert "Questions answered: 3 of 4" in text
    assert "Quizzes finished: 2" in text
    assert "Statement number 2 is true? — wrong 1 of 2 times" in text
    for attempt_id in history["attempts"]:
        assert f'href="/study/attempts/{attempt_id}/result"' in html
    assert "50%" in text and "75%" in text
    assert html.count("<circle") == 2
    assert html.count("<tr>") == 1 + 4 + 1 + 2  # mastery head + rows, attempts head + rows
    assert "style=" not in html


def test_another_students_set_is_404(
    app: Flask, client: FlaskClient, auth: AuthActions, user_factory: Any
) -> None:
    make_student(user_factory, app, "alice")
    bob = make_student(user_factory, app, "bob")
    private, _ = make_set(app, 2, title="Bob's notes", visibility="private", owner_id=bob)
    with frozen(NOW):
        auth.login()
        assert client.get(f"/study/sets/{private}/progress").status_code == 404
        assert client.get("/study/sets/9999/progress").status_code == 404
        auth.logout()
        auth.login("bob")
        assert client.get(f"/study/sets/{private}/progress").status_code == 200


@pytest.mark.parametrize("path", ["/study/progress", "/study/sets/1/progress"])
def test_anonymous_is_sent_to_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_progress_page_query_count_does_not_grow(app: Flask, user_factory: Any) -> None:
    few = make_student(user_factory, app, "alice")
    many = make_student(user_factory, app, "bob")
    set_id, questions = make_set(app, 30)
    for user_id, count in ((few, 3), (many, 30)):
        study_set(app, user_id, set_id)
        for index, question_id in enumerate(questions[:count]):
            answer(app, user_id, question_id, f"2026-02-{1 + index % 28:02d} 10:00")
        add_attempt(app, user_id, set_id, "2026-03-01 10:00", 0.5)
        add_attempt(app, user_id, set_id, "2026-03-02 10:00", 0.9)

    counts = {}
    for name in ("alice", "bob"):
        client = app.test_client()
        with frozen(NOW):
            AuthActions(client).login(name)
            counts[name] = (
                statements_for(app, client, "/study/progress"),
                statements_for(app, client, f"/study/sets/{set_id}/progress"),
            )
    assert counts["alice"] == counts["bob"]
    progress_count, set_count = counts["alice"]
    # Measured: user, held answers, cards, review times, attempts, new questions, the
    # student's classes (their due dates' forecast) (+ BEGIN on SQLite).
    assert progress_count <= 8
    # User, held answers, set, mastery (questions, cards and review counts in one), attempts.
    assert set_count <= 6
