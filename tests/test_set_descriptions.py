"""A set's description is authored Markdown: the study page's set cards and the teacher's set
page render it (sanitized), as the printed worksheet did, instead of showing raw asterisks."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import QuestionSet, Role
from tests.classes_helpers import login_as
from tests.conftest import make_user
from tests.progress_helpers import make_set

DESCRIPTION = "Read the **article** first, then [the map](/study/).\n\n<script>alert(1)</script>"


def described_set(app: Flask, owner_id: int) -> int:
    set_id, _ = make_set(app, 2, title="Described", owner_id=owner_id)
    with app.app_context():
        db.session.get(QuestionSet, set_id).description = DESCRIPTION
        db.session.commit()
    return set_id


def assert_rendered(html: str) -> None:
    assert "<strong>article</strong>" in html
    assert "**article**" not in html
    assert "<script>alert(1)</script>" not in html  # sanitized, as every authored text is
    assert '<a href="/study/" rel="noopener noreferrer nofollow">the map</a>' in html


def test_study_page_renders_set_descriptions(app: Flask, client: FlaskClient) -> None:
    teacher = make_user(app, "teacher", role=Role.TEACHER.value)
    described_set(app, teacher.id)
    make_user(app, "member")
    login_as(client, "member")
    assert_rendered(client.get("/study/").get_data(as_text=True))


def test_teacher_set_page_renders_the_description(app: Flask, client: FlaskClient) -> None:
    teacher = make_user(app, "teacher", role=Role.TEACHER.value)
    set_id = described_set(app, teacher.id)
    login_as(client, "teacher")
    assert_rendered(client.get(f"/teach/sets/{set_id}").get_data(as_text=True))
