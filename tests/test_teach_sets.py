"""My sets: create, edit, duplicate, delete or archive, visibility, and what students then see."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Card, Question, QuestionSet, QuestionVersion, Review, StudiedSet
from tests.conftest import AuthActions, count_rows, statements_for
from tests.study_helpers import answer_next
from tests.teach_helpers import make_set, question_ids


@pytest.fixture
def tina(app: Flask, client: FlaskClient, user_factory) -> int:
    """A logged-in teacher; her id."""
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    return user.id


def test_teacher_creates_and_edits_a_set(app: Flask, client: FlaskClient, tina: int) -> None:
    assert "New set" in client.get("/teach/").get_data(as_text=True)
    response = client.post(
        "/teach/sets/new",
        data={
            "title": "  Sahel notes ",
            "description": "Short.",
            "tags": "niger, sahel, niger",
            "visibility": "public",
            "source_text": "First.\r\n\r\nSecond **one**.\r\n   \r\nThird.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        qset = db.session.scalar(sa.select(QuestionSet))
        assert (qset.title, qset.owner_id, qset.visibility) == ("Sahel notes", tina, "public")
        assert qset.tags == ["niger", "sahel"] and qset.slug is None
        assert qset.paragraphs == ["First.", "Second **one**.", "Third."]
        set_id = qset.id
    page = client.get(f"/teach/sets/{set_id}").get_data(as_text=True)
    assert "Second <strong>one</strong>." in page and "3 numbered paragraphs" in page
    assert "Sahel notes" in client.get("/teach/").get_data(as_text=True)
    edited = client.post(
        f"/teach/sets/{set_id}/edit",
        data={
            "title": "Renamed",
            "description": "",
            "tags": "",
            "visibility": "class",
            "source_text": "",
        },
    )
    assert edited.status_code == 302
    with app.app_context():
        qset = db.session.get(QuestionSet, set_id)
        assert (qset.title, qset.visibility, qset.tags, qset.source_text) == (
            "Renamed",
            "class",
            [],
            "",
        )


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"title": "", "visibility": "private"}, "This field is required"),
        ({"title": "x" * 201, "visibility": "private"}, "200"),
        ({"title": "Fine", "visibility": "everyone"}, "Not a valid choice"),
    ],
)
def test_bad_set_form_changes_nothing(
    app: Flask, client: FlaskClient, tina: int, data: dict, problem: str
) -> None:
    response = client.post("/teach/sets/new", data=data)
    assert response.status_code == 200 and problem in response.get_data(as_text=True)
    assert count_rows(app, QuestionSet) == 0


def test_source_text_must_keep_cited_paragraphs(app: Flask, client: FlaskClient, tina: int) -> None:
    set_id = make_set(app, tina, questions=1)  # cites paragraph 1 of two
    with app.app_context():
        db.session.get(Question, question_ids(app, set_id)[0]).paragraph = 2
        db.session.commit()
    response = client.post(
        f"/teach/sets/{set_id}/edit",
        data={"title": "T", "visibility": "private", "source_text": "Only one paragraph."},
    )
    assert response.status_code == 200 and "cites paragraph 2" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.get(QuestionSet, set_id).paragraphs) == 2


def test_bank_sets_are_read_only_and_duplicated(app: Flask, client: FlaskClient, tina: int) -> None:
    app.test_cli_runner().invoke(args=["seed"])
    with app.app_context():
        bank = db.session.scalar(
            sa.select(QuestionSet).where(QuestionSet.slug == "niger-air-base-101")
        )
        bank_id, live = bank.id, len([q for q in bank.questions if not q.retired])
        some_question = bank.questions[0].id
    page = client.get(f"/teach/sets/{bank_id}").get_data(as_text=True)
    assert "read-only" in page and "Add question" not in page and "Delete" not in page
    assert client.get(f"/teach/sets/{bank_id}/edit").status_code == 404
    assert client.get(f"/teach/questions/{some_question}/edit").status_code == 404
    assert client.post(f"/teach/sets/{bank_id}/delete").status_code == 404
    response = client.post(f"/teach/sets/{bank_id}/duplicate")
    assert response.status_code == 302
    with app.app_context():
        copy = db.session.scalar(sa.select(QuestionSet).where(QuestionSet.owner_id == tina))
        assert copy.slug is None and copy.title.startswith("Copy of ")
        assert copy.visibility == "private" and copy.source_text == bank.source_text
        assert len(copy.questions) == live
        copy_id, copy_question = copy.id, copy.questions[0].id
    assert response.headers["Location"].endswith(f"/teach/sets/{copy_id}")
    assert client.get(f"/teach/questions/{copy_question}/edit").status_code == 200
    assert client.get(f"/teach/sets/{copy_id}/edit").status_code == 200


def test_unstudied_set_is_deleted_after_confirmation(
    app: Flask, client: FlaskClient, tina: int
) -> None:
    set_id = make_set(app, tina, questions=2)
    page = client.get(f"/teach/sets/{set_id}/delete").get_data(as_text=True)
    assert "cannot be undone" in page
    assert count_rows(app, QuestionSet) == 1  # asking deletes nothing
    assert client.post(f"/teach/sets/{set_id}/delete").status_code == 302
    assert count_rows(app, QuestionSet) == 0
    assert count_rows(app, Question) == 0 and count_rows(app, QuestionVersion) == 0


def test_studied_set_is_archived_and_leaves_students_lists(
    app: Flask, client: FlaskClient, tina: int, user_factory
) -> None:
    set_id = make_set(app, tina, questions=2, visibility="public", title="Archived one")
    sam = user_factory("sam")
    with app.app_context():
        db.session.add(StudiedSet(user_id=sam.id, set_id=set_id))
        db.session.commit()
    student = app.test_client()
    AuthActions(student).login("sam")
    answer_next(student, answer="answer 0")
    assert count_rows(app, Review) == 1
    assert "Archived one" in student.get("/study/").get_data(as_text=True)
    page = client.get(f"/teach/sets/{set_id}/delete").get_data(as_text=True)
    assert "archived" in page
    assert client.post(f"/teach/sets/{set_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(QuestionSet, set_id).archived
    assert count_rows(app, Review) == 1 and count_rows(app, Card) == 1  # history kept
    assert "Archived one" not in student.get("/study/").get_data(as_text=True)
    assert "Question 1?" not in student.get("/study/next").get_data(as_text=True)
    qid = question_ids(app, set_id)[0]
    assert student.get(f"/study/questions/{qid}").status_code == 404
    # The owner still finds it, marked archived, and can restore it.
    assert "archived" in client.get("/teach/").get_data(as_text=True)
    assert client.post(f"/teach/sets/{set_id}/restore").status_code == 302
    assert "Archived one" in student.get("/study/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("visibility", "seen"), [("private", False), ("class", False), ("public", True)]
)
def test_visibility_decides_who_sees_the_set(
    app: Flask, client: FlaskClient, tina: int, user_factory, visibility: str, seen: bool
) -> None:
    set_id = make_set(app, tina, questions=1, title="Visible?")
    client.post(f"/teach/sets/{set_id}/edit", data={"title": "Visible?", "visibility": visibility})
    user_factory("sam")
    student = app.test_client()
    AuthActions(student).login("sam")
    assert ("Visible?" in student.get("/study/").get_data(as_text=True)) == seen
    other = app.test_client()
    user_factory("otto", role="teacher")
    AuthActions(other).login("otto")
    assert other.get(f"/teach/sets/{set_id}").status_code == (200 if seen else 404)
    assert other.get(f"/teach/sets/{set_id}/edit").status_code == 404  # never theirs to change


def test_my_sets_statements_do_not_grow_with_sets(
    app: Flask, client: FlaskClient, tina: int
) -> None:
    for number in range(3):
        make_set(app, tina, questions=3, title=f"Set {number}")
    small = statements_for(app, client, "/teach/")
    for number in range(3, 30):
        make_set(app, tina, questions=3, title=f"Set {number}")
    assert statements_for(app, client, "/teach/") == small


def test_set_page_statements_do_not_grow_with_questions(
    app: Flask, client: FlaskClient, tina: int
) -> None:
    few = make_set(app, tina, questions=3)
    many = make_set(app, tina, questions=30)
    assert statements_for(app, client, f"/teach/sets/{few}") == statements_for(
        app, client, f"/teach/sets/{many}"
    )
