"""Partial credit: weights (percent of the marks) and per-answer feedback. Pure.

A weight is a percentage as Moodle writes it: 100 is fully right, 25 is a quarter of the marks,
0 is wrong; multiple select also takes negative weights (Moodle's penalty for a wrong tick).
Scores are weight / 100, never rounded: 99.9% is partly right, not right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quiz.questions.base import Fields, check_number, check_text, response_text
from quiz.textmatch import Match, judge, match_feedback

FULL = 100.0
# Moodle writes thirds as 33.33333: three of them must still add up to 100.
SUM_SLACK = 0.01


def read_weight(fields: Fields, low: float, high: float, key: str = "weight") -> float | None:
    """An optional weight in percent between low and high (inclusive)."""
    value = fields.number(key)
    if value is not None and not low <= value <= high:
        raise fields.error(key, f"must be a percentage from {low:g} to {high:g}, not {value:g}")
    return value


def percent(weight: float) -> str:
    """A weight for people: "25%", "33.33333%"."""
    return f"{weight:.7g}%"


def partly_right_note(answers: list[tuple[str, float]]) -> str:
    """ " (partly right: Agadez 50%, Zinder 25%)" for an answer's words; "" when none."""
    if not answers:
        return ""
    return " (partly right: " + ", ".join(f"{t} {percent(w)}" for t, w in answers) + ")"


@dataclass(frozen=True)
class TypedAnswer:
    """A typed answer worth part of the marks, with the feedback for a student who gives it."""

    text: str
    weight: float  # strictly between 0 and 100
    feedback: str = ""

    def spec(self) -> dict[str, Any]:
        """As in YAML: text, weight and any feedback."""
        out: dict[str, Any] = {"text": self.text, "weight": self.weight}
        if self.feedback:
            out["feedback"] = self.feedback
        return out


@dataclass(frozen=True)
class ShortAnswerList:
    """A short answer's `answers` and `near_misses` lists, split by weight."""

    answers: tuple[str, ...]  # fully right
    near_misses: tuple[str, ...]  # wrong however close
    partial: tuple[TypedAnswer, ...]  # partly right
    feedback: tuple[tuple[str, str], ...]  # (answer or near miss, its feedback)


def read_short_answers(fields: Fields) -> ShortAnswerList:
    """`answers` (text or {text, weight, feedback}) and `near_misses` (text or {text, feedback})."""
    answers: list[str] = []
    near: list[str] = []
    partial: list[TypedAnswer] = []
    notes: list[tuple[str, str]] = []
    for path, item in fields.items("answers", minimum=1):
        text, weight, feedback = _typed_item(item, path, ("text", "weight", "feedback"))
        if weight is None or weight == FULL:
            answers.append(text)
        elif weight == 0:
            near.append(text)
        else:
            partial.append(TypedAnswer(text, weight, feedback))
            continue
        if feedback:
            notes.append((text, feedback))
    for path, item in fields.items("near_misses", minimum=0, required=False):
        text, _weight, feedback = _typed_item(item, path, ("text", "feedback"))
        near.append(text)
        if feedback:
            notes.append((text, feedback))
    if not answers:
        raise fields.error("answers", "needs at least one answer worth 100%")
    return ShortAnswerList(tuple(answers), tuple(near), tuple(partial), tuple(notes))


def check_distinct(fields: Fields, lists: ShortAnswerList, key: Callable[[str], str]) -> None:
    """No partly right answer or near miss is also another answer (compared by `key`)."""
    seen = {key(answer): "an accepted answer" for answer in lists.answers}
    for answer in lists.partial:
        if not key(answer.text):
            raise fields.error("answers", f"'{answer.text}' has no letters or digits")
        if key(answer.text) in seen:
            raise fields.error("answers", f"'{answer.text}' is also {seen[key(answer.text)]}")
        seen[key(answer.text)] = "a partly right answer"
    for index, miss in enumerate(lists.near_misses):
        if key(miss) in seen:
            raise fields.error(f"near_misses[{index}]", f"'{miss}' is also {seen[key(miss)]}")


def _typed_item(item: Any, path: str, allowed: tuple[str, ...]) -> tuple[str, float | None, str]:
    """One answer: a plain string, or a mapping with text, optional weight and feedback."""
    if not isinstance(item, dict):  # plain text, with the usual message when it is not
        return check_text(item, path), None, ""
    fields = Fields(item, path, allowed)
    weight = read_weight(fields, 0.0, FULL) if "weight" in allowed else None
    return fields.text("text"), weight, fields.text("feedback", required=False)


def short_answer_spec(
    answers: tuple[str, ...],
    near_misses: tuple[str, ...],
    partial: tuple[TypedAnswer, ...],
    feedback: tuple[tuple[str, str], ...],
) -> dict[str, Any]:
    """The YAML lists back: plain strings where an answer has no feedback of its own."""
    notes = dict(feedback)

    def item(text: str) -> str | dict[str, str]:
        return {"text": text, "feedback": notes[text]} if text in notes else text

    out: dict[str, Any] = {"answers": [item(text) for text in answers]}
    out["answers"] += [answer.spec() for answer in partial]
    if near_misses:
        out["near_misses"] = [item(text) for text in near_misses]
    return out


@dataclass(frozen=True)
class NumericAnswer:
    """A number worth part of the marks: a value give or take a tolerance, or a range."""

    weight: float  # strictly between 0 and 100
    value: float | None = None
    tolerance: float = 0.0
    bounds: tuple[float, float] | None = None
    feedback: str = ""

    def limits(self) -> tuple[float, float]:
        """The lowest and highest values it covers."""
        if self.bounds is not None:
            return self.bounds
        value = self.value or 0.0
        return value - self.tolerance, value + self.tolerance

    def spec(self) -> dict[str, Any]:
        """As in YAML."""
        out = number_spec(self.bounds, self.value, self.tolerance)
        out["weight"] = self.weight
        if self.feedback:
            out["feedback"] = self.feedback
        return out


def read_numeric_partial(fields: Fields) -> tuple[NumericAnswer, ...]:
    """`partial`: numbers worth part of the marks, each {value, tolerance} or {range}."""
    out = []
    for path, item in fields.items("partial", minimum=0, required=False):
        entry = Fields(item, path, ("value", "tolerance", "range", "weight", "feedback"))
        weight = read_weight(entry, 0.0, FULL)
        if weight is None:
            raise entry.error("weight", "required (the percentage this answer is worth)")
        if weight in (0.0, FULL):
            raise entry.error(
                "weight",
                "must be between 0 and 100: the right answer is `value` or `range` itself",
            )
        value, tolerance = entry.number("value"), entry.number("tolerance")
        bounds = _bounds(entry)
        if (value is None) == (bounds is None):
            raise entry.error("value", "give either value (with tolerance) or range")
        if tolerance is not None and (bounds is not None or tolerance < 0):
            raise entry.error("tolerance", "goes with value and must not be negative")
        out.append(
            NumericAnswer(
                weight=weight,
                value=value,
                tolerance=tolerance or 0.0,
                bounds=bounds,
                feedback=entry.text("feedback", required=False),
            )
        )
    return tuple(out)


def _bounds(entry: Fields) -> tuple[float, float] | None:
    """An optional [low, high] range."""
    items = entry.items("range", minimum=2, required=False)
    if not items:
        return None
    if len(items) != 2:
        raise entry.error("range", f"must be [low, high], found {len(items)} items")
    low, high = (check_number(item, path) for path, item in items)
    if low > high:
        raise entry.error("range", f"low ({low:g}) is above high ({high:g})")
    return low, high


def number_spec(
    bounds: tuple[float, float] | None, value: float | None, tolerance: float
) -> dict[str, Any]:
    """A number as YAML writes it: `range`, or `value` and a `tolerance` unless it is 0."""
    if bounds is not None:
        return {"range": list(bounds)}
    out: dict[str, Any] = {"value": value}
    if tolerance:
        out["tolerance"] = tolerance
    return out


def partly_right_gap(
    said: str, partials: tuple[tuple[str, float], ...], answers: tuple[str, ...]
) -> tuple[str, float] | None:
    """The partly right answer of a cloze gap (`%50%Lyon`) a response matches (a typo
    allowed), or None."""
    for text, weight in sorted(partials, key=lambda pair: -pair[1]):
        if judge(response_text(said), [text], answers).verdict in ("exact", "typo"):
            return text, weight
    return None


def gap_credit(
    match: Match, said: str, partials: tuple[tuple[str, float], ...], answers: tuple[str, ...]
) -> tuple[float, str]:
    """A cloze gap's credit (1 right, a partly right answer's weight, else 0) and its note
    ("" for an exact answer)."""
    if match.verdict in ("exact", "typo"):
        return 1.0, "" if match.verdict == "exact" else match_feedback(match, said)
    partly = partly_right_gap(said, partials, answers)
    if partly is not None:
        return partly[1] / FULL, f"'{said.strip()}' is partly right ({partly[1]:g}%)."
    return 0.0, match_feedback(match, said)
