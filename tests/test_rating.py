"""After a right answer the student says Hard, Good or Easy; the answer is never lost meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from fsrs import Rating

from quiz.extensions import db
from quiz.models import Attempt, PendingAnswer, Question, Review, User
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import T0, add_overdue_cards, form_ids, load_set, reviews, study


@pytest.fixture
def student(app: Flask, user_factory, client: FlaskClient) -> User:
    user = user_factory("sam")
    load_set(app)
    study(app, user.id)
    return user


def answer_capital(client: FlaskClient, text: str) -> object:
    """Open the first question (the capital) and answer it."""
    ids = form_ids(client.get("/study/next").get_data(as_text=True))
    return client.post("/study/answer", data={**ids, "answer": text})


def test_right_answer_asks_how_it_felt(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        response = answer_capital(client, "Niamey")
        rate_page = response.headers["Location"]
        assert rate_page.startswith("/study/answers/")
        assert count_rows(app, Review) == 0 and count_rows(app, PendingAnswer) == 1
        page = client.get(rate_page).get_data(as_text=True)
        assert "Right" in page and "Niamey is the capital" in page  # verdict and explanation
        for label, interval in (
            ("Hard", "in 6 minutes"),
            ("Good", "in 10 minutes"),
            ("Easy", "in 8 days"),
        ):
            assert label in page and interval in page, (label, interval)
        done = client.post(rate_page, data={"rating": "easy"})
        again = client.post(rate_page, data={"rating": "hard"})  # a double click
    # Rated: straight on to the next card, the answer summed up in one line above it.
    assert done.headers["Location"].startswith("/study/next?last=")
    assert again.headers["Location"] == done.headers["Location"]
    assert [r.rating for r in reviews(app)] == [int(Rating.Easy)]
    assert count_rows(app, PendingAnswer) == 0


def test_wrong_answer_is_a_lapse_at_once(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        response = answer_capital(client, "Agadez")
    assert response.headers["Location"].startswith("/study/reviews/")
    assert [r.rating for r in reviews(app)] == [int(Rating.Again)]


def test_leaving_the_rating_page_counts_as_good(
    app: Flask, client: FlaskClient, student: User
) -> None:
    """Pages only read; the next answer first rates the held one Good, dated when it was given."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        rate_page = answer_capital(client, "Niamey").headers["Location"]
        assert client.get("/study/progress").status_code == 200
        assert (count_rows(app, PendingAnswer), count_rows(app, Review)) == (1, 0)  # no write
        ids = form_ids(client.get("/study/next").get_data(as_text=True))
        assert ids["question_id"] != str(load_set(app)["capital"])  # the held one is not due
    with time_machine.travel(T0 + timedelta(minutes=3), tick=False):
        client.post("/study/answer", data={**ids, "answer": "0"})
        assert client.get(rate_page).headers["Location"].startswith("/study/reviews/")
    first, second = reviews(app)
    assert (first.rating, first.reviewed_at) == (int(Rating.Good), T0)
    assert second.reviewed_at == T0 + timedelta(minutes=3)
    assert count_rows(app, PendingAnswer) == 0


def test_double_click_on_a_right_answer_still_asks(
    app: Flask, client: FlaskClient, student: User
) -> None:
    AuthActions(client).login("sam")
    ids = form_ids(client.get("/study/next").get_data(as_text=True))
    first = client.post("/study/answer", data={**ids, "answer": "Niamey"})
    second = client.post("/study/answer", data={**ids, "answer": "Niamey"})
    assert second.headers["Location"] == first.headers["Location"]
    client.post(first.headers["Location"], data={"rating": "easy"})
    assert [r.rating for r in reviews(app)] == [int(Rating.Easy)]


@pytest.mark.parametrize("rating", ["again", "", "superb"])
def test_rating_page_takes_only_hard_good_easy(
    app: Flask, client: FlaskClient, student: User, rating: str
) -> None:
    AuthActions(client).login("sam")
    rate_page = answer_capital(client, "Niamey").headers["Location"]
    assert client.post(rate_page, data={"rating": rating}).status_code == 400
    assert count_rows(app, Review) == 0


def test_another_students_rating_page_is_404(
    app: Flask, client: FlaskClient, student: User, user_factory
) -> None:
    AuthActions(client).login("sam")
    rate_page = answer_capital(client, "Niamey").headers["Location"]
    user_factory("eve")
    other = app.test_client()
    AuthActions(other).login("eve")
    assert other.get(rate_page).status_code == 404
    assert other.post(rate_page, data={"rating": "easy"}).status_code == 404
    assert count_rows(app, Review) == 0


def test_rating_page_shows_how_many_are_due(app: Flask, client: FlaskClient, student: User) -> None:
    """The header counts the due cards as every study page does (queue.due_count)."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        rate_page = answer_capital(client, "Niamey").headers["Location"]
        assert "0 due" in client.get(rate_page).get_data(as_text=True)
        others = [qid for key, qid in load_set(app).items() if key != "capital"]
        add_overdue_cards(app, student.id, others[:2], T0)
        page = client.get(rate_page).get_data(as_text=True)
    assert '<p class="muted">2 due</p>' in page


def test_rating_page_leaves_out_what_an_open_quiz_holds(
    app: Flask, client: FlaskClient, student: User
) -> None:
    """The page reads its due count in its one statement, with the questions of an open quiz
    attempt left out as on the other study pages."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        rate_page = answer_capital(client, "Niamey").headers["Location"]
        others = [qid for key, qid in load_set(app).items() if key != "capital"]
        add_overdue_cards(app, student.id, others[:3], T0)
        with app.app_context():
            set_id = db.session.get(Question, others[0]).set_id
            db.session.add(
                Attempt(user_id=student.id, set_id=set_id, question_order=others[:2], seed=1)
            )
            db.session.commit()
        page = client.get(rate_page).get_data(as_text=True)
    assert '<p class="muted">1 due</p>' in page


def test_rating_page_answers_head_as_get(app: Flask, client: FlaskClient, student: User) -> None:
    """HEAD reads what GET reads (the card and the due count), so it answers as GET does."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        rate_page = answer_capital(client, "Niamey").headers["Location"]
        head = client.head(rate_page)
        get = client.get(rate_page)
    assert head.status_code == get.status_code == 200
    assert count_rows(app, PendingAnswer) == 1 and count_rows(app, Review) == 0


def test_back_and_answer_again_while_held_is_told(
    app: Flask, client: FlaskClient, student: User
) -> None:
    """Issue 20: Back to a right answer waiting for its rating, then another answer: the rating
    page says the first answer is kept and the new one was not recorded (a double click of
    the same answer says nothing)."""
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        ids = form_ids(client.get("/study/next").get_data(as_text=True))
        first = client.post("/study/answer", data={**ids, "answer": "Niamey"})
        rate_page = first.headers["Location"]
        double = client.post("/study/answer", data={**ids, "answer": "Niamey"})
        assert double.headers["Location"] == rate_page
        page = client.get(rate_page).get_data(as_text=True)
        assert "Your new answer was not recorded" not in page
        back = client.post("/study/answer", data={**ids, "answer": "Agadez"})  # after Back
        assert back.headers["Location"] == rate_page
        page = client.get(rate_page).get_data(as_text=True)
        assert "that first answer is kept" in page and "Your new answer was not recorded" in page
        assert count_rows(app, PendingAnswer) == 1 and count_rows(app, Review) == 0
        with app.app_context():
            held = db.session.query(PendingAnswer).one()
            assert held.correct
