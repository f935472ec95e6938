"""How questions are asked in a scored quiz: flashcards become a choice among the set's backs."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import GiveawayPair, Question
from quiz.questions import question_from_dict
from quiz.textmatch import match_key

DISTRACTORS = 3


def flashcard_backs(session: Session, set_id: int) -> list[tuple[int, str]]:
    """(question id, back) of the set's live flashcards: the pool quiz choices come from."""
    return [(qid, back) for qid, back, _ in quiz_backs(session, set_id, ())]


def quiz_backs(
    session: Session, set_id: int, asked: Collection[int]
) -> list[tuple[int, str, bool]]:
    """(question id, back, held) of the set's live flashcards, in one statement.

    `held`: the card is in a give-away pair with one of the attempt's questions (`asked`), so
    its back, shown as another card's choice, would give that question away.
    """
    held: Any = sa.false()
    if asked:
        partners = sa.select(GiveawayPair.question_id).where(
            GiveawayPair.set_id == set_id, GiveawayPair.other_id.in_(list(asked))
        )
        held = Question.id.in_(partners)
    query = sa.select(Question.id, Question.spec, sa.case((held, True), else_=False)).where(
        Question.set_id == set_id, Question.kind == "flashcard", Question.retired.is_(False)
    )
    return [(qid, str(spec.get("back", "")), bool(h)) for qid, spec, h in session.execute(query)]


def _distinct_others(question_id: int, backs: Sequence[tuple[int, str]]) -> list[str]:
    """The set's other backs, one per text as answers compare them (case, accents, spaces)."""
    own = match_key(dict(backs).get(question_id, ""))
    others: dict[str, str] = {}
    for qid, back in sorted(backs):
        key = match_key(back)
        if qid != question_id and key != own:
            others.setdefault(key, back)
    return sorted(others.values())


def without_choices(
    drawn: Sequence[int], backs: Sequence[tuple[int, str]], pairs: Collection[frozenset[int]]
) -> set[int]:
    """The drawn flashcards left with no other back to choose from once the backs of cards
    paired with a drawn question are held back (see quiz_backs): the draw leaves them out."""
    asked = set(drawn)
    held = {qid for pair in pairs if pair & asked for qid in pair - asked}
    free = [(qid, back) for qid, back in backs if qid not in held]
    cards = {qid for qid, _ in backs}
    return {qid for qid in drawn if qid in cards and not _distinct_others(qid, free)}


def can_quiz_flashcard(question_id: int, backs: Sequence[tuple[int, str]]) -> bool:
    """A flashcard can be quizzed when the set holds another, different back to choose from."""
    return bool(_distinct_others(question_id, backs))


def as_quizzed(
    item: Any,
    question_id: int,
    backs: Sequence[tuple[int, str]],
    seed: int,
    held: Collection[int] = (),
) -> Any:
    """The question as a quiz asks it.

    A flashcard is self-rated in study mode, but a score needs a checkable answer and the page
    must not show the back before the answer: so it becomes a multiple choice between its back
    and up to three other backs of the set, picked by the attempt's seed. Backs of `held`
    cards (see quiz_backs) are left out while any other remains.
    """
    if item.kind != "flashcard":
        return item
    free = [(qid, back) for qid, back in backs if qid not in held or qid == question_id]
    others = _distinct_others(question_id, free) or _distinct_others(question_id, backs)
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
