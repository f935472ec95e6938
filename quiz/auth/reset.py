"""Password reset links: signed, expiring and single-use, and the e-mail that carries them.

The token is signed with the app's secret key (itsdangerous) and carries a fingerprint of the
current password hash, so it stops working as soon as the password changes: single use, with
no table of tokens. The link is built on PUBLIC_URL, never on the request's Host header, so a
forged Host cannot send a victim's link elsewhere (reset poisoning).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import current_app, url_for
from itsdangerous import BadData, URLSafeTimedSerializer

from quiz.auth.mailer import queue_mail
from quiz.extensions import db
from quiz.models import OutgoingMail, User

SALT = "quiz-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]


def make_token(user: User) -> str:
    """A reset token for the user's current password."""
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_token(token: str) -> User | None:
    """The active user a valid, unexpired, unused token names; None otherwise."""
    try:
        data: Any = _serializer().loads(
            token, max_age=int(current_app.config["PASSWORD_RESET_MAX_AGE_S"])
        )
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(str(data.get("p", "")), _fingerprint(user)):
        return None  # the password changed since: the link was used (or is stale)
    return user


def reset_url(user: User) -> str:
    """The full reset link, on PUBLIC_URL when set (else this server's own root)."""
    token = make_token(user)
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("auth.reset", token=token)
    return url_for("auth.reset", token=token, _external=True)


def queue_reset_mail(user: User) -> OutgoingMail:
    """Queue an e-mail with a reset link for the user (sent after the response)."""
    minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE_S"]) // 60
    body = (
        f"Hello {user.username},\n\n"
        f"Someone (we hope you) asked to reset the password of your quiz account.\n"
        f"Open this link within {minutes} minutes to choose a new one:\n\n"
        f"{reset_url(user)}\n\n"
        "The link works once. If you did not ask, ignore this message: nothing changes.\n"
    )
    return queue_mail(db.session, user.email, "Reset your quiz password", body)


def queue_taken_mail(user: User) -> None:
    """Queue a note to an account's owner that someone tried to register with their e-mail
    (registration answers as for a new address, so it does not tell who has an account)."""
    base = current_app.config.get("PUBLIC_URL") or ""
    body = (
        f"Hello {user.username},\n\n"
        "Someone tried to register a new quiz account with this e-mail address, which "
        "already has one, so no account was made.\n\n"
        f"If it was you: log in as {user.username}, or if you forgot your password, "
        f"reset it at {base.rstrip('/')}{url_for('auth.forgot')}\n\n"
        "If it was not you, ignore this message: nothing changes.\n"
    )
    queue_mail(db.session, user.email, "Someone tried to register with your address", body)
