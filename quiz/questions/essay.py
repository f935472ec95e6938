"""The essay: a written answer marked by a teacher, asked in quizzes only (never in study).

Pure. The app cannot judge an essay, so `score` gives 0 with "needs marking": the quiz keeps
the answer ungraded and its score provisional until a teacher marks it (quiz.marking).
"""

from dataclasses import dataclass
from typing import Any, ClassVar

from quiz.questions.base import (
    Fields,
    FormLike,
    Question,
    ResponseError,
    check_number,
)

KIND = "essay"
MAX_ESSAY_LENGTH = 30_000  # about 5,000 words: far above any school essay, bounds the row
MAX_WORD_LIMIT = 5_000
NEEDS_MARKING = "Needs marking by your teacher."


@dataclass(frozen=True)
class Criterion:
    """One line of a rubric: what the marker looks for and the points it is worth."""

    text: str
    points: float


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())


def read_rubric(fields: Fields) -> tuple[Criterion, ...]:
    """An optional list of {criterion, points} with points above 0."""
    rubric = []
    for path, item in fields.items("rubric", minimum=0, required=False):
        line = Fields(item, path, ("criterion", "points"))
        text = line.text("criterion")
        points = check_number(line.value("points"), line.at("points"))
        if not 0 < points <= 1000:
            raise line.error("points", "must be above 0 and at most 1000")
        rubric.append(Criterion(text, points))
    return tuple(rubric)


@dataclass(frozen=True, kw_only=True)
class Essay(Question):
    """A prompt answered in writing; a model answer and a rubric guide the marker."""

    kind: ClassVar[str] = KIND
    FIELDS: ClassVar[tuple[str, ...]] = ("word_limit", "model_answer", "rubric")
    word_limit: int | None = None
    model_answer: str = ""
    rubric: tuple[Criterion, ...] = ()

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """An optional word limit (1 to 5,000), model answer and rubric."""
        limit = fields.value("word_limit", required=False)
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 5000
        ):
            raise fields.error("word_limit", f"must be a whole number from 1 to {MAX_WORD_LIMIT}")
        return {
            "word_limit": limit,
            "model_answer": fields.text("model_answer", required=False),
            "rubric": read_rubric(fields),
        }

    def spec(self) -> dict[str, Any]:
        """Only what is set: word limit, model answer, rubric."""
        out: dict[str, Any] = {}
        if self.word_limit is not None:
            out["word_limit"] = self.word_limit
        if self.model_answer:
            out["model_answer"] = self.model_answer
        if self.rubric:
            out["rubric"] = [{"criterion": c.text, "points": c.points} for c in self.rubric]
        return out

    @property
    def rubric_total(self) -> float:
        """The rubric's points together (0 without a rubric)."""
        return sum(criterion.points for criterion in self.rubric)

    def answer_text(self) -> str:
        """The model answer, or what the teacher marks on."""
        return self.model_answer or "Marked by your teacher."

    def parse_form(self, form: FormLike, seed: int) -> str:
        """Field `answer`: the essay, within the length and the word limit."""
        raw = form.get("answer")
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            raise ResponseError("Write your answer.")
        if len(text) > MAX_ESSAY_LENGTH:
            raise ResponseError(f"That answer is too long (over {MAX_ESSAY_LENGTH} characters).")
        words = word_count(text)
        if self.word_limit is not None and words > self.word_limit:
            raise ResponseError(
                f"That answer has {words} words; the limit is {self.word_limit}. Shorten it."
            )
        return text

    def view(self, seed: int) -> dict[str, Any]:
        """The word limit, for the page's hint."""
        return {"word_limit": self.word_limit}

    def score(self, response: Any) -> tuple[float, str]:
        """Nothing until a teacher marks it."""
        if not isinstance(response, str) or not response.strip():
            raise ResponseError("Write your answer.")
        return 0.0, NEEDS_MARKING
