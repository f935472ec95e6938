"""Every authoring form (no JavaScript): explanation optional, blank rows ignored, errors in
page order, the media picker and the upload that comes back to the form."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question
from quiz.questions import KINDS, question_from_dict
from tests.conftest import AuthActions
from tests.media_helpers import picture
from tests.teach_helpers import make_set, valid_form


@pytest.fixture
def teacher(app: Flask, client: FlaskClient, user_factory) -> int:
    """A logged-in teacher with an empty set; the set id."""
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    return make_set(app, user.id)


def last_question(app: Flask) -> Question:
    with app.app_context():
        return db.session.scalars(sa.select(Question).order_by(Question.id.desc())).first()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_explanation_is_optional_for_every_kind(
    app: Flask, client: FlaskClient, teacher: int, kind: str
) -> None:
    url = f"/teach/sets/{teacher}/questions/new?kind={kind}"
    assert "Explanation (optional)" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=valid_form(kind, explanation="  "))
    assert response.status_code == 302
    assert last_question(app).explanation == ""


def test_the_rules_take_no_explanation_but_still_refuse_a_number() -> None:
    assert question_from_dict({"kind": "flashcard", "prompt": "P", "back": "B"}).explanation == ""
    with pytest.raises(ValueError, match="explanation"):
        question_from_dict({"kind": "flashcard", "prompt": "P", "back": "B", "explanation": 7})


@pytest.mark.parametrize(
    ("kind", "blanked", "expected"),
    [
        ("multiple_choice", {"choices-1-text": "", "choices-1-feedback": ""}, 2),
        ("multiple_select", {"choices-1-text": "", "choices-1-feedback": ""}, 2),
        ("matching", {"pairs-3-left": "", "pairs-3-right": ""}, 3),
        ("ordering", {"items-3-text": ""}, 3),
    ],
)
def test_blank_rows_are_ignored(
    app: Flask, client: FlaskClient, teacher: int, kind: str, blanked: dict, expected: int
) -> None:
    form = valid_form(kind, **blanked)
    url = f"/teach/sets/{teacher}/questions/new?kind={kind}"
    assert client.post(url, data=form).status_code == 302
    spec = last_question(app).spec
    assert len(spec.get("choices") or spec.get("pairs") or spec.get("items")) == expected


def test_an_error_after_a_blank_row_is_shown_next_to_the_row_typed(
    client: FlaskClient, teacher: int
) -> None:
    form = valid_form("ordering", **{"items-1-text": "", "items-3-text": "coup"})
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind=ordering", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="err-items-3-text"' in html and "Item 4: " in html and "repeats item 1" in html


def test_errors_are_listed_in_page_order(client: FlaskClient, teacher: int) -> None:
    # The rules report the common fields' error first; the page shows the choices first.
    form = valid_form("multiple_choice", paragraph="x", correct="")
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind=multiple_choice", data=form)
    summary = response.get_data(as_text=True).split('id="error-summary"')[1].split("</ul>")[0]
    assert summary.index("Choices:") < summary.index("Source paragraph:")


def test_the_media_picker_lists_the_sets_files_and_an_upload_comes_back(
    client: FlaskClient, teacher: int
) -> None:
    url = f"/teach/sets/{teacher}/questions/new?kind=flashcard"
    response = client.post(
        f"/media/sets/{teacher}/upload",
        data={"file": (BytesIO(picture()), "map.png"), "alt": "Niger", "back": url},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.location.endswith(url)
    html = client.get(url).get_data(as_text=True)
    assert (
        'value="![Niger](media:map.png)"' in html
        and 'data-insert-media="![Niger](media:map.png)"' in html
    )
    assert 'action="/media/sets/' in html  # the upload form under the question form


@pytest.mark.parametrize(
    "back", ["https://evil.example/", "//evil.example/x", "/\\evil", "/study/"]
)
def test_the_upload_goes_back_only_to_a_teachers_page(
    client: FlaskClient, teacher: int, back: str
) -> None:
    response = client.post(
        f"/media/sets/{teacher}/upload",
        data={"file": (BytesIO(picture()), "map.png"), "alt": "Niger", "back": back},
        content_type="multipart/form-data",
    )
    assert response.location.endswith(f"/teach/sets/{teacher}#media")
