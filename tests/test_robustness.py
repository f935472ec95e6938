"""Bad URLs and forms get clear 4xx pages, bursts of writes no 500, and every POST needs CSRF."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question, QuestionSet, Review, StudiedSet
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import load_set, set_id, study

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/study/questions/{HUGE}"),
        ("get", "/study/questions/3000000000"),
        ("get", f"/study/flip/{HUGE}"),
        ("get", f"/study/reviews/{HUGE}"),
        ("get", f"/study/attempts/{HUGE}"),
        ("get", f"/study/attempts/{HUGE}/result"),
        ("get", f"/study/sets/{HUGE}/progress"),
        ("get", f"/study/sets/{HUGE}/quiz"),
        ("post", f"/study/sets/{HUGE}/study"),
        ("post", f"/study/attempts/{HUGE}/answer"),
        ("post", f"/auth/admin/users/{HUGE}/role"),
    ],
)
def test_ids_out_of_range_are_404(
    client: FlaskClient, user_factory, method: str, path: str
) -> None:
    user_factory("root", role="admin")
    AuthActions(client).login("root")
    assert getattr(client, method)(path).status_code == 404


@pytest.mark.parametrize("question_id", [HUGE, "3000000000", "-1", "0", "1e3", "", "１"])
def test_bad_posted_question_id_is_400(client: FlaskClient, user_factory, question_id: str) -> None:
    user_factory("sam")
    AuthActions(client).login("sam")
    data = {"question_id": question_id, "submission_id": "0" * 32, "answer": "x"}
    assert client.post("/study/answer", data=data).status_code == 400


@pytest.mark.parametrize("submission_id", ["", "a1q1", "x" * 32, "0" * 31, "0" * 33, "ABCDEF" * 6])
def test_study_submission_ids_have_one_shape(
    app: Flask, client: FlaskClient, user_factory, submission_id: str
) -> None:
    """Quiz reviews use a1q1-style ids: a study form can never take one of them."""
    keys = load_set(app)
    user_factory("sam")
    AuthActions(client).login("sam")
    data = {"question_id": keys["capital"], "submission_id": submission_id, "answer": "Niamey"}
    assert client.post("/study/answer", data=data).status_code == 400
    assert count_rows(app, Review) == 0


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-inf", "0.5", "abc"])
def test_retention_must_be_a_finite_number_in_range(
    client: FlaskClient, user_factory, value: str
) -> None:
    user_factory("sam")
    AuthActions(client).login("sam")
    data = {"desired_retention": value, "new_per_day": "20", "timezone": "UTC"}
    response = client.post("/study/settings", data=data)
    assert response.status_code == 200  # the form again, with its error
    assert "error" in response.get_data(as_text=True)


def test_retired_question_says_so_and_a_repeat_still_gets_its_result(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    keys = load_set(app)
    user = user_factory("sam")
    study(app, user.id)
    AuthActions(client).login("sam")
    data = {"question_id": keys["capital"], "submission_id": "1" * 32, "answer": "Niamey"}
    first = client.post("/study/answer", data=data)
    with app.app_context():
        db.session.get(Question, keys["capital"]).retired = True
        db.session.commit()
    # The repeat leads back to the held answer's rating page, which still works.
    assert client.post("/study/answer", data=data).headers["Location"] == first.headers["Location"]
    assert client.get(first.headers["Location"]).status_code == 200
    fresh = {**data, "submission_id": "2" * 32}
    response = client.post("/study/answer", data=fresh)
    assert response.status_code == 404
    assert "no longer in any set" in response.get_data(as_text=True)


def test_queue_skips_sets_the_student_can_no_longer_see(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    load_set(app)
    user = user_factory("sam")
    study(app, user.id)
    AuthActions(client).login("sam")
    assert 'name="submission_id"' in client.get("/study/next").get_data(as_text=True)
    with app.app_context():
        db.session.get(QuestionSet, set_id(app)).visibility = "private"
        db.session.commit()
    page = client.get("/study/next").get_data(as_text=True)
    assert "All done for now" in page and 'name="submission_id"' not in page


def test_study_this_set_is_idempotent(app: Flask, client: FlaskClient, user_factory) -> None:
    load_set(app)
    user_factory("sam")
    AuthActions(client).login("sam")
    target = f"/study/sets/{set_id(app)}/study"
    for action, rows in (("add", 1), ("add", 1), ("remove", 0), ("remove", 0), ("bogus", 0)):
        response = client.post(target, data={"action": action})
        assert response.status_code == (400 if action == "bogus" else 302)
        assert count_rows(app, StudiedSet) == rows


def test_a_burst_of_writes_never_fails(app: Flask, user_factory) -> None:
    """Twelve students click "Study this set" at once (SQLite: BEGIN IMMEDIATE for every POST)."""
    load_set(app)
    clients = []
    for n in range(12):
        user_factory(f"s{n}")
        client = app.test_client()
        AuthActions(client).login(f"s{n}")
        clients.append(client)
    target = f"/study/sets/{set_id(app)}/study"
    start = threading.Barrier(len(clients))

    def click(client: FlaskClient) -> int:
        start.wait()
        return client.post(target, data={"action": "add"}).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(pool.map(click, clients))
    assert codes == [302] * len(clients)
    assert count_rows(app, StudiedSet) == len(clients)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_every_post_route_needs_the_csrf_token(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    """Walk the URL map: each POST without a token is refused with 400 and changes nothing."""
    keys = load_set(app)
    user_factory("root", role="admin")
    AuthActions(client).login("root")
    values = {"set_id": set_id(app), "attempt_id": 1, "user_id": 1, "question_id": keys["capital"]}
    values.update(review_id=1, override_id=1)  # the student's "I was right" and its acceptance
    values.update(class_id=1, assignment_id=1)  # classes and their assignments
    values.update(link_id=1)  # a set's picture or sound
    values.update(game_id=1)  # a live game
    values.update(platform_id=1, context_id=1)  # LTI: a registered LMS, one of its courses
    with app.app_context():
        before = {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in QuestionSet.metadata.sorted_tables
        }
    checked = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value))
        assert "<int:" not in path, f"no value for a part of {rule.rule}: add it above"
        response = client.post(path, data={"action": "add", "answer": "Niamey"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        checked.append(rule.rule)
    with app.app_context():
        after = {
            t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
            for t in QuestionSet.metadata.sorted_tables
        }
    assert before == after
    assert len(checked) >= 9, checked
