"""The teacher's side of overrides: the list, the counting settings, "accept this answer"."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question, QuestionSet, Review, ReviewOverride, User
from quiz.overrides.claims import override_review
from quiz.questions import Grade
from quiz.study.answers import Answer, record_answer
from tests.conftest import AuthActions, csrf_token, statements_for
from tests.study_helpers import T0
from tests.test_override import World, answer, build_world, last_review, login, make_set, override

LIST = "/teach/overrides"


@pytest.fixture(autouse=True)
def clock() -> Any:
    import time_machine

    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def overridden(client: FlaskClient, app: Flask, question_id: int, **fields: Any) -> int:
    """Sam answers a question, is marked wrong, and says he was right; the override's id."""
    login(client, "sam")
    answer(client, question_id, **fields)
    review = last_review(app)
    assert not review.correct
    assert override(client, review.id).status_code == 302
    with app.app_context():
        return db.session.scalar(
            sa.select(ReviewOverride.id).where(ReviewOverride.review_id == review.id)
        )


def spec_of(app: Flask, question_id: int) -> dict[str, Any]:
    with app.app_context():
        return dict(db.session.get(Question, question_id).spec)


def accept(client: FlaskClient, override_id: int, **query: Any) -> Any:
    return client.post(f"/teach/overrides/{override_id}/accept", query_string=query)


def flashed(client: FlaskClient, response: Any) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


# Access, role by role, for every new teacher route.


def test_access_to_the_teacher_pages(app: Flask, client: FlaskClient, world: World) -> None:
    override_id = overridden(client, app, world.q["base"], answer="Tillia")
    set_page = f"/teach/sets/{world.set_id}/overrides"
    AuthActions(client).logout()
    for path in (LIST, set_page):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = accept(client, override_id)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]

    for student in ("sam", "olga"):  # the answer's student is no teacher either
        login(client, student)
        assert client.get(LIST).status_code == 403
        assert client.get(set_page).status_code == 403
        assert client.post(set_page, data={"count_in_study": "y"}).status_code == 403
        assert accept(client, override_id).status_code == 403

    login(client, "tom")  # a teacher, not the owner
    page = client.get(LIST).get_data(as_text=True)
    assert "Tillia" not in page and "No student has overridden" in page
    assert client.get(set_page).status_code == 404
    assert client.post(set_page, data={"count_in_quizzes": "y"}).status_code == 404
    assert accept(client, override_id).status_code == 404
    assert accept(client, 987654).status_code == 404
    assert "Tillia" not in spec_of(app, world.q["base"])["answers"]
    with app.app_context():
        assert db.session.get(QuestionSet, world.set_id).overrides_count_in_quizzes is False

    for teacher in ("tess", "ada"):  # the owner, and an admin
        login(client, teacher)
        page = client.get(LIST).get_data(as_text=True)
        assert "Tillia" in page and "sam" in page and "Accept this answer" in page
        assert "Which air base in the capital" in page and "2026-03-02" in page
        assert client.get(set_page).status_code == 200


def test_a_teacher_sees_only_their_own_sets(app: Flask, client: FlaskClient, world: World):
    other_set, other_ids = make_set(app, world.teacher, title="Tom's set")
    mine = overridden(client, app, world.q["base"], answer="Tillia")
    theirs = overridden(client, app, other_ids["base"], answer="Ouallam")
    login(client, "tess")
    page = client.get(LIST).get_data(as_text=True)
    assert "Tillia" in page and "Ouallam" not in page
    assert accept(client, theirs).status_code == 404
    login(client, "tom")
    page = client.get(LIST).get_data(as_text=True)
    assert "Ouallam" in page and "Tillia" not in page
    assert client.get(f"/teach/sets/{world.set_id}/overrides").status_code == 404
    assert accept(client, mine).status_code == 404
    login(client, "ada")
    page = client.get(LIST).get_data(as_text=True)
    assert "Ouallam" in page and "Tillia" in page
    assert other_set != world.set_id


# The counting settings.


def test_the_owner_changes_the_counting_settings(app: Flask, client: FlaskClient, world):
    set_page = f"/teach/sets/{world.set_id}/overrides"
    login(client, "tess")
    page = client.get(set_page).get_data(as_text=True)
    assert '<input checked id="count_in_study"' in page  # the defaults: study yes,
    assert '<input id="count_in_quizzes"' in page  # scored quizzes no
    response = client.post(set_page, data={"count_in_quizzes": "y"})
    assert response.status_code == 302
    assert "Saved" in flashed(client, response)
    with app.app_context():
        qset = db.session.get(QuestionSet, world.set_id)
        assert (qset.overrides_count_in_study, qset.overrides_count_in_quizzes) == (False, True)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_teacher_forms_carry_csrf(app: Flask, client: FlaskClient, world: World) -> None:
    set_page = f"/teach/sets/{world.set_id}/overrides"
    with app.app_context():  # the override itself, made directly (its route is tested apart)
        review_id = record_wrong(app, world, "Tillia")
        override_id = override_review(db.session, world.student, review_id, fuzzing=False)[0].id
    login(client, "tess")
    page = client.get(set_page).get_data(as_text=True)
    assert client.post(set_page, data={"count_in_quizzes": "y"}).status_code == 400
    assert accept(client, override_id).status_code == 400
    assert "Tillia" not in spec_of(app, world.q["base"])["answers"]
    token = csrf_token(page)
    response = client.post(
        f"/teach/overrides/{override_id}/accept",
        query_string={"set": world.set_id},
        data={"csrf_token": token},
    )
    assert response.status_code == 302 and response.headers["Location"] == set_page
    assert "Tillia" in spec_of(app, world.q["base"])["answers"]
    response = client.post(set_page, data={"count_in_study": "y", "csrf_token": token})
    assert response.status_code == 302


# Accepting the answer.


def test_accepting_a_short_answer(app: Flask, client: FlaskClient, world: World) -> None:
    override_id = overridden(client, app, world.q["base"], answer="Tillia")
    login(client, "tess")
    response = accept(client, override_id)
    assert response.headers["Location"] == LIST
    assert "grades right for everyone" in flashed(client, response)
    spec = spec_of(app, world.q["base"])
    assert spec["answers"] == ["Air Base 101", "Tillia"]
    page = client.get(LIST).get_data(as_text=True)
    assert "Added 2026-03-02" in page and "Accept this answer" not in page
    again = accept(client, override_id)
    assert "already added; nothing changed" in flashed(client, again)
    assert spec_of(app, world.q["base"]) == spec
    login(client, "olga")  # another student now gets it right
    response = answer(client, world.q["base"], answer="tillia")
    with app.app_context():
        assert db.session.scalar(sa.select(Review).order_by(Review.id.desc())).correct


def test_a_near_miss_is_not_added(app: Flask, client: FlaskClient, world: World) -> None:
    override_id = overridden(client, app, world.q["capital"], answer="Agadez")
    before = spec_of(app, world.q["capital"])
    login(client, "tess")
    page = flashed(client, accept(client, override_id))
    assert "Not added: near_misses[0]: &#39;Agadez&#39; is also an accepted answer." in page
    assert spec_of(app, world.q["capital"]) == before
    with app.app_context():
        assert db.session.get(ReviewOverride, override_id).accepted_at is None


def test_accepting_a_cloze_adds_to_the_wrong_gap(app: Flask, client: FlaskClient, world):
    override_id = overridden(
        client, app, world.q["cloze"], **{"gap-0": "American", "gap-1": "Air Base 101"}
    )
    login(client, "tess")
    assert "grades right" in flashed(client, accept(client, override_id))
    assert spec_of(app, world.q["cloze"])["text"] == (
        "The junta ordered {{US|American}} troops out; Russians arrived at {{Air Base 101}}."
    )
    login(client, "olga")
    answer(client, world.q["cloze"], **{"gap-0": "American", "gap-1": "Air Base 101"})
    with app.app_context():
        assert db.session.scalar(sa.select(Review).order_by(Review.id.desc())).score == 1.0


def test_a_cloze_gap_with_gap_syntax_is_refused(app: Flask, client: FlaskClient, world):
    override_id = overridden(
        client, app, world.q["cloze"], **{"gap-0": "US|UK", "gap-1": "Air Base 101"}
    )
    before = spec_of(app, world.q["cloze"])
    login(client, "tess")
    assert "cannot contain | or braces" in flashed(client, accept(client, override_id))
    assert spec_of(app, world.q["cloze"]) == before


def test_a_numeric_answer_is_explained_not_added(app: Flask, client: FlaskClient, world):
    override_id = overridden(client, app, world.q["distance"], answer="600 km")
    before = spec_of(app, world.q["distance"])
    login(client, "tess")
    page = client.get(LIST).get_data(as_text=True)
    assert "Accept this answer" not in page and "widen it in the question" in page
    assert "widen it in the question" in flashed(client, accept(client, override_id))
    assert spec_of(app, world.q["distance"]) == before


def test_a_retired_question_is_not_changed(app: Flask, client: FlaskClient, world) -> None:
    override_id = overridden(client, app, world.q["base"], answer="Tillia")
    with app.app_context():
        db.session.get(Question, world.q["base"]).retired = True
        db.session.commit()
    login(client, "tess")
    assert "has been retired" in flashed(client, accept(client, override_id))
    assert "Tillia" not in spec_of(app, world.q["base"])["answers"]


# Statement counts at two sizes.


def record_wrong(app: Flask, world: World, text: str, minutes: int = 0) -> int:
    """A wrong short answer by Sam recorded directly; the review id."""
    with app.app_context():
        user = db.session.get(User, world.student)
        review, _new = record_answer(
            db.session,
            user,
            Answer(world.q["base"], text, Grade(False, 0.0, "", "")),
            submission_id=f"{minutes:032x}",
            now=T0 + timedelta(minutes=minutes),
            fuzzing=False,
        )
        return review.id


def add_overrides(app: Flask, world: World, count: int, start: int) -> None:
    with app.app_context():
        for minutes in range(start, start + count):
            review_id = record_wrong(app, world, f"Place {minutes}", minutes)
            override_review(db.session, world.student, review_id, fuzzing=False)


def test_statement_counts_do_not_grow_with_overrides(app: Flask, client, world) -> None:
    add_overrides(app, world, 3, 0)
    login(client, "tess")
    paths = (LIST, f"/teach/sets/{world.set_id}/overrides")
    small = [statements_for(app, client, path) for path in paths]
    assert "Place 2" in client.get(LIST).get_data(as_text=True)
    add_overrides(app, world, 27, 3)
    large = [statements_for(app, client, path) for path in paths]
    assert "Place 29" in client.get(LIST).get_data(as_text=True)
    assert large == small, (small, large)


def test_racing_accepts_lose_no_answer(app: Flask, world: World) -> None:
    """Two answers to one question accepted at once, each double-clicked: both are kept once."""
    with app.app_context():
        ids = []
        for minutes, text in enumerate(["Tillia", "Ouallam"]):
            review_id = record_wrong(app, world, text, minutes)
            ids.append(override_review(db.session, world.student, review_id, fuzzing=False)[0].id)
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        login(client, "tess")
    start = threading.Barrier(len(clients))

    def click(job: tuple[FlaskClient, int]) -> int:
        start.wait()
        return accept(*job).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(pool.map(click, zip(clients, ids * 2, strict=True)))
    assert codes == [302] * len(clients)
    answers = spec_of(app, world.q["base"])["answers"]
    assert sorted(answers) == ["Air Base 101", "Ouallam", "Tillia"]
