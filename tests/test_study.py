"""Study mode through the app: queue order, FSRS state, idempotent and concurrent answers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from quiz.extensions import db
from quiz.models import Card, Review, User
from quiz.questions import Grade
from quiz.study.answers import Answer, StaleAnswer, card_state, record_answer, replay_card
from tests.conftest import AuthActions, count_rows, statements_for
from tests.study_helpers import (
    T0,
    answer_choices,
    answer_next,
    cards,
    choice_values,
    form_ids,
    load_set,
    reviews,
    study,
)

SID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def student(app: Flask, user_factory, auth: AuthActions) -> User:
    """A logged-in student studying the small set."""
    user = user_factory("sam")
    load_set(app)
    study(app, user.id)
    with time_machine.travel(T0, tick=False):
        auth.login("sam")
    return user


def test_review_sequence_matches_fsrs(app: Flask, client: FlaskClient, student: User) -> None:
    """Right, wrong, right through the views gives the states fsrs computes directly."""
    steps = [
        (T0, "Niamey", Rating.Good),
        (T0 + timedelta(hours=1), "Agadez", Rating.Again),
        (T0 + timedelta(days=2), "niamey", Rating.Good),
    ]
    for moment, text, _rating in steps:
        with time_machine.travel(moment, tick=False):
            _ids, response = answer_next(client, answer=text)
            assert response.status_code == 302
    [card] = cards(app)
    scheduler = Scheduler(desired_retention=0.9, enable_fuzzing=False)
    expected = FsrsCard(card_id=card.id, due=T0)
    for moment, _text, rating in steps:
        expected, _log = scheduler.review_card(expected, rating, moment)
    assert (card.state, card.step, card.due, card.last_review) == (
        expected.state.value,
        expected.step,
        expected.due,
        expected.last_review,
    )
    assert card.stability == pytest.approx(expected.stability)
    assert card.difficulty == pytest.approx(expected.difficulty)
    assert [r.rating for r in reviews(app)] == [3, 1, 3]
    assert [r.correct for r in reviews(app)] == [True, False, True]


def test_replay_equals_card_with_fuzzing(
    app: Flask, client: FlaskClient, student: User, auth: AuthActions
) -> None:
    """With fuzzing on, the stored card still equals the replay of its reviews."""
    app.config["SCHEDULER_FUZZING"] = True
    keys = load_set(app)
    for days in (0, 1, 4, 15, 50):
        with time_machine.travel(T0 + timedelta(days=days, minutes=days), tick=False):
            auth.login("sam")  # sessions last 14 days
            page = client.get("/study/next").get_data(as_text=True)
            ids = form_ids(page) or {
                "question_id": str(keys["austin"]),
                "submission_id": f"{days:032x}",
            }
            right = {
                "capital": "Niamey",
                "distance": "750 km",
                "alliance": "0",
                "austin": "good",
                "langley": "good",
            }
            key = next(k for k, v in keys.items() if str(v) == ids["question_id"])
            field = "rating" if key in ("austin", "langley") else "answer"
            response = client.post("/study/answer", data={**ids, field: right[key]})
            assert response.status_code == 302
    with app.app_context():
        for card in db.session.scalars(sa.select(Card)):
            replayed = replay_card(db.session, card, fuzzing=True)
            assert replayed == card_state(card)
            assert card.reps >= 1
    assert count_rows(app, Review) == 5


def test_feedback_page_shows_explanation_and_next_time(client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        _ids, response = answer_next(client, answer="Agadez")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Wrong" in page
    assert "Niamey is the capital" in page  # the explanation
    assert "Paragraph 8" in page or "paragraph 8" in page
    assert "in 1 minute" in page  # Again on a new card: the first learning step


def test_double_submit_is_recorded_once(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        ids, first = answer_next(client, answer="Niamey")
        second = client.post("/study/answer", data={**ids, "answer": "Agadez"})
    # Rated, the first went on to the next card; the repeat is shown what was recorded.
    assert first.headers["Location"] == "/study/next?last=1"
    assert second.headers["Location"] == "/study/reviews/1"
    assert count_rows(app, Review) == 1
    assert reviews(app)[0].correct is True  # the first answer stands


@pytest.mark.parametrize("version_checked", [True, False], ids=["stale", "unique"])
def test_a_repeated_submission_returns_the_first_review(
    app: Flask, student: User, version_checked: bool
) -> None:
    """record_answer reads no review before writing: a repeat is caught by its stale card
    version, or by the unique (user, submission) insert, and returns the first review."""
    question_id = load_set(app)["capital"]
    grade = Grade(correct=True, score=1.0, feedback="", answer="")
    with app.app_context():
        user = db.session.get(User, student.id)
        first, new = record_answer(
            db.session, user, Answer(question_id, "Niamey", grade), submission_id=SID, now=T0
        )
        assert new
        first_id, version = first.id, db.session.scalar(sa.select(Card.version))
        again, new = record_answer(
            db.session,
            user,
            Answer(question_id, "Agadez", grade),
            submission_id=SID,
            now=T0 + timedelta(seconds=5),
            expected_version=version - 1 if version_checked else None,
        )
        assert (again.id, new) == (first_id, False)
        card = db.session.scalar(sa.select(Card))
        assert (card.reps, card.version) == (1, version)  # the repeat changed nothing
    assert [r.response for r in reviews(app)] == ["Niamey"]


def test_a_stale_answer_without_a_review_is_refused(app: Flask, student: User) -> None:
    """A card that moved on under a new submission still raises StaleAnswer, writing nothing."""
    question_id = load_set(app)["capital"]
    grade = Grade(correct=True, score=1.0, feedback="", answer="")
    with app.app_context():
        user = db.session.get(User, student.id)
        record_answer(
            db.session, user, Answer(question_id, "Niamey", grade), submission_id=SID, now=T0
        )
        version = db.session.scalar(sa.select(Card.version))
        with pytest.raises(StaleAnswer):
            record_answer(
                db.session,
                user,
                Answer(question_id, "Agadez", grade),
                submission_id="f" * 32,
                now=T0 + timedelta(seconds=5),
                expected_version=version - 1,
            )
    assert count_rows(app, Review) == 1


def test_two_tabs_never_lose_a_review(app: Flask, client: FlaskClient, student: User) -> None:
    """The same card answered from two tabs: both answers are kept, the card is their replay."""
    with time_machine.travel(T0, tick=False):
        tab1 = form_ids(client.get("/study/next").get_data(as_text=True))
        tab2 = form_ids(client.get("/study/next").get_data(as_text=True))
    assert tab1["question_id"] == tab2["question_id"] and tab1 != tab2
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        assert client.post("/study/answer", data={**tab1, "answer": "Niamey"}).status_code == 302
    with time_machine.travel(T0 + timedelta(seconds=9), tick=False):
        assert client.post("/study/answer", data={**tab2, "answer": "Agadez"}).status_code == 302
    assert [r.rating for r in reviews(app)] == [3, 1]
    with app.app_context():
        card = db.session.scalar(sa.select(Card))
        assert replay_card(db.session, card, fuzzing=False) == card_state(card)
        assert card.reps == 2 and card.lapses == 1


def test_unjudgeable_answer_changes_nothing(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Niamey")  # the capital question is now in learning
        answer_next(client, **{"answer": "0"})  # alliance: one pick
        ids = form_ids(client.get("/study/next").get_data(as_text=True))
        assert ids["question_id"] == str(load_set(app)["distance"])
        response = client.post("/study/answer", data={**ids, "answer": "750 kg"})
    assert response.status_code == 422
    assert "kg" in response.get_data(as_text=True)
    assert 'value="750 kg"' in response.get_data(as_text=True)  # what was typed stays
    assert count_rows(app, Review) == 2


def test_due_reviews_come_before_new_most_overdue_first(
    app: Flask, client: FlaskClient, student: User
) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Niamey")
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        second, _ = answer_next(client, answer="2")  # alliance (new): partial -> Again, due +1 min
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        page = client.get("/study/next").get_data(as_text=True)
    # Both are due; the capital card has been due since T0+10 min, the alliance one since T0+2 min.
    assert form_ids(page)["question_id"] == second["question_id"]


def test_new_card_daily_limit(app: Flask, client: FlaskClient, student: User) -> None:
    with app.app_context():
        db.session.get(User, student.id).new_per_day = 2
        db.session.commit()
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Niamey")
        answer_next(client, answer="0")
        page = client.get("/study/next").get_data(as_text=True)
    assert "All done for now" in page and "limit of new questions" in page
    # A new day: the two due cards first, then two more new questions, then the limit again.
    keys = {str(v): k for k, v in load_set(app).items()}
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        for _ in range(4):
            page = client.get("/study/next").get_data(as_text=True)
            flip = re.search(r"/study/flip/(\d+)\?sid=([0-9a-f]{32})", page)
            if flip:  # the front of a flashcard: rate it as its flip page would
                data = {"question_id": flip[1], "submission_id": flip[2], "rating": "good"}
            else:
                ids = form_ids(page)
                key = keys[ids["question_id"]]
                answer = {"capital": "Niamey", "distance": "750 km"}.get(key)
                data = {**ids, "answer": answer or choice_values(page, "Mali")}
            assert client.post("/study/answer", data=data).status_code == 302
        assert "limit of new questions" in client.get("/study/next").get_data(as_text=True)
    assert len(reviews(app)) == 6
    assert len(cards(app)) == 4  # two new cards on each day


def test_flashcard_buttons_show_intervals_and_rate(
    app: Flask, client: FlaskClient, student: User
) -> None:
    with app.app_context():
        flash_id = db.session.scalar(sa.text("SELECT id FROM question WHERE key = 'austin'"))
    with time_machine.travel(T0, tick=False):
        front = client.get(f"/study/flip/{flash_id}?sid={SID}").get_data(as_text=True)
        assert "US Defense Secretary" in front
        for label in ("Again", "Hard", "Good", "Easy"):
            assert label in front
        assert "in 1 minute" in front and "in 10 minutes" in front
        response = client.post(
            "/study/answer",
            data={"question_id": flash_id, "submission_id": SID, "rating": "easy"},
        )
    assert response.status_code == 302
    assert [r.rating for r in reviews(app)] == [4]


def test_self_rating_only_changes_a_pass(app: Flask, client: FlaskClient, student: User) -> None:
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Agadez", self_rating="easy")  # wrong: Again, whatever was said
        answer_choices(client, "Mali", "Burkina Faso", "Niger", self_rating="easy")  # right, easy
    assert [r.rating for r in reviews(app)] == [int(Rating.Again), int(Rating.Easy)]


def test_desired_retention_is_used(app: Flask, client: FlaskClient, student: User) -> None:
    with app.app_context():
        db.session.get(User, student.id).desired_retention = 0.97
        db.session.commit()
    with time_machine.travel(T0, tick=False):
        answer_next(client, answer="Niamey")
    assert reviews(app)[0].desired_retention == 0.97


def test_settings_validate_retention(
    app: Flask, client: FlaskClient, student: User, auth: AuthActions
) -> None:
    auth.login("sam")  # at the real time: the fixture's session was made at T0
    bad = client.post(
        "/study/settings",
        data={"desired_retention": "0.99", "new_per_day": "20", "timezone": "UTC"},
    )
    assert bad.status_code == 200 and "0.7" in bad.get_data(as_text=True)
    good = client.post(
        "/study/settings",
        data={"desired_retention": "0.85", "new_per_day": "5", "timezone": "Africa/Niamey"},
    )
    assert good.status_code == 302
    with app.app_context():
        user = db.session.get(User, student.id)
        assert (user.desired_retention, user.new_per_day, user.timezone) == (
            0.85,
            5,
            "Africa/Niamey",
        )


def test_other_students_review_is_404(
    app: Flask, client: FlaskClient, student: User, user_factory
) -> None:
    with time_machine.travel(T0, tick=False):
        _ids, response = answer_next(client, answer="Agadez")  # wrong: its feedback page
    location = response.headers["Location"]
    assert location.startswith("/study/reviews/")
    user_factory("eve")
    other = app.test_client()
    AuthActions(other).login("eve")
    assert other.get(location).status_code == 404


def test_question_of_private_set_is_404(
    app: Flask, client: FlaskClient, student: User, auth: AuthActions
) -> None:
    auth.login("sam")
    with app.app_context():
        db.session.execute(sa.text("UPDATE question_set SET visibility = 'private'"))
        db.session.commit()
        qid = db.session.scalar(sa.text("SELECT id FROM question WHERE key = 'capital'"))
    response = client.post(
        "/study/answer", data={"question_id": qid, "submission_id": SID, "answer": "Niamey"}
    )
    assert response.status_code == 404
    assert count_rows(app, Review) == 0


def test_study_pages_cost_the_same_queries_with_more_cards(app: Flask, user_factory) -> None:
    """No query per card: a student with 30 cards costs what one with 3 does."""
    lines = ["slug: big", "title: Big", "questions:"]
    for n in range(40):
        lines += [
            f"  - id: q{n}",
            "    kind: true_false",
            f"    prompt: Statement {n}",
            "    answer: true",
            "    explanation: Because it is so.",
        ]
    load_set(app, "\n".join(lines) + "\n")
    counts = {}
    for name, answered in (("few", 3), ("many", 30)):
        user = user_factory(name)
        study(app, user.id, "big")
        with app.app_context():
            db.session.get(User, user.id).new_per_day = 100
            db.session.commit()
        client = app.test_client()
        AuthActions(client).login(name)
        for _ in range(answered):
            _ids, response = answer_next(client, answer="true")
        paths = ("/study/", "/study/next", "/study/progress", response.headers["Location"])
        counts[name] = [statements_for(app, client, path) for path in paths]
    assert counts["few"] == counts["many"], counts
    # 13: the feedback page also looks up the open quiz whose questions it must not show.
    assert max(counts["many"]) <= 13, counts
