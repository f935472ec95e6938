"""No question of a set gives away another's answer, and true/false answers are balanced."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from quiz.formats.yaml_bank import QuestionData, SetData, load_bank
from quiz.questions import Cloze, Numeric, Question, ShortAnswer, TrueFalse
from quiz.textmatch import normalise, split_cloze

BANK = Path(__file__).resolve().parent.parent / "questions"


def recalled_answers(question: Question) -> list[str]:
    """The answers a student must produce or pick, as text another prompt could give away."""
    if isinstance(question, ShortAnswer):
        return list(question.answers)
    if isinstance(question, Cloze):
        return [answer for gap in question.gaps() for answer in gap]
    if isinstance(question, Numeric) and question.value is not None and question.value >= 10:
        return [f"{question.value:g}"]  # one-digit counts are too common to mean anything
    return []  # choices are shown with the question: recognising one is not recalling it


def shown_text(question: Question) -> str:
    """What the page shows before the answer: the prompt, and a cloze's text around its gaps."""
    parts = [question.prompt]
    if isinstance(question, Cloze):
        parts += [part for part in split_cloze(question.text) if isinstance(part, str)]
    return " ".join(parts)


def giveaways(questions: list[QuestionData]) -> list[tuple[str, str, str]]:
    """(question that tells, question told, answer) for every prompt containing a typed answer."""
    found = []
    shown = {item.key: f" {normalise(shown_text(item.question))} " for item in questions}
    for told in questions:
        for answer in recalled_answers(told.question):
            needle = f" {normalise(answer)} "
            if len(needle.strip()) < 3 and not needle.strip().isdigit():
                continue
            for teller in questions:
                if teller.key != told.key and needle in shown[teller.key]:
                    found.append((teller.key, told.key, answer))
    return found


def test_finder_catches_a_giveaway() -> None:
    """The finder itself: a prompt naming the month gives away the cloze about the month."""
    from quiz.questions import question_from_dict

    cloze = question_from_dict(
        {"kind": "cloze", "prompt": "Fill in.", "text": "The order came in {{March}}.",
         "explanation": "x"}
    )  # fmt: skip
    asks = question_from_dict(
        {"kind": "short_answer", "prompt": "Who gave the order in March?", "answers": ["Niger"],
         "explanation": "x"}
    )  # fmt: skip
    other = question_from_dict(
        {"kind": "short_answer", "prompt": "Which month?", "answers": ["May"], "explanation": "x"}
    )
    items = [QuestionData("c", cloze), QuestionData("a", asks), QuestionData("o", other)]
    assert giveaways(items) == [("a", "c", "March")]


@pytest.fixture(scope="module")
def bank() -> list[SetData]:
    """Every set of the bank."""
    return load_bank(BANK)


def test_no_prompt_gives_away_another_answer(bank: list[SetData]) -> None:
    for data in bank:
        found = giveaways(list(data.questions))
        assert not found, "\n".join(f"{a} gives away {b}: {answer!r}" for a, b, answer in found)


def test_true_false_answers_are_balanced(bank: list[SetData]) -> None:
    for data in bank:
        answers = Counter(
            q.question.answer for q in data.questions if isinstance(q.question, TrueFalse)
        )
        if answers:
            assert abs(answers[True] - answers[False]) <= 1, (data.slug, answers)
