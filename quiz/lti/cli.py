"""`flask lti rotate-key` and `flask lti send-scores`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from quiz.extensions import db
from quiz.lti import grades, keys

lti_cli = AppGroup("lti", help="LTI 1.3: the tool's keys and the scores owed to LMSs.")


@lti_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Make a new signing key; the old one stays in the JWKS for a week."""
    fresh, old = keys.rotate(db.session, current_app.config["SECRET_KEY"])
    db.session.commit()
    days = keys.RETIRED_KEY_PUBLISHED.days
    click.echo(
        f"New key {fresh.kid} signs from now on; {len(old)} old key(s) stay published "
        f"for {days} days."
    )


@lti_cli.command("send-scores")
def send_scores_command() -> None:
    """Send every score whose try is due (run it from cron every few minutes)."""
    sent, failed = grades.send_due(db.session, current_app.config["SECRET_KEY"])
    click.echo(f"{sent} scores sent, {failed} failed this round (retried later).")


def init_app(app: Flask) -> None:
    """Register the command group."""
    app.cli.add_command(lti_cli)
