"""A student's data: download it all, delete the account; an admin deactivates accounts."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Attempt, Card, Review, User
from tests.conftest import PASSWORD, AuthActions, count_rows
from tests.study_helpers import load_set, study
from tests.test_quiz_mode import start


@pytest.fixture
def sam(app: Flask, client: FlaskClient, user_factory: Any) -> User:
    """A student with reviews, a card and an attempt; logged in. Bob has a review too."""
    keys = load_set(app)
    sam, bob = user_factory("sam"), user_factory("bob")
    for user in (sam, bob):
        study(app, user.id)
        tab = app.test_client()
        AuthActions(tab).login(user.username)
        data = {"question_id": keys["capital"], "submission_id": "e" * 32, "answer": "Agadez"}
        assert tab.post("/study/answer", data=data).status_code == 302
    AuthActions(client).login("sam")
    start(client, app)
    return sam


def test_download_all_my_data(app: Flask, client: FlaskClient, sam: User) -> None:
    response = client.get("/auth/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["username"] == "sam"
    assert "password_hash" not in json.dumps(data) and "session_token" not in json.dumps(data)
    assert len(data["reviews"]) == 1 and data["reviews"][0]["response"] == "Agadez"
    assert len(data["cards"]) == 1 and len(data["attempts"]) == 1
    assert data["attempts"][0]["questions"]


def delete(client: FlaskClient, password: str = PASSWORD) -> Any:
    return client.post("/auth/account/delete", data={"password": password, "confirm": "DELETE"})


@pytest.mark.config(ACCOUNT_DELETION_REVIEWS="delete")
def test_delete_my_account_removes_my_reviews(app: Flask, client: FlaskClient, sam: User) -> None:
    assert delete(client, "wrong password").status_code == 200
    assert count_rows(app, User) == 2
    response = delete(client)
    assert response.status_code == 302
    assert count_rows(app, User) == 1 and count_rows(app, Review) == 1  # bob's stays
    assert count_rows(app, Card) == 1 and count_rows(app, Attempt) == 0
    assert client.get("/study/").status_code == 302
    assert AuthActions(app.test_client()).login("sam").status_code == 200


@pytest.mark.config(ACCOUNT_DELETION_REVIEWS="anonymize")
def test_delete_my_account_anonymizes_my_reviews(
    app: Flask, client: FlaskClient, sam: User
) -> None:
    assert delete(client).status_code == 302
    assert count_rows(app, Review) == 2  # the answers stay for the question statistics
    with app.app_context():
        ghost = db.session.get(User, sam.id)
        assert "sam" not in ghost.username + ghost.email and not ghost.active
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(User).where(User.username_key == "sam")
            )
            == 0
        )
    assert AuthActions(app.test_client()).login("sam").status_code == 200
    again = app.test_client()  # the name is free again
    response = again.post(
        "/auth/register",
        data={
            "username": "sam",
            "email": "sam@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302


def test_teachers_cannot_delete_themselves(app: Flask, user_factory: Any) -> None:
    user_factory("tina", role="teacher")
    client = app.test_client()
    AuthActions(client).login("tina")
    response = delete(client)
    assert response.status_code == 403
    assert count_rows(app, User) == 1


def test_admin_deactivates_an_account(
    app: Flask, client: FlaskClient, sam: User, user_factory: Any
) -> None:
    user_factory("root", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("root")
    url = f"/auth/admin/users/{sam.id}/active"
    assert admin.post(url, data={"active": "0"}).status_code == 302
    assert client.get("/study/").status_code == 302  # out on the next request
    assert AuthActions(app.test_client()).login("sam").status_code == 200  # cannot log in
    assert count_rows(app, Review) == 2  # data kept
    assert "deactivated" in admin.get("/auth/admin/users").get_data(as_text=True)
    assert admin.post(url, data={"active": "1"}).status_code == 302
    assert AuthActions(app.test_client()).login("sam").status_code == 302
    assert admin.post(url, data={}).status_code == 400
    me = db_user_id(app, "root")
    assert admin.post(f"/auth/admin/users/{me}/active", data={"active": "0"}).status_code == 302
    assert AuthActions(app.test_client()).login("root").status_code == 302  # not yourself


def db_user_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username_key == name))


def test_my_data_and_users_pages_cost_the_same_at_two_sizes(app: Flask, user_factory: Any) -> None:
    """No query per review, attempt or user."""
    from tests.conftest import statements_for

    keys = load_set(app)
    user_factory("root", role="admin")
    admin = app.test_client()
    AuthActions(admin).login("root")
    counts = {}
    for name, size in (("few", 2), ("many", 12)):
        user = user_factory(name)
        study(app, user.id)
        for n in range(size):
            user_factory(f"{name}{n}")
        client = app.test_client()
        AuthActions(client).login(name)
        for n in range(size):
            data = {"question_id": keys["capital"], "submission_id": f"{n:032x}", "answer": "x"}
            assert client.post("/study/answer", data=data).status_code == 302
        for _ in range(size):
            start(client, app)
        counts[name] = [
            statements_for(app, client, "/auth/account/data"),
            statements_for(app, client, "/auth/account"),
            statements_for(app, admin, "/auth/admin/users"),
        ]
    assert counts["few"] == counts["many"], counts
    # One statement per kind of data kept about a student (answers, cards, attempts, own sets,
    # marks, notices, sign-in links...): a new kind adds one, a new row never does.
    assert max(counts["many"]) <= 20, counts
