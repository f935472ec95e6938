"""E-mail sent after the response: requests write a queue row, a thread (or `flask send-mail`)
sends it. How long the mail server takes must not show in the answer (it told whether an
account exists), and a crash while sending must not lose the mail: a row is claimed, sent,
and deleted only once the server accepted it; a claim older than CLAIM_S is taken again.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
import threading
from collections.abc import Mapping
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app

from quiz.auth.limiter import AnySession
from quiz.extensions import db
from quiz.models import OutgoingMail
from quiz.timeutil import now_utc

CLAIM_S = 5 * 60  # longer than any send (MAIL_TIMEOUT_S per step); then another sender retries
log = logging.getLogger(__name__)
_senders: set[threading.Thread] = set()
_senders_lock = threading.Lock()


def mail_configured_in(config: Mapping[str, Any]) -> bool:
    """Whether e-mail can go out with this configuration (its links are built on PUBLIC_URL)."""
    return bool(config.get("MAIL_SERVER") and config.get("PUBLIC_URL"))


def mail_configured() -> bool:
    """Whether the app can send e-mail."""
    return mail_configured_in(current_app.config)


def queue_mail(
    session: AnySession,
    recipient: str,
    subject: str,
    body: str,
    headers: dict[str, str] | None = None,
) -> OutgoingMail:
    """Add one e-mail to the queue (the caller commits, then calls send_after)."""
    mail = OutgoingMail(recipient=recipient, subject=subject[:200], body=body, headers=headers)
    session.add(mail)
    return mail


def unqueue(session: AnySession, mail: OutgoingMail) -> None:
    """Take back a queued e-mail that is not to be sent after all (committed by the caller)."""
    session.execute(sa.delete(OutgoingMail).where(OutgoingMail.id == mail.id))


def smtp_send(
    config: Mapping[str, Any],
    recipient: str,
    subject: str,
    body: str,
    headers: Mapping[str, str] | None = None,
) -> bool:
    """Hand one e-mail to the mail server; False (logged) when it refused or failed."""
    # Lines up to SMTP's 998: a long List-Unsubscribe URL must not be folded into an
    # encoded word, which mail clients do not read as a link.
    message = EmailMessage(policy=email.policy.default.clone(max_line_length=998))
    message["Subject"] = subject
    message["From"] = config.get("MAIL_FROM") or f"quiz@{config['MAIL_SERVER']}"
    message["To"] = recipient
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
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
        log.exception("could not send an e-mail (it stays queued)")
        return False
    return True


def _claim(session: AnySession, mail_id: int) -> bool:
    """Take one queued mail for this sender; False when another sender holds it."""
    now = now_utc()
    stale = now - timedelta(seconds=CLAIM_S)
    taken = session.execute(
        sa.update(OutgoingMail)
        .where(
            OutgoingMail.id == mail_id,
            sa.or_(OutgoingMail.claimed_at.is_(None), OutgoingMail.claimed_at < stale),
        )
        .values(claimed_at=now)
    )
    session.commit()
    return taken.rowcount == 1


def send_queued(session: AnySession, config: Mapping[str, Any]) -> tuple[int, int]:
    """Send every queued mail no other sender holds; (sent, failed). A failed one stays
    claimed, so it is retried after CLAIM_S rather than by every request meanwhile."""
    stale = now_utc() - timedelta(seconds=CLAIM_S)
    ids = session.scalars(
        sa.select(OutgoingMail.id)
        .where(sa.or_(OutgoingMail.claimed_at.is_(None), OutgoingMail.claimed_at < stale))
        .order_by(OutgoingMail.id)
    ).all()
    session.commit()  # no transaction stays open while the mail server is slow
    sent = failed = 0
    for mail_id in ids:
        if not _claim(session, mail_id):
            continue
        mail = session.get(OutgoingMail, mail_id)
        if mail is None:
            continue
        recipient, subject, body, headers = mail.recipient, mail.subject, mail.body, mail.headers
        session.commit()
        if smtp_send(config, recipient, subject, body, headers):
            session.execute(sa.delete(OutgoingMail).where(OutgoingMail.id == mail_id))
            session.commit()
            sent += 1
        else:
            failed += 1
    return sent, failed


def _send_in_thread(app: Flask) -> None:
    with app.app_context():
        try:
            send_queued(db.session, app.config)
        except Exception:  # a thread has nobody to report to: log, the queue keeps the mail
            log.exception("the mail sender failed (the mail stays queued)")
        finally:
            db.session.remove()
    with _senders_lock:
        _senders.discard(threading.current_thread())


def _start_sender(app: Flask) -> None:
    thread = threading.Thread(target=_send_in_thread, args=(app,), name="quiz-mail", daemon=True)
    with _senders_lock:
        _senders.add(thread)
    thread.start()


def send_after(response: Response) -> Response:
    """Send the queue in a thread once the response is sent (the WSGI server closes it then):
    neither the mail server's time nor the sender's work shows in the answer."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    response.call_on_close(lambda: _start_sender(app))
    return response


def wait_for_senders(timeout: float) -> bool:
    """Wait for the sending threads this process started; False if some still run."""
    with _senders_lock:
        threads = list(_senders)
    for thread in threads:
        thread.join(timeout)
    return not any(thread.is_alive() for thread in threads)
