"""The set owner's side of students' overrides: list them, and accept an answer in one click.

Accepting appends the student's answer to `answers` of a short answer, or adds it as an
alternative of each wrong gap of a cloze; the edited question is validated by
`question_from_dict` and must then grade the answer right, or nothing changes. A numeric answer
is never added: it is right inside a tolerance, and one extra value would not fit that rule; the
owner is told to widen the tolerance in the question if it is too tight.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.database import begin_write, is_postgres
from quiz.models import Question, QuestionSet, Review, ReviewOverride, User
from quiz.overrides.claims import NotFound, OverrideRefused
from quiz.questions import QuestionError, ResponseError, question_from_dict
from quiz.study.answers import load_question
from quiz.textmatch import match_key
from quiz.timeutil import now_utc

# Same gap syntax as quiz.textmatch: {{answer|alternative}}.
GAP = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
GAP_SYNTAX = ("|", "{", "}")
NUMERIC_NOTE = (
    "A number is right inside its tolerance, so a single value cannot be added as an "
    "alternative. If the tolerance is too tight, widen it in the question."
)


@dataclass(frozen=True)
class OverrideRow:
    """One override as the set's owner sees it."""

    override: ReviewOverride
    review: Review
    question: Question
    qset: QuestionSet
    student: str
    response_text: str
    editable: bool  # whether the viewer may add the answer (owner or admin, not a bank set)
    note: str | None  # why it cannot be added, or that it already grades right


def owner_overrides(user: User, set_id: int | None = None) -> sa.Select[Any]:
    """The overrides of the viewer's sets (every set for an admin), newest first."""
    query = (
        sa.select(ReviewOverride, Review, Question, QuestionSet, User.username)
        .join(Review, Review.id == ReviewOverride.review_id)
        .join(Question, Question.id == ReviewOverride.question_id)
        .join(QuestionSet, QuestionSet.id == Question.set_id)
        .join(User, User.id == ReviewOverride.user_id)
        .order_by(ReviewOverride.created_at.desc(), ReviewOverride.id.desc())
    )
    if not user.is_admin:
        query = query.where(QuestionSet.owner_id == user.id)
    if set_id is not None:
        query = query.where(QuestionSet.id == set_id)
    return query


def describe_rows(
    rows: Any, may_edit: Callable[[QuestionSet], bool], describe: Callable[[Any, Any], str]
) -> list[OverrideRow]:
    """Rows of `owner_overrides` ready for the page (no more queries)."""
    out = []
    for override, review, question, qset, student in rows:
        item = load_question(question)
        note = None
        if question.retired:
            note = "This question has been retired."
        elif question.kind == "numeric":
            note = NUMERIC_NOTE
        elif qset.slug is not None:
            note = "This set comes from the question bank: change its file to accept answers."
        elif override.accepted_at is None and grades_right(item, review.response):
            note = "This answer already grades right."
        out.append(
            OverrideRow(
                override=override,
                review=review,
                question=question,
                qset=qset,
                student=student,
                response_text=describe(item, review.response),
                editable=may_edit(qset) and note is None and override.accepted_at is None,
                note=note,
            )
        )
    return out


def grades_right(item: Any, response: Any) -> bool:
    """Whether the question as it is now takes the response as fully right."""
    try:
        return bool(item.grade(response).correct)
    except ResponseError:
        return False


def accepted_spec(question: Question, response: Any) -> dict[str, Any]:
    """The question's spec with the response added to its accepted answers.

    OverrideRefused says why when it cannot be (numeric, an empty gap, gap syntax, a near
    miss, a question the answer would still not satisfy); the question is left alone.
    """
    item = load_question(question)
    spec = dict(question.spec)
    if question.kind == "short_answer":
        if not isinstance(response, str) or not response.strip():
            raise OverrideRefused("There is no answer to add.")
        # A partly right answer the teacher accepts becomes fully right: its weight goes.
        kept = [a for a in spec.get("answers", []) if not _same_partial(a, response)]
        spec["answers"] = [*kept, response.strip()]
    elif question.kind == "cloze":
        spec["text"] = _cloze_with(item, question.spec.get("text", ""), response)
    elif question.kind == "numeric":
        raise OverrideRefused(NUMERIC_NOTE)
    else:
        raise OverrideRefused("Only short answers and gaps take added answers.")
    try:
        changed = question_from_dict({**question.as_dict(), **spec})
    except QuestionError as error:
        raise OverrideRefused(f"Not added: {error}.") from error
    if not grades_right(changed, response):
        raise OverrideRefused("Not added: even with it, the grader would not take this answer.")
    return spec


def _same_partial(answer: Any, response: str) -> bool:
    """Whether a short answer's item is a weighted answer the response names."""
    return (
        isinstance(answer, dict)
        and "weight" in answer
        and match_key(str(answer.get("text", ""))) == match_key(response)
    )


def _cloze_with(item: Any, text: str, response: Any) -> str:
    """The cloze text with each wrongly filled gap also accepting what the student typed."""
    gaps = item.gaps()
    if (
        not isinstance(response, list)
        or len(response) != len(gaps)
        or not all(isinstance(said, str) for said in response)
    ):
        raise OverrideRefused("The question's gaps changed since this answer; add it by hand.")
    additions: dict[int, str] = {}
    for index, said in enumerate(response):
        alone = ["" if other != index else said for other in range(len(gaps))]
        if said.strip() and _gap_right(item, alone):
            continue
        if not said.strip():
            raise OverrideRefused(f"Gap {index + 1} was left empty, so nothing can be added.")
        if any(mark in said for mark in GAP_SYNTAX):
            raise OverrideRefused(f"Gap {index + 1}: a gap's answer cannot contain | or braces.")
        additions[index] = said.strip()
    pieces, position = [], 0
    for index, found in enumerate(GAP.finditer(text)):
        if index in additions:
            pieces.append(text[position : found.end(1)] + "|" + additions[index])
            position = found.end(1)
    pieces.append(text[position:])
    return "".join(pieces)


def _gap_right(item: Any, response: list[str]) -> bool:
    """Whether the one filled gap of `response` is right."""
    try:
        return item.grade(response).score > 0
    except ResponseError:
        return False


def accept_answer(
    session: Session,
    user: User,
    override_id: int,
    may_edit: Callable[[QuestionSet], bool],
    *,
    now: datetime | None = None,
) -> str:
    """Add the overridden answer to its question's accepted answers; commits; says what it did.

    NotFound unless `may_edit` allows the set; OverrideRefused (nothing changed) when the
    answer cannot be added. A second click, or an answer that already grades right, changes
    nothing and says so.
    """
    begin_write(session)
    locking = is_postgres(session)  # SQLite: begin_write already holds the database's lock
    query = sa.select(ReviewOverride).where(ReviewOverride.id == override_id)
    # Locked, so that of a double click the second sees the first's acceptance.
    override = session.scalar(query.with_for_update() if locking else query)
    if override is None:
        session.rollback()
        raise NotFound(override_id)
    query = sa.select(Question).where(Question.id == override.question_id)
    # Locked too: two overrides of one question accepted at once must not lose an edit.
    question = session.scalar(query.with_for_update() if locking else query)
    if question is None or not may_edit(question.question_set):
        session.rollback()
        raise NotFound(override_id)
    review = session.get(Review, override.review_id)
    try:
        if override.accepted_at is not None:
            return "This answer was already added; nothing changed."
        if question.retired:
            raise OverrideRefused("This question has been retired; its answers stay as they were.")
        if grades_right(load_question(question), review.response):
            return "This answer already grades right; nothing changed."
        question.spec = accepted_spec(question, review.response)
        override.accepted_at = now or now_utc()
        override.accepted_by_id = user.id
        session.commit()
    finally:
        session.rollback()  # ends the transaction when a check refused; a no-op after commit
    return "Added to the accepted answers: from now on it grades right for everyone."
