"""The marking pages of an assignment: what needs marking, one answer at a time or by question.

The class's teacher, the set's owner and admins mark; anyone else gets a 404, so ids cannot
be probed. Every page works without JavaScript; static/marking.js only adds keys.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quiz.auth.decorators import teacher_required
from quiz.blueprints import teacher_pages as bp
from quiz.classes.access import can_manage
from quiz.extensions import db
from quiz.marking import operations, queries, rules
from quiz.marking.forms import MarkForm, ReleaseForm
from quiz.models import Assignment, Classroom, QuestionSet, Visibility
from quiz.questions import MARKED_KINDS
from quiz.study.answers import load_question
from quiz.study.display import describe_response
from quiz.timeutil import now_utc


def markable_or_404(assignment_id: int) -> tuple[Assignment, Classroom, QuestionSet]:
    """An assignment the current teacher may mark: their class's, or one of their set.

    The owner of a public set is let in only as the class's teacher: anyone may assign a
    public set, and its author must not read other teachers' students' answers.
    """
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        abort(404)
    classroom = db.session.get(Classroom, assignment.classroom_id)
    qset = db.session.get(QuestionSet, assignment.set_id)
    if classroom is None or qset is None:
        abort(404)
    owns = qset.owner_id == current_user.id and qset.visibility != Visibility.PUBLIC.value
    if not (can_manage(current_user, classroom) or owns):
        abort(404)
    return assignment, classroom, qset


def _summary(rows: list[queries.Row]) -> list[dict[str, Any]]:
    """Per question: its answers, how many wait for a score, how many carry a mark."""
    seen: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = seen.setdefault(
            row.question.id,
            {"question": row.question, "answers": 0, "waiting": 0, "marked": 0},
        )
        entry["answers"] += 1
        entry["waiting"] += row.waiting
        entry["marked"] += row.mark is not None
    return sorted(seen.values(), key=lambda e: (e["question"].position, e["question"].id))


@bp.route("/assignments/<int:assignment_id>/marking")
@teacher_required
def marking(assignment_id: int) -> Any:
    """What needs marking in this assignment, question by question, and the release switch."""
    assignment, classroom, qset = markable_or_404(assignment_id)
    rows = queries.answers(db.session, assignment.id)
    return render_template(
        "marking/overview.html",
        assignment=assignment,
        classroom=classroom,
        qset=qset,
        questions=_summary(rows),
        waiting=sum(row.waiting for row in rows),
        released=queries.is_released(db.session, assignment.id),
        release_form=ReleaseForm(),
    )


@bp.route("/assignments/<int:assignment_id>/marking/next")
@teacher_required
def mark_next(assignment_id: int) -> Any:
    """On to the first essay still waiting for a score, or back to the list when none is."""
    assignment, _classroom, _qset = markable_or_404(assignment_id)
    found = queries.next_waiting(db.session, assignment.id)
    if found is None:
        flash("Nothing is waiting to be marked.")
        return redirect(url_for(".marking", assignment_id=assignment.id))
    attempt_id, question_id = found
    return redirect(
        url_for(
            ".mark_answer",
            assignment_id=assignment.id,
            attempt_id=attempt_id,
            question_id=question_id,
        )
    )


@bp.route("/assignments/<int:assignment_id>/marking/questions/<int:question_id>")
@teacher_required
def mark_question(assignment_id: int, question_id: int) -> Any:
    """Every answer to one question side by side, each with its mark and comment."""
    assignment, classroom, qset = markable_or_404(assignment_id)
    rows = queries.answers(db.session, assignment.id, question_id)
    if not rows:
        abort(404)
    item = load_question(rows[0].question)
    return render_template(
        "marking/question.html",
        assignment=assignment,
        classroom=classroom,
        qset=qset,
        question=rows[0].question,
        item=item,
        rows=[(row, describe_response(item, row.answer.response)) for row in rows],
        percent=rules.percent_text,
    )


@bp.route(
    "/assignments/<int:assignment_id>/marking/attempts/<int:attempt_id>/questions/<int:question_id>",
    methods=["GET", "POST"],
)
@teacher_required
def mark_answer(assignment_id: int, attempt_id: int, question_id: int) -> Any:
    """One answer: the response, the automatic grade or the rubric, and the mark form."""
    assignment, classroom, qset = markable_or_404(assignment_id)
    row = queries.one_answer(db.session, assignment.id, attempt_id, question_id)
    if row is None:
        abort(404)
    item = load_question(row.question)
    by_hand = row.question.kind in MARKED_KINDS
    rubric = getattr(item, "rubric", ())
    form = MarkForm()
    error: rules.MarkRefused | None = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            mark = rules.read_mark(
                score=form.score.data or "",
                ticks=request.form.getlist("tick"),
                comment=form.comment.data or "",
                reason=form.reason.data or "",
                rubric=rubric,
                marked_by_hand=by_hand,
                automatic=row.answer.score,
            )
        except rules.MarkRefused as refused:
            error = refused
        else:
            operations.save_mark(
                db.session,
                row.attempt,
                row.answer,
                mark,
                marker_id=current_user.id,
                now=now_utc(),
            )
            flash(f"Mark saved for {row.student}.")
            here = (attempt_id, question_id)
            found = queries.next_waiting(db.session, assignment.id, after=here)
            if form.go.data == "stay" or found is None or found == here:
                return redirect(url_for(".mark_question", **request.view_args))
            return redirect(
                url_for(
                    ".mark_answer",
                    assignment_id=assignment.id,
                    attempt_id=found[0],
                    question_id=found[1],
                )
            )
    elif row.mark is not None:
        form.score.data = rules.percent_text(row.mark.score)
        form.comment.data = row.mark.comment
        form.reason.data = row.mark.reason
    ticked = (
        set(request.form.getlist("tick"))
        if request.method == "POST"
        else {str(t) for t in (row.mark.ticks if row.mark else [])}
    )
    status = 422 if error else 200
    return render_template(
        "marking/answer.html",
        assignment=assignment,
        classroom=classroom,
        qset=qset,
        row=row,
        item=item,
        by_hand=by_hand,
        rubric=rubric,
        ticked=ticked,
        response_text=describe_response(item, row.answer.response),
        form=form,
        error=error,
        waiting=queries.waiting_counts(db.session, [assignment.id]).get(assignment.id, 0),
        percent=rules.percent_text,
    ), status


@bp.route("/assignments/<int:assignment_id>/marking/release", methods=["POST"])
@teacher_required
def release_marks(assignment_id: int) -> Any:
    """Show the assignment's marks and comments to its students, or hide them again."""
    assignment, _classroom, _qset = markable_or_404(assignment_id)
    form = ReleaseForm()
    if not form.validate_on_submit():
        abort(400)
    released = form.release.data != "0"
    operations.set_released(
        db.session, assignment.id, released, user_id=current_user.id, now=now_utc()
    )
    flash(
        "Marks and comments released: students see them on their results."
        if released
        else "Marks and comments hidden from students again."
    )
    return redirect(url_for(".marking", assignment_id=assignment.id))
