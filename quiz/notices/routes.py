"""Notice views: the e-mail settings, dismissing a notice, one-click unsubscribe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz.auth.forms import EmptyForm
from quiz.auth.routes import home_url, safe_next
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import Notice, NoticeKind, NoticeOptOut, User
from quiz.notices import bp
from quiz.notices.mailing import KIND_NAMES, read_unsubscribe_token, turn_off
from quiz.timeutil import now_utc

SHOWN = 10  # open notices on a home page
SHOWN_FOR = timedelta(days=30)  # an older one is no news any more


def open_notices() -> list[Notice]:
    """The signed-in person's open notices, newest first (the home pages list them)."""
    if not current_user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(
                Notice.user_id == current_user.id,
                Notice.dismissed_at.is_(None),
                Notice.created_at >= now_utc() - SHOWN_FOR,
            )
            .order_by(Notice.id.desc())
            .limit(SHOWN)
        )
    )


def kinds_for(user: Any) -> list[str]:
    """The kinds of e-mail a person can get: teachers' digests only for teachers."""
    kinds = [NoticeKind.REMINDER.value, NoticeKind.RELEASED.value]
    return [*kinds, NoticeKind.DIGEST.value] if user.is_teacher else kinds


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    form = EmptyForm()
    kinds = kinds_for(current_user)
    if form.validate_on_submit():
        wanted = set(request.form.getlist("on"))
        db.session.execute(sa.delete(NoticeOptOut).where(NoticeOptOut.user_id == current_user.id))
        for kind in kinds:
            if kind not in wanted:
                db.session.add(NoticeOptOut(user_id=current_user.id, kind=kind))
        db.session.commit()
        flash("E-mail settings saved.", "success")
        return redirect(url_for("notices.settings"))
    off = set(
        db.session.scalars(
            sa.select(NoticeOptOut.kind).where(NoticeOptOut.user_id == current_user.id)
        )
    )
    return render_template(
        "notices/settings.html", form=form, kinds=kinds, names=KIND_NAMES, off=off
    )


@bp.route("/dismiss", methods=["POST"])
@login_required
def dismiss() -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    notice_id = bounded_int(request.form.get("notice_id", ""))
    if notice_id is None:
        abort(400)
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)  # someone else's: as if it did not exist
    notice.dismissed_at = notice.dismissed_at or now_utc()
    db.session.commit()
    return redirect(safe_next(request.form.get("next")) or home_url(current_user))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> Any:
    read = read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    user = db.session.get(User, read[0]) if read else None
    if read is None or user is None:
        return render_template("notices/unsubscribe.html", bad=True, name=None), 400
    if request.method == "POST":
        turn_off(db.session, user.id, read[1])
        db.session.commit()
        return render_template(
            "notices/unsubscribe.html", bad=False, done=True, name=KIND_NAMES[read[1]]
        )
    return render_template(
        "notices/unsubscribe.html", bad=False, done=False, name=KIND_NAMES[read[1]]
    )
