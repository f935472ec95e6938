"""The forgotten password: ask for a link by e-mail, then choose a new password."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, make_response, redirect, render_template, url_for
from werkzeug.exceptions import BadRequest

from quiz.auth import limiter, mailer
from quiz.auth.forms import ForgotForm, ResetForm
from quiz.auth.mailer import mail_configured
from quiz.auth.passwords import run_hashing
from quiz.auth.reset import queue_reset_mail, user_for_token
from quiz.auth.routes import bp, client_address, find_user, too_many
from quiz.extensions import db


class StaleLink(BadRequest):
    """A reset link that is forged, expired or used already."""

    user_message = (
        "This reset link is no longer valid: it was used already, has expired or is "
        "incomplete. Ask for a new one."
    )


def reset_limit() -> limiter.EventLimit:
    """Reset e-mails allowed per account and per address (shared through the database)."""
    config = current_app.config
    most = int(config["PASSWORD_RESET_LIMIT"])
    return limiter.EventLimit(
        kind="reset",
        per_key=most,
        per_address=most * 10,
        window_s=int(config["PASSWORD_RESET_WINDOW_S"]),
    )


@bp.route("/forgot", methods=["GET", "POST"])
def forgot() -> Any:
    form = ForgotForm()
    mail = mail_configured()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        key = limiter.account_key(user.id if user is not None else None, form.email.data)
        # The mail is queued in begin_event's own commit (no extra round trip for a real
        # account) and sent after the response: its time must not tell who has an account.
        queued = queue_reset_mail(user) if mail and user is not None and user.active else None
        wait = limiter.begin_event(db.session, reset_limit(), key, client_address())
        if wait:
            if queued is not None:
                mailer.unqueue(db.session, queued)
                db.session.commit()
            return too_many("auth/forgot.html", wait, form=form, mail=mail, sent=False)
        # The same answer whether or not the account exists (no probing for accounts).
        form.email.data = ""
        response = make_response(
            render_template("auth/forgot.html", form=form, mail=mail, sent=True)
        )
        return mailer.send_after(response) if mail else response
    return render_template("auth/forgot.html", form=form, mail=mail, sent=False)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> Any:
    user = user_for_token(token)
    if user is None:
        raise StaleLink()
    form = ResetForm()
    if form.validate_on_submit():
        method = current_app.config["PASSWORD_HASH_METHOD"]
        run_hashing(lambda: user.set_password(form.password.data, method))
        user.rotate_session()  # every session and remember cookie ends
        limiter.clear_failures(db.session, limiter.account_key(user.id))
        db.session.commit()
        flash("Your password is changed. Log in with the new one.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, user=user)
