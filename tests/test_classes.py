"""Classes: codes, joining (code, link, rate limit), and the teacher's class management."""

from __future__ import annotations

import io
import re

import pytest
import segno
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz import joincode
from quiz.classes.access import unused_code
from quiz.extensions import db
from quiz.models import Classroom, Enrollment, LoginFailure
from tests.classes_helpers import CODE, World, login_as, make_world
from tests.conftest import count_rows


@pytest.fixture
def world(app: Flask) -> World:
    return make_world(app)


def enrolled(app: Flask, class_id: int) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                sa.select(Enrollment.user_id).where(Enrollment.classroom_id == class_id)
            )
        )


def test_codes_are_short_unambiguous_and_case_insensitive() -> None:
    for lookalike in "0O1IL2Z5S8B":
        assert lookalike not in joincode.ALPHABET
    codes = {joincode.new_code() for _ in range(200)}
    assert all(joincode.looks_valid(code) for code in codes)
    assert len(codes) > 190  # random, not a counter
    assert joincode.normalize(" acd-3fg ") == "ACD3FG"
    assert not joincode.looks_valid(joincode.normalize("ACD0FG"))


def test_unused_code_skips_taken_ones(app: Flask, world: World, monkeypatch) -> None:
    issued = iter([CODE, CODE, "HJK4MN"])
    monkeypatch.setattr(joincode, "new_code", lambda: next(issued))
    with app.app_context():
        assert unused_code(db.session) == "HJK4MN"


def test_teacher_creates_renames_and_archives_a_class(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "teacher")
    response = client.post(
        "/teach/classes/new", data={"name": "History 10A", "timezone": "Africa/Niamey"}
    )
    assert response.status_code == 302
    with app.app_context():
        made = db.session.scalar(sa.select(Classroom).where(Classroom.name == "History 10A"))
        assert joincode.looks_valid(made.join_code) and made.timezone == "Africa/Niamey"
        class_id = made.id
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert joincode.spaced(made.join_code) in page
    assert f"/study/join/{made.join_code}" in page
    bad = client.post(
        f"/teach/classes/{class_id}/edit", data={"name": "X", "timezone": "Mars/Base"}
    )
    assert bad.status_code == 200 and "Use a time zone name" in bad.get_data(as_text=True)
    client.post(f"/teach/classes/{class_id}/edit", data={"name": "History 10B", "timezone": "UTC"})
    client.post(f"/teach/classes/{class_id}/archive", data={"action": "archive"})
    with app.app_context():
        made = db.session.get(Classroom, class_id)
        assert made.name == "History 10B" and made.archived_at is not None
    # An archived class takes nobody in.
    client.post("/auth/logout")
    login_as(client, "outsider")
    response = client.post("/study/join", data={"code": made.join_code})
    assert response.status_code == 422
    assert world.outsider not in enrolled(app, made.id)


def test_projector_page_and_qr_code(app: Flask, client: FlaskClient, world: World) -> None:
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/projector").get_data(as_text=True)
    assert "ACD 3FG" in page and f"/teach/classes/{world.classroom}/qr.svg" in page
    qr = client.get(f"/teach/classes/{world.classroom}/qr.svg")
    assert qr.mimetype == "image/svg+xml"
    svg = qr.get_data(as_text=True)
    assert svg.startswith("<svg") and "<path" in svg
    # It is the QR code of the signed join link, made on the server (as segno makes it).
    token = joincode.link_token(CODE, app.config["SECRET_KEY"])
    expected = io.BytesIO()
    segno.make(f"http://localhost/study/join/{CODE}?k={token}", error="m").save(
        expected, kind="svg", scale=8, border=2, dark="#000", light="#fff", xmldecl=False,
        title="QR code to join Geography 9B",
    )  # fmt: skip
    assert svg == expected.getvalue().decode()


def test_regenerating_the_code_retires_the_old_one(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "teacher")
    client.post(f"/teach/classes/{world.classroom}/code")
    with app.app_context():
        new = db.session.get(Classroom, world.classroom).join_code
    assert new != CODE and joincode.looks_valid(new)
    client.post("/auth/logout")
    login_as(client, "outsider")
    assert client.post("/study/join", data={"code": CODE}).status_code == 422
    assert client.post("/study/join", data={"code": new.lower()}).status_code == 302
    assert world.outsider in enrolled(app, world.classroom)


def test_removing_a_student(app: Flask, client: FlaskClient, world: World) -> None:
    login_as(client, "teacher")
    url = f"/teach/classes/{world.classroom}/students/{world.member}/remove"
    assert client.post(url).status_code == 302
    assert world.member not in enrolled(app, world.classroom)
    assert client.post(url).status_code == 404  # not in the class any more


def test_join_with_a_code_typed_loosely(app: Flask, client: FlaskClient, world: World) -> None:
    login_as(client, "outsider")
    response = client.post("/study/join", data={"code": " acd-3fg "})
    assert response.status_code == 302
    assert world.outsider in enrolled(app, world.classroom)
    again = client.post("/study/join", data={"code": CODE}, follow_redirects=True)
    assert "already in" in again.get_data(as_text=True)
    home = client.get("/study/").get_data(as_text=True)
    assert "Geography 9B" in home


def test_wrong_code_gets_a_clear_message_and_changes_nothing(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "outsider")
    before = enrolled(app, world.classroom)
    response = client.post("/study/join", data={"code": "HJK4MN"})
    assert response.status_code == 422
    assert "No class has that code" in response.get_data(as_text=True)
    empty = client.post("/study/join", data={"code": ""})
    assert empty.status_code == 422 and "Type the code" in empty.get_data(as_text=True)
    assert enrolled(app, world.classroom) == before


@pytest.mark.config(JOIN_CODE_LIMIT=3)
def test_code_guessing_is_rate_limited_in_the_database(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "outsider")
    for guess in ("HJK4MN", "HJK4MP", "HJK4MQ"):
        assert client.post("/study/join", data={"code": guess}).status_code == 422
    # The fourth try is refused before the lookup, even with the right code.
    response = client.post("/study/join", data={"code": CODE})
    assert response.status_code == 429
    assert "Too many codes" in response.get_data(as_text=True)
    assert world.outsider not in enrolled(app, world.classroom)
    with app.app_context():
        keys = set(db.session.scalars(sa.select(LoginFailure.username_key)))
    assert keys == {f"join:{world.outsider}"}
    # Another account is not blocked by this one's guesses.
    other = app.test_client()
    login_as(other, "member")
    assert other.post("/study/join", data={"code": "HJK4MN"}).status_code == 422


@pytest.mark.config(JOIN_CODE_LIMIT=3)
def test_a_right_code_is_not_counted_and_clears_nothing(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "outsider")
    client.post("/study/join", data={"code": "HJK4MN"})
    client.post("/study/join", data={"code": CODE})
    assert count_rows(app, LoginFailure) == 1  # the wrong guess still counts


def test_join_link_through_login_and_back(app: Flask, client: FlaskClient, world: World) -> None:
    link = f"/study/join/{CODE}"
    page = client.get(link).get_data(as_text=True)
    login = re.search(r'href="(/auth/login\?next=[^"]+)"', page).group(1)
    assert "Geography" not in page  # the link says nothing about the class until joined
    form = client.get(login.replace("&amp;", "&"))
    assert form.status_code == 200
    response = client.post(
        "/auth/login",
        data={"username": "outsider", "password": "correct horse battery", "next": link},
    )
    assert response.status_code == 302 and response.location.endswith(link)
    joined = client.get(link).get_data(as_text=True)
    assert CODE in joined
    client.post("/study/join", data={"code": CODE})
    assert world.outsider in enrolled(app, world.classroom)


def test_join_link_through_registration_and_back(
    app: Flask, client: FlaskClient, world: World
) -> None:
    link = f"/study/join/{CODE}"
    page = client.get(link).get_data(as_text=True)
    register = re.search(r'href="(/auth/register\?next=[^"]+)"', page).group(1)
    response = client.post(
        register.replace("&amp;", "&"),
        data={
            "username": "newbie",
            "email": "newbie@example.org",
            "password": "a long passphrase",
            "confirm": "a long passphrase",
        },
    )
    assert response.status_code == 302 and response.location.endswith(link)
    assert client.post("/study/join", data={"code": CODE}).status_code == 302
    assert len(enrolled(app, world.classroom)) == 2


def test_register_ignores_an_offsite_next(client: FlaskClient, world: World) -> None:
    response = client.post(
        "/auth/register?next=//evil.example/",
        data={
            "username": "newbie",
            "email": "newbie@example.org",
            "password": "a long passphrase",
            "confirm": "a long passphrase",
        },
    )
    assert response.status_code == 302 and response.location.endswith("/study/")


def test_teacher_typing_their_own_code_is_not_enrolled(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "teacher")
    response = client.post("/study/join", data={"code": CODE})
    assert response.status_code == 302 and "/teach/classes/" in response.location
    assert world.teacher not in enrolled(app, world.classroom)


def signed_link(client: FlaskClient, world: World) -> str:
    """The join link as the teacher's class page gives it (with its signature)."""
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}").get_data(as_text=True)
    client.post("/auth/logout")
    found = re.search(r'href="http://localhost(/study/join/[A-Z0-9]+\?k=[a-z2-7]{8})"', page)
    assert found, "no signed join link on the class page"
    return found.group(1)


def test_a_signed_join_link_names_the_class_and_its_teacher(
    client: FlaskClient, world: World
) -> None:
    link = signed_link(client, world)
    before_login = client.get(link).get_data(as_text=True)
    assert "Geography 9B" in before_login and "teacher" in before_login
    login = re.search(r'href="(/auth/login\?next=[^"]+)"', before_login).group(1)
    response = client.post(
        "/auth/login",
        data={"username": "outsider", "password": "correct horse battery", "next": link},
    )
    assert response.location.endswith(link)  # back to the signed link, so still named
    page = client.get(link).get_data(as_text=True)
    assert "invited to the class <strong>Geography 9B</strong>" in page
    assert "taught by <strong>teacher</strong>" in page
    assert "k%3D" in login  # the login link carries the signature along


def test_an_altered_join_link_names_nothing(client: FlaskClient, world: World) -> None:
    link = signed_link(client, world)
    code, token = link.split("/")[-1].split("?k=")
    altered = [
        f"/study/join/{code}",
        f"/study/join/{code}?k={token[:-1]}{'a' if token[-1] != 'a' else 'b'}",
        f"/study/join/HJK4MN?k={token}",  # another code under this code's signature
        f"/study/join/{code}?k=%C3%A9t%C3%A9",  # not ASCII
        f"/study/join/{code}?k={'x' * 5000}",
    ]
    for url in altered:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Geography" not in response.get_data(as_text=True), url
