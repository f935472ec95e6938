"""Custom study pages: choose a run, study it, see its summary; practice answers' feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import CramAnswer, Question
from quiz.study import custom, last_answer, lookups, queue
from quiz.study.answers import load_question, stored_grade
from quiz.study.common import new_submission_id, refuse_if_in_open_quiz, visible_set_or_404
from quiz.study.display import describe_response
from quiz.study.routes import render_question
from quiz.timeutil import now_utc

MAX_DAYS = 30
MAX_EXTRA = 200


def _bounded(name: str, low: int, high: int) -> int | None:
    """A whole number from the form within [low, high]; None when it is not one."""
    raw = request.form.get(name, "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return None
    return bounded_int(raw, low, high)  # int() alone refuses 4,300+ digits with a 500


@bp.route("/custom", methods=["GET", "POST"])
@login_required
def custom_study() -> Any:
    """Choose a custom run, or raise today's new-question limit."""
    now = now_utc()
    form = EmptyForm()
    error = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        mode = request.form.get("mode", "")
        error = start_run(mode, now)
        if error is None:
            return redirect(url_for(".next") if mode == "raise" else url_for(".custom_next"))
    sets = db.session.scalars(queue.visible_sets(current_user.id, now_utc())).all()
    return (
        render_template(
            "study/custom.html",
            form=form,
            sets=sets,
            error=error,
            wrong_count=len(custom.wrong_today_ids(db.session, current_user, now)),
            raised=custom.raised_today(db.session, current_user, now),
            run=custom.active() or custom.paused(),
            max_days=MAX_DAYS,
            max_extra=MAX_EXTRA,
        ),
        422 if error else 200,
    )


def start_run(mode: str, now: datetime) -> str | None:
    """Start the chosen run (or raise the limit); a message naming the problem otherwise."""
    if mode == "raise":
        extra = _bounded("extra", 1, MAX_EXTRA)
        if extra is None:
            return f"Give the number of extra new questions, from 1 to {MAX_EXTRA}."
        if not custom.raise_new_limit(db.session, current_user, now, extra):
            return "You have raised today's limit once already; it resets at midnight."
        run = custom.active()
        custom.pause()  # the raised new questions come next; the run waits (issue 20)
        waiting = f" “{run['title']}” waits under Custom study." if run else ""
        flash(f"{extra} more new questions today.{waiting}", "success")
        return None
    if mode == "ahead":
        days = _bounded("days", 1, MAX_DAYS)
        if days is None:
            return f"Give how many days ahead to study, from 1 to {MAX_DAYS}."
        ids = custom.ahead_ids(db.session, current_user, now, days)
        title = f"Study ahead: cards due in the next {days} days"
    elif mode == "wrong":
        ids = custom.wrong_today_ids(db.session, current_user, now)
        title = "Today's wrong answers"
    elif mode == "cram":
        set_id = _bounded("set_id", 1, 2**31 - 1)
        if set_id is None:
            return "Choose a set to cram."
        qset = visible_set_or_404(set_id)
        ids = custom.cram_ids(db.session, current_user, qset.id, now_utc())
        title = f"Cram: {qset.title}"
    else:
        return "Choose what to study."
    if not ids:
        return "Nothing to study that way right now."
    custom.start(mode, ids, title)
    return None


@bp.route("/custom/next")
@login_required
def custom_next() -> Any:
    """The next card of the custom run; its summary when the run is over."""
    run = custom.active() or custom.resume()  # "carry on" resumes a paused run
    last = last_answer.find(db.session, current_user, request.args.get("last", ""))
    if run is None:
        return redirect(url_for(".next", **request.args))
    locked = queue.questions_locked_by_open_attempt(db.session, current_user, now_utc())
    for question_id in list(run["ids"]):
        if question_id in locked:
            continue  # in an open quiz: it waits in the run until the quiz is handed in
        question = db.session.get(Question, question_id)
        if (
            question is not None
            and not question.retired
            and lookups.can_see_set(db.session, current_user, question.question_set)
        ):
            return render_question(question, new_submission_id(), last=last, run=run)
        custom.mark_done(question_id)
    waiting = [question_id for question_id in run["ids"] if question_id in locked]
    if waiting:
        refuse_if_in_open_quiz(waiting[0])  # says which quiz to finish first
    custom.stop()
    since = datetime.fromisoformat(run["since"])
    answered, right = last_answer.count_since(db.session, current_user.id, since)
    return render_template(
        "study/custom_done.html",
        run=run,
        last=last,
        answered=answered,
        right=right,
        minutes=round((now_utc() - since).total_seconds() / 60),
        form=EmptyForm(),
    )


@bp.route("/custom/stop", methods=["POST"])
@login_required
def custom_stop() -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    if custom.stop():
        flash("Custom study stopped; back to your regular queue.", "info")
    return redirect(url_for(".index"))


@bp.route("/practice-answers/<int:answer_id>")
@login_required
def practice_feedback(answer_id: int) -> Any:
    """The verdict on a practice answer (cram or today's wrong ones)."""
    row = db.session.get(CramAnswer, answer_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    refuse_if_in_open_quiz(row.question_id)  # its right answer would help in the quiz
    question = db.session.get(Question, row.question_id)
    item = load_question(question)
    return render_template(
        "study/practice_feedback.html",
        question=question,
        item=item,
        grade=stored_grade(item, row.response, correct=row.correct, score=row.score),
        response_text=describe_response(item, row.response),
        next_href=url_for(".custom_next", last=f"c{row.id}"),
    )
