"""flask import for the binary and pasted formats: Anki packages (.apkg, .colpkg), Quizlet's
export with its separators, Kahoot's sheet; subdecks as sets; a bad file writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Question, QuestionSet
from tests.anki_helpers import BASIC, NoteSpec, package, sample_deck
from tests.conftest import count_rows, make_user
from tests.kahoot_helpers import kahoot_sheet
from tests.test_cli_transfer import run


@pytest.fixture
def teacher(app: Flask) -> None:
    make_user(app, "tina", role="teacher")


@pytest.mark.parametrize(("fmt", "name"), [("apkg", "deck.apkg"), ("colpkg", "all.colpkg")])
def test_import_an_anki_package(
    app: Flask, teacher: None, tmp_path: Path, fmt: str, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(package(sample_deck(), "anki21b"))
    result = run(app, "import", str(path), "--owner", "tina", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert f"“Sahel” ({fmt}): 8 created" in result.output
    assert "warning:" in result.output and "several cloze numbers" in result.output
    guessed = run(app, "import", str(path), "--owner", "tina")  # guessed from the zip
    assert guessed.exit_code == 0 and f"({fmt}): 8 created" in guessed.output


def test_subdecks_as_sets(app: Flask, teacher: None, tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    path.write_bytes(package(sample_deck(), "anki21"))
    result = run(app, "import", str(path), "--owner", "tina", "--group-as", "sets")
    assert result.exit_code == 0, result.output
    assert result.output.count("Set ") == 3
    assert count_rows(app, QuestionSet) == 3 and count_rows(app, Question) == 8


def test_a_malformed_package_names_the_note_and_writes_nothing(
    app: Flask, teacher: None, tmp_path: Path
) -> None:
    deck = sample_deck()
    deck.notes.append(NoteSpec(777, BASIC, ["lonely"]))
    path = tmp_path / "bad.apkg"
    path.write_bytes(package(deck, "anki21b"))
    result = run(app, "import", str(path), "--owner", "tina", "--format", "apkg")
    assert result.exit_code != 0 and "bad.apkg, note 777: it has 1 fields" in result.output
    assert count_rows(app, QuestionSet) == 0


def test_import_quizlet_with_separators(app: Flask, teacher: None, tmp_path: Path) -> None:
    path = tmp_path / "quizlet.txt"
    path.write_text("chien, dog;chat, cat;", encoding="utf-8")
    args = ["import", str(path), "--owner", "tina", "--format", "quizlet"]
    result = run(app, *args, "--term-sep", ", ", "--row-sep", "semicolon")
    assert result.exit_code == 0, result.output
    assert "(quizlet): 2 created" in result.output
    with app.app_context():
        specs = db.session.scalars(sa.select(Question.spec).order_by(Question.position)).all()
    assert [spec["back"] for spec in specs] == ["dog", "cat"]
    refused = run(app, *args)  # tab between term and definition: row 1 has none
    assert refused.exit_code != 0 and "row 1: no separator (a tab)" in refused.output


def test_import_kahoot(app: Flask, teacher: None, tmp_path: Path) -> None:
    path = tmp_path / "kahoot.xlsx"
    path.write_bytes(kahoot_sheet())
    result = run(app, "import", str(path), "--owner", "tina", "--format", "kahoot")
    assert result.exit_code == 0, result.output
    assert "(kahoot): 3 created" in result.output
    with app.app_context():
        assert "suggested quiz time limit of 1 minute" in db.session.scalar(
            sa.select(QuestionSet.description)
        )
