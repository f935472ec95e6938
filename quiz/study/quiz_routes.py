"""Quiz mode views: start, answer in order or all at once, finish, see the result."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from quiz.auth.forms import EmptyForm
from quiz.extensions import db
from quiz.models import Attempt, Question, QuestionSet
from quiz.questions import ResponseError
from quiz.study import attempts, overrides
from quiz.study.answers import load_question, stored_grade
from quiz.study.display import describe_response, unprefixed
from quiz.study.forms import QuizStartForm
from quiz.study.quiz_items import as_quizzed, flashcard_backs
from quiz.study.routes import bp, duration_from_form, posted_id, visible_set_or_404
from quiz.timeutil import now_utc


def own_attempt(attempt_id: int) -> Attempt:
    """The student's own attempt; anybody else's is a 404."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def is_blank(fields: MultiDict[str, str]) -> bool:
    """Whether the student left a question of a one-page quiz untouched.

    An ordering question always sends the order on screen: that is its answer.
    """
    return not any(value.strip() for value in fields.values())


class Asker:
    """The attempt's questions as the quiz asks them (flashcards as choices), built once."""

    def __init__(self, attempt: Attempt) -> None:
        self.attempt = attempt
        self.backs = flashcard_backs(db.session, attempt.set_id)

    def item(self, question: Question) -> Any:
        """The pure question as asked in this attempt."""
        seed = attempts.view_seed(self.attempt, question.id)
        return as_quizzed(load_question(question), question.id, self.backs, seed)

    def judge(self, question: Question, fields: Any) -> attempts.Judged:
        """Parse and grade one question's fields; ResponseError when they can't be judged."""
        item = self.item(question)
        response = item.parse_form(fields, attempts.view_seed(self.attempt, question.id))
        return attempts.Judged(question, response, item.grade(response), duration_from_form())


@bp.route("/sets/<int:set_id>/quiz", methods=["GET", "POST"])
@login_required
def start_quiz(set_id: int) -> Any:
    qset = visible_set_or_404(set_id)
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
            flash("This set has nothing a quiz can ask yet; study it instead.", "error")
            return redirect(url_for(".index"))
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    past = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == current_user.id, Attempt.set_id == qset.id)
        .order_by(Attempt.started_at.desc())
        .limit(10)
    ).all()
    credit = overrides.quiz_credit(
        db.session, Attempt.user_id == current_user.id, Attempt.set_id == qset.id
    )
    scores = {
        a.id: overrides.counted_score(a.score, a.question_order, credit.get(a.id, 0.0))
        for a in past
        if a.score is not None
    }
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Question)
        .where(Question.set_id == qset.id, Question.retired.is_(False))
    )
    return render_template(
        "study/quiz_start.html", qset=qset, form=form, past=past, scores=scores, count=count
    )


def render_attempt(
    attempt: Attempt, errors: dict[int, str] | None = None, status: int = 200
) -> Any:
    """The current question of a paged attempt, or every question of a one-page one."""
    questions = attempts.questions_of(db.session, attempt)
    answered = set(attempts.answers_of(db.session, attempt))
    if not attempt.one_page:
        current = attempts.current_question_id(attempt, answered)
        questions = [q for q in questions if q.id == current]
    asker = Asker(attempt)
    items = []
    for question in questions:
        item = asker.item(question)
        items.append((question, item, item.view(attempts.view_seed(attempt, question.id))))
    return (
        render_template(
            "study/attempt.html",
            attempt=attempt,
            qset=db.session.get(QuestionSet, attempt.set_id),
            items=items,
            number=len(answered) + 1,
            total=len(attempt.question_order),
            deadline=attempts.deadline(attempt),
            # The countdown runs from the server's clock, not the browser's.
            seconds_left=attempts.seconds_left(attempt, now_utc()),
            errors=errors or {},
            shown_ms=int(now_utc().timestamp() * 1000),
            form=EmptyForm(),
        ),
        status,
    )


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> Any:
    attempt = own_attempt(attempt_id)
    if attempt.finished_at is not None:
        return redirect(url_for(".attempt_result", attempt_id=attempt.id))
    if attempts.is_overtime(attempt, now_utc()):
        # Closing it writes, and a GET never writes: the student confirms with a POST.
        return render_template("study/attempt_over.html", attempt=attempt, form=EmptyForm())
    return render_attempt(attempt)


@bp.route("/attempts/<int:attempt_id>/answer", methods=["POST"])
@login_required
def attempt_answer(attempt_id: int) -> Any:
    attempt = own_attempt(attempt_id)
    fuzzing = current_app.config["SCHEDULER_FUZZING"]
    asker = Asker(attempt)
    try:
        if attempt.one_page:
            items, errors = judge_all(attempt, asker)
            if errors:
                return render_attempt(attempt, errors, 422)
            attempts.answer_all(db.session, current_user, attempt.id, items, fuzzing=fuzzing)
        else:
            question_id = posted_id("question_id")
            if question_id not in attempt.question_order:
                abort(400)
            question = db.session.get(Question, question_id)
            time_up = request.form.get("time_up") == "1"
            try:
                item = asker.judge(question, request.form)
            except ResponseError as error:
                if not time_up:
                    return render_attempt(attempt, {question_id: str(error)}, 422)
            else:
                attempts.answer_one(db.session, current_user, attempt.id, item, fuzzing=fuzzing)
            if time_up:  # the page's countdown handed it in: the quiz ends here
                attempts.close_attempt(db.session, attempt.id)
    except attempts.AttemptClosed as closed:
        flash(str(closed), "error")
    except attempts.OutOfOrder:
        flash("That question was already answered; here is the current one.", "info")
    return redirect(url_for(".attempt", attempt_id=attempt.id))


def judge_all(attempt: Attempt, asker: Asker) -> tuple[list[attempts.Judged], dict[int, str]]:
    """Grade every question of a one-page attempt; blanks count as unanswered.

    When the page's timer handed the quiz in (time_up), an answer that cannot be judged counts
    as blank too: there is no time left to send the student back to fix it.
    """
    time_up = request.form.get("time_up") == "1"
    judged, errors = [], {}
    for question in attempts.questions_of(db.session, attempt):
        fields = unprefixed(request.form, f"q{question.id}-")
        if is_blank(fields):
            judged.append(attempts.Judged(question, None, None))
            continue
        try:
            judged.append(asker.judge(question, fields))
        except ResponseError as error:
            if time_up:
                judged.append(attempts.Judged(question, None, None))
            else:
                errors[question.id] = str(error)
    return judged, errors


@bp.route("/attempts/<int:attempt_id>/finish", methods=["POST"])
@login_required
def finish_attempt(attempt_id: int) -> Any:
    """End the attempt now (unanswered questions score 0), or at its deadline if past."""
    attempt = own_attempt(attempt_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    attempts.close_attempt(db.session, attempt.id)
    return redirect(url_for(".attempt_result", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def attempt_result(attempt_id: int) -> Any:
    attempt = own_attempt(attempt_id)
    if attempt.finished_at is None:
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    answers = attempts.answers_of(db.session, attempt)
    reviewed = overrides.attempt_overrides(db.session, attempt.id)
    asker = Asker(attempt)
    rows, marks = [], {}
    for question in attempts.questions_of(db.session, attempt):
        item = asker.item(question)
        stored = answers.get(question.id)
        response = stored.response if stored else None
        grade = stored_grade(
            item,
            response,
            correct=bool(stored and stored.correct),
            score=stored.score if stored else 0.0,
        )
        rows.append((question, item, grade, describe_response(item, response)))
        review, override = reviewed.get(question.id, (None, None))
        marks[question.id] = (override, overrides.can_offer(review, question, override), review)
    qset = db.session.get(QuestionSet, attempt.set_id)
    return render_template(
        "study/attempt_result.html",
        attempt=attempt,
        qset=qset,
        rows=rows,
        marks=marks,
        score=overrides.attempt_score(db.session, attempt),
        overridden=sum(1 for override, _offer, _review in marks.values() if override),
        quiz_note=overrides.quiz_note(qset),
    )
