"""The wrong answers students typed most often to a question, and accepting one in a click.

A synonym a teacher would accept ("talks" for "negotiations") is the author's call, not a
built-in thesaurus's: the question's page under Teach shows what students typed that was marked
wrong, most frequent first, and "Accept this" adds it as the override page adds an "I was right"
answer (quiz.overrides.accept: the edited question must validate and grade it right).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.database import begin_write, is_postgres
from quiz.models import AttemptAnswer, Question, Review
from quiz.overrides.accept import accepted_spec, grades_right
from quiz.overrides.claims import OverrideRefused
from quiz.questions import Cloze, ResponseError
from quiz.study.answers import load_question
from quiz.textmatch import match_key

KINDS = ("short_answer", "cloze")
SCANNED = 2000  # the latest wrong answers read; enough to find the frequent ones
SHOWN = 10


@dataclass(frozen=True)
class CommonAnswer:
    """One answer students typed, how often, and in which gap (None for a short answer)."""

    text: str
    count: int
    gap: int | None  # from 0


def wrong_responses(question_id: int) -> list[sa.Select[Any]]:
    """The latest wrong responses to a question, from study and from quizzes."""
    return [
        sa.select(model.response)
        .where(model.question_id == question_id, model.correct.is_(False))
        .order_by(model.id.desc())
        .limit(SCANNED)
        for model in (Review, AttemptAnswer)
    ]


def common_wrong(question: Question, responses: list[Any]) -> list[CommonAnswer]:
    """The answers most often typed among wrong responses that the question still marks wrong."""
    item = load_question(question)
    counts: Counter[tuple[int | None, str]] = Counter()
    shown: dict[tuple[int | None, str], str] = {}
    for response in responses:
        for gap, said in _typed(item, response):
            key = (gap, match_key(said))
            if key[1]:
                counts[key] += 1
                shown.setdefault(key, said.strip())
    out = []
    for key, count in counts.most_common():
        text = shown[key]
        if not _still_wrong(item, key[0], text):
            continue  # accepted since, or refused as unclear (never marked wrong)
        out.append(CommonAnswer(text, count, key[0]))
        if len(out) == SHOWN:
            break
    return out


def _typed(item: Any, response: Any) -> list[tuple[int | None, str]]:
    """The typed texts of one response: the answer, or each filled gap."""
    if isinstance(item, Cloze):
        if not isinstance(response, list):
            return []
        return [(gap, said) for gap, said in enumerate(response) if isinstance(said, str)]
    return [(None, response)] if isinstance(response, str) else []


def response_for(item: Any, gap: int | None, text: str) -> Any:
    """A response with text typed where it was: alone, or in its gap with the others right."""
    if not isinstance(item, Cloze):
        return text
    gaps = item.gaps()
    filled = [answers[0] for answers in gaps]
    if gap is None or not 0 <= gap < len(gaps):
        raise OverrideRefused("The question's gaps changed since this answer; add it by hand.")
    filled[gap] = text
    return filled


def _still_wrong(item: Any, gap: int | None, text: str) -> bool:
    """Whether the question as it is now marks this text wrong (not refusing it)."""
    try:
        grade = item.grade(response_for(item, gap, text))
    except (ResponseError, OverrideRefused):
        return False
    return not grade.correct


def accept_common(session: Session, question_id: int, gap: int | None, text: str) -> str:
    """Add text to the question's accepted answers (of gap); commits; says what it did.

    OverrideRefused (nothing changed) when it cannot be added; the caller has checked that the
    user may edit the question's set.
    """
    begin_write(session)
    query = sa.select(Question).where(Question.id == question_id)
    # Locked: two answers accepted at once must not lose an edit (SQLite: begin_write locks).
    question = session.scalar(query.with_for_update() if is_postgres(session) else query)
    try:
        if question is None or question.retired or question.kind not in KINDS:
            raise OverrideRefused("Only short answers and gaps take added answers.")
        if not text.strip():
            raise OverrideRefused("There is no answer to add.")
        response = response_for(load_question(question), gap, text.strip())
        if grades_right(load_question(question), response):
            return "This answer already grades right; nothing changed."
        question.spec = accepted_spec(question, response)
        session.commit()
    finally:
        session.rollback()  # ends the transaction when a check refused; a no-op after commit
    return f"'{text.strip()}' is now accepted: it grades right for everyone from now on."
