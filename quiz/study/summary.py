"""The end-of-session summary: what was answered today, how well, how long, and what comes back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import Card, CramAnswer, Review, User
from quiz.study.card_actions import next_midnight
from quiz.study.queue import start_of_day


@dataclass(frozen=True)
class Summary:
    """Today's study in numbers."""

    answered: int
    right: int
    practice: int
    minutes: int
    back_today: int
    back_tomorrow: int
    back_this_week: int
    back_later: int


def today(session: Session, user: User, now: datetime) -> Summary:
    """Today's answers (study and practice), their time, and when the cards they moved return."""
    since = start_of_day(user, now)
    answered, right, spent = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(Review.correct.is_(True)),
            sa.func.coalesce(sa.func.sum(Review.duration_ms), 0),
        ).where(Review.user_id == user.id, Review.reviewed_at >= since)
    ).one()
    practice, practice_ms = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(CramAnswer.duration_ms), 0)).where(
            CramAnswer.user_id == user.id, CramAnswer.answered_at >= since
        )
    ).one()
    tomorrow = next_midnight(user, now)
    day_after = tomorrow + timedelta(days=1)
    week = tomorrow + timedelta(days=7)
    studied_today = sa.and_(Card.user_id == user.id, Card.last_review >= since)
    back = session.execute(
        sa.select(
            sa.func.count().filter(Card.due < tomorrow),
            sa.func.count().filter(Card.due >= tomorrow, Card.due < day_after),
            sa.func.count().filter(Card.due >= day_after, Card.due < week),
            sa.func.count().filter(Card.due >= week),
        ).where(studied_today)
    ).one()
    return Summary(
        answered=answered,
        right=right,
        practice=practice,
        minutes=round((int(spent) + int(practice_ms)) / 60000),
        back_today=back[0],
        back_tomorrow=back[1],
        back_this_week=back[2],
        back_later=back[3],
    )
