"""Account views: register, log in, log out, change password."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from quiz import request_hints
from quiz.auth import devices, limiter, mailer
from quiz.auth.forms import ChangePasswordForm, EmptyForm, LoginForm, RegisterForm
from quiz.auth.passwords import HashingBusy, run_hashing, verify_password
from quiz.auth.reset import queue_taken_mail
from quiz.extensions import db, login_manager
from quiz.models import Attempt, PendingAnswer, Role, User, normalize_name
from quiz.password_hashing import needs_rehash
from quiz.statements import built_once

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Find the user whose current session token this is (with the request's hints)."""
    row = db.session.execute(_load_user_query(), {"token": token}).first()
    if row is None:
        return None
    user, open_attempt, held = row
    request_hints.remember(
        db.session(), request_hints.RequestHints(user.id, bool(open_attempt), bool(held))
    )
    return user


@built_once
def _load_user_query() -> sa.Select[tuple[User, bool, bool]]:
    """load_user's statement, built once: it runs on every request of a logged-in user."""
    open_attempt = sa.exists().where(Attempt.user_id == User.id, Attempt.finished_at.is_(None))
    held = sa.exists().where(PendingAnswer.user_id == User.id)
    return sa.select(User, open_attempt.label("open_attempt"), held.label("held")).where(
        User.session_token == sa.bindparam("token")
    )


def find_user(name_or_email: str) -> User | None:
    """Look a user up by username or email, normalized."""
    key = normalize_name(name_or_email)
    return db.session.scalar(
        sa.select(User).where(sa.or_(User.username_key == key, User.email == key))
    )


def safe_next(target: str | None) -> str | None:
    """Accept `next` only when it is a path on this site (no scheme, host or backslash tricks)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def client_address() -> str:
    """The caller's address as the server sees it (configure ProxyFix to trust a proxy)."""
    return request.remote_addr or "unknown"


def too_many(template: str, wait: int, **context: Any) -> Any:
    """The form again with a 429, saying how long to wait (and Retry-After)."""
    message = f"Too many attempts. {limiter.wait_text(wait)} and try again."
    body = render_template(template, limited=message, **context)
    return body, 429, {"Retry-After": str(wait)}


def check_password(user: User | None, key: str, password: str) -> tuple[bool, int]:
    """Pace, then check a password against the user (None: no usable account); a right
    password whose hash is of an older scheme or cost is hashed anew (the caller commits).

    Returns (right, wait): wait > 0 means the check was refused unchecked for that long.
    """
    config = current_app.config
    method = config["PASSWORD_HASH_METHOD"]
    device = devices.trusted_nonce(user.id if user is not None else None)
    wait = limiter.pace_attempt(
        db.session, key, client_address(), limiter.policy_from(config), device=device
    )
    if wait:
        return False, wait
    stored_hash = user.password_hash if user is not None and user.active else None
    # Nothing but hashing inside the slot: a holder waiting for the database's write lock
    # while a writer waits for a slot would stall both (SQLite's lock is taken at BEGIN).

    def check() -> bool:
        right = verify_password(stored_hash, password, method)
        if right and user is not None and needs_rehash(stored_hash, method):
            user.set_password(password, method)  # an older scheme: replaced, now we can
        return right

    try:
        right = run_hashing(check)
    except HashingBusy:
        limiter.forget_newest_attempt(db.session, key, device=device)  # unchecked: no failure
        raise
    if right:
        limiter.clear_failures(db.session, key, device=device, address=client_address())
    return right, 0


def registration_limit() -> limiter.EventLimit:
    """Registrations allowed per address (shared by every worker through the database)."""
    config = current_app.config
    return limiter.EventLimit(
        kind="register",
        per_key=None,
        per_address=int(config["REGISTRATION_LIMIT_PER_ADDRESS"]),
        window_s=int(config["REGISTRATION_WINDOW_S"]),
    )


def username_taken(username_key: str) -> bool:
    """Whether the username is registered already (a cheap query, before hashing)."""
    return (
        db.session.scalar(sa.select(User.id).where(User.username_key == username_key)) is not None
    )


def taken_mail_limit() -> limiter.EventLimit:
    """Notes to an address's owner about registrations with it (no flooding their inbox)."""
    config = current_app.config
    return limiter.EventLimit(
        kind="taken",
        per_key=int(config["PASSWORD_RESET_LIMIT"]),
        per_address=None,
        window_s=int(config["PASSWORD_RESET_WINDOW_S"]),
    )


def home_url(user: Any) -> str:
    """Where a user lands after logging in: teachers and admins on Teach, students on Study
    (each one click from the other in the navigation)."""
    return url_for("teach.index" if user.is_teacher else "study.index")


def registered_response() -> Any:
    """What a registration answers, whether or not its e-mail had an account already."""
    flash("Welcome! Your account is ready.", "success")
    return redirect(safe_next(request.args.get("next")) or url_for("study.index"))


def answer_taken_email(owner: User, password: str) -> Any:
    """Registration with an e-mail that has an account: answer as for a new one (OWASP: do not
    tell who has an account), hash as long, and tell the owner by e-mail instead."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    run_hashing(lambda: verify_password(None, password, method))  # a registration's cost
    response = registered_response()
    if mailer.mail_configured() and owner.active:
        if not limiter.begin_event(db.session, taken_mail_limit(), f"user:{owner.id}", ""):
            queue_taken_mail(owner)
            db.session.commit()
        mailer.send_after(response)
    return response


def browser_timezone(name: str) -> str:
    """The zone the registration page's script read from the browser, if a real one; else UTC."""
    from zoneinfo import available_timezones

    return name if name in available_timezones() else "UTC"


@bp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("study.index"))
    from quiz.signin.settings import registration_open

    if not registration_open(db.session):  # an admin turned it off (the sign-in page)
        flash("New accounts come from the school sign-in buttons below.", "info")
        return redirect(url_for("auth.login"))
    form = RegisterForm()
    # Cheap checks first (the form, then the names); the limit; only then the costly hash.
    if form.validate_on_submit():
        user = User(email=normalize_name(form.email.data), role=Role.STUDENT.value)
        user.set_username(form.username.data)
        if username_taken(user.username_key):
            form.username.errors.append("That username is already registered: choose another.")
            return render_template("auth/register.html", form=form)
        wait = limiter.begin_event(db.session, registration_limit(), "", client_address())
        if wait:
            return too_many("auth/register.html", wait, form=form)
        owner = db.session.scalar(sa.select(User).where(User.email == user.email))
        if owner is not None:
            return answer_taken_email(owner, form.password.data)
        user.timezone = browser_timezone(request.form.get("timezone", ""))
        method = current_app.config["PASSWORD_HASH_METHOD"]
        run_hashing(lambda: user.set_password(form.password.data, method))
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # two registrations raced for the same name
            db.session.rollback()
            form.username.errors.append("That username or email is already registered.")
            return render_template("auth/register.html", form=form)
        login_user(user)
        response = registered_response()
        devices.remember(response, user.id)
        return response
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        user = find_user(form.username.data)
        key = limiter.account_key(user.id if user is not None else None, form.username.data)
        right, wait = check_password(user, key, form.password.data)
        if wait:
            return too_many("auth/login.html", wait, form=form)
        if right and user is not None:
            db.session.commit()
            session.clear()  # nothing from before the login survives it (session fixation)
            login_user(user, remember=form.remember.data)
            response = redirect(safe_next(form.next.data) or home_url(user))
            devices.remember(response, user.id)
            return response
        form.password.errors.append("Wrong username or password.")
    return render_template("auth/login.html", form=form, limited=None)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Any:
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    # Rotating the token makes any copy of this session or remember cookie worthless.
    current_user.rotate_session()
    db.session.commit()
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Any:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        config = current_app.config
        user = current_user._get_current_object()
        # The same pacing as the login form: a borrowed session gets no more guesses.
        right, wait = check_password(user, limiter.account_key(user.id), form.current.data)
        if wait:
            return too_many("auth/account.html", wait, form=form)
        if not right:
            form.current.errors.append("That is not your current password.")
        else:
            method = config["PASSWORD_HASH_METHOD"]
            run_hashing(lambda: user.set_password(form.password.data, method))
            user.rotate_session()
            db.session.commit()
            login_user(user)  # this session stays, with the new token
            flash("Password changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)
