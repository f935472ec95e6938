"""Aiken, CSV, Quizlet and Anki text readers on files with every construct; the guesser;
CSV formula neutralizing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from quiz.formats.common import FormatError
from quiz.formats.delimited import restore
from quiz.formats.delimited_writer import neutralize, write_csv
from quiz.formats.detect import detect, read
from quiz.formats.yaml_bank import QuestionData
from quiz.questions import question_from_dict
from tests.transfer_helpers import set_of

DATA = Path(__file__).parent / "data" / "formats"


def load(name: str) -> tuple[str, dict]:
    """A sample file read with a guessed format: the format and the questions by key."""
    fmt, result = read((DATA / name).read_text(encoding="utf-8"))
    return fmt, {item.key: item.question for item in result.questions} | {"_": result}


def test_aiken_every_construct() -> None:
    fmt, questions = load("every_construct_aiken.txt")
    assert fmt == "aiken"
    result = questions["_"]
    assert result.lines == (1, 7, 12)
    first, second, third = (item.question for item in result.questions)
    assert [c.text for c in first.choices] == ["Niamey", "Agadez", "Zinder"]
    assert [c.correct for c in first.choices] == [True, False, False]
    assert second.prompt == (
        "Which group did Niger, Mali and Burkina Faso form\nafter leaving the G5?"
    )  # a question may take two lines, options may use A)
    assert third.choices[0].text == "Amadou Abdramane" and third.choices[0].correct  # a. and a


def test_csv_every_kind_and_column() -> None:
    fmt, q = load("every_construct.csv")
    assert fmt == "csv"
    assert [c.feedback for c in q["host"].choices] == ["Yes.", "", "No."]
    assert q["host"].shuffle is False and q["host"].tags == ("places", "bases")
    assert q["host"].paragraph == 4
    assert [c.correct for c in q["aes"].choices] == [True, False, True]  # answer by letters
    assert q["austin"].answer is False and q["austin"].feedback_true == "Not what he said."
    assert q["city"].near_misses == ("Niamey",) and q["city"].fuzzy is False
    assert (q["dist"].value, q["dist"].tolerance, q["dist"].unit) == (750.0, 25.0, "km")
    assert q["count"].bounds == (55.0, 65.0)
    assert q["gap"].text == "The junta ordered US troops {{out}} in {{March|Mar}}."
    assert q["gap"].prompt == "Fill in the gaps."
    assert q["people"].pairs[0] == ("Lloyd Austin", "Defense Secretary")
    assert q["chad"].items[-1] == "Elections held"
    flashcard = next(v for k, v in q.items() if k.startswith("agadez-"))
    assert flashcard.back == "A city in central Niger."
    # cells written neutralized ('=..., '-..., '@...) read back as typed
    assert q["formula"].prompt == "=1+1 is written how?"
    assert q["formula"].answers == ("-two",) and q["formula"].explanation == "@explained"
    assert q["_"].lines[:3] == (2, 7, 11)  # a record's first line, multi-line cells counted


def test_csv_with_semicolons_and_no_bom() -> None:
    fmt, result = read("prompt;answer\nAgadez;A city\n")
    assert fmt == "csv" and result.questions[0].question.back == "A city"


def test_quizlet_cards() -> None:
    fmt, q = load("quizlet.tsv")
    assert fmt == "tsv"
    result = q["_"]
    assert result.counts() == {"flashcard": 3}
    assert result.lines == (1, 2, 4)
    assert (
        result.questions[2].question.back == "Next to the airport in Niamey; Russians arrived there"
    )


def test_anki_basic_with_headers_tags_and_quoted_lines() -> None:
    fmt, q = load("anki_basic.txt")
    assert fmt == "tsv"
    result = q["_"]
    first, second = (item.question for item in result.questions)
    assert first.back == "<b>City</b> in central Niger" and first.tags == ("places", "niger")
    assert second.prompt == "Multi\nline"
    assert any("#deck" in str(w) for w in result.warnings)


def test_anki_cloze_notes_become_cloze_questions() -> None:
    fmt, q = load("anki_cloze.txt")
    assert fmt == "tsv"
    question = q["_"].questions[0].question
    assert question.kind == "cloze"
    assert question.text == "The base is in {{Niamey}} near the {{airport}}"
    assert question.explanation == "From the article"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("::t:: Q {T}\n", "gift"),
        ("// comment\nQ? {=a ~b}\n", "gift"),
        ("Q?\nA. x\nB. y\nANSWER: A\n", "aiken"),
        ("kind,prompt,answer\nflashcard,a,b\n", "csv"),
        ("term\tdefinition\n", "tsv"),
        ("set {x}\ta brace in a card\nb\tc\n", "tsv"),
        ("#separator:tab\na\tb\n", "tsv"),
        ("slug: s\ntitle: T\nquestions: []\n", "yaml"),
    ],
)
def test_detect(text: str, fmt: str) -> None:
    assert detect(text) == fmt


def test_detect_gives_up_with_a_message() -> None:
    with pytest.raises(FormatError, match="could not tell the format"):
        detect("just some words\n")


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+1", "'+1"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=already", "''=already"),
        ("plain = text", "plain = text"),
        ("'quoted", "'quoted"),
    ],
)
def test_formula_cells_are_neutralized_and_restored(cell: str, written: str) -> None:
    assert neutralize(cell) == written
    assert restore(written) == cell


def test_exported_csv_has_no_cell_a_spreadsheet_would_run() -> None:
    question = question_from_dict(
        {
            "kind": "multiple_choice",
            "prompt": '=HYPERLINK("http://evil.example","x")',
            "explanation": "@SUM(1)",
            "choices": [{"text": "-1", "correct": True}, {"text": "+2"}],
        }
    )
    data = set_of([QuestionData("q", question)])
    text, _ = write_csv(data)
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r"
    assert read(text)[1].questions == data.questions
