"""The authoring form of each kind: valid input is stored, invalid input is shown and not stored."""

from __future__ import annotations

from html import unescape

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Question
from quiz.questions import KINDS
from tests.conftest import AuthActions, count_rows
from tests.teach_helpers import VALID, error_next_to, make_set, question_ids, valid_form


@pytest.fixture
def teacher(app: Flask, client: FlaskClient, user_factory) -> int:
    """A logged-in teacher with an empty set (with a two-paragraph source text); the set id."""
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    return make_set(app, user.id)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_written_through_its_form(
    app: Flask, client: FlaskClient, teacher: int, kind: str
) -> None:
    page = client.get(f"/teach/sets/{teacher}/questions/new?kind={kind}")
    assert page.status_code == 200
    response = client.post(
        f"/teach/sets/{teacher}/questions/new?kind={kind}", data=valid_form(kind)
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.set_id == teacher))
        assert question.kind == kind and question.version == 1
        assert question.prompt == VALID[kind][0]["prompt"]
        assert question.spec == VALID[kind][1]
        assert question.tags == ["places", "niger"] and question.paragraph == 2
        assert question.explanation == "Because the notes say so."
    # The edit form shows it again as it was written.
    html = unescape(client.get(f"/teach/questions/{question.id}/edit").get_data(as_text=True))
    for name, value in VALID[kind][0].items():
        if name not in ("correct", "shuffle", "fuzzy", "mode", "answer") and "-correct" not in name:
            assert value.replace("\r\n", "\n").strip().split("\n")[0] in html, name


INVALID = [
    ("essay", {"rubric-0-points": "0"}, "rubric-0-points", "must be above 0"),
    ("essay", {"word_limit": "many"}, "word_limit", "whole number"),
    ("multiple_choice", {"choices-1-text": ""}, "choices-1-text", "Write something here"),
    ("multiple_choice", {"correct": ""}, "choices", "tick the right answer"),
    ("multiple_select", {"choices-2-text": "mali"}, "choices-2-text", "repeats choice 1"),
    (
        "multiple_select",
        {"choices-0-correct": "", "choices-2-correct": ""},
        "choices",
        "at least one",
    ),
    ("true_false", {"answer": ""}, "answer", "required"),
    ("short_answer", {"answers": "Agadez\n!!!"}, "answers", "Line 2: Has no letters"),
    ("short_answer", {"answers": ""}, "answers", "at least 1"),
    ("short_answer", {"near_misses": "agadez"}, "near_misses", "also an accepted answer"),
    ("numeric", {"value": "seven"}, "value", "must be a number"),
    ("numeric", {"value": ""}, "value", "either value"),
    ("numeric", {"unit": "bananas per fortnight"}, "unit", ""),
    ("numeric", {"tolerance": "-3"}, "tolerance", "must not be negative"),
    ("numeric", {"mode": "range", "low": "800", "high": "700"}, "low", "above high"),
    ("numeric", {"mode": "range", "low": "700", "high": "far"}, "high", "must be a number"),
    ("cloze", {"text": "No gaps in this one."}, "text", "gap"),
    ("cloze", {"text": "An {{open gap"}, "text", ""),
    ("matching", {"pairs-2-right": "Capital"}, "pairs-2-right", "repeats pair 1"),
    ("matching", {"pairs-1-left": ""}, "pairs-1-left", "Write something here"),
    ("ordering", {"items-1-text": "", "items-2-text": ""}, "items", "at least"),
    ("ordering", {"items-2-text": "coup"}, "items-2-text", "repeats item 1"),
    ("flashcard", {"back": "  "}, "back", "Write something here"),
    ("flashcard", {"prompt": ""}, "prompt", "Write something here"),
    ("true_false", {"explanation": "  ", "answer": "maybe"}, "answer", "required"),
    ("short_answer", {"paragraph": "0"}, "paragraph", "whole number"),
    ("short_answer", {"paragraph": "two"}, "paragraph", "whole number"),
    ("multiple_choice", {"paragraph": "3"}, "paragraph", "there is no paragraph 3"),
]


@pytest.mark.parametrize(("kind", "changes", "key", "words"), INVALID)
def test_invalid_input_is_shown_next_to_its_field_and_not_written(
    app: Flask, client: FlaskClient, teacher: int, kind: str, changes: dict, key: str, words: str
) -> None:
    before = count_rows(app, Question)
    form = valid_form(kind, **changes)
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind={kind}", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    message = error_next_to(html, key)
    assert message is not None, (key, html[html.find("error-summary") :][:600])
    assert words.lower() in message.lower(), message
    assert count_rows(app, Question) == before
    # What was typed is kept.
    assert form["prompt"] in unescape(html)


def test_a_common_and_a_kind_error_are_shown_together(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    form = valid_form("matching", paragraph="x", **{"pairs-1-right": ""})
    response = client.post(f"/teach/sets/{teacher}/questions/new?kind=matching", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_next_to(html, "paragraph") and error_next_to(html, "pairs-1-right")
    # Listed in the order of the page: the pair comes before the source paragraph.
    assert html.index("Pair 2 goes with:") < html.index("Source paragraph:")
    assert "Pair 2 goes with: Write something here." in html


def test_invalid_edit_changes_nothing(app: Flask, client: FlaskClient, teacher: int) -> None:
    client.post(f"/teach/sets/{teacher}/questions/new?kind=numeric", data=valid_form("numeric"))
    (qid,) = question_ids(app, teacher)
    response = client.post(f"/teach/questions/{qid}/edit", data=valid_form("numeric", value="x"))
    assert response.status_code == 422 and error_next_to(response.get_data(as_text=True), "value")
    with app.app_context():
        question = db.session.get(Question, qid)
        assert question.spec["value"] == 750 and question.version == 1


@pytest.mark.parametrize(
    ("kind", "row_list", "field"),
    [
        ("multiple_choice", "choices", "text"),
        ("matching", "pairs", "left"),
        ("ordering", "items", "text"),
    ],
)
def test_rows_are_added_and_removed_without_javascript(
    app: Flask, client: FlaskClient, teacher: int, kind: str, row_list: str, field: str
) -> None:
    url = f"/teach/sets/{teacher}/questions/new?kind={kind}"
    form = valid_form(kind, prompt="Kept <as typed>")
    added = client.post(url, data={**form, "action": f"add-{row_list}"})
    html = added.get_data(as_text=True)
    assert added.status_code == 200
    assert f'name="{row_list}-3-{field}"' in html and f'name="{row_list}-4-{field}"' not in html
    assert "Kept &lt;as typed&gt;" in html
    removed = client.post(url, data={**form, "action": f"remove-{row_list}-0"})
    html = removed.get_data(as_text=True)
    assert f'name="{row_list}-2-{field}"' not in html
    second = form[f"{row_list}-1-{field}"]
    assert f'id="{row_list}-0-{field}" name="{row_list}-0-{field}" value="{second}"' in html
    assert count_rows(app, Question) == 0  # a row action never saves


def test_multiple_choice_keeps_the_right_answer_when_a_row_above_goes(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    url = f"/teach/sets/{teacher}/questions/new?kind=multiple_choice"
    form = valid_form("multiple_choice", correct="2")  # Dosso is right
    html = client.post(url, data={**form, "action": "remove-choices-0"}).get_data(as_text=True)
    assert 'name="correct" value="1" data-row-value checked' in html


def test_questions_are_reordered_with_up_and_down(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    set_id = make_set(app, user.id, questions=3)
    first, second, third = question_ids(app, set_id)
    assert (
        client.post(f"/teach/questions/{third}/move", data={"direction": "up"}).status_code == 302
    )
    assert question_ids(app, set_id) == [first, third, second]
    client.post(f"/teach/questions/{first}/move", data={"direction": "down"})
    assert question_ids(app, set_id) == [third, first, second]
    client.post(f"/teach/questions/{third}/move", data={"direction": "up"})  # already first
    assert question_ids(app, set_id) == [third, first, second]
    assert client.post(f"/teach/questions/{first}/move", data={"direction": "x"}).status_code == 400


def test_removing_a_question_retires_it(app: Flask, client: FlaskClient, user_factory) -> None:
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    set_id = make_set(app, user.id, questions=2)
    first, second = question_ids(app, set_id)
    assert client.post(f"/teach/questions/{first}/retire").status_code == 302
    assert question_ids(app, set_id) == [second]
    with app.app_context():
        assert db.session.get(Question, first).retired  # kept, not deleted
    assert client.get(f"/teach/questions/{first}/edit").status_code == 404


def test_preview_grades_without_recording(app: Flask, client: FlaskClient, teacher: int) -> None:
    from quiz.models import Card, Review

    client.post(f"/teach/sets/{teacher}/questions/new?kind=numeric", data=valid_form("numeric"))
    (qid,) = question_ids(app, teacher)
    page = client.get(f"/teach/questions/{qid}/preview").get_data(as_text=True)
    assert 'name="answer"' in page and 'name="seed"' in page and "750" not in page
    right = client.post(f"/teach/questions/{qid}/preview", data={"seed": "3", "answer": "460 mi"})
    html = right.get_data(as_text=True)
    assert right.status_code == 200 and ">Right</h2>" in html
    assert "Agadez lies about 750 km to the northeast." in html  # the cited passage
    wrong = client.post(f"/teach/questions/{qid}/preview", data={"seed": "3", "answer": "100"})
    assert ">Wrong</h2>" in wrong.get_data(as_text=True) and "too low" in wrong.get_data(
        as_text=True
    )
    bad = client.post(f"/teach/questions/{qid}/preview", data={"seed": "3", "answer": "far"})
    assert bad.status_code == 422 and 'role="alert"' in bad.get_data(as_text=True)
    assert count_rows(app, Card) == 0 and count_rows(app, Review) == 0


def test_preview_with_a_huge_seed_gets_a_new_one(
    app: Flask, client: FlaskClient, teacher: int
) -> None:
    """A seed of 5,000 digits (Hypothesis found it) once raised ValueError: a 500."""
    client.post(f"/teach/sets/{teacher}/questions/new?kind=numeric", data=valid_form("numeric"))
    (qid,) = question_ids(app, teacher)
    response = client.post(
        f"/teach/questions/{qid}/preview", data={"seed": "9" * 5000, "answer": "750 km"}
    )
    assert response.status_code == 200 and ">Right</h2>" in response.get_data(as_text=True)


def test_flashcard_preview_rates(app: Flask, client: FlaskClient, teacher: int) -> None:
    client.post(f"/teach/sets/{teacher}/questions/new?kind=flashcard", data=valid_form("flashcard"))
    (qid,) = question_ids(app, teacher)
    page = client.get(f"/teach/questions/{qid}/preview").get_data(as_text=True)
    assert 'name="rating" value="good"' in page
    html = client.post(f"/teach/questions/{qid}/preview", data={"rating": "good"}).get_data(
        as_text=True
    )
    assert ">Right</h2>" in html and "US Defense Secretary" in html
