"""Quiz mode views: start, answer in order or all at once, see the result."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from quiz.extensions import db
from quiz.models import Attempt, Question, QuestionSet
from quiz.questions import ResponseError
from quiz.study import attempts, queue
from quiz.study.answers import load_question, stored_grade
from quiz.study.display import describe_response, unprefixed
from quiz.study.forms import QuizStartForm
from quiz.study.routes import bp, duration_from_form
from quiz.timeutil import now_utc


def own_attempt(attempt_id: int) -> Attempt:
    """The student's own attempt; anybody else's is a 404."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def is_blank(fields: MultiDict[str, str]) -> bool:
    """Whether the student left a question of a one-page quiz untouched."""
    return not any(
        value.strip() for key, value in fields.items(multi=True) if not key.startswith("pos-")
    )


@bp.route("/sets/<int:set_id>/quiz", methods=["GET", "POST"])
@login_required
def start_quiz(set_id: int) -> Any:
    qset = db.get_or_404(QuestionSet, set_id)
    if not queue.can_see_set(db.session, current_user, qset):
        abort(404)
    form = QuizStartForm()
    if form.validate_on_submit():
        attempt = attempts.start_attempt(
            db.session,
            current_user,
            qset,
            one_page=form.layout.data == "one_page",
            time_limit_s=(form.time_limit_min.data or 0) * 60,
            now=now_utc(),
        )
        if not attempt.question_order:
            flash("This set has no questions yet.", "error")
            return redirect(url_for(".index"))
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    past = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == current_user.id, Attempt.set_id == qset.id)
        .order_by(Attempt.started_at.desc())
        .limit(10)
    ).all()
    return render_template("study/quiz_start.html", qset=qset, form=form, past=past)


def render_attempt(
    attempt: Attempt, errors: dict[int, str] | None = None, status: int = 200
) -> Any:
    """The current question of a paged attempt, or every question of a one-page one."""
    questions = attempts.questions_of(db.session, attempt)
    answered = set(attempts.answers_of(db.session, attempt))
    if attempt.one_page:
        shown = questions
    else:
        current = attempts.current_question_id(attempt, answered)
        shown = [q for q in questions if q.id == current]
    items = [(q, load_question(q)) for q in shown]
    return (
        render_template(
            "study/attempt.html",
            attempt=attempt,
            qset=db.session.get(QuestionSet, attempt.set_id),
            items=[(q, item, item.view(attempts.view_seed(attempt, q.id))) for q, item in items],
            number=len(answered) + 1,
            total=len(attempt.question_order),
            deadline=attempts.deadline(attempt),
            errors=errors or {},
            shown_ms=int(now_utc().timestamp() * 1000),
        ),
        status,
    )


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> Any:
    attempt = own_attempt(attempt_id)
    if attempts.finish_if_overtime(db.session, attempt, now_utc()):
        flash("Time is up. Here is how you did.", "info")
    if attempt.finished_at is not None:
        return redirect(url_for(".attempt_result", attempt_id=attempt.id))
    return render_attempt(attempt)


@bp.route("/attempts/<int:attempt_id>/answer", methods=["POST"])
@login_required
def attempt_answer(attempt_id: int) -> Any:
    attempt = own_attempt(attempt_id)
    fuzzing = current_app.config["SCHEDULER_FUZZING"]
    try:
        if attempt.one_page:
            items, errors = judge_all(attempt)
            if errors:
                return render_attempt(attempt, errors, 422)
            attempts.answer_all(db.session, current_user, attempt.id, items, fuzzing=fuzzing)
        else:
            item = judge_current(attempt)
            if isinstance(item, str):
                return render_attempt(attempt, {int(request.form["question_id"]): item}, 422)
            attempts.answer_one(db.session, current_user, attempt.id, item, fuzzing=fuzzing)
    except attempts.AttemptClosed as closed:
        flash(str(closed), "error")
    except attempts.OutOfOrder:
        flash("That question was already answered; here is the current one.", "info")
    return redirect(url_for(".attempt", attempt_id=attempt.id))


def judge_current(attempt: Attempt) -> attempts.Judged | str:
    """Grade the posted answer of a paged attempt, or say what is wrong with it."""
    try:
        question_id = int(request.form.get("question_id", ""))
    except ValueError:
        abort(400)
    if question_id not in attempt.question_order:
        abort(400)
    question = db.session.get(Question, question_id)
    item = load_question(question)
    try:
        response = item.parse_form(request.form, attempts.view_seed(attempt, question.id))
        return attempts.Judged(question, response, item.grade(response), duration_from_form())
    except ResponseError as error:
        return str(error)


def judge_all(attempt: Attempt) -> tuple[list[attempts.Judged], dict[int, str]]:
    """Grade every question of a one-page attempt; blanks count as unanswered."""
    judged, errors = [], {}
    for question in attempts.questions_of(db.session, attempt):
        fields = unprefixed(request.form, f"q{question.id}-")
        if is_blank(fields):
            judged.append(attempts.Judged(question, None, None))
            continue
        item = load_question(question)
        try:
            response = item.parse_form(fields, attempts.view_seed(attempt, question.id))
            judged.append(attempts.Judged(question, response, item.grade(response)))
        except ResponseError as error:
            errors[question.id] = str(error)
    return judged, errors


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def attempt_result(attempt_id: int) -> Any:
    attempt = own_attempt(attempt_id)
    attempts.finish_if_overtime(db.session, attempt, now_utc())
    if attempt.finished_at is None:
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    answers = attempts.answers_of(db.session, attempt)
    rows = []
    for question in attempts.questions_of(db.session, attempt):
        item = load_question(question)
        stored = answers.get(question.id)
        response = stored.response if stored else None
        grade = stored_grade(
            item,
            response,
            correct=bool(stored and stored.correct),
            score=stored.score if stored else 0.0,
        )
        rows.append((question, item, grade, describe_response(item, response)))
    return render_template(
        "study/attempt_result.html",
        attempt=attempt,
        qset=db.session.get(QuestionSet, attempt.set_id),
        rows=rows,
    )
