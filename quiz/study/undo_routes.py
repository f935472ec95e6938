"""Undo the last study answer: the card goes back to how it was before it."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect
from flask_login import current_user, login_required

from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.extensions import db
from quiz.study.card_actions import CannotUndo, undo_review
from quiz.study.common import next_url, posted_id


@bp.route("/undo", methods=["POST"])
@login_required
def undo() -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    review_id = posted_id("review_id")
    try:
        undo_review(
            db.session,
            current_user,
            review_id,
            fuzzing=current_app.config["SCHEDULER_FUZZING"],
        )
    except LookupError:
        abort(404)
    except CannotUndo as error:
        flash(str(error), "error")
        return redirect(next_url())
    flash("Undone: that answer is gone and the card is as it was before it.", "success")
    return redirect(next_url())
