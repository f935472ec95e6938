"""Grade passback (LTI AGS): a handed-in attempt of a linked assignment owes its score to the
link's line item; the debt is a row, claimed by one worker at a time, sent once, retried with
backoff and marked failed after the last try."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_app_context
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from quiz.extensions import db
from quiz.lti import keys, storage
from quiz.lti.claims import MAX_TRIES, SCORE_SCOPE, retry_delay, score_values
from quiz.lti.toolconf import registration_for
from quiz.models import (
    Assignment,
    Attempt,
    LtiContext,
    LtiIdentity,
    LtiLink,
    LtiPlatform,
    LtiScore,
)
from quiz.timeutil import now_utc

log = logging.getLogger(__name__)
CLAIM_FOR = timedelta(minutes=5)  # a worker that dies mid-send leaves the row for later
# Scores sent at the end of one request (each try may wait on the LMS up to the HTTP timeout);
# the command and the next requests send the rest.
BATCH = 5
WAITING = "lti_scores_waiting"


def _newly_finished(session: Session) -> list[Attempt]:
    """Attempts this flush hands in: finished_at going from empty to set."""
    found = []
    for obj in session.dirty:
        if isinstance(obj, Attempt) and obj.assignment_id is not None:
            history = inspect(obj).attrs.finished_at.history
            if history.added and history.added[0] is not None and not any(history.deleted):
                found.append(obj)
    return found


@event.listens_for(Session, "before_flush")
def _owe_scores(session: Session, _context: Any, _instances: Any) -> None:
    """Add a score row for each LMS link of each newly handed-in attempt, in its transaction."""
    finished = _newly_finished(session)
    if not finished:
        return
    with session.no_autoflush:
        for attempt in finished:
            rows = session.execute(
                sa.select(LtiLink.id, Assignment.points)
                .join(Assignment, Assignment.id == LtiLink.assignment_id)
                .join(LtiContext, LtiContext.id == LtiLink.context_id)
                .join(
                    LtiIdentity,
                    sa.and_(
                        LtiIdentity.platform_id == LtiContext.platform_id,
                        LtiIdentity.user_id == attempt.user_id,
                    ),
                )
                .where(
                    LtiLink.assignment_id == attempt.assignment_id,
                    LtiLink.lineitem_url.is_not(None),
                )
            ).all()
            for link_id, points in rows:
                given, maximum = score_values(attempt.score or 0.0, points)
                session.add(
                    LtiScore(
                        attempt_id=attempt.id,
                        link_id=link_id,
                        user_id=attempt.user_id,
                        score_given=given,
                        score_maximum=maximum,
                        finished_at=attempt.finished_at,
                    )
                )
                session.info[WAITING] = True


@event.listens_for(Session, "after_commit")
def _mark_request(session: Session) -> None:
    """Tell the request that committed new scores to send them before it ends."""
    if session.info.pop(WAITING, False) and has_app_context():
        g.lti_send_scores = True


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(WAITING, None)


def send_due_soon() -> None:
    """Ask for due scores to be sent at the end of this request."""
    g.lti_send_scores = True


def _after_request(response: Response) -> Response:
    """Send scores owed (new ones, and retries that are due) after the page is ready."""
    if g.pop("lti_send_scores", False):
        try:
            send_due(db.session, current_app.config["SECRET_KEY"], BATCH)
        except Exception:  # a platform's trouble never breaks the student's page
            db.session.rollback()
            log.exception("sending LTI scores failed")
    return response


def init_app(app: Flask) -> None:
    """Send scores at the end of the request that handed an attempt in."""
    app.after_request(_after_request)


def _claim(session: Session, score_id: int) -> bool:
    """Take a due row for this worker (pushing its next try out); False if another has it."""
    now = now_utc()
    result = session.execute(
        sa.update(LtiScore)
        .where(
            LtiScore.id == score_id,
            LtiScore.status == "pending",
            LtiScore.next_try_at <= now,
        )
        .values(next_try_at=now + CLAIM_FOR)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def grade_for(score: LtiScore, sub: str) -> Grade:
    """The AGS score message: given, maximum, progress, time, and whose."""
    return (
        Grade()
        .set_score_given(score.score_given)
        .set_score_maximum(score.score_maximum)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(score.finished_at.isoformat(timespec="milliseconds"))
        .set_user_id(sub)
    )


def _send_one(session: Session, score: LtiScore, secret: str | bytes) -> None:
    """POST one score to its line item's /scores; raises on any failure."""
    link = session.get(LtiLink, score.link_id)
    context = session.get(LtiContext, link.context_id) if link else None
    platform = session.get(LtiPlatform, context.platform_id) if context else None
    if link is None or context is None or platform is None or not link.lineitem_url:
        raise RuntimeError("the link, course or platform is gone")
    sub = session.scalar(
        sa.select(LtiIdentity.sub).where(
            LtiIdentity.platform_id == platform.id, LtiIdentity.user_id == score.user_id
        )
    )
    if sub is None:
        raise RuntimeError("the student has no account on that platform")
    key = keys.current_key(session, secret)
    registration = registration_for(platform, keys.private_pem(key, secret), key.public_pem)
    connector = storage.DatabaseServiceConnector(registration, storage.http_session())
    scopes = list(link.scopes or []) or [SCORE_SCOPE]
    ags = AssignmentsGradesService(connector, {"scope": scopes, "lineitem": link.lineitem_url})
    ags.put_grade(grade_for(score, sub))


def send_due(session: Session, secret: str | bytes, limit: int | None = None) -> tuple[int, int]:
    """Send due pending scores, oldest first; returns (sent, failed this round)."""
    query = (
        sa.select(LtiScore.id)
        .where(LtiScore.status == "pending", LtiScore.next_try_at <= now_utc())
        .order_by(LtiScore.next_try_at, LtiScore.id)
    )
    if limit:
        query = query.limit(limit)
    ids = list(session.scalars(query))
    sent = failed = 0
    for score_id in ids:
        if not _claim(session, score_id):
            continue
        score = session.get(LtiScore, score_id)
        if score is None:  # deleted with its attempt meanwhile
            continue
        try:
            _send_one(session, score, secret)
        except Exception as error:  # the platform's answer, the network, a gone link
            session.rollback()
            score = session.get(LtiScore, score_id)
            if score is None:
                continue
            score.tries += 1
            score.last_error = f"{type(error).__name__}: {error}"[:500]
            if score.tries >= MAX_TRIES:
                score.status = "failed"
            else:
                score.next_try_at = now_utc() + retry_delay(score.tries)
            failed += 1
        else:
            score.tries += 1
            score.status = "sent"
            score.sent_at = now_utc()
            score.last_error = ""
            sent += 1
        session.commit()
    return sent, failed


def retry(session: Session, score_ids: list[int]) -> int:
    """Put failed (or waiting) scores back in line for a try now; returns how many."""
    if not score_ids:
        return 0
    result = session.execute(
        sa.update(LtiScore)
        .where(LtiScore.id.in_(score_ids), LtiScore.status != "sent")
        .values(status="pending", next_try_at=now_utc(), tries=0)
    )
    session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
