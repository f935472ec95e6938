"""Quizlet's export with each of its separator choices, and Kahoot's spreadsheet template:
rows as written, a bad row named, the time limits added up; both through the import page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.formats.common import FormatError
from quiz.formats.kahoot import read_kahoot
from quiz.formats.quizlet import Separators, read_quizlet, separators
from quiz.formats.upload import read_upload
from quiz.models import Question
from tests.conftest import count_rows
from tests.kahoot_helpers import kahoot_sheet
from tests.transfer_helpers import client_for, confirm_fields, make_roles


@pytest.mark.parametrize(
    ("text", "choice"),
    [
        ("chien\tdog\nchat\tcat\n", ("tab", "newline", "", "")),
        ("chien,dog;chat,cat", ("comma", "semicolon", "", "")),
        ("chien - dog||chat - cat||", ("custom", "custom", " - ", "||")),
        ("chien\\tdog\\nchat\\tcat", ("custom", "custom", "\\\\t", "\\\\n")),
    ],
)
def test_each_separator_choice_reads_the_same_cards(text: str, choice: tuple) -> None:
    seps = separators(*choice)
    if choice[2] == "\\\\t":
        text, seps = "chien\\tdog\\nchat\\tcat", Separators("\\t", "\\n")
    result = read_quizlet(text, seps)
    assert [(q.question.prompt, q.question.back) for q in result.questions] == [
        ("chien", "dog"), ("chat", "cat")
    ]  # fmt: skip
    assert result.unit == "row" and result.lines == (1, 2)


def test_written_separators_mean_the_characters() -> None:
    assert separators("custom", "custom", "\\t", "\\n") == Separators("\t", "\n")


def test_only_the_first_separator_splits_and_text_shows_as_written() -> None:
    result = read_quizlet("2*3\t6, or *six*\n", Separators("\t", "\n"))
    card = result.questions[0].question
    assert (card.prompt, card.back) == ("2\\*3", "6, or \\*six\\*")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("chien\tdog\nchat cat\n", "row 2: no separator (a tab) between term and definition"),
        ("chien\tdog\n\n\t cat\n", "row 3: the term or the definition is empty"),
    ],
)
def test_a_bad_row_is_named(text: str, problem: str) -> None:
    with pytest.raises(FormatError) as error:
        read_quizlet(text, Separators())
    assert str(error.value) == problem


@pytest.mark.parametrize(
    ("choice", "problem"),
    [
        (("custom", "newline", "", ""), "choose or type both separators"),
        (("comma", "custom", "", ","), "must differ"),
        (("custom", "newline", "x" * 21, ""), "at most 20 characters"),
    ],
)
def test_unusable_separators_are_refused(choice: tuple, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        separators(*choice)


def test_kahoot_rows_become_choice_questions_with_a_time_limit() -> None:
    result = read_kahoot(kahoot_sheet())
    kinds = [(q.question.kind, q.question.answer_text()) for q in result.questions]
    assert kinds == [
        ("multiple_choice", "Niger"),
        ("multiple_select", "Agadez; Niamey; Zinder"),
        ("multiple_choice", "True"),
    ]
    assert result.lines == (9, 10, 11) and result.unit == "row"
    assert result.time_limit_s == 60
    assert "10 to 30 s each, 60 seconds in all" in result.description


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (["Q?", "A", "", "", "", 20, 1], "row 9: fewer than two answers"),
        (["Q?", "A", "B", "", "", 20, "5"], "row 9: correct answer '5' is not a number from 1"),
        (["Q?", "A", "B", "", "", 20, ""], "row 9: no correct answer number"),
        (["Q?", "A", "B", "", "", "soon", 1], "row 9: time limit 'soon' is not a number"),
        (["", "A", "B", "", "", 20, 1], "row 9: the question is empty"),
    ],
)
def test_a_bad_kahoot_row_is_named(row: list, problem: str) -> None:
    with pytest.raises(FormatError) as error:
        read_kahoot(kahoot_sheet([row]))
    assert str(error.value).startswith(problem)


def test_a_sheet_without_the_template_header_is_refused() -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Just a list"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(FormatError, match="no header row with Question"):
        read_upload(out.getvalue(), "guess", "list.xlsx")


def test_a_quizlet_paste_previews_its_rows_and_imports(app: Flask) -> None:
    make_roles(app)
    client = client_for(app, "tina")
    form = {
        "text": "chien - dog||chat - cat||oiseau - bird",
        "fmt": "quizlet",
        "quizlet_term": "custom",
        "quizlet_term_custom": " - ",
        "quizlet_row": "custom",
        "quizlet_row_custom": "||",
        "target": "new",
        "visibility": "private",
    }
    page = client.post("/teach/import", data=form)
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:400]
    assert '<th scope="col">Row</th>' in html and "oiseau" in html and "3 questions" in html
    assert count_rows(app, Question) == 0
    assert client.post("/teach/import/confirm", data=confirm_fields(html)).status_code == 302
    with app.app_context():
        backs = db.session.scalars(sa.select(Question.spec).order_by(Question.position)).all()
    assert [spec["back"] for spec in backs] == ["dog", "cat", "bird"]


def test_a_bad_quizlet_row_is_named_on_the_page(app: Flask) -> None:
    make_roles(app)
    page = client_for(app, "tina").post(
        "/teach/import",
        data={"text": "a,b\nc d\n", "fmt": "quizlet", "quizlet_term": "comma",
              "quizlet_row": "newline", "target": "new", "visibility": "private"},
    )  # fmt: skip
    assert page.status_code == 422
    assert "row 2: no separator (a comma) between term and definition" in page.get_data(
        as_text=True
    )


def test_a_damaged_or_hostile_sheet_is_refused_never_a_crash() -> None:
    import io
    import zipfile

    from tests.anki_helpers import zip_of

    with zipfile.ZipFile(io.BytesIO(kahoot_sheet())) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    cut = {**entries, "xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}
    bomb = b"<!DOCTYPE x [<!ENTITY a 'b'>]><workbook>&a;</workbook>"  # defusedxml refuses it
    entity = {**entries, "xl/workbook.xml": bomb}
    for data in (zip_of(cut), zip_of(entity), zip_of({"xl/workbook.xml": b"<x/>"})):
        with pytest.raises(FormatError, match="not a spreadsheet openpyxl can read"):
            read_upload(data, "kahoot")
