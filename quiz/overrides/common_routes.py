"""A question's most frequent wrong typed answers under Teach, each with "Accept this"."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.blueprints import teacher_pages as bp
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.overrides import common_answers
from quiz.overrides.claims import OverrideRefused
from quiz.sets.question_routes import owned_question_or_404


@bp.route("/questions/<int:question_id>/wrong-answers")
@teacher_required
def common_wrong_answers(question_id: int) -> Any:
    """The wrong answers students typed most often to one question (its set's owner, admins)."""
    question = owned_question_or_404(question_id)
    rows: list[common_answers.CommonAnswer] = []
    if question.kind in common_answers.KINDS:
        responses = [
            response
            for query in common_answers.wrong_responses(question.id)
            for response in db.session.scalars(query)
        ]
        rows = common_answers.common_wrong(question, responses)
    return render_template(
        "overrides/common.html", question=question, rows=rows, accept=EmptyForm()
    )


@bp.route("/questions/<int:question_id>/wrong-answers/accept", methods=["POST"])
@teacher_required
def accept_common_answer(question_id: int) -> Any:
    """Add one typed answer to the question's accepted answers (of its gap, for a cloze)."""
    question = owned_question_or_404(question_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    gap_text = request.form.get("gap", "")
    gap = bounded_int(gap_text, 0, 99) if gap_text else None
    try:
        message = common_answers.accept_common(
            db.session, question.id, gap, request.form.get("text", "")[:500]
        )
    except OverrideRefused as refused:
        flash(str(refused), "error")
    else:
        flash(message, "success")
    return redirect(url_for(".common_wrong_answers", question_id=question_id))
