"""The page after a right answer: the verdict, and Hard / Good / Easy with their intervals."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.database import defers_write_lock
from quiz.extensions import db
from quiz.study import pending, queue
from quiz.study.answers import load_question, stored_grade
from quiz.study.common import next_intervals, next_url, valid_submission_id
from quiz.study.display import describe_response
from quiz.timeutil import now_utc

CHOICES = ("hard", "good", "easy")


@bp.route("/answers/<submission_id>", methods=["GET", "POST"], endpoint="rate")
@defers_write_lock
@login_required
def rate(submission_id: str) -> Any:
    if valid_submission_id(submission_id) is None:
        abort(404)
    if request.method == "POST":
        return rate_held(submission_id)
    # One statement reads the review and the held answer, so no rating can slip in between
    # the two lookups; the page also shows the card's intervals and the due count: the same
    # statement reads them.
    due = queue.due_count_params(db.session, current_user, now_utc())
    done, held, question, card, due_count = pending.find_submission(
        db.session, current_user.id, submission_id, due=due
    )
    if done is not None:  # rated already
        return redirect(url_for(".feedback", review_id=done.id))
    if held is None or question is None:  # none, or its question is gone (with its set)
        abort(404)
    item = load_question(question)
    return render_template(
        "study/rate.html",
        question=question,
        item=item,
        grade=stored_grade(item, held.response, correct=held.correct, score=held.score),
        response_text=describe_response(item, held.response),
        previews=next_intervals(question.id, card, known=True),
        submission_id=submission_id,
        due_count=due_count,
    )


def rate_held(submission_id: str) -> Any:
    """The rating's POST: the held answer becomes its review, rated as the student chose."""
    done_id, held = pending.find_to_rate(db.session, current_user.id, submission_id)
    if done_id is not None:  # rated already: a double click goes on as the first click did
        return redirect(next_url(last=done_id))
    if held is None:
        abort(404)
    choice = request.form.get("rating")
    if not EmptyForm().validate_on_submit() or choice not in CHOICES:
        abort(400)
    review = pending.settle(
        db.session,
        current_user,
        held,
        self_rating=choice,
        question_version=held.question_version,
        fuzzing=current_app.config["SCHEDULER_FUZZING"],
    )
    # The verdict was on this page already: straight on to the next card.
    return redirect(next_url(last=review.id))
