"""A student's own sets: written with the sets' pages, studied in the queue, private to them
unless shared with a class they are in; the class's teacher sees a shared set and copies it."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quiz.extensions import db
from quiz.models import (
    Classroom,
    Enrollment,
    MediaFile,
    Question,
    QuestionSet,
    Review,
    SetShare,
)
from tests import media_helpers as files
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import form_ids
from tests.teach_helpers import valid_form


@pytest.fixture
def people(app: Flask, user_factory) -> dict[str, int]:
    """sam (a student in tina's class), sue (another student), tina, otto (teachers), ada."""
    ids = {
        name: user_factory(name, role=role).id
        for name, role in [
            ("sam", "student"),
            ("sue", "student"),
            ("tina", "teacher"),
            ("otto", "teacher"),
            ("ada", "admin"),
        ]
    }
    with app.app_context():
        classroom = Classroom(teacher_id=ids["tina"], name="Geography 9B", join_code="GEO9B")
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=ids["sam"]))
        db.session.commit()
        ids["class"] = classroom.id
    return ids


def as_user(app: Flask, name: str | None) -> FlaskClient:
    """A client logged in as `name` (anonymous for None)."""
    client = app.test_client()
    if name:
        assert AuthActions(client).login(name).status_code == 302
    return client


def new_set(client: FlaskClient, title: str = "My verbs") -> int:
    """Create a set through the form; its id."""
    response = client.post("/teach/sets/new", data={"title": title, "visibility": "public"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def add_card(client: FlaskClient, set_id: int, front: str, back: str) -> None:
    """Add a flashcard through the question form."""
    form = valid_form("flashcard", prompt=front, back=back)
    response = client.post(f"/teach/sets/{set_id}/questions/new?kind=flashcard", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def share(client: FlaskClient, set_id: int, *class_ids: int) -> FlaskClient:
    """Tick exactly these classes on the set's sharing form."""
    data = {"class_id": [str(class_id) for class_id in class_ids]}
    response = client.post(f"/study/my-sets/{set_id}/share", data=data)
    assert response.status_code == 302
    return client


def test_a_student_writes_studies_and_deletes_their_own_set(app: Flask, people: dict) -> None:
    sam = as_user(app, "sam")
    set_id = new_set(sam)
    for number in range(3):
        add_card(sam, set_id, f"front {number}", f"back {number}")
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        assert qset.owner_id == people["sam"]
        assert qset.visibility == "private"  # the form's "public" is not a student's to choose
    page = sam.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    assert "front 2" in page and "Sharing" in page and "Wrong answers" not in page
    mine = sam.get("/study/my-sets").get_data(as_text=True)
    assert "My verbs" in mine and "Stop studying" in mine  # studied from the start
    question = sam.get("/study/next").get_data(as_text=True)
    assert "front 0" in question  # the same queue as every other set
    assert sam.get("/teach/").status_code == 403  # the teacher's tools stay theirs
    assert sam.get(f"/teach/sets/{set_id}/overrides").status_code == 403
    # One card answered: the set is now studied, by its owner alone.
    flip_url = re.search(r'href="(/study/flip/[^"]+)"', question).group(1).replace("&amp;", "&")
    flip = sam.get(flip_url).get_data(as_text=True)
    answered = sam.post("/study/answer", data={**form_ids(flip), "rating": "good"})
    assert answered.status_code == 302
    assert count_rows(app, Review) == 1
    assert "your answers" in sam.get(f"/teach/sets/{set_id}/delete").get_data(as_text=True)
    assert sam.post(f"/teach/sets/{set_id}/delete").status_code == 302
    assert count_rows(app, Review) == 0
    with app.app_context():
        assert db.session.get(QuestionSet, set_id) is None  # deleted, not archived
    assert "You have no sets yet" in sam.get("/study/my-sets").get_data(as_text=True)


def test_nobody_else_reaches_a_private_student_set(app: Flask, people: dict) -> None:
    set_id = new_set(as_user(app, "sam"))
    add_card(as_user(app, "sam"), set_id, "front", "back")
    with app.app_context():
        question_id = db.session.scalar(sa.select(Question.id).where(Question.set_id == set_id))
    paths = [
        f"/teach/sets/{set_id}",
        f"/teach/sets/{set_id}/edit",
        f"/teach/questions/{question_id}/preview",
        f"/teach/sets/{set_id}/export",
        f"/teach/sets/{set_id}/print/answers",
    ]
    for name in ("sue", "tina", "otto"):  # tina teaches sam, but nothing is shared
        client = as_user(app, name)
        for path in paths:
            assert client.get(path).status_code == 404, (name, path)
        assert client.post(f"/teach/sets/{set_id}/duplicate").status_code == 404
        assert client.post(f"/study/my-sets/{set_id}/share").status_code == 404
    for path in paths:
        assert as_user(app, None).get(path).status_code == 302  # to log in
    assert as_user(app, "ada").get(paths[0]).status_code == 200
    assert count_rows(app, QuestionSet) == 1


def test_sharing_shows_the_set_and_its_media_to_the_class_teacher_only(
    app: Flask, people: dict
) -> None:
    sam = as_user(app, "sam")
    set_id = new_set(sam)
    add_card(sam, set_id, "front", "back")
    body = {"file": FileStorage(io.BytesIO(files.picture()), filename="map.png"), "alt": "A map"}
    boundary, encoded = encode_multipart(body)
    kind = f"multipart/form-data; boundary={boundary}"
    assert (
        sam.post(f"/media/sets/{set_id}/upload", data=encoded, content_type=kind).status_code == 302
    )
    with app.app_context():
        sha = db.session.scalar(sa.select(MediaFile.sha256))
    media = f"/media/{set_id}/{sha}"
    assert sam.get(media).status_code == 200
    tina, otto, sue = as_user(app, "tina"), as_user(app, "otto"), as_user(app, "sue")
    for client in (tina, otto, sue):
        assert client.get(media).status_code == 404  # the hash alone reveals nothing
    class_page = f"/teach/classes/{people['class']}"
    assert "My verbs" not in tina.get(class_page).get_data(as_text=True)

    share(sam, set_id, people["class"])
    assert "My verbs" in tina.get(class_page).get_data(as_text=True)
    assert tina.get(f"/teach/sets/{set_id}").status_code == 200
    assert tina.get(media).status_code == 200
    assert tina.get(f"/teach/sets/{set_id}/edit").status_code == 404  # seen, not changed
    for client in (otto, sue):
        assert client.get(f"/teach/sets/{set_id}").status_code == 404
        assert client.get(media).status_code == 404
    copied = tina.post(f"/teach/sets/{set_id}/duplicate")
    assert copied.status_code == 302
    copy_id = int(copied.headers["Location"].rsplit("/", 1)[-1])
    with app.app_context():
        copy = db.session.get(QuestionSet, copy_id)
        assert copy.owner_id == people["tina"] and copy.visibility == "private"
        assert len(copy.questions) == 1
    assert tina.get(f"/teach/sets/{copy_id}/edit").status_code == 200

    share(sam, set_id)  # no class ticked: private again
    assert tina.get(f"/teach/sets/{set_id}").status_code == 404
    assert tina.get(media).status_code == 404


def test_a_teacher_switches_sharing_off(app: Flask, people: dict) -> None:
    sam = as_user(app, "sam")
    set_id = new_set(sam)
    share(sam, set_id, people["class"])
    tina = as_user(app, "tina")
    assert tina.get(f"/teach/sets/{set_id}").status_code == 200
    edit = {"name": "Geography 9B", "timezone": "UTC"}  # the box unticked
    assert tina.post(f"/teach/classes/{people['class']}/edit", data=edit).status_code == 302
    assert tina.get(f"/teach/sets/{set_id}").status_code == 404
    page = tina.get(f"/teach/classes/{people['class']}").get_data(as_text=True)
    assert "Students cannot share their sets" in page
    assert "Private: only you see it" in sam.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    # A new share with a class that no longer allows it is refused and writes nothing.
    share(sam, set_id)
    before = count_rows(app, SetShare)
    sam.post(f"/study/my-sets/{set_id}/share", data={"class_id": str(people["class"])})
    assert count_rows(app, SetShare) == before


def test_sharing_refuses_other_classes_and_bad_ids(app: Flask, people: dict) -> None:
    sam = as_user(app, "sam")
    set_id = new_set(sam)
    with app.app_context():
        other = Classroom(teacher_id=people["otto"], name="Not mine", join_code="OTHER1")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    response = sam.post(f"/study/my-sets/{set_id}/share", data={"class_id": str(other_id)})
    assert response.status_code == 302
    assert "only with a class you are in" in sam.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert sam.post(f"/study/my-sets/{set_id}/share", data={"class_id": "x"}).status_code == 400
    assert count_rows(app, SetShare) == 0
    tina = as_user(app, "tina")
    teacher_set = new_set(tina, "Tina's")
    assert tina.post(f"/study/my-sets/{teacher_set}/share").status_code == 404


def test_a_student_imports_a_pasted_list_into_a_new_private_set(app: Flask, people: dict) -> None:
    sam = as_user(app, "sam")
    data = {"text": "dog\tchien\ncat\tchat\n", "fmt": "guess", "target": "new",
            "visibility": "public", "title": "French"}  # fmt: skip
    page = sam.post("/teach/import", data=data)
    assert page.status_code == 200, page.get_data(as_text=True)[:1500]
    html = page.get_data(as_text=True)
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    sha = html.split('name="sha256" type="hidden" value="')[1].split('"')[0]
    confirm = {"token": token, "sha256": sha}
    assert sam.post("/teach/import/confirm", data=confirm).status_code == 302
    with app.app_context():
        qset = db.session.scalar(sa.select(QuestionSet).where(QuestionSet.title == "French"))
        assert qset.owner_id == people["sam"] and qset.visibility == "private"
        assert len(qset.questions) == 2
    assert "French" in sam.get("/study/my-sets").get_data(as_text=True)
