"""Reminders and notices: written by `flask send-notices`, mailed once, shown at home."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Blueprint, Flask, current_app
from flask.cli import with_appcontext

bp = Blueprint("notices", __name__, url_prefix="/notices")


def notify_marks_released(assignment_id: int) -> int:
    """Tell everyone who handed the assignment in that its marks or comments are out (the
    caller commits; the next send-notices mails them). Calling it again adds nothing."""
    from quiz.extensions import db
    from quiz.notices.collect import notify_marks_released as write

    return write(db.session, assignment_id)


def run_once() -> tuple[int, int, int, int]:
    """One run of send-notices: (notices new, e-mails queued, sent, failed)."""
    from quiz.auth.mailer import mail_configured, send_queued
    from quiz.database import begin_write
    from quiz.extensions import db
    from quiz.notices.collect import collect
    from quiz.notices.mailing import queue_pending
    from quiz.timeutil import now_utc

    config = current_app.config
    now = now_utc()
    db.session.commit()  # a fresh transaction that takes SQLite's write lock before reading
    begin_write(db.session)
    made = collect(db.session, timedelta(hours=float(config["NOTICE_REMINDER_BEFORE_H"])), now)
    db.session.commit()
    if not mail_configured():
        return made, 0, 0, 0  # in the app only; they stay pending for a while
    queued = queue_pending(db.session, config, now)
    sent, failed = send_queued(db.session, config)
    return made, queued, sent, failed


@click.command("send-notices")
@with_appcontext
def send_notices_command() -> None:
    """Write due reminders, released-mark notes and digests; mail each once (cron it)."""
    made, queued, sent, failed = run_once()
    click.echo(f"{made} new notices, {queued} e-mails queued, {sent} sent, {failed} failed")


def init_app(app: Flask) -> None:
    """The notices' pages, the command, and the home pages' list of open notices."""
    from quiz.extensions import csrf
    from quiz.notices import routes

    app.config.setdefault("NOTICE_REMINDER_BEFORE_H", 24)
    app.register_blueprint(bp)
    # The one-click unsubscribe POST comes from a mail client with no session: its signed
    # token is the proof (RFC 8058).
    csrf.exempt(routes.unsubscribe)
    app.add_template_global(routes.open_notices, "open_notices")
    app.cli.add_command(send_notices_command)
