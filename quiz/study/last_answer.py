"""The one line above the next card that sums up the last answer, with its undo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from quiz import MAX_ID
from quiz.database import column_rows
from quiz.inputs import bounded_int
from quiz.models import Card, CramAnswer, Question, Review, User
from quiz.models.content import question_label
from quiz.statements import built_once

RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass(frozen=True)
class LastAnswer:
    """What the summary line says: the question, the verdict, when it comes back."""

    label: str  # the question's (Question.label)
    verdict: str
    answered_at: datetime
    due_after: datetime | None
    review_id: int | None  # set when the answer can still be undone


def find(session: Session, user: User, token: str) -> LastAnswer | None:
    """The student's answer named by `token` ("<review id>" or "c<cram answer id>"), if theirs."""
    cram = token.startswith("c")
    raw = token[1:] if cram else token
    answer_id = bounded_int(raw, 1, MAX_ID) if raw.isdigit() else None
    if answer_id is None:
        return None
    if cram:
        row = session.get(CramAnswer, answer_id)
        if row is None or row.user_id != user.id:
            return None
        verdict = _verdict(row.correct, row.score, row.response, None)
        question = session.get(Question, row.question_id)
        label = question.label if question is not None else ""
        return LastAnswer(label, verdict + " (practice)", row.answered_at, None, None)
    params = {"review_id": answer_id, "user_id": user.id}
    row = column_rows(session, _review_query(), params).first()
    if row is None:
        return None
    # Undo takes back only a study answer that is still its card's latest (card_actions).
    undoable = row.id if row.attempt_id is None and row.latest == row.id else None
    verdict = _verdict(row.correct, row.score, row.response, row.rating)
    label = question_label(row.kind, row.prompt, row.spec)
    return LastAnswer(label, verdict, row.reviewed_at, row.due_after, undoable)


@built_once
def _review_query() -> sa.Select[Any]:
    """The review's columns the line shows, its question's label columns and its card's latest
    review id (as latest_review_id counts it: after the card's reset), in one statement built
    once; it runs on every next card. Columns, not objects: nothing here is changed."""
    newer = aliased(Review, name="newer")
    latest = (
        sa.select(newer.id)
        .where(
            newer.card_id == Card.id,
            sa.or_(Card.reset_at.is_(None), newer.reviewed_at > Card.reset_at),
        )
        .order_by(newer.reviewed_at.desc(), newer.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        sa.select(
            Review.id,
            Review.attempt_id,
            Review.correct,
            Review.score,
            Review.response,
            Review.rating,
            Review.reviewed_at,
            Review.due_after,
            Question.kind,
            Question.prompt,
            Question.spec,
            latest.label("latest"),
        )
        .join(Question, Question.id == Review.question_id)
        .outerjoin(Card, Card.id == Review.card_id)
        .where(Review.id == sa.bindparam("review_id"), Review.user_id == sa.bindparam("user_id"))
    )


def _verdict(correct: bool, score: float, response: object, rating: int | None) -> str:
    """'Right · Good', 'Wrong · Again', 'Hard' for a flashcard."""
    if isinstance(response, str) and response in ("again", "hard", "good", "easy"):
        return response.capitalize()  # a flashcard: the student's own rating is the verdict
    verdict = "Right" if correct else ("Partly right" if score > 0 else "Wrong")
    return f"{verdict} · {RATING_NAMES[rating]}" if rating else verdict


def count_since(session: Session, user_id: int, since: datetime) -> tuple[int, int]:
    """(answers, right ones) the student gave since a time, study and practice together."""
    rows = []
    for model, when in ((Review, Review.reviewed_at), (CramAnswer, CramAnswer.answered_at)):
        rows.append(
            session.execute(
                sa.select(sa.func.count(), sa.func.count().filter(model.correct.is_(True))).where(
                    model.user_id == user_id, when >= since
                )
            ).one()
        )
    return sum(r[0] for r in rows), sum(r[1] for r in rows)
