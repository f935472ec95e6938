"""Password reset links: signed, expiring and single-use, and the e-mail that carries them.

The token is signed with the app's secret key (itsdangerous) and carries a fingerprint of the
current password hash, so it stops working as soon as the password changes: single use, with
no table of tokens. The link is built on PUBLIC_URL, never on the request's Host header, so a
forged Host cannot send a victim's link elsewhere (reset poisoning).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from flask import current_app, url_for
from itsdangerous import BadData, URLSafeTimedSerializer

from quiz.extensions import db
from quiz.models import User

SALT = "quiz-password-reset"
log = logging.getLogger(__name__)


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


def mail_configured() -> bool:
    """Whether reset links can go out by e-mail."""
    config = current_app.config
    return bool(config.get("MAIL_SERVER") and config.get("PUBLIC_URL"))


def reset_url(user: User) -> str:
    """The full reset link, on PUBLIC_URL when set (else this server's own root)."""
    token = make_token(user)
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + url_for("auth.reset", token=token)
    return url_for("auth.reset", token=token, _external=True)


def send_reset_mail(user: User) -> bool:
    """E-mail the user a reset link; False (logged) when the mail server refused or failed."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = "Reset your quiz password"
    message["From"] = config.get("MAIL_FROM") or f"quiz@{config['MAIL_SERVER']}"
    message["To"] = user.email
    minutes = int(config["PASSWORD_RESET_MAX_AGE_S"]) // 60
    message.set_content(
        f"Hello {user.username},\n\n"
        f"Someone (we hope you) asked to reset the password of your quiz account.\n"
        f"Open this link within {minutes} minutes to choose a new one:\n\n"
        f"{reset_url(user)}\n\n"
        "The link works once. If you did not ask, ignore this message: nothing changes.\n"
    )
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(
            config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=config["MAIL_TIMEOUT_S"]
        ) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send the password reset e-mail")
        return False
    return True
