"""No question of a set gives away another's answer in anything it displays, unless the pair is
recorded (and so kept apart); and true/false answers are balanced.

To see the check fail on an older bank: BANK_DIR=/some/old/questions pytest this file.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from quiz.bank import load_recorded
from quiz.formats.yaml_bank import SetData, load_bank
from quiz.giveaways import Giveaway, find_giveaways, shown_fields
from quiz.questions import TrueFalse, question_from_dict

BANK = Path(os.environ.get("BANK_DIR") or Path(__file__).resolve().parent.parent / "questions")


def _q(**fields: object) -> object:
    """A question from its fields, with a placeholder explanation."""
    return question_from_dict({"explanation": "x", **fields})


def test_finder_catches_a_giveaway_in_a_prompt() -> None:
    """A prompt naming the month gives away the cloze about the month."""
    cloze = _q(kind="cloze", prompt="Fill in.", text="The order came in {{March}}.")
    asks = _q(kind="short_answer", prompt="Who gave the order in March?", answers=["Niger"])
    other = _q(kind="short_answer", prompt="Which month?", answers=["May"])
    found = find_giveaways([("c", cloze), ("a", asks), ("o", other)])
    assert found == [Giveaway("a", "c", "March", "prompt")]


@pytest.mark.parametrize(
    ("teller", "field"),
    [
        (_q(kind="multiple_choice", prompt="Pick.",
            choices=[{"text": "Air Base 101 in Niamey", "correct": True}, {"text": "Agadez"}]),
         "choice"),
        (_q(kind="multiple_select", prompt="Pick.",
            choices=[{"text": "Niamey", "correct": True}, {"text": "Mali"}]), "choice"),
        (_q(kind="matching", prompt="Match.",
            pairs=[{"left": "Niamey", "right": "capital"}, {"left": "Agadez", "right": "base"},
                   {"left": "Chad", "right": "elections"}]),
         "pair"),
        (_q(kind="ordering", prompt="Order.", items=["Coup", "Russians reach Niamey", "Elections"]),
         "item"),
        (_q(kind="flashcard", prompt="Niamey", back="The capital"), "prompt"),
        (_q(kind="flashcard", prompt="Air Base 101", back="At the airport of Niamey"), "back"),
        (_q(kind="cloze", prompt="Fill.", text="Niamey is the capital of {{Niger}}."), "text"),
    ],
)  # fmt: skip
def test_finder_reads_every_displayed_field(teller: object, field: str) -> None:
    """Choices, pairs, items, a card's front and back and a cloze's words all count."""
    told = _q(kind="short_answer", prompt="Which city has the base?", answers=["Niamey"])
    assert find_giveaways([("t", teller), ("q", told)]) == [Giveaway("t", "q", "Niamey", field)]


def test_every_field_a_kind_shows_is_read() -> None:
    """shown_fields names a field for each displayed part of a matching question."""
    pairs = [{"left": left, "right": right} for left, right in ("ab", "cd", "ef")]
    matching = _q(kind="matching", prompt="P", pairs=pairs)
    assert [name for name, _ in shown_fields(matching)] == ["prompt", "pair", "pair", "pair"]


@pytest.fixture(scope="module")
def bank() -> list[SetData]:
    """Every set of the bank."""
    return load_bank(BANK)


def test_no_field_gives_away_another_answer_unless_recorded(bank: list[SetData]) -> None:
    """Every give-away left in the bank is recorded in giveaways.csv, so it is kept apart."""
    recorded = load_recorded(BANK, bank)
    problems = []
    for data in bank:
        kept = {(r.teller, r.told) for r in recorded.get(data.slug, [])}
        for g in find_giveaways([(q.key, q.question) for q in data.questions]):
            if (g.teller, g.told) not in kept:
                where = f"{data.slug}: {g.teller} ({g.field})"
                problems.append(f"{where} gives away {g.told}: {g.answer!r}")
    assert not problems, f"{len(problems)} give-aways:\n" + "\n".join(problems)


def test_true_false_answers_are_balanced(bank: list[SetData]) -> None:
    for data in bank:
        answers = Counter(
            q.question.answer for q in data.questions if isinstance(q.question, TrueFalse)
        )
        if answers:
            assert abs(answers[True] - answers[False]) <= 1, (data.slug, answers)
