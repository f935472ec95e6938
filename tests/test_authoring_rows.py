"""The rows editor without JavaScript: a plain table, "Add 5 rows", a pasted list, one Save."""

from __future__ import annotations

import re
from html import unescape
from io import BytesIO

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.authoring.rows import CardRow, check_rows, split_paste
from quiz.extensions import db
from quiz.models import Question
from tests.conftest import AuthActions, count_rows
from tests.media_helpers import picture
from tests.teach_helpers import make_set


@pytest.fixture
def teacher(app: Flask, client: FlaskClient, user_factory) -> int:
    """A logged-in teacher with an empty set; the set id."""
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    return make_set(app, user.id)


def table(rows: list[tuple[str, ...]], action: str = "save") -> dict[str, str]:
    """The posted table: term, definition and optionally hint and tags per row."""
    form = {"action": action}
    for index, row in enumerate(rows):
        for column, value in zip(("term", "definition", "hint", "tags"), row, strict=False):
            form[f"rows-{index}-{column}"] = value
    return form


def stored(app: Flask, set_id: int) -> list[Question]:
    with app.app_context():
        query = sa.select(Question).where(Question.set_id == set_id).order_by(Question.position)
        return list(db.session.scalars(query))


def test_the_empty_table_has_five_rows_and_works_without_javascript(
    client: FlaskClient, teacher: int
) -> None:
    page = client.get(f"/teach/sets/{teacher}/rows?kind=flashcard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert len(re.findall(r'name="rows-\d+-term"', html)) == 5
    assert 'value="add"' in html and 'value="split"' in html and 'value="save"' in html


def test_a_table_of_flashcards_is_saved_at_once_and_blank_rows_are_ignored(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    rows = [
        ("Niamey", "Capital of Niger", "", "places"),
        ("", ""),
        ("Agadez", "Drone base", "N"),
    ]
    response = client.post(f"/teach/sets/{teacher}/rows?kind=flashcard", data=table(rows))
    assert response.status_code == 302
    questions = stored(app, teacher)
    assert [(q.kind, q.spec["back"]) for q in questions] == [
        ("flashcard", "Capital of Niger"),
        ("flashcard", "Drone base"),
    ]
    assert questions[0].prompt == "Niamey" and questions[0].tags == ["places"]
    assert questions[1].prompt == "Agadez\n\n*Hint: N*" and questions[1].explanation == ""
    assert questions[0].position < questions[1].position


def test_short_answers_take_alternatives_after_a_bar(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    rows = [("Which city hosts the drone base?", "Agadez | Agades")]
    client.post(f"/teach/sets/{teacher}/rows?kind=short_answer", data=table(rows))
    (question,) = stored(app, teacher)
    assert question.kind == "short_answer" and question.spec["answers"] == ["Agadez", "Agades"]


def test_errors_are_shown_per_row_and_nothing_is_saved(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    before = count_rows(app, Question)
    rows = [("Niamey", "Capital"), ("", ""), ("Agadez", ""), ("", "Orphan definition")]
    response = client.post(f"/teach/sets/{teacher}/rows?kind=flashcard", data=table(rows))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Row 3: Write the definition." in html and "Row 4: Write the term." in html
    assert 'id="rows-2-error"' in html and 'aria-describedby="rows-2-error"' in html
    assert "Row 1:" not in html and "Row 2:" not in html
    assert "Orphan definition" in html  # what was typed is kept
    assert count_rows(app, Question) == before


def test_add_five_rows_keeps_what_was_typed(client: FlaskClient, teacher: int) -> None:
    rows = [("Niamey", "Capital"), ("", "")]
    response = client.post(f"/teach/sets/{teacher}/rows?kind=flashcard", data=table(rows, "add"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert len(re.findall(r'name="rows-\d+-term"', html)) == 7 and "Capital" in html


def test_a_pasted_list_is_shown_as_rows_before_saving(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    form = table([("Niamey", "Capital")], "split") | {"paste": "Agadez\tDrone base\nDosso\tA city"}
    response = client.post(f"/teach/sets/{teacher}/rows?kind=flashcard", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and stored(app, teacher) == []
    terms = re.findall(r'name="rows-\d+-term"[^>]*>([^<]*)<', html)
    assert terms[:3] == ["Niamey", "Agadez", "Dosso"] and terms[3:] == [""] * 5


def test_nothing_but_blank_rows_saves_nothing(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    response = client.post(f"/teach/sets/{teacher}/rows?kind=flashcard", data=table([("", "")]))
    assert response.status_code == 200 and "every row was blank" in response.get_data(as_text=True)
    assert stored(app, teacher) == []


def test_an_unknown_kind_is_a_404(client: FlaskClient, teacher: int) -> None:
    assert client.get(f"/teach/sets/{teacher}/rows?kind=cloze").status_code == 404


def test_a_row_may_carry_a_picture_of_the_set(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    client.post(
        f"/media/sets/{teacher}/upload",
        data={"file": (BytesIO(picture()), "map.png"), "alt": "A map of Niger"},
        content_type="multipart/form-data",
    )
    page = client.get(f"/teach/sets/{teacher}/rows?kind=flashcard").get_data(as_text=True)
    assert '<option value="map.png">' in page
    form = table([("Which country?", "Niger")]) | {"rows-0-media": "map.png"}
    assert client.post(f"/teach/sets/{teacher}/rows?kind=flashcard", data=form).status_code == 302
    (question,) = stored(app, teacher)
    assert question.prompt.endswith("![A map of Niger](media:map.png)")
    form = table([("Which country?", "Niger")]) | {"rows-0-media": "gone.png"}
    response = client.post(f"/teach/sets/{teacher}/rows?kind=flashcard", data=form)
    assert response.status_code == 422 and "no longer in the set" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\tb\nc\td", [("a", "b"), ("c", "d")]),
        ("a, b, with comma\nc,d", [("a", "b, with comma"), ("c", "d")]),
        ("a,b;c,d;e,f", [("a", "b"), ("c", "d"), ("e", "f")]),
        ("a\tb, c\r\n\r\nd\te\n", [("a", "b, c"), ("d", "e")]),
        ("only a term", [("only a term", "")]),
        ("  \n ", []),
    ],
)
def test_a_pasted_list_splits_like_quizlet(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(row.term, row.definition) for row in split_paste(text)] == expected


def test_rows_follow_the_question_rules() -> None:
    rows = [CardRow(term="Q?", definition="!!!"), CardRow(), CardRow(term="Q2?", definition="x")]
    questions, errors = check_rows("short_answer", rows, {})
    assert list(errors) == [0] and "Answer" in errors[0] and len(questions) == 1
