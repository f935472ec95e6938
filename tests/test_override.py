"""The student's "I was right": the override, its replay, how it counts, and who may do what."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import fsrs
import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz import scheduling
from quiz.bank import question_columns
from quiz.extensions import db
from quiz.models import (
    Attempt,
    Card,
    Question,
    QuestionSet,
    Review,
    ReviewOverride,
    Role,
    StudiedSet,
)
from quiz.overrides.claims import overridden_rating
from quiz.questions import question_from_dict, question_to_dict
from quiz.study.answers import card_state, replay_card
from tests.conftest import AuthActions, count_rows, csrf_token, make_user
from tests.study_helpers import T0, choice_values, form_ids, post_answer

# A teacher's own set (no slug: bank sets are read-only), public so any student may study it.
QUESTIONS: dict[str, dict[str, Any]] = {
    "base": {
        "kind": "short_answer",
        "prompt": "Which air base in the capital did the US forces use?",
        "answers": ["Air Base 101"],
    },
    "capital": {
        "kind": "short_answer",
        "prompt": "Which city is Niger's capital?",
        "answers": ["Niamey"],
        "near_misses": ["Agadez"],
    },
    "cloze": {
        "kind": "cloze",
        "prompt": "Fill in the gaps.",
        "text": "The junta ordered {{US}} troops out; Russians arrived at {{Air Base 101}}.",
    },
    "distance": {
        "kind": "numeric",
        "prompt": "How far is Agadez from the capital?",
        "value": 750,
        "tolerance": 25,
        "unit": "km",
    },
    "choice": {
        "kind": "multiple_choice",
        "prompt": "Who ordered the US forces out?",
        "choices": [{"text": "The junta", "correct": True}, {"text": "The parliament"}],
    },
}


@dataclass(frozen=True)
class World:
    """Ids of the people, the set and its questions."""

    student: int
    other: int
    owner: int
    teacher: int
    admin: int
    set_id: int
    q: dict[str, int]


def make_set(app: Flask, owner_id: int, title: str = "Niger and the Sahel") -> tuple[int, dict]:
    """A public set owned by a teacher, built through the real question validation."""
    with app.app_context():
        qset = QuestionSet(owner_id=owner_id, title=title, visibility="public")
        db.session.add(qset)
        db.session.flush()
        ids = {}
        for position, (key, data) in enumerate(QUESTIONS.items()):
            full = {"explanation": "Paragraph 3 of the article.", **data}
            columns = question_columns(question_to_dict(question_from_dict(full)))
            question = Question(set_id=qset.id, key=key, position=position, **columns)
            db.session.add(question)
            db.session.flush()
            ids[key] = question.id
        db.session.commit()
        return qset.id, ids


def build_world(app: Flask) -> World:
    """Two students, the set's owner, another teacher and an admin; the student studies it."""
    users = {
        name: make_user(app, name, role=role).id
        for name, role in (
            ("sam", Role.STUDENT),
            ("olga", Role.STUDENT),
            ("tess", Role.TEACHER),
            ("tom", Role.TEACHER),
            ("ada", Role.ADMIN),
        )
    }
    set_id, ids = make_set(app, users["tess"])
    with app.app_context():
        db.session.add(StudiedSet(user_id=users["sam"], set_id=set_id, added_at=T0))
        db.session.commit()
    return World(
        users["sam"], users["olga"], users["tess"], users["tom"], users["ada"], set_id, ids
    )


@pytest.fixture(autouse=True)
def clock() -> Any:
    """Every test runs at T0 unless it moves the clock (sessions are dated by it too)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def login(client: FlaskClient, name: str) -> None:
    """Log in through the real form (logging out whoever was in)."""
    client.get("/")
    AuthActions(client).logout()
    assert AuthActions(client).login(name).status_code == 302


def answer(client: FlaskClient, question_id: int, **fields: Any) -> Any:
    """Answer one chosen question on its practice page (a right answer is rated Good)."""
    page = client.get(f"/study/questions/{question_id}").get_data(as_text=True)
    return post_answer(client, {**form_ids(page), **fields})


def last_review(app: Flask) -> Review:
    with app.app_context():
        review = db.session.scalar(sa.select(Review).order_by(Review.id.desc()).limit(1))
        db.session.expunge(review)
        return review


def review_row(app: Flask, review_id: int) -> dict[str, Any]:
    """Every column of a review, to see that nothing changed it."""
    with app.app_context():
        review = db.session.get(Review, review_id)
        return {c.name: getattr(review, c.key) for c in Review.__table__.columns}


def card_of(app: Flask, user_id: int, question_id: int) -> Card:
    with app.app_context():
        card = db.session.scalar(
            sa.select(Card).where(Card.user_id == user_id, Card.question_id == question_id)
        )
        db.session.expunge(card)
        return card


def override(client: FlaskClient, review_id: int, **data: Any) -> Any:
    return client.post(f"/study/reviews/{review_id}/override", data=data)


def by_hand(ratings: list[tuple[fsrs.Rating, Any]], card: Card) -> fsrs.Card:
    """The card replayed with the real fsrs scheduler directly, with the ratings given."""
    scheduler = fsrs.Scheduler(desired_retention=0.9, enable_fuzzing=False)
    state = fsrs.Card(card_id=card.id, due=card.created_at)
    for rating, at in ratings:
        state, _log = scheduler.review_card(state, rating, at)
    return state


def test_override_end_to_end_equals_the_replay(
    app: Flask, client: FlaskClient, world: World, clock: Any
) -> None:
    """Right, then wrong, then wrong again; the middle one overridden: card == replay."""
    login(client, "sam")
    base = world.q["base"]
    times = [T0, T0 + timedelta(days=1), T0 + timedelta(days=4)]
    for moment, text in zip(times, ["Air Base 101", "Tillia", "Tillia"], strict=True):
        clock.move_to(moment)
        answer(client, base, answer=text)
    with app.app_context():
        ids = db.session.scalars(sa.select(Review.id).order_by(Review.reviewed_at)).all()
    before = review_row(app, ids[1])
    original = card_of(app, world.student, base)
    assert (original.reps, original.lapses) == (3, 2)

    clock.move_to(T0 + timedelta(days=5))
    response = override(client, ids[1])
    assert response.status_code == 302
    assert response.headers["Location"] == f"/study/reviews/{ids[1]}"

    assert review_row(app, ids[1]) == before  # the original grade is kept
    card = card_of(app, world.student, base)
    with app.app_context():
        assert replay_card(db.session, card, fuzzing=False) == card_state(card)
        row = db.session.scalar(sa.select(ReviewOverride))
        assert (row.review_id, row.user_id, row.rating) == (ids[1], world.student, 3)
    good, again = fsrs.Rating.Good, fsrs.Rating.Again
    expected = by_hand([(good, times[0]), (good, times[1]), (again, times[2])], card)
    assert card.state == int(expected.state) and card.step == expected.step
    assert card.stability == pytest.approx(expected.stability)
    assert card.difficulty == pytest.approx(expected.difficulty)
    assert (card.due, card.last_review) == (expected.due, expected.last_review)
    assert (card.reps, card.lapses) == (3, 1)
    assert card.due != original.due or card.stability != original.stability

    page = client.get(f"/study/reviews/{ids[1]}").get_data(as_text=True)
    assert "Marked wrong; you said you were right." in page
    assert ">Wrong<" in page  # the verdict is still the original grade
    assert "I was right</button>" not in page

    clock.move_to(T0 + timedelta(days=9))  # the next review builds on the overridden card
    answer(client, base, answer="Air Base 101")
    card = card_of(app, world.student, base)
    with app.app_context():
        assert replay_card(db.session, card, fuzzing=False) == card_state(card)
    assert (card.reps, card.lapses) == (4, 1)


def test_second_click_changes_nothing(app: Flask, client: FlaskClient, world: World):
    login(client, "sam")
    answer(client, world.q["base"], answer="Tillia")
    review = last_review(app)
    page = client.get(f"/study/reviews/{review.id}").get_data(as_text=True)
    assert "I was right</button>" in page
    override(client, review.id)
    card = card_of(app, world.student, world.q["base"])
    again = override(client, review.id)
    assert again.status_code == 302
    assert count_rows(app, ReviewOverride) == 1
    assert card_of(app, world.student, world.q["base"]).version == card.version
    assert "already said you were right" in client.get(again.headers["Location"]).get_data(
        as_text=True
    )


def test_only_typed_answers_marked_wrong(app: Flask, client: FlaskClient, world: World):
    login(client, "sam")
    page = client.get(f"/study/questions/{world.q['choice']}").get_data(as_text=True)
    data = {**form_ids(page), "answer": choice_values(page, "The parliament")}
    post_answer(client, data)
    choice_review = last_review(app)
    answer(client, world.q["base"], answer="Air Base 101")  # right: rated Good
    right_review = last_review(app)
    for review in (choice_review, right_review):
        page = client.get(f"/study/reviews/{review.id}").get_data(as_text=True)
        assert "I was right</button>" not in page
        response = override(client, review.id)
        assert response.status_code == 302
    assert count_rows(app, ReviewOverride) == 0
    page = client.get(f"/study/reviews/{right_review.id}").get_data(as_text=True)
    assert "This answer was already marked right." in page
    assert not choice_review.correct


def test_numeric_and_cloze_can_be_overridden(app: Flask, client: FlaskClient, world: World):
    login(client, "sam")
    answer(client, world.q["distance"], answer="600 km")
    numeric = last_review(app)
    answer(client, world.q["cloze"], **{"gap-0": "American", "gap-1": "Air Base 101"})
    cloze = last_review(app)
    assert not numeric.correct and not cloze.correct and cloze.score == 0.5
    for review in (numeric, cloze):
        page = client.get(f"/study/reviews/{review.id}").get_data(as_text=True)
        assert "I was right</button>" in page
        override(client, review.id)
    assert count_rows(app, ReviewOverride) == 2
    page = client.get(f"/study/reviews/{cloze.id}").get_data(as_text=True)
    assert "Marked partly right; you said you were right." in page


def test_a_retired_question_still_takes_the_override(app: Flask, client: FlaskClient, world):
    login(client, "sam")
    answer(client, world.q["base"], answer="Tillia")
    review = last_review(app)
    with app.app_context():
        db.session.get(Question, world.q["base"]).retired = True
        db.session.commit()
    assert override(client, review.id).status_code == 302
    assert count_rows(app, ReviewOverride) == 1
    card = card_of(app, world.student, world.q["base"])
    with app.app_context():
        assert replay_card(db.session, card, fuzzing=False) == card_state(card)


@pytest.mark.parametrize("who", ["olga", "tess", "ada"])
def test_only_the_answers_student_may_override(app, client: FlaskClient, world: World, who):
    login(client, "sam")
    answer(client, world.q["base"], answer="Tillia")
    review = last_review(app)
    login(client, who)
    assert override(client, review.id).status_code == 404
    assert client.get(f"/study/reviews/{review.id}").status_code == 404
    assert override(client, 987654).status_code == 404
    AuthActions(client).logout()
    anonymous = override(client, review.id)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    assert count_rows(app, ReviewOverride) == 0


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_the_button_carries_csrf(app: Flask, client: FlaskClient, world: World):
    login(client, "sam")
    page = client.get(f"/study/questions/{world.q['base']}").get_data(as_text=True)
    data = {**form_ids(page), "answer": "Tillia", "csrf_token": csrf_token(page)}
    location = client.post("/study/answer", data=data).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    review = last_review(app)
    assert override(client, review.id).status_code == 400  # no token
    assert count_rows(app, ReviewOverride) == 0
    token = csrf_token(page[page.index('class="override') :])
    assert override(client, review.id, csrf_token=token).status_code == 302
    assert count_rows(app, ReviewOverride) == 1


# Counting in progress and in quizzes, as the set's owner says.


def set_counting(app: Flask, set_id: int, *, study: bool, quizzes: bool) -> None:
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        qset.overrides_count_in_study, qset.overrides_count_in_quizzes = study, quizzes
        db.session.commit()


def mastery_wrong(client: FlaskClient, set_id: int, question_id: int) -> str:
    """The "Wrong" cell of one question on the student's mastery page."""
    page = client.get(f"/study/sets/{set_id}/progress").get_data(as_text=True)
    table = page[page.index('class="data mastery"') :]
    row = table[table.index(f"/study/questions/{question_id}") :]
    row = row[: row.index("</tr>")]
    return row.split('<td class="num">')[3].split("<")[0]


def test_progress_counts_overrides_by_default(app: Flask, client: FlaskClient, world: World):
    login(client, "sam")
    answer(client, world.q["base"], answer="Tillia")
    assert mastery_wrong(client, world.set_id, world.q["base"]) == "1"
    override(client, last_review(app).id)
    assert mastery_wrong(client, world.set_id, world.q["base"]) == "0"
    set_counting(app, world.set_id, study=False, quizzes=False)
    assert mastery_wrong(client, world.set_id, world.q["base"]) == "1"
    page = client.get(f"/study/reviews/{last_review(app).id}").get_data(as_text=True)
    assert "your teacher counts the original grade in progress" in page


def take_quiz(app: Flask, client: FlaskClient, texts: dict[int, str]) -> int:
    """Start a one-page quiz on the set, answer the typed questions given, hand it in."""
    set_id = app.config["_override_set"]
    client.post(f"/study/sets/{set_id}/quiz", data={"layout": "one_page", "time_limit_min": "0"})
    with app.app_context():
        attempt_id = db.session.scalar(sa.select(sa.func.max(Attempt.id)))
    data = {f"q{qid}-answer": text for qid, text in texts.items()}
    assert client.post(f"/study/attempts/{attempt_id}/answer", data=data).status_code == 302
    return attempt_id


def result_score(client: FlaskClient, attempt_id: int) -> str:
    page = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    return page.split("Score <strong>")[1].split("</strong>")[0]


def test_no_override_inside_a_running_quiz(app: Flask, client: FlaskClient, world: World):
    login(client, "sam")
    client.post(f"/study/sets/{world.set_id}/quiz", data={"layout": "paged", "time_limit_min": 0})
    base = world.q["base"]
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        # The short answer first, so that it is the question the paged quiz takes now.
        attempt.question_order = [base] + [q for q in attempt.question_order if q != base]
        db.session.commit()
        attempt_id = attempt.id
    data = {"question_id": base, "answer": "Tillia"}
    assert client.post(f"/study/attempts/{attempt_id}/answer", data=data).status_code == 302
    # A paged quiz keeps its answers, changeable, until it is handed in: no review exists yet,
    # so there is nothing to say "I was right" about while the quiz runs.
    with app.app_context():
        kept = sa.select(sa.func.count()).where(Review.attempt_id == attempt_id)
        assert db.session.scalar(kept) == 0
    page = client.get(f"/study/attempts/{attempt_id}?n=1").get_data(as_text=True)
    assert "I was right" not in page
    client.post(f"/study/attempts/{attempt_id}/finish")
    review = last_review(app)
    assert review.attempt_id == attempt_id and not review.correct
    override(client, review.id)
    assert count_rows(app, ReviewOverride) == 1  # handed in: now it can be overridden


def test_quiz_score_follows_the_setting(app: Flask, client: FlaskClient, world: World):
    app.config["_override_set"] = world.set_id
    login(client, "sam")
    attempt_id = take_quiz(
        app, client, {world.q["base"]: "Air Base 101", world.q["capital"]: "Tillia"}
    )
    # 5 questions (flashcards aside): one right, the others wrong or blank.
    assert result_score(client, attempt_id) == "20%"
    page = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    assert page.count("I was right</button>") == 1  # the capital; blanks are no reviews
    with app.app_context():
        review_id = db.session.scalar(
            sa.select(Review.id).where(
                Review.attempt_id == attempt_id, Review.question_id == world.q["capital"]
            )
        )
    response = override(client, review_id, back="result")
    assert response.headers["Location"] == (
        f"/study/attempts/{attempt_id}/result#q{world.q['capital']}"
    )
    assert result_score(client, attempt_id) == "20%"  # default: quizzes keep the grade
    page = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "your teacher keeps the original grades in this score" in page
    assert "Marked wrong; you said you were right." in page
    progress = client.get("/study/progress").get_data(as_text=True)
    set_counting(app, world.set_id, study=True, quizzes=True)
    assert result_score(client, attempt_id) == "40%"
    page = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "(graded 20%)" in page
    start = client.get(f"/study/sets/{world.set_id}/quiz").get_data(as_text=True)
    assert ">40%</a>" in start
    mastery = client.get(f"/study/sets/{world.set_id}/progress").get_data(as_text=True)
    assert ">40%<" in mastery
    assert progress != client.get("/study/progress").get_data(as_text=True)  # the chart moved


def test_racing_clicks_make_one_override(app: Flask, world: World) -> None:
    """Four tabs of the student press "I was right" at once: one override, card == replay."""
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        login(client, "sam")
    answer(clients[0], world.q["base"], answer="Tillia")
    review = last_review(app)
    start = threading.Barrier(len(clients))

    def click(client: FlaskClient) -> int:
        start.wait()
        return override(client, review.id).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(pool.map(click, clients))
    assert codes == [302] * len(clients)
    assert count_rows(app, ReviewOverride) == 1
    card = card_of(app, world.student, world.q["base"])
    with app.app_context():
        assert replay_card(db.session, card, fuzzing=False) == card_state(card)
    assert (card.reps, card.lapses) == (1, 0)


@pytest.mark.parametrize(
    ("rating", "counted"),
    [
        (fsrs.Rating.Again, fsrs.Rating.Good),
        (fsrs.Rating.Hard, fsrs.Rating.Hard),
        (fsrs.Rating.Easy, fsrs.Rating.Easy),
    ],
)
def test_the_rating_an_override_counts_as(rating: fsrs.Rating, counted: fsrs.Rating) -> None:
    """A lapse becomes Good; a partly right pass keeps the rating the student gave it."""
    assert overridden_rating(Review(rating=int(rating))) == counted
    assert scheduling.rating_for(1.0) == fsrs.Rating.Good
