"""Searching a student's cards: by text, set, state, due date and lapses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import Card, Question, QuestionSet, User
from quiz.scheduling import STATE_LABELS
from quiz.study.card_actions import next_midnight
from quiz.study.queue import live_questions

LIMIT = 200
STATES = ("learning", "review", "relearning", "suspended", "buried")
DUE = {"now": "Due now", "today": "Due today", "week": "Due within a week", "later": "Later"}


@dataclass(frozen=True)
class Filters:
    """What the browse form asks for; empty values mean "any"."""

    text: str = ""
    set_id: int | None = None
    state: str = ""
    due: str = ""
    min_lapses: int | None = None

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        """Read the query string, ignoring values that are not one of the choices."""

        def number(name: str) -> int | None:
            raw = args.get(name, "").strip()
            return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None

        state = args.get("state", "")
        due = args.get("due", "")
        return cls(
            text=args.get("q", "").strip()[:200],
            set_id=number("set"),
            state=state if state in STATES else "",
            due=due if due in DUE else "",
            min_lapses=number("lapses"),
        )


@dataclass(frozen=True)
class Row:
    """One card as the browse table shows it."""

    card: Card
    question: Question
    set_title: str

    @property
    def state(self) -> str:
        """learning, review or relearning (suspension and burial are shown beside it)."""
        return STATE_LABELS.get(self.card.state, "learning")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(session: Session, user: User, filters: Filters, now: datetime) -> list[Row]:
    """The student's cards matching the filters, soonest due first (at most LIMIT)."""
    query = (
        sa.select(Card, Question, QuestionSet.title)
        .join(Question, Question.id == Card.question_id)
        .join(QuestionSet, QuestionSet.id == Question.set_id)
        .where(Card.user_id == user.id, live_questions(user.id, now))
    )
    if filters.text:
        pattern = f"%{_escape_like(filters.text)}%"
        query = query.where(
            sa.or_(
                Question.prompt.ilike(pattern, escape="\\"),
                sa.cast(Question.spec, sa.Text).ilike(pattern, escape="\\"),
            )
        )
    if filters.set_id is not None:
        query = query.where(Question.set_id == filters.set_id)
    buried = sa.and_(Card.buried_until.is_not(None), Card.buried_until > now)
    if filters.state == "suspended":
        query = query.where(Card.suspended.is_(True))
    elif filters.state == "buried":
        query = query.where(buried)
    elif filters.state:
        value = next(k for k, v in STATE_LABELS.items() if v == filters.state)
        query = query.where(Card.state == value)
    tomorrow = next_midnight(user, now)
    if filters.due == "now":
        query = query.where(Card.due <= now)
    elif filters.due == "today":
        query = query.where(Card.due < tomorrow)
    elif filters.due == "week":
        query = query.where(Card.due < tomorrow + timedelta(days=6))
    elif filters.due == "later":
        query = query.where(Card.due >= tomorrow + timedelta(days=6))
    if filters.min_lapses:
        query = query.where(Card.lapses >= filters.min_lapses)
    rows = session.execute(query.order_by(Card.due, Card.id).limit(LIMIT)).all()
    return [Row(card, question, title) for card, question, title in rows]
