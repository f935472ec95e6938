"""Writing questions in the browser: one form per kind, reordering, retiring, previewing.

A student writes the questions of their own sets here too: each view checks the set's owner."""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy.exc import IntegrityError

from quiz.auth.forms import EmptyForm
from quiz.bank import question_columns
from quiz.blueprints import teacher_pages as bp
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.media.section import media_section
from quiz.models import Question, QuestionSet
from quiz.questions import KINDS, ResponseError
from quiz.sets import library
from quiz.sets.access import owned_set_or_404, viewable_set_or_404
from quiz.sets.draft_checks import check_draft, field_label, in_page_order
from quiz.sets.drafts import (
    KIND_NAMES,
    Draft,
    apply_row_action,
    draft_from_dict,
    draft_from_form,
    new_draft,
)
from quiz.study.answers import load_question
from quiz.study.display import describe_response

MAX_SEED = 2**48


def owned_question_or_404(question_id: int) -> Question:
    """A live question of a set the teacher may change; anything else is a 404."""
    question = db.session.get(Question, question_id)
    if question is None or question.retired:
        abort(404)
    owned_set_or_404(question.set_id)
    return question


def _editor(qset: QuestionSet, draft: Draft, errors: dict[str, str], question: Any = None) -> Any:
    """The authoring form, with a 422 when it comes back with errors."""
    page = render_template(
        "sets/question_form.html",
        qset=qset,
        draft=draft,
        errors=errors,
        question=question,
        kind_name=KIND_NAMES[draft.kind],
        label_of=field_label,
        ordered=in_page_order,
        paragraphs=len(qset.paragraphs),
        **media_section(qset, True),
    )
    return page, 422 if errors else 200


def _submitted(qset: QuestionSet, draft: Draft) -> tuple[dict[str, Any] | None, Any]:
    """The valid question dict on "save", or the page to show again (a row action, errors)."""
    action = request.form.get("action", "save")
    if apply_row_action(draft, action):
        return None, _editor(qset, draft, {})[0]
    data, errors = check_draft(draft, len(qset.paragraphs))
    if errors:
        return None, _editor(qset, draft, errors)
    return data, None


@bp.route("/sets/<int:set_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(set_id: int) -> Any:
    qset = owned_set_or_404(set_id)
    kind = request.values.get("kind", "")
    if kind not in KINDS:
        abort(404)
    if request.method == "GET":
        return _editor(qset, new_draft(kind), {})
    data, page = _submitted(qset, draft_from_form(request.form, kind))
    if data is None:
        return page
    question = Question(
        key=library.new_key(),
        position=library.next_position(db.session, qset.id),
        **question_columns(data),
    )
    qset.questions.append(question)
    db.session.commit()
    flash("Question added.", "success")
    if request.form.get("then") == "another":
        return redirect(url_for(".new_question", set_id=qset.id, kind=kind))
    return redirect(url_for(".set_page", set_id=qset.id, _anchor=f"question-{question.id}"))


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int) -> Any:
    """Change a question; a change of content becomes its next version (reviews keep theirs)."""
    question = owned_question_or_404(question_id)
    qset = question.question_set
    if request.method == "GET":
        return _editor(qset, draft_from_dict(question.as_dict()), {}, question)
    data, page = _submitted(qset, draft_from_form(request.form, question.kind))
    if data is None:
        return page
    for name, value in question_columns(data).items():
        if getattr(question, name) != value:
            setattr(question, name, value)
    try:
        db.session.commit()
    except IntegrityError:  # two saves raced for the same next version number
        db.session.rollback()
        abort(409)
    flash("Question saved.", "success")
    return redirect(url_for(".set_page", set_id=qset.id, _anchor=f"question-{question.id}"))


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@login_required
def move_question(question_id: int) -> Any:
    question = owned_question_or_404(question_id)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None or not EmptyForm().validate_on_submit():
        abort(400)
    library.move(db.session, question, step)
    db.session.commit()
    return redirect(url_for(".set_page", set_id=question.set_id, _anchor=f"question-{question.id}"))


@bp.route("/questions/<int:question_id>/retire", methods=["POST"])
@login_required
def retire_question(question_id: int) -> Any:
    """Take a question out of the set; it is kept, because reviews point at it."""
    question = owned_question_or_404(question_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    question.retired = True
    db.session.commit()
    flash("Question removed from the set. Students' past answers to it are kept.", "info")
    return redirect(url_for(".set_page", set_id=question.set_id))


def _seed() -> int:
    """The shuffle seed the preview was shown with (a new one on first showing)."""
    seed = bounded_int(request.form.get("seed", ""), 0, MAX_SEED - 1)
    return seed if seed is not None else secrets.randbelow(MAX_SEED)


@bp.route("/questions/<int:question_id>/preview", methods=["GET", "POST"])
@login_required
def preview_question(question_id: int) -> Any:
    """The question as a student sees it; answering shows the grading. Nothing is recorded."""
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    qset = viewable_set_or_404(question.set_id)
    item = load_question(question)
    seed, grade, error, said = _seed(), None, None, None
    if request.method == "POST":
        try:
            response = item.parse_form(request.form, seed)
            grade = item.grade(response)
            said = describe_response(item, response)
        except ResponseError as problem:
            error = str(problem)
    page = render_template(
        "sets/preview.html",
        qset=qset,
        question=question,
        item=item,
        view=item.view(seed),
        seed=seed,
        grade=grade,
        response_text=said,
        error=error,
    )
    return page, 422 if error else 200
