"""Quiz mode views: start, answer in order or all at once, finish, see the result."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.classes import home as class_home
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.marking import queries as marking_queries
from quiz.models import Assignment, Attempt, Question, QuestionSet
from quiz.overrides import claims as overrides
from quiz.questions import MARKED_KINDS, ResponseError
from quiz.quizzes import attempts
from quiz.quizzes import results as result_summary
from quiz.quizzes.forms import QuizStartForm
from quiz.quizzes.items import as_quizzed, quiz_backs
from quiz.quizzes.results import KIND_NAMES, arranged_lines
from quiz.study.answers import load_question, stored_grade
from quiz.study.common import duration_from_form, posted_id, visible_set_or_404
from quiz.study.display import describe_response, unprefixed
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
        rows = quiz_backs(db.session, attempt.set_id, attempt.question_order)
        self.backs = [(qid, back) for qid, back, _ in rows]
        self.held = {qid for qid, _, held in rows if held}

    def item(self, question: Question) -> Any:
        """The pure question as asked in this attempt."""
        seed = attempts.view_seed(self.attempt, question.id)
        return as_quizzed(load_question(question), question.id, self.backs, seed, self.held)

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
    kinds, tags = quiz_filters(qset.id)
    form.kinds.choices = [(kind, KIND_NAMES.get(kind, kind)) for kind in kinds]
    form.tags.choices = [(tag, tag) for tag in tags]
    if form.validate_on_submit():
        attempt = attempts.start_attempt(
            db.session,
            current_user,
            qset,
            one_page=form.layout.data == "one_page",
            time_limit_s=(form.time_limit_min.data or 0) * 60,
            now=now_utc(),
            count=form.count.data,
            kinds=[k for k in form.kinds.data or () if k in kinds],
            tags=[t for t in form.tags.data or () if t in tags],
        )
        if not attempt.question_order:
            flash(
                "No question of this set fits that choice; choose other kinds or topics.", "error"
            )
            return redirect(url_for(".start_quiz", set_id=qset.id))
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
        .where(
            Question.set_id == qset.id,
            Question.retired.is_(False),
            Question.kind.not_in(MARKED_KINDS),  # a quiz of one's own asks no essay
        )
    )
    return render_template(
        "quizzes/start.html", qset=qset, form=form, past=past, scores=scores, count=count
    )


def quiz_filters(set_id: int) -> tuple[list[str], list[str]]:
    """The kinds and tags of a set's live questions, for the start form's checkboxes."""
    rows = db.session.execute(
        sa.select(Question.kind, Question.tags).where(
            Question.set_id == set_id,
            Question.retired.is_(False),
            Question.kind.not_in(MARKED_KINDS),
        )
    ).all()
    kinds = sorted({kind for kind, _tags in rows}, key=lambda k: KIND_NAMES.get(k, k))
    tags = sorted({tag for _kind, qtags in rows for tag in qtags or ()})
    return kinds, tags


def page_number(attempt: Attempt, answered: set[int]) -> int:
    """Which question (1-based) a paged attempt shows: ?n=, else the first unanswered one."""
    total = len(attempt.question_order)
    raw = request.args.get("n", "")
    chosen = bounded_int(raw, 1, total) if raw.isdigit() else None
    if chosen is not None:
        return chosen
    first = attempts.current_question_id(attempt, answered)
    return attempt.question_order.index(first) + 1 if first is not None else total


def render_attempt(
    attempt: Attempt,
    errors: dict[int, str] | None = None,
    status: int = 200,
    number: int | None = None,
) -> Any:
    """One question of a paged attempt (with its map), or every question of a one-page one."""
    questions = attempts.questions_of(db.session, attempt)
    answers = attempts.answers_of(db.session, attempt)
    if not attempt.one_page:
        number = number or page_number(attempt, set(answers))
        wanted = attempt.question_order[number - 1]
        questions = [q for q in questions if q.id == wanted]
    asker = Asker(attempt)
    items = []
    for question in questions:
        item = asker.item(question)
        saved = answers.get(question.id)
        said = describe_response(item, saved.response) if saved else None
        items.append((question, item, item.view(attempts.view_seed(attempt, question.id)), said))
    now = now_utc()
    return (
        render_template(
            "quizzes/attempt.html",
            attempt=attempt,
            qset=db.session.get(QuestionSet, attempt.set_id),
            items=items,
            number=number,
            total=len(attempt.question_order),
            answered=set(answers),
            flagged=set(attempt.flagged or ()),
            deadline=attempts.deadline(attempt),
            grace=int(attempts.GRACE.total_seconds()),
            # The countdown runs from the server's clock, not the browser's.
            seconds_left=attempts.seconds_left(attempt, now),
            errors=errors or {},
            shown_ms=int(now.timestamp() * 1000),
            form=EmptyForm(),
        ),
        status,
    )


def time_is_up(attempt: Attempt) -> bool:
    """Whether the limit has passed: a page served now must not offer more questions."""
    end = attempts.deadline(attempt)
    return end is not None and now_utc() >= end


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int) -> Any:
    attempt = own_attempt(attempt_id)
    if attempt.finished_at is not None:
        return redirect(url_for(".attempt_result", attempt_id=attempt.id))
    if time_is_up(attempt):
        # Closing it writes, and a GET never writes: the student confirms with a POST.
        return render_template("quizzes/attempt_over.html", attempt=attempt, form=EmptyForm())
    return render_attempt(attempt)


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def attempt_review(attempt_id: int) -> Any:
    """Before handing in a paged attempt: which questions are answered, unanswered, flagged."""
    attempt = own_attempt(attempt_id)
    if attempt.finished_at is not None:
        return redirect(url_for(".attempt_result", attempt_id=attempt.id))
    if time_is_up(attempt):
        return render_template("quizzes/attempt_over.html", attempt=attempt, form=EmptyForm())
    answered = set(attempts.answers_of(db.session, attempt))
    return render_template(
        "quizzes/attempt_review.html",
        attempt=attempt,
        qset=db.session.get(QuestionSet, attempt.set_id),
        order=attempt.question_order,
        answered=answered,
        flagged=set(attempt.flagged or ()),
        deadline=attempts.deadline(attempt),
        grace=int(attempts.GRACE.total_seconds()),
        seconds_left=attempts.seconds_left(attempt, now_utc()),
        form=EmptyForm(),
    )


def untouched_ordering(item: Any, fields: Any, seed: int) -> bool:
    """Whether an ordering question comes back exactly as it was shown (not moved at all)."""
    shown = item.view(seed)["items"]
    return all(
        fields.get(f"pos-{index}") == str(place) for place, (index, _t) in enumerate(shown, 1)
    )


def where_next(attempt: Attempt, number: int) -> Any:
    """Follow the button the student pressed: previous, next, a number of the map, review."""
    go = request.form.get("go", "next")
    total = len(attempt.question_order)
    if go == "review" or (go == "next" and number >= total):
        return redirect(url_for(".attempt_review", attempt_id=attempt.id))
    if go == "prev":
        return redirect(url_for(".attempt", attempt_id=attempt.id, n=max(1, number - 1)))
    if go.isascii() and go.isdigit() and 1 <= int(go) <= total:
        return redirect(url_for(".attempt", attempt_id=attempt.id, n=int(go)))
    return redirect(url_for(".attempt", attempt_id=attempt.id, n=number + 1))


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
            number = attempt.question_order.index(question_id) + 1
            question = db.session.get(Question, question_id)
            time_up = request.form.get("time_up") == "1"
            judged = attempts.Judged(question, None, None)
            fields = request.form
            seed = attempts.view_seed(attempt, question.id)
            keep = question_id in attempts.answers_of(db.session, attempt) and (
                question.kind == "ordering"
                and untouched_ordering(asker.item(question), fields, seed)
            )
            if not keep and not is_blank(unanswered(fields)):
                try:
                    judged = asker.judge(question, fields)
                except ResponseError as error:
                    if not time_up:
                        return render_attempt(attempt, {question_id: str(error)}, 422, number)
            flag = request.form.get("flag") == "1" if request.form.get("flag_shown") else None
            attempts.save_answer(
                db.session, current_user, attempt.id, judged, flagged=flag, fuzzing=fuzzing
            )
            if time_up:  # the page's countdown handed it in: the quiz ends here
                attempts.close_attempt(db.session, attempt.id, fuzzing=fuzzing)
            else:
                return where_next(attempt, number)
    except attempts.AttemptClosed as closed:
        flash(str(closed), "error")
    except attempts.OutOfOrder:
        flash("That answer was saved already.", "info")
    return redirect(url_for(".attempt", attempt_id=attempt.id))


ANSWER_FIELDS = ("answer", "gap-", "match-", "pos-", "rating")


def unanswered(fields: Any) -> MultiDict[str, str]:
    """The question's own fields of a paged form (not its navigation or bookkeeping)."""
    out: MultiDict[str, str] = MultiDict()
    for key in fields:
        if key.startswith(ANSWER_FIELDS):
            for value in fields.getlist(key):
                out.add(key, value)
    return out


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
    attempts.close_attempt(db.session, attempt.id, fuzzing=current_app.config["SCHEDULER_FUZZING"])
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
    for number, question in enumerate(attempts.questions_of(db.session, attempt), start=1):
        item = asker.item(question)
        stored = answers.get(question.id)
        response = stored.response if stored else None
        grade = stored_grade(
            item,
            response,
            correct=bool(stored and stored.correct),
            score=stored.score if stored else 0.0,
        )
        lines = arranged_lines(item.kind, item.spec(), response)
        rows.append((number, question, item, grade, describe_response(item, response), lines))
        review, override = reviewed.get(question.id, (None, None))
        marks[question.id] = (override, overrides.can_offer(review, question, override), review)
    by_kind, by_tag = result_summary.groups(
        (q.kind, list(q.tags or ()), g.correct, g.score) for _n, q, _i, g, _t, _l in rows
    )
    only_wrong = request.args.get("show") == "wrong"
    qset = db.session.get(QuestionSet, attempt.set_id)
    assignment = (
        db.session.get(Assignment, attempt.assignment_id) if attempt.assignment_id else None
    )
    return render_template(
        "quizzes/attempt_result.html",
        attempt=attempt,
        qset=qset,
        rows=[r for r in rows if not (only_wrong and r[3].correct)],
        total=len(rows),
        right=sum(1 for r in rows if r[3].correct),
        by_kind=[(KIND_NAMES.get(g.name, g.name), g) for g in by_kind],
        by_tag=by_tag,
        only_wrong=only_wrong,
        minutes=(attempt.finished_at - attempt.started_at).total_seconds() / 60,
        marks=marks,
        score=overrides.attempt_score(db.session, attempt),
        overridden=sum(1 for override, _offer, _review in marks.values() if override),
        quiz_note=overrides.quiz_note(qset),
        # An assigned quiz shows the right answers only when its teacher said so.
        assignment=assignment,
        reveal=class_home.answers_shown(assignment, now_utc()),
        teacher=marking_queries.for_attempt(db.session, attempt),  # marks once released
    )
