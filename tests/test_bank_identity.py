"""A question's id is its identity: the seed refuses a change of kind or answer under an
existing id unless the change is named a correction (issue 28: `sahel-region-short`)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.bank import answer_change
from quiz.extensions import db
from quiz.models import Question
from quiz.questions import question_from_dict

REGION = """
slug: sahel-ids
title: Sahel ids
questions:
  - id: sahel-region-short
    kind: short_answer
    prompt: "Niger lies in which African region?"
    answers: ["Sahel", "the Sahel"]
    explanation: "Niger is in the Sahel."
  - id: capital
    kind: true_false
    prompt: "Niamey is Niger's capital."
    answer: true
    explanation: "It is."
"""
# The same id, now asking for the militant group: what the starter bank once did.
REUSED = REGION.replace(
    'prompt: "Niger lies in which African region?"\n    answers: ["Sahel", "the Sahel"]',
    'prompt: "The Sahel is the epicentre of which group?"\n    answers: ["Islamic State"]',
)


def seed_dir(app: Flask, tmp_path: Path, text: str) -> Path:
    """A bank folder holding one set file, made the app's bank."""
    folder = tmp_path / "bank"
    folder.mkdir(exist_ok=True)
    (folder / "sahel-ids.yaml").write_text(text)
    app.config["QUESTION_BANK_DIR"] = str(folder)
    return folder


def stored(app: Flask, key: str) -> Question:
    """The stored question with this key."""
    with app.app_context():
        question = db.session.scalar(sa.select(Question).where(Question.key == key))
        assert question is not None
        db.session.expunge(question)
        return question


def test_seed_refuses_a_reused_id_and_writes_nothing(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    seed_dir(app, tmp_path, REGION)
    assert runner.invoke(args=["seed"]).exit_code == 0
    seed_dir(app, tmp_path, REUSED.replace("answer: true", "answer: false"))
    result = runner.invoke(args=["seed"])
    assert result.exit_code != 0
    assert "sahel-ids/sahel-region-short: accepted 'Sahel', now 'Islamic State'" in result.output
    assert "sahel-ids/capital: the answer was flipped" in result.output
    assert "new id" in result.output and "--correct" in result.output
    question = stored(app, "sahel-region-short")
    assert question.spec["answers"] == ["Sahel", "the Sahel"] and question.version == 1


def test_a_correction_flag_lets_the_change_through(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    seed_dir(app, tmp_path, REGION)
    runner.invoke(args=["seed"])
    seed_dir(app, tmp_path, REUSED)
    result = runner.invoke(args=["seed", "--correct", "sahel-ids/sahel-region-short"])
    assert result.exit_code == 0, result.output
    question = stored(app, "sahel-region-short")
    assert question.spec["answers"] == ["Islamic State"] and question.version == 2


def test_a_new_id_retires_the_old_question(app: Flask, tmp_path: Path) -> None:
    """What the starter bank now does: the old row keeps its content and history, retired."""
    runner = app.test_cli_runner()
    seed_dir(app, tmp_path, REGION)
    runner.invoke(args=["seed"])
    seed_dir(app, tmp_path, REUSED.replace("id: sahel-region-short", "id: sahel-militant-group"))
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    old = stored(app, "sahel-region-short")
    assert old.retired and old.spec["answers"] == ["Sahel", "the Sahel"]
    assert not stored(app, "sahel-militant-group").retired


def test_start_up_stops_on_a_reused_id(app: Flask, tmp_path: Path) -> None:
    """`python app.py` seeds too: it stops with the reason instead of serving a wrong bank."""
    from quiz.bank import SeedRefused
    from quiz.cli import seed_bank

    seed_dir(app, tmp_path, REGION)
    with app.app_context():
        seed_bank()
    seed_dir(app, tmp_path, REUSED)
    with app.app_context(), pytest.raises(SeedRefused, match="sahel-region-short"):
        seed_bank()


def q(**fields: object) -> object:
    """A question from fields, with a placeholder explanation."""
    return question_from_dict({"prompt": "P?", "explanation": "x", **fields})


def sa_(*answers: str) -> object:
    """A short answer accepting these."""
    return q(kind="short_answer", answers=list(answers))


def num(value: float, unit: str = "km") -> object:
    """A numeric question of 750 km give or take 25."""
    return q(kind="numeric", value=value, tolerance=25, unit=unit)


def mc(right: str, *wrong: str) -> object:
    """A multiple choice with its right choice first."""
    choices = [{"text": right, "correct": True}, *({"text": w} for w in wrong)]
    return q(kind="multiple_choice", choices=choices)


def match(*pairs: str) -> object:
    """A matching question from "left=right" strings."""
    split = [p.split("=") for p in pairs]
    return q(kind="matching", pairs=[{"left": left, "right": right} for left, right in split])


def cloze(text: str) -> object:
    """A cloze question."""
    return q(kind="cloze", text=text)


def order(*items: str) -> object:
    """An ordering question."""
    return q(kind="ordering", items=list(items))


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        (sa_("Sahel"), sa_("the Sahel", "Sahel"), False),
        (sa_("Sahel"), sa_("Islamic State"), True),
        (sa_("Sahel"), cloze("In the {{Sahel}}."), True),
        (num(750), num(760), False),
        (num(750), num(460), True),
        (num(750), num(750, "mi"), True),
        (mc("Mali", "Chad", "Niger"), mc("Mali (first)", "Chad", "Niger"), False),
        (mc("Mali", "Chad", "Niger"), mc("Chad", "Mali", "Niger"), True),
        (cloze("{{March}} and {{May}}"), cloze("{{March|Mar}} then {{May}}"), False),
        (cloze("{{March}} and {{May}}"), cloze("{{March}}"), True),
        (match("a=1", "b=2", "c=3"), match("A.=1", "b=2", "c=3"), False),
        (match("a=1", "b=2", "c=3"), match("a=2", "b=1", "c=3"), True),
        (order("x", "y", "z"), order("x", "y", "z", "w"), False),
        (order("x", "y", "z"), order("y", "x", "z"), True),
        (q(kind="true_false", answer=True), q(kind="true_false", answer=False), True),
        (q(kind="flashcard", back="A city"), q(kind="flashcard", back="The capital"), False),
    ],
)
def test_answer_change_is_told_from_rewording(before: object, after: object, changed: bool) -> None:
    assert bool(answer_change(before, after)) is changed  # type: ignore[arg-type]
