"""Admin views: the users page, roles, deactivation and reset links."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quiz.auth.decorators import admin_required
from quiz.auth.forms import EmptyForm
from quiz.auth.mailer import mail_configured
from quiz.auth.reset import reset_url
from quiz.auth.routes import bp
from quiz.extensions import db
from quiz.models import Role, User


@bp.route("/admin/users", methods=["GET"])
@admin_required
def users() -> Any:
    people = db.session.scalars(sa.select(User).order_by(User.username_key)).all()
    return render_template(
        "auth/users.html",
        users=people,
        form=EmptyForm(),
        roles=list(Role),
        mail=mail_configured(),
    )


def other_user_or_404(user_id: int) -> User:
    """A user for an admin action; a POST without its CSRF token is a 400."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    return db.get_or_404(User, user_id)


@bp.route("/admin/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id: int) -> Any:
    role = request.form.get("role", "")
    user = other_user_or_404(user_id)
    if role not in {r.value for r in Role}:
        abort(400)
    if user.id == current_user.id:
        flash("You cannot change your own role.", "error")
    else:
        user.role = role
        user.rotate_session()  # a changed role starts from a fresh login
        db.session.commit()
        flash(f"{user.username} is now {role}.", "success")
    return redirect(url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@admin_required
def set_active(user_id: int) -> Any:
    """Deactivate (active=0: cannot log in, data kept) or reactivate (active=1) an account."""
    wanted = request.form.get("active")
    user = other_user_or_404(user_id)
    if wanted not in ("0", "1"):
        abort(400)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
    else:
        user.active = wanted == "1"
        user.rotate_session()  # a deactivated account is out on its next request
        db.session.commit()
        state = "active again" if user.active else "deactivated; its data is kept"
        flash(f"{user.username} is {state}.", "success")
    return redirect(url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>/reset-link", methods=["POST"])
@admin_required
def reset_link(user_id: int) -> Any:
    """A password reset link for the admin to hand over (for when no e-mail goes out)."""
    user = other_user_or_404(user_id)
    if not user.active:
        flash(f"{user.username} is deactivated; reactivate the account first.", "error")
        return redirect(url_for("auth.users"))
    return render_template("auth/reset_link.html", user=user, link=reset_url(user))
