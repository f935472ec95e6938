"""Account views."""

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

from quiz.auth import limiter
from quiz.auth.decorators import admin_required
from quiz.auth.forms import ChangePasswordForm, EmptyForm, LoginForm, RegisterForm
from quiz.auth.passwords import verify_password
from quiz.extensions import db, login_manager
from quiz.models import Role, User, normalize_name

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Find the user whose current session token this is."""
    return db.session.scalar(sa.select(User).where(User.session_token == token))


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


def browser_timezone(name: str) -> str:
    """The zone the registration page's script read from the browser, if a real one; else UTC."""
    from zoneinfo import available_timezones

    return name if name in available_timezones() else "UTC"


@bp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("study.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        user = User(email=normalize_name(form.email.data), role=Role.STUDENT.value)
        user.set_username(form.username.data)
        user.timezone = browser_timezone(request.form.get("timezone", ""))
        user.set_password(form.password.data, current_app.config["PASSWORD_HASH_METHOD"])
        taken = db.session.scalar(
            sa.select(User.id).where(
                sa.or_(User.username_key == user.username_key, User.email == user.email)
            )
        )
        if taken is None:
            db.session.add(user)
            try:
                db.session.commit()
            except IntegrityError:  # two registrations raced for the same name
                db.session.rollback()
                taken = True
        if taken is not None:
            form.username.errors.append("That username or email is already registered.")
        else:
            login_user(user)
            flash("Welcome! Your account is ready.", "success")
            return redirect(safe_next(request.args.get("next")) or url_for("study.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("study.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        config = current_app.config
        user = find_user(form.username.data)
        stored_hash = user.password_hash if user is not None and user.active else None
        key = limiter.account_key(user.id if user is not None else None, form.username.data)
        # Counted before the check, so racing requests cannot all slip under the limit.
        if not limiter.begin_attempt(
            db.session, key, client_address(), limiter.limits_from(config)
        ):
            return render_template("auth/login.html", form=form, limited=True), 429
        if verify_password(stored_hash, form.password.data, config["PASSWORD_HASH_METHOD"]):
            limiter.clear_failures(db.session, key)
            db.session.commit()
            session.clear()  # nothing from before the login survives it (session fixation)
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("study.index"))
        form.password.errors.append("Wrong username or password.")
    return render_template("auth/login.html", form=form, limited=False)


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
        stored_hash = user.password_hash
        # The same counter as the login form: a borrowed session gets no more guesses.
        key = limiter.account_key(user.id)
        if not limiter.begin_attempt(
            db.session, key, client_address(), limiter.limits_from(config)
        ):
            form.current.errors.append("Too many wrong passwords. Wait a few minutes.")
            return render_template("auth/account.html", form=form), 429
        if not verify_password(stored_hash, form.current.data, config["PASSWORD_HASH_METHOD"]):
            form.current.errors.append("That is not your current password.")
        else:
            limiter.clear_failures(db.session, key)
            user.set_password(form.password.data, config["PASSWORD_HASH_METHOD"])
            user.rotate_session()
            db.session.commit()
            login_user(user)  # this session stays, with the new token
            flash("Password changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/admin/users", methods=["GET"])
@admin_required
def users() -> Any:
    people = db.session.scalars(sa.select(User).order_by(User.username_key)).all()
    return render_template("auth/users.html", users=people, form=EmptyForm(), roles=list(Role))


@bp.route("/admin/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int) -> Any:
    form = EmptyForm()
    role = request.form.get("role", "")
    if not form.validate_on_submit() or role not in {r.value for r in Role}:
        abort(400)
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash("You cannot change your own role.", "error")
    else:
        user.role = role
        user.rotate_session()  # a changed role starts from a fresh login
        db.session.commit()
        flash(f"{user.username} is now {role}.", "success")
    return redirect(url_for("auth.users"))
