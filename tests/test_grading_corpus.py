"""Fairness of typed-answer grading, measured on a corpus of answers students would type.

Issue 8's goals: right answers marked wrong at most 5%, refused ("reformat") at most 10%, wrong
answers accepted at most 1%. Run with `-s` to see the rates and every miss, or
`python -m tests.test_grading_corpus` for the rates alone: the other subjects' tuning part, their
held-out part (issue 23) and the starter bank's corpora.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from quiz.questions import Cloze, Question, ResponseError, question_from_dict

ROOT = Path(__file__).resolve().parents[1]
STARTER = ["typed_answers.yaml", "typed_answers_heldout.yaml"]
TUNING, HELD_OUT = "typed_answers_subjects.yaml", "typed_answers_subjects_heldout.yaml"
CORPORA = [*STARTER, TUNING, HELD_OUT]


@dataclass
class Tally:
    """Outcomes of one corpus."""

    right: int = 0
    right_marked_wrong: int = 0
    right_refused: int = 0
    wrong: int = 0
    wrong_accepted: int = 0
    misses: list[str] = field(default_factory=list)

    def rates(self) -> tuple[float, float, float]:
        """Marked wrong and refused (of right answers), accepted (of wrong answers)."""
        return (
            self.right_marked_wrong / max(1, self.right),
            self.right_refused / max(1, self.right),
            self.wrong_accepted / max(1, self.wrong),
        )

    def add(self, other: "Tally") -> None:
        """Count another corpus's outcomes in with these."""
        self.right += other.right
        self.right_marked_wrong += other.right_marked_wrong
        self.right_refused += other.right_refused
        self.wrong += other.wrong
        self.wrong_accepted += other.wrong_accepted
        self.misses += other.misses

    def line(self, name: str) -> str:
        """The three rates in one line."""
        marked_wrong, refused, accepted = self.rates()
        return (
            f"{name}: {self.right} right answers: {marked_wrong:.1%} marked wrong, "
            f"{refused:.1%} refused; {self.wrong} wrong answers: {accepted:.1%} accepted"
        )


def load_questions(corpus: dict[str, Any]) -> dict[str, Question]:
    """The bank's questions (read now, so alternatives added later count) and the corpus's own."""
    questions = {}
    bank = {"questions": []}
    if "bank" in corpus:
        bank = yaml.safe_load((ROOT / corpus["bank"]).read_text(encoding="utf-8"))
    for item in bank["questions"]:
        fields = {key: value for key, value in item.items() if key != "id"}
        questions[item["id"]] = question_from_dict(fields)
    for key, fields in corpus["questions"].items():
        questions[key] = question_from_dict({"prompt": "Q?", "explanation": "Why.", **fields})
    return questions


def response_for(item: Question, gap: int | None, said: str) -> Any:
    """The response to grade: the text, or for a cloze every gap right but the one under test.

    A list is a whole cloze response, every gap as the student filled it.
    """
    if not isinstance(item, Cloze) or isinstance(said, list):
        return said
    gaps = [answers[0] for answers in item.gaps()]
    gaps[(gap or 1) - 1] = said
    return gaps


def grade_corpus(name: str) -> Tally:
    """Grade every entry of one corpus file."""
    corpus = yaml.safe_load((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    questions = load_questions(corpus)
    tally = Tally()
    for key, said, expected in corpus["answers"]:
        assert expected in ("right", "wrong"), (key, said, expected)
        question_id, _, gap = key.partition("#")
        item = questions[question_id]
        try:
            correct = item.grade(response_for(item, int(gap) if gap else None, said)).correct
            refused = False
        except ResponseError:
            correct, refused = False, True
        if expected == "right":
            tally.right += 1
            tally.right_refused += refused
            tally.right_marked_wrong += not correct and not refused
            if not correct:
                tally.misses.append(f"{'refused' if refused else 'marked wrong'}: {key} {said!r}")
        else:
            tally.wrong += 1
            tally.wrong_accepted += correct
            if correct:
                tally.misses.append(f"accepted: {key} {said!r}")
    return tally


@pytest.mark.parametrize("name", CORPORA)
def test_typed_answers_are_graded_fairly(name: str) -> None:
    tally = grade_corpus(name)
    marked_wrong, refused, accepted = tally.rates()
    print("\n" + tally.line(name))
    for miss in tally.misses if name != HELD_OUT else []:
        print("  " + miss)
    assert tally.right >= 100 if name in (CORPORA[0], TUNING) else tally.right >= 50
    if name == HELD_OUT:
        # Its misses are not shown: rules are tuned on the other corpora only. Its bound is a
        # guard against regressions (its rates were 0.0%, 0.0%, 1.9% when the rules were made).
        shown = f"{len(tally.misses)} misses"
        assert marked_wrong <= 0.05 and refused <= 0.10 and accepted <= 0.03, shown
        return
    assert marked_wrong <= 0.05 and refused <= 0.10 and accepted <= 0.01, tally.misses


def main() -> None:
    """Print the rates on the tuning part, the held-out part and the starter bank's corpora."""
    starter = Tally()
    for name in STARTER:
        starter.add(grade_corpus(name))
    print(grade_corpus(TUNING).line("tuning (other subjects)"))
    print(grade_corpus(HELD_OUT).line("held-out (other subjects)"))
    print(starter.line("starter bank corpora"))


if __name__ == "__main__":  # python -m tests.test_grading_corpus
    main()
