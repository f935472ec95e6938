"""The student's "I was right" button, on the feedback page and on a quiz's result page."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.extensions import db
from quiz.models import Review
from quiz.overrides import claims as overrides


@bp.route("/reviews/<int:review_id>/override", methods=["POST"])
@login_required
def override(review_id: int) -> Any:
    """Count a typed answer marked wrong as right; the student's own reviews only."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        _override, new = overrides.override_review(
            db.session,
            current_user.id,
            review_id,
            fuzzing=current_app.config["SCHEDULER_FUZZING"],
        )
    except overrides.NotFound:
        abort(404)
    except overrides.OverrideRefused as refused:
        flash(str(refused), "error")
    else:
        if new:
            flash("Noted: you said you were right. The original grade is kept.", "success")
        else:
            flash("You had already said you were right about this answer.", "info")
    review = db.session.get(Review, review_id)
    if review is not None and review.attempt_id and request.form.get("back") == "result":
        target = url_for("study.attempt_result", attempt_id=review.attempt_id)
        return redirect(f"{target}#q{review.question_id}")
    return redirect(url_for("study.feedback", review_id=review_id))
