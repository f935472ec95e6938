"""Weighted answers as the GIFT and Moodle XML readers find them, into our kinds' fields. Pure.

Both formats give every answer a percentage (Moodle's fraction): 100 is right, 0 wrong, and
anything between partly right. These functions keep the weights the question model can hold
and say, as a warning, what they cannot; nothing partly right is ever taken as right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FULL = 100.0
_SLACK = 0.001  # Moodle writes 100 as "100" but thirds as 33.33333
_SUM_SLACK = 0.01


class Skipped(Exception):
    """A question the app cannot hold faithfully: left out with a warning saying why."""


@dataclass(frozen=True)
class Weighted:
    """One answer as read: its text (or number spec), percentage and feedback."""

    text: str
    credit: float
    feedback: str = ""

    @property
    def full(self) -> bool:
        """Worth 100%."""
        return abs(self.credit - FULL) < _SLACK


def pct(value: float) -> str:
    """A percentage for a message: "25%", "33.33333%"."""
    return f"{value:.7g}%"


def _choice(answer: Weighted, correct: bool, weight: float | None) -> dict[str, Any]:
    """One choice's fields."""
    out: dict[str, Any] = {"text": answer.text, "correct": correct}
    if weight is not None:
        out["weight"] = weight
    if answer.feedback:
        out["feedback"] = answer.feedback
    return out


def single_choice(answers: list[Weighted], warn: Callable[[str], None]) -> dict[str, Any]:
    """Multiple choice: the one 100% answer is right, partly right ones keep their weight."""
    full = [a for a in answers if a.full]
    if len(full) != 1:
        raise Skipped(f"a single-answer question needs one answer worth 100%, found {len(full)}")
    choices = []
    for answer in answers:
        weight = None
        if not answer.full and answer.credit > 0:
            weight = round(answer.credit, 5)
        elif answer.credit < 0:
            warn(f"'{answer.text}' costs {pct(-answer.credit)}; kept as 0% (scores stop at 0)")
        choices.append(_choice(answer, answer.full, weight))
    return {"kind": "multiple_choice", "choices": choices}


def multiple_select(answers: list[Weighted], warn: Callable[[str], None]) -> dict[str, Any]:
    """Multiple select: equal right shares use the plain rule, other weights are kept."""
    positive = [a.credit for a in answers if a.credit > 0]
    if not positive:
        raise Skipped("no answer is worth anything")
    share = positive[0]
    equal = max(positive) - min(positive) < _SLACK
    penalties = {round(-a.credit, 3) for a in answers if a.credit <= 0}
    if equal and penalties <= {round(share, 3)}:
        # The plain rule (a wrong tick costs one right share) says exactly this.
        choices = [_choice(a, a.credit > 0, None) for a in answers]
        return {"kind": "multiple_select", "choices": choices}
    if not [a for a in answers if a.credit < 0]:
        warn("no wrong choice costs anything, so ticking every choice scores 100%, as in Moodle")
    total = sum(positive)
    if abs(total - FULL) > _SUM_SLACK:
        raise Skipped(f"the right answers' weights add up to {pct(total)}, not 100%")
    choices = []
    for answer in answers:
        weight = max(-FULL, round(answer.credit, 5))
        if answer.credit < -FULL:
            warn(f"'{answer.text}' costs {pct(-answer.credit)}; kept as -100%")
        choices.append(_choice(answer, weight > 0, weight or None))
    return {"kind": "multiple_select", "choices": choices}


def short_answers(answers: list[Weighted], warn: Callable[[str], None]) -> dict[str, Any]:
    """Short answer: 100% answers accepted, partly right ones weighted, 0% near misses."""
    accepted: list[Any] = []
    near: list[Any] = []
    for answer in answers:
        item: dict[str, Any] = {"text": answer.text}
        if answer.feedback:
            item["feedback"] = answer.feedback
        if answer.full:
            accepted.append(item if answer.feedback else answer.text)
        elif answer.credit > 0:
            accepted.append({**item, "weight": round(answer.credit, 5)})
        else:
            if answer.credit < 0:
                warn(f"'{answer.text}' costs {pct(-answer.credit)}; kept as a 0% near miss")
            near.append(item if answer.feedback else answer.text)
    if not any(isinstance(a, str) or "weight" not in a for a in accepted):
        raise Skipped("no answer is worth 100%")
    out: dict[str, Any] = {"kind": "short_answer", "answers": accepted}
    if near:
        out["near_misses"] = near
    return out


def numeric_answers(
    numbers: list[tuple[dict[str, Any], Weighted]], warn: Callable[[str], None]
) -> dict[str, Any]:
    """Numeric: the first 100% number is the answer; partly right numbers keep their weight.

    `numbers` pairs each answer's {value, tolerance} or {range} with its weight and feedback.
    """
    full = [(spec, a) for spec, a in numbers if a.full]
    if not full:
        raise Skipped("no answer is worth 100%")
    spec, right = full[0]
    out: dict[str, Any] = {"kind": "numeric", **spec}
    if right.feedback:
        out["feedback"] = right.feedback
    partial = []
    for spec, answer in numbers:
        if answer is right:
            continue
        if answer.full:
            warn(f"'{answer.text}' not kept: only the first 100% answer is")
        elif answer.credit > 0:
            entry = {**spec, "weight": round(answer.credit, 5)}
            partial.append(entry | ({"feedback": answer.feedback} if answer.feedback else {}))
        else:
            warn(f"'{answer.text}' ({pct(answer.credit)}) not kept: a wrong number is no answer")
    if partial:
        out["partial"] = partial
    return out


def weighted_answers(
    texts: list[str], weights: list[float | None], feedback: list[str]
) -> list[Any]:
    """A short answer's `answers` from aligned columns: text alone where nothing else is said."""
    out: list[Any] = []
    for index, text in enumerate(texts):
        said = feedback[index] if index < len(feedback) else ""
        item: dict[str, Any] = {"text": text}
        if weights[index] is not None:
            item["weight"] = weights[index]
        if said:
            item["feedback"] = said
        out.append(item if len(item) > 1 else text)
    return out
