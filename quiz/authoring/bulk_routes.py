"""Duplicate one question; tag, remove, copy or move the questions ticked on a set's page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.authoring import bulk
from quiz.authoring.rows import parse_tags
from quiz.blueprints import teacher_pages as bp
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import QuestionSet
from quiz.sets.access import owned_set_or_404
from quiz.sets.question_routes import owned_question_or_404


@bp.route("/questions/<int:question_id>/duplicate", methods=["POST"])
@teacher_required
def duplicate_question(question_id: int) -> Any:
    """A copy right after the question, opened for editing."""
    question = owned_question_or_404(question_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    copy = bulk.duplicate_question(db.session, question)
    db.session.commit()
    flash("Question duplicated: this is the copy.", "success")
    return redirect(url_for(".edit_question", question_id=copy.id))


def _refuse(set_id: int, message: str) -> Any:
    """Back to the set's page with what was wrong; nothing was changed."""
    flash(message, "error")
    return redirect(url_for(".set_page", set_id=set_id, _anchor="bulk"))


@bp.route("/sets/<int:set_id>/bulk", methods=["POST"])
@teacher_required
def bulk_questions(set_id: int) -> Any:
    """One form for the ticked questions: add tags, remove, copy or move to another own set."""
    qset = owned_set_or_404(set_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    action = request.form.get("bulk_action", "")
    if action not in bulk.ACTIONS:
        return _refuse(qset.id, "Choose what to do with the ticked questions.")
    raw = request.form.getlist("question")[: bulk.MAX_SELECTED]
    ids = [bounded_int(value) for value in raw]
    questions = bulk.selected_questions(db.session, qset.id, [i for i in ids if i is not None])
    if not questions or len(questions) != len(raw):
        return _refuse(qset.id, "Tick at least one question of this set.")
    count = len(questions)
    plural = "question" if count == 1 else "questions"
    if action == "tag":
        tags = parse_tags(str(request.form.get("bulk_tags") or "")[:1000])
        if not tags:
            return _refuse(qset.id, "Write the tags to add, separated by commas.")
        changed = bulk.add_tags(questions, tags)
        message = f"Tagged {changed} {plural} with {', '.join(tags)}."
    elif action == "retire":
        bulk.retire(questions)
        message = f"Removed {count} {plural}. Students' past answers to them are kept."
    else:
        target_id = bounded_int(str(request.form.get("target") or ""))
        target = db.session.scalar(
            bulk.target_sets(current_user.id, qset.id).where(QuestionSet.id == target_id)
        )
        if target is None:
            return _refuse(qset.id, "Choose one of your other sets to copy or move to.")
        bulk.copy_to(db.session, questions, target)
        if action == "move":
            bulk.retire(questions)
        verb = "Moved" if action == "move" else "Copied"
        message = f"{verb} {count} {plural} to “{target.title}”."
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".set_page", set_id=qset.id, _anchor="bulk"))
