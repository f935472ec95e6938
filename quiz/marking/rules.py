"""What a marking form says, and the scores that follow from it. Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quiz.inputs import bounded_int
from quiz.questions.essay import Criterion

MAX_COMMENT = 5_000
MAX_REASON = 500


class MarkRefused(ValueError):
    """A mark that cannot be saved; the message names the field and the problem."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Mark:
    """A validated mark: the score (None: the automatic one stands), ticks, comment, reason."""

    score: float | None
    ticks: tuple[int, ...]
    comment: str
    reason: str


def read_percent(raw: str) -> float | None:
    """A score typed as a percentage ("75", "75%", "62.5"), as 0..1; None when left empty."""
    text = raw.strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError as error:
        raise MarkRefused("score", "Type the score as a number from 0 to 100.") from error
    if not 0 <= value <= 100:  # also refuses nan and inf
        raise MarkRefused("score", "The score is a percentage: from 0 to 100.")
    return round(value, 2) / 100


def read_ticks(raw: Iterable[str], rubric: Sequence[Criterion]) -> tuple[int, ...]:
    """The rubric criteria ticked, as indices; anything that names no criterion is refused."""
    ticks = set()
    for value in raw:
        index = bounded_int(value, 0, len(rubric) - 1) if rubric else None
        if index is None:
            raise MarkRefused("ticks", "A ticked criterion is not in this question's rubric.")
        ticks.add(index)
    return tuple(sorted(ticks))


def rubric_score(rubric: Sequence[Criterion], ticks: Sequence[int]) -> float:
    """The ticked criteria's points out of the rubric's total, 0..1."""
    total = sum(c.points for c in rubric)
    return sum(rubric[i].points for i in ticks) / total if total else 0.0


def read_mark(
    *,
    score: str,
    ticks: Iterable[str],
    comment: str,
    reason: str,
    rubric: Sequence[Criterion],
    marked_by_hand: bool,
    automatic: float,
) -> Mark:
    """Validate a marking form.

    An essay (`marked_by_hand`) needs a score, typed or from the rubric's ticks (the typed one
    wins, so a marker can award between the criteria). On an automatically marked answer the
    score is optional (a comment alone is fine), and changing the automatic score needs a
    reason, kept beside the original as the student's "I was right" is.
    """
    comment, reason = comment.strip(), reason.strip()
    if len(comment) > MAX_COMMENT:
        raise MarkRefused("comment", f"The comment is too long (over {MAX_COMMENT} characters).")
    if len(reason) > MAX_REASON:
        raise MarkRefused("reason", f"The reason is too long (over {MAX_REASON} characters).")
    ticked = read_ticks(ticks, rubric)
    value = read_percent(score)
    if value is None and ticked:
        value = rubric_score(rubric, ticked)
    if marked_by_hand:
        if value is None:
            raise MarkRefused("score", "Give a score, or tick the rubric's criteria met.")
        return Mark(value, ticked, comment, reason)
    if value is not None and abs(value - automatic) < 1e-9:
        value = None  # the automatic score, typed again: nothing is overridden
    if value is not None and not reason:
        raise MarkRefused("reason", "Say why the automatic mark changes (the student reads it).")
    if value is None and not comment:
        raise MarkRefused("comment", "Write a comment, or give a new score with its reason.")
    return Mark(value, ticked, comment, reason if value is not None else "")


def counted(automatic: float, mark: float | None) -> float:
    """An answer's score as it counts: the teacher's when given, else the automatic one."""
    return automatic if mark is None else mark


def attempt_score(scores: Iterable[float], question_count: int) -> float:
    """An attempt's score from its answers' counted scores, out of all its questions."""
    return sum(scores) / (question_count or 1)


def percent_text(score: float | None) -> str:
    """A score for a form field: "75" or "62.5"; "" for none."""
    if score is None:
        return ""
    return f"{score * 100:.2f}".rstrip("0").rstrip(".")
