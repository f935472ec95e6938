"""Notice e-mails: claimed once per notice, queued in the same transaction, then sent by the
mail queue (quiz.auth.mailer) that already retries after a crash. Each carries a signed
one-click unsubscribe link (RFC 8058's List-Unsubscribe and List-Unsubscribe-Post)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer

from quiz.auth.limiter import AnySession
from quiz.auth.mailer import queue_mail
from quiz.database import begin_write
from quiz.models import MailState, Notice, NoticeKind, NoticeOptOut, User
from quiz.notices.collect import app_path

MAIL_WITHIN = timedelta(days=7)  # an older notice never mailed (no mail server then) stays quiet
NO_MAIL_DOMAIN = "@signin.invalid"  # the stand-in address of a provider account without one
KIND_NAMES = {
    NoticeKind.REMINDER.value: "reminders before a due date",
    NoticeKind.RELEASED.value: "notes when a mark or comment is released",
    NoticeKind.DIGEST.value: "the weekly digest of who is behind",
}


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="notice-unsubscribe")


def unsubscribe_token(secret: str, user_id: int, kind: str) -> str:
    """A token that turns one kind of e-mail off for one person, with no login."""
    return _serializer(secret).dumps([user_id, kind])


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str] | None:
    """(user id, kind) from a token, or None when it is forged, mangled or names no kind."""
    try:
        user_id, kind = _serializer(secret).loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or kind not in KIND_NAMES:
        return None
    return user_id, kind


def turn_off(session: AnySession, user_id: int, kind: str) -> None:
    """Stop one kind of e-mail for one person (the caller commits; twice is once)."""
    if session.get(NoticeOptOut, (user_id, kind)) is None:
        session.add(NoticeOptOut(user_id=user_id, kind=kind))


def _claim(session: AnySession, notice_id: int, state: MailState) -> bool:
    """Move a pending notice to `state`; False when another run took it first."""
    taken = session.execute(
        sa.update(Notice)
        .where(Notice.id == notice_id, Notice.mail == MailState.PENDING.value)
        .values(mail=state.value)
    )
    return taken.rowcount == 1


def _message(config: Mapping[str, Any], notice: Notice, user: User) -> tuple[str, dict[str, str]]:
    """The body and headers of one notice's e-mail."""
    base = str(config["PUBLIC_URL"]).rstrip("/")
    token = unsubscribe_token(config["SECRET_KEY"], user.id, notice.kind)
    unsubscribe = base + app_path("notices.unsubscribe", token=token)
    lines = [f"Hello {user.username},", "", notice.title, "", notice.body]
    if notice.link:
        lines += ["", f"Open it: {base}{notice.link}"]
    lines += [
        "",
        f"You get this because {KIND_NAMES[notice.kind]} are on for your account.",
        f"Turn them off: {unsubscribe}",
        f"All your e-mail settings: {base}{app_path('notices.settings')}",
    ]
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return "\n".join(lines), headers


def queue_pending(session: AnySession, config: Mapping[str, Any], now: datetime) -> int:
    """Queue the e-mail of every pending notice, each in its own transaction with its claim:
    a crash leaves either both (the queue sends it) or neither (the next run does)."""
    rows = session.execute(
        sa.select(Notice.id, Notice.user_id, Notice.kind)
        .where(Notice.mail == MailState.PENDING.value, Notice.created_at >= now - MAIL_WITHIN)
        .order_by(Notice.id)
    ).all()
    opted = {(u, k) for u, k in session.execute(sa.select(NoticeOptOut.user_id, NoticeOptOut.kind))}
    session.commit()
    queued = 0
    for notice_id, user_id, kind in rows:
        begin_write(session)  # SQLite: the lock before the reads, or a second run's upgrade fails
        user = session.get(User, user_id)
        usable = user is not None and user.active and not user.email.endswith(NO_MAIL_DOMAIN)
        if not usable or (user_id, kind) in opted:
            _claim(session, notice_id, MailState.OFF)
            session.commit()
            continue
        if _claim(session, notice_id, MailState.QUEUED):
            notice = session.get(Notice, notice_id)
            if notice is None or user is None:  # deleted meanwhile: nothing to send
                session.commit()
                continue
            body, headers = _message(config, notice, user)
            queue_mail(session, user.email, notice.title, body, headers)
            queued += 1
        session.commit()
    return queued
