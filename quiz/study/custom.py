"""Custom study beyond the daily limits, as Anki offers it.

Four kinds: study ahead (cards due in the next days, reviewed for real), practise today's
wrong answers and cram a set (both kept as practice answers that never move a card), and
raising today's new-question limit once. A custom run is a list of question ids kept in the
student's session cookie; each answered id leaves the list, and the run ends when it is empty.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import session as web_session
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz.database import add_once
from quiz.models import Card, CramAnswer, NewLimitRaise, Question, Review, User
from quiz.study import queue
from quiz.study.answers import Answer
from quiz.timeutil import now_utc

KEY = "custom_study"
MAX_CARDS = 100
MODES = {
    "ahead": "Study ahead",
    "wrong": "Today's wrong answers",
    "cram": "Cram a set",
}
# Practice answers (wrong and cram) are kept but never move a card.
PRACTICE_MODES = frozenset({"wrong", "cram"})


def _stored() -> dict[str, Any] | None:
    """The custom run kept in the session, in progress or paused."""
    run = web_session.get(KEY)
    return run if isinstance(run, dict) and run.get("ids") is not None else None


def active() -> dict[str, Any] | None:
    """The custom run in progress, if any (a paused one lets the due queue run meanwhile)."""
    run = _stored()
    return run if run is not None and not run.get("paused") else None


def paused() -> dict[str, Any] | None:
    """The custom run set aside (by raising today's limit), to carry on from Custom study."""
    run = _stored()
    return run if run is not None and run.get("paused") else None


def pause() -> None:
    """Set the run in progress aside: the study pages serve the due queue until it resumes."""
    run = active()
    if run is not None:
        web_session[KEY] = {**run, "paused": True}


def resume() -> dict[str, Any] | None:
    """Carry on with a paused run; it is the run in progress again."""
    run = paused()
    if run is None:
        return None
    run = {key: value for key, value in run.items() if key != "paused"}
    web_session[KEY] = run
    return run


def is_practice() -> bool:
    """Whether the run in progress records practice answers instead of reviews."""
    run = active()
    return bool(run and run.get("mode") in PRACTICE_MODES)


def start(mode: str, ids: list[int], title: str) -> None:
    """Begin a run over these questions."""
    web_session[KEY] = {
        "mode": mode,
        "ids": ids[:MAX_CARDS],
        "total": min(len(ids), MAX_CARDS),
        "title": title,
        "since": now_utc().isoformat(),
    }


def stop() -> dict[str, Any] | None:
    """End the run; return it for its summary."""
    return web_session.pop(KEY, None)


def mark_done(question_id: int) -> None:
    """Take an answered question off the run."""
    run = active()
    if run and question_id in run["ids"]:
        run["ids"] = [qid for qid in run["ids"] if qid != question_id]
        web_session[KEY] = run


def ahead_ids(session: Session, user: User, now: datetime, days: int) -> list[int]:
    """Questions of cards due in the next `days` days (not due yet), soonest first."""
    until = now + timedelta(days=days)
    return list(
        session.scalars(
            sa.select(Card.question_id)
            .join(Question, Question.id == Card.question_id)
            .where(Card.user_id == user.id, Card.due > now, Card.due <= until)
            .where(queue.live_questions(user.id, now), queue.in_play(now))
            .where(queue.not_held(user.id))
            .order_by(Card.due, Card.id)
            .limit(MAX_CARDS)
        )
    )


def wrong_today_ids(session: Session, user: User, now: datetime) -> list[int]:
    """Questions the student got wrong today (their local day), most recent first."""
    since = queue.start_of_day(user, now)
    rows = session.execute(
        sa.select(Review.question_id, sa.func.max(Review.reviewed_at).label("last"))
        .join(Question, Question.id == Review.question_id)
        .where(Review.user_id == user.id, Review.reviewed_at >= since, Review.correct.is_(False))
        .where(queue.live_questions(user.id, now))
        .group_by(Review.question_id)
        .order_by(sa.desc("last"))
        .limit(MAX_CARDS)
    )
    return [qid for qid, _last in rows]


def cram_ids(session: Session, user: User, set_id: int, now: datetime) -> list[int]:
    """The live questions of a set, in set order."""
    return list(
        session.scalars(
            sa.select(Question.id)
            .where(Question.set_id == set_id, queue.live_questions(user.id, now))
            .order_by(Question.position, Question.id)
            .limit(MAX_CARDS)
        )
    )


def store_practice(session: Session, user: User, answer: Answer, submission_id: str) -> CramAnswer:
    """Keep a practice answer (once per submission id); no card moves; commits."""
    existing = find_practice(session, user.id, submission_id)
    if existing is not None:
        return existing
    row = CramAnswer(
        user_id=user.id,
        question_id=answer.question_id,
        submission_id=submission_id,
        response=answer.response,
        correct=answer.grade.correct,
        score=answer.grade.score,
        duration_ms=answer.duration_ms,
        answered_at=now_utc(),
    )
    return add_once(session, row, lambda: find_practice(session, user.id, submission_id))


def find_practice(session: Session, user_id: int, submission_id: str) -> CramAnswer | None:
    """The practice answer stored for this submission, if any."""
    return session.scalar(
        sa.select(CramAnswer).where(
            CramAnswer.user_id == user_id, CramAnswer.submission_id == submission_id
        )
    )


def raise_new_limit(session: Session, user: User, now: datetime, extra: int) -> bool:
    """Allow `extra` more new questions today; False when today's limit was raised already."""
    session.add(NewLimitRaise(user_id=user.id, day=queue.local_day(user, now), extra=extra))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return False
    return True


def raised_today(session: Session, user: User, now: datetime) -> int | None:
    """How many extra new questions the student allowed today, if they did."""
    return session.scalar(
        sa.select(NewLimitRaise.extra).where(
            NewLimitRaise.user_id == user.id, NewLimitRaise.day == queue.local_day(user, now)
        )
    )
