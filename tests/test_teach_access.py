"""Who may open each authoring page: anonymous, a student, another teacher, the owner, an admin."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.models import QuestionSet
from tests.conftest import AuthActions, count_rows
from tests.teach_helpers import make_set, question_ids

# (method, path template, what the owner gets); {s} is a private set, {q} one of its questions.
ROUTES = [
    ("GET", "/teach/sets/{s}", 200),
    ("GET", "/teach/sets/{s}/edit", 200),
    ("POST", "/teach/sets/{s}/edit", 302),
    ("GET", "/teach/sets/{s}/delete", 200),
    ("POST", "/teach/sets/{s}/duplicate", 302),
    ("POST", "/teach/sets/{s}/restore", 302),
    ("GET", "/teach/sets/{s}/questions/new?kind=cloze", 200),
    ("POST", "/teach/sets/{s}/questions/new?kind=cloze", 422),
    ("GET", "/teach/questions/{q}/edit", 200),
    ("POST", "/teach/questions/{q}/edit", 422),
    ("GET", "/teach/questions/{q}/preview", 200),
    ("POST", "/teach/questions/{q}/preview", 200),
    ("POST", "/teach/questions/{q}/move", 302),
    ("POST", "/teach/questions/{q}/retire", 302),
    ("POST", "/teach/sets/{s}/delete", 302),
]
FORMS = {
    "/teach/sets/{s}/edit": {"title": "Renamed", "visibility": "private", "source_text": ""},
    "/teach/questions/{q}/move": {"direction": "down"},
    "/teach/questions/{q}/preview": {"seed": "1", "answer": "x"},
}


@pytest.fixture
def world(app: Flask, user_factory) -> dict[str, int]:
    """Owner tina's private set with two questions; sam the student, otto and ada."""
    tina = user_factory("tina", role="teacher")
    user_factory("sam")
    user_factory("otto", role="teacher")
    user_factory("ada", role="admin")
    set_id = make_set(app, tina.id, questions=2)
    return {"s": set_id, "q": question_ids(app, set_id)[0]}


def _call(client: FlaskClient, method: str, path: str, ids: dict[str, int]):
    url = path.format(**ids)
    if method == "GET":
        return client.get(url)
    return client.post(url, data=FORMS.get(path, {}))


def _as(app: Flask, username: str | None) -> FlaskClient:
    client = app.test_client()
    if username:
        AuthActions(client).login(username)
    return client


@pytest.mark.parametrize(("method", "path", "owner_status"), ROUTES)
def test_each_route_by_role(
    app: Flask, world: dict[str, int], method: str, path: str, owner_status: int
) -> None:
    before = count_rows(app, QuestionSet)
    anonymous = _call(_as(app, None), method, path, world)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    # A student writes their own sets on these pages: another's set is a 404, as for a teacher.
    assert _call(_as(app, "sam"), method, path, world).status_code == 404
    assert _call(_as(app, "otto"), method, path, world).status_code == 404
    assert count_rows(app, QuestionSet) == before  # nobody else changed anything
    assert _call(_as(app, "tina"), method, path, world).status_code == owner_status


@pytest.mark.parametrize(("method", "path", "owner_status"), ROUTES)
def test_admin_may_do_what_the_owner_may(
    app: Flask, world: dict[str, int], method: str, path: str, owner_status: int
) -> None:
    assert _call(_as(app, "ada"), method, path, world).status_code == owner_status


@pytest.mark.parametrize(("path", "student"), [("/teach/", 403), ("/teach/sets/new", 200)])
def test_own_pages_by_role(app: Flask, world: dict[str, int], path: str, student: int) -> None:
    assert _call(_as(app, None), "GET", path, world).status_code == 302
    assert _call(_as(app, "sam"), "GET", path, world).status_code == student  # My sets
    for teacher in ("otto", "tina", "ada"):
        assert _call(_as(app, teacher), "GET", path, world).status_code == 200


def test_other_teacher_sees_only_their_own_sets(app: Flask, world: dict[str, int]) -> None:
    def page(who: str) -> str:
        return _call(_as(app, who), "GET", "/teach/", world).get_data(as_text=True)

    assert "Sahel notes" in page("tina")
    assert "Sahel notes" not in page("otto")
    assert "Sahel notes" in page("ada") and "Other teachers" in page("ada")
