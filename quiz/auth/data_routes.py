"""A student's own data: download it as JSON, delete the account."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user

from quiz.auth import limiter
from quiz.auth.account_data import delete_account, export_user_data
from quiz.auth.forms import DeleteAccountForm
from quiz.auth.routes import bp, check_password, too_many
from quiz.extensions import db
from quiz.models import Role


@bp.route("/account/data")
@login_required
def my_data() -> Any:
    """Everything kept about me, as a JSON download."""
    data = export_user_data(db.session, current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    name = f"quiz-data-{current_user.username_key}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/account/delete", methods=["GET", "POST"], endpoint="delete_account")
@login_required
def delete_account_view() -> Any:
    """Delete my account after my password and a typed DELETE; students only."""
    if current_user.role != Role.STUDENT.value:
        abort(403)
    form = DeleteAccountForm()
    mode = current_app.config["ACCOUNT_DELETION_REVIEWS"]
    if form.validate_on_submit():
        user = current_user._get_current_object()
        right, wait = check_password(user, limiter.account_key(user.id), form.password.data)
        if wait:
            return too_many("auth/delete.html", wait, form=form, mode=mode)
        if not right:
            form.password.errors.append("That is not your password.")
        else:
            logout_user()
            delete_account(db.session, user, mode)
            flash("Your account is deleted.", "info")
            return redirect(url_for("auth.login"))
    return render_template("auth/delete.html", form=form, mode=mode)
