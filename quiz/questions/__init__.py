"""Question kinds as frozen dataclasses: validation of their fields and grading of a response.

Pure: no Flask, no database. Build questions with `question_from_dict`, which validates; the
dataclasses themselves trust their arguments.
"""

from collections.abc import Mapping
from typing import Any

from quiz.questions.arranged import Matching, Ordering
from quiz.questions.base import (
    Fields,
    FormLike,
    Grade,
    Question,
    QuestionError,
    ResponseError,
    describe_value,
)
from quiz.questions.choice import (
    RATINGS,
    Choice,
    Flashcard,
    MultipleChoice,
    MultipleSelect,
    TrueFalse,
)
from quiz.questions.essay import Essay
from quiz.questions.typed import Cloze, Numeric, ShortAnswer

__all__ = [
    "KINDS",
    "MARKED_KINDS",
    "RATINGS",
    "Choice",
    "Cloze",
    "Essay",
    "Flashcard",
    "FormLike",
    "Grade",
    "Matching",
    "MultipleChoice",
    "MultipleSelect",
    "Numeric",
    "Ordering",
    "Question",
    "QuestionError",
    "ResponseError",
    "ShortAnswer",
    "TrueFalse",
    "question_from_dict",
    "question_to_dict",
]

KINDS: dict[str, type[Question]] = {
    kind.kind: kind
    for kind in (
        MultipleChoice,
        MultipleSelect,
        TrueFalse,
        ShortAnswer,
        Numeric,
        Cloze,
        Matching,
        Ordering,
        Flashcard,
        Essay,
    )
}
# Kinds a teacher marks: asked in quizzes only, never in study.
MARKED_KINDS = frozenset({Essay.kind})
COMMON_FIELDS = ("kind", "prompt", "explanation", "tags", "paragraph")
MAX_PARAGRAPH = 100_000  # within INTEGER: 2**63 in a question file or form was a 500 on saving


def question_from_dict(data: Mapping[str, Any]) -> Question:
    """Validate a question's fields (the YAML mapping without `id`) and build its dataclass."""
    if not isinstance(data, Mapping):
        raise QuestionError(f"question: must be a mapping of fields{describe_value(data)}")
    kind = data.get("kind")
    if kind is None:
        raise QuestionError("kind: required")
    if not isinstance(kind, str) or kind not in KINDS:
        raise QuestionError(f"kind: unknown kind '{kind}'; expected one of {', '.join(KINDS)}")
    cls = KINDS[kind]
    fields = Fields(data, "", COMMON_FIELDS + cls.FIELDS)
    paragraph = fields.value("paragraph", required=False)
    if paragraph is not None and (
        isinstance(paragraph, bool)
        or not isinstance(paragraph, int)
        or not 1 <= paragraph <= MAX_PARAGRAPH
    ):
        raise fields.error(
            "paragraph",
            f"must be a whole number from 1 to {MAX_PARAGRAPH}{describe_value(paragraph)}",
        )
    return cls(
        prompt=fields.text("prompt"),
        explanation=_explanation(fields),
        tags=fields.texts("tags", required=False),
        paragraph=paragraph,
        **cls.read_spec(fields),
    )


def _explanation(fields: Fields) -> str:
    """The optional explanation: absent or blank is "" (a flashcard rarely needs one), but a
    number or list is still refused, since YAML turned some text into it."""
    value = fields.value("explanation", required=False)
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return fields.text("explanation")


def question_to_dict(question: Question) -> dict[str, Any]:
    """The inverse of question_from_dict: common fields plus the kind's spec."""
    return {
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "tags": list(question.tags),
        "paragraph": question.paragraph,
        **question.spec(),
    }
