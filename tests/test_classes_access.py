"""Every class route from six points of view: anonymous, member, outsider, owner, other, admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from tests.classes_helpers import World, add_assignment, login_as, make_world

VIEWERS = ["anonymous", "member", "outsider", "teacher", "other", "admin"]
# What each viewer gets from a teacher's class page: students are refused outright (403), a
# teacher who does not own the class cannot tell it exists (404), owner and admin get in.
TEACH_GET = {
    "anonymous": 302,
    "member": 403,
    "outsider": 403,
    "teacher": 200,
    "other": 404,
    "admin": 200,
}
TEACH_POST = {**TEACH_GET, "teacher": 302, "admin": 302}
# A student's assignment page: only members of the class.
STUDENT_GET = {
    "anonymous": 302,
    "member": 200,
    "outsider": 404,
    "teacher": 404,
    "other": 404,
    "admin": 404,
}
STUDENT_POST = {**STUDENT_GET, "member": 302}

TEACH_PAGES = [
    "/teach/classes/{c}",
    "/teach/classes/{c}/edit",
    "/teach/classes/{c}/projector",
    "/teach/classes/{c}/qr.svg",
    "/teach/classes/{c}/assignments/new",
    "/teach/classes/{c}/assignments/{a}",
    "/teach/classes/{c}/dashboard",
    "/teach/classes/{c}/dashboard?sort=a{a}&dir=desc&behind=1&days=3",
    "/teach/classes/{c}/students/{m}",
    "/teach/classes/{c}/sets/{s}/items",
    "/teach/classes/{c}/forecast?exam=2030-01-01",
    "/teach/classes/{c}/gradebook.csv",
    "/teach/classes/{c}/answers.csv",
]
TEACH_ACTIONS = [
    ("/teach/classes/{c}/edit", {"name": "Renamed", "timezone": "UTC"}),
    ("/teach/classes/{c}/archive", {"action": "archive"}),
    ("/teach/classes/{c}/code", {}),
    ("/teach/classes/{c}/students/{m}/remove", {}),
    ("/teach/classes/{c}/assignments/{a}/delete", {}),
    (
        "/teach/classes/{c}/assignments/new",
        {
            "set_id": "{s}",
            "mode": "study",
            "due_at": "2030-01-01T09:00",
            "target_percent": "90",
            "time_limit_min": "0",
            "show_answers": "never",
        },
    ),
]


@pytest.fixture
def world(app: Flask) -> World:
    world = make_world(app)
    world.assignment = add_assignment(app, world, datetime.now(UTC) + timedelta(days=1))
    return world


def client_for(app: Flask, viewer: str):
    client = app.test_client()
    if viewer != "anonymous":
        login_as(client, viewer)
    return client


def fill(path: str, world: World) -> str:
    return path.format(c=world.classroom, a=world.assignment, m=world.member, s=world.set_id)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_teacher_pages(app: Flask, world: World, viewer: str) -> None:
    client = client_for(app, viewer)
    for path in TEACH_PAGES:
        response = client.get(fill(path, world))
        response.get_data()  # a streamed download runs to its end inside the request
        assert response.status_code == TEACH_GET[viewer], (viewer, path)
        if viewer == "anonymous":
            assert "/auth/login" in response.location


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("path", "data"), TEACH_ACTIONS)
def test_teacher_actions(app: Flask, world: World, viewer: str, path: str, data: dict) -> None:
    client = client_for(app, viewer)
    data = {key: fill(value, world) for key, value in data.items()}
    response = client.post(fill(path, world), data=data)
    assert response.status_code == TEACH_POST[viewer], (viewer, path)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_class_list_shows_only_own_classes(app: Flask, world: World, viewer: str) -> None:
    client = client_for(app, viewer)
    response = client.get("/teach/classes/")
    expected = {"anonymous": 302, "member": 403, "outsider": 403}.get(viewer, 200)
    assert response.status_code == expected
    if expected == 200:
        listed = "Geography 9B" in response.get_data(as_text=True)
        assert listed is (viewer in ("teacher", "admin"))
    new = client.get("/teach/classes/new")
    assert new.status_code == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_student_pages(app: Flask, world: World, viewer: str) -> None:
    client = client_for(app, viewer)
    page = client.get(f"/study/assignments/{world.assignment}")
    assert page.status_code == STUDENT_GET[viewer]
    start = client.post(f"/study/assignments/{world.assignment}/quiz")
    assert start.status_code == STUDENT_POST[viewer]
    if viewer == "member":
        assert "/study/attempts/" in start.location
    join = client.get("/study/join")
    assert join.status_code == (302 if viewer == "anonymous" else 200)
    # The link page answers everybody the same way, whether the code exists or not.
    for code in ("ACD3FG", "HJK4MN"):
        assert client.get(f"/study/join/{code}").status_code == 200
    home = client.get("/study/")
    if viewer != "anonymous":
        in_class = "Geography 9B" in home.get_data(as_text=True)
        assert in_class is (viewer == "member")
