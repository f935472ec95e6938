"""How questions are asked in a scored quiz: flashcards become a choice among the set's backs."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import Question
from quiz.questions import question_from_dict
from quiz.textmatch import match_key

DISTRACTORS = 3


def flashcard_backs(session: Session, set_id: int) -> list[tuple[int, str]]:
    """(question id, back) of the set's live flashcards: the pool quiz choices come from."""
    rows = session.execute(
        sa.select(Question.id, Question.spec).where(
            Question.set_id == set_id, Question.kind == "flashcard", Question.retired.is_(False)
        )
    )
    return [(qid, str(spec.get("back", ""))) for qid, spec in rows]


def _distinct_others(question_id: int, backs: Sequence[tuple[int, str]]) -> list[str]:
    """The set's other backs, one per text as answers compare them (case, accents, spaces)."""
    own = match_key(dict(backs).get(question_id, ""))
    others: dict[str, str] = {}
    for qid, back in sorted(backs):
        key = match_key(back)
        if qid != question_id and key != own:
            others.setdefault(key, back)
    return sorted(others.values())


def can_quiz_flashcard(question_id: int, backs: Sequence[tuple[int, str]]) -> bool:
    """A flashcard can be quizzed when the set holds another, different back to choose from."""
    return bool(_distinct_others(question_id, backs))


def as_quizzed(item: Any, question_id: int, backs: Sequence[tuple[int, str]], seed: int) -> Any:
    """The question as a quiz asks it.

    A flashcard is self-rated in study mode, but a score needs a checkable answer and the page
    must not show the back before the answer: so it becomes a multiple choice between its back
    and up to three other backs of the set, picked by the attempt's seed.
    """
    if item.kind != "flashcard":
        return item
    others = _distinct_others(question_id, backs)
    picked = random.Random(seed).sample(others, min(DISTRACTORS, len(others)))  # noqa: S311
    return question_from_dict(
        {
            "kind": "multiple_choice",
            "prompt": item.prompt,
            "explanation": item.explanation,
            "tags": list(item.tags),
            "paragraph": item.paragraph,
            "choices": [{"text": item.back, "correct": True}, *({"text": t} for t in picked)],
        }
    )
