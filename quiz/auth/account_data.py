"""A student's own data: everything as JSON, and deleting the account (GDPR articles 15-17)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from quiz.models import (
    Attempt,
    AttemptAnswer,
    Base,
    Card,
    Enrollment,
    Notice,
    OidcIdentity,
    PendingAnswer,
    QuestionSet,
    Review,
    StudiedSet,
    User,
)

AnySession = Session | scoped_session[Session]
SECRET_COLUMNS = frozenset({"password_hash", "session_token"})
CORE_TABLES = frozenset({"user", "review", "card", "attempt", "attempt_answer", "login_failure"})


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _row(obj: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    columns = sa.inspect(obj).mapper.column_attrs
    return {c.key: _plain(getattr(obj, c.key)) for c in columns if c.key not in skip}


def export_user_data(session: AnySession, user: User) -> dict[str, Any]:
    """Everything kept about the student: account, answers, cards, attempts and the rest."""
    titles = dict(session.execute(sa.select(QuestionSet.id, QuestionSet.title)).all())
    reviews = session.scalars(
        sa.select(Review).where(Review.user_id == user.id).order_by(Review.reviewed_at)
    ).all()
    cards = session.scalars(sa.select(Card).where(Card.user_id == user.id).order_by(Card.id))
    mine = sa.select(Attempt.id).where(Attempt.user_id == user.id)
    answers: dict[int, list[dict[str, Any]]] = {}
    for answer in session.scalars(
        sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id.in_(mine))
    ):
        answers.setdefault(answer.attempt_id, []).append(_row(answer))
    attempts = [
        {
            **_row(attempt, frozenset({"question_order", "seed", "version"})),
            "set_title": titles.get(attempt.set_id),
            "questions": list(attempt.question_order),
            "answers": answers.get(attempt.id, []),
        }
        for attempt in session.scalars(
            sa.select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.started_at)
        )
    ]
    data: dict[str, Any] = {
        "account": _row(user, SECRET_COLUMNS),
        "reviews": [_row(r) for r in reviews],
        "cards": [_row(c, frozenset({"version"})) for c in cards],
        "attempts": attempts,
    }
    # Any other table that keeps rows per user (classes, settings, ...), as it exists.
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if table.name in CORE_TABLES or "user_id" not in table.c:
            continue
        rows = session.scalars(sa.select(mapper.class_).where(table.c.user_id == user.id))
        data[table.name] = [_row(row) for row in rows]
    return data


def delete_account(session: AnySession, user: User, mode: str) -> None:
    """Delete the account; "anonymize" keeps the answers under a nameless disabled account,
    "delete" removes them with everything else that is the student's (foreign keys cascade).
    Commits."""
    if mode == "delete":
        session.execute(sa.delete(User).where(User.id == user.id))
    else:
        tag = secrets.token_hex(8)
        user.username = user.username_key = f"deleted-{tag}"
        user.email = f"deleted-{tag}@deleted.invalid"
        user.password_hash = "!"  # noqa: S105 - matches no password; the account is inactive
        user.active = False
        user.rotate_session()
        session.execute(sa.delete(StudiedSet).where(StudiedSet.user_id == user.id))
        session.execute(sa.delete(PendingAnswer).where(PendingAnswer.user_id == user.id))
        # Off every class: rosters, dashboards and averages count members only.
        session.execute(sa.delete(Enrollment).where(Enrollment.user_id == user.id))
        # No provider signs in to the nameless account, and nothing is sent to it.
        session.execute(sa.delete(OidcIdentity).where(OidcIdentity.user_id == user.id))
        session.execute(sa.delete(Notice).where(Notice.user_id == user.id))
    session.commit()
