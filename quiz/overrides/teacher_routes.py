"""The teacher's view of students' "I was right": list them, count them, accept the answer."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.blueprints import teacher_pages as bp
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import QuestionSet
from quiz.overrides import accept as override_accept
from quiz.overrides import claims as overrides
from quiz.sets.access import can_edit, owned_set_or_404
from quiz.study.display import describe_response

PAGE_SIZE = 50
MAX_PAGE = 10_000


class OverrideSettingsForm(FlaskForm):
    """How a set counts its students' overrides."""

    count_in_study = BooleanField("Overrides count as right in study progress")
    count_in_quizzes = BooleanField("Overrides count as right in scored quiz results")
    submit = SubmitField("Save")


def may_edit(qset: QuestionSet) -> bool:
    """Whether the current user may add answers to the set's questions."""
    return can_edit(current_user, qset)


def page_of_rows(set_id: int | None) -> tuple[list[override_accept.OverrideRow], int, bool]:
    """One page of the viewer's overrides (of one set, if given), the page and whether more."""
    page = bounded_int(request.args.get("page", ""), 1, MAX_PAGE) or 1
    query = override_accept.owner_overrides(current_user, set_id)
    rows = db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    described = override_accept.describe_rows(rows[:PAGE_SIZE], may_edit, describe_response)
    return described, page, len(rows) > PAGE_SIZE


@bp.route("/overrides")
@teacher_required
def overrides_list() -> Any:
    """Every "I was right" on the viewer's sets, newest first."""
    rows, page, more = page_of_rows(None)
    return render_template(
        "overrides/list.html",
        rows=rows,
        page=page,
        more=more,
        qset=None,
        form=None,
        accept=EmptyForm(),
    )


@bp.route("/sets/<int:set_id>/overrides", methods=["GET", "POST"])
@teacher_required
def set_overrides(set_id: int) -> Any:
    """A set's counting settings and its overrides; the set's owner (or an admin) only."""
    qset = owned_set_or_404(set_id)
    form = OverrideSettingsForm()
    if form.validate_on_submit():
        qset.overrides_count_in_study = bool(form.count_in_study.data)
        qset.overrides_count_in_quizzes = bool(form.count_in_quizzes.data)
        db.session.commit()
        flash("Saved: scores and progress now count overrides as you chose.", "success")
        return redirect(url_for(".set_overrides", set_id=qset.id))
    if request.method == "GET":
        form.count_in_study.data = qset.overrides_count_in_study
        form.count_in_quizzes.data = qset.overrides_count_in_quizzes
    rows, page, more = page_of_rows(qset.id)
    return render_template(
        "overrides/list.html",
        rows=rows,
        page=page,
        more=more,
        qset=qset,
        form=form,
        accept=EmptyForm(),
    )


@bp.route("/overrides/<int:override_id>/accept", methods=["POST"])
@teacher_required
def accept_override(override_id: int) -> Any:
    """Add the student's answer to the question's accepted answers (owner or admin)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        message = override_accept.accept_answer(db.session, current_user, override_id, may_edit)
    except overrides.NotFound:
        abort(404)
    except overrides.OverrideRefused as refused:
        flash(str(refused), "error")
    else:
        flash(message, "success")
    back = bounded_int(request.args.get("set", ""))
    if back:
        return redirect(url_for(".set_overrides", set_id=back))
    return redirect(url_for(".overrides_list"))
