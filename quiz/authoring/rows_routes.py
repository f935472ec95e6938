"""The rows editor: many flashcards or short answers at once, one table, one Save."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for

from quiz.auth.decorators import teacher_required
from quiz.authoring.rows import (
    FIRST_ROWS,
    MAX_ROWS,
    ROW_KINDS,
    CardRow,
    check_rows,
    media_snippet,
    padded,
    rows_from_form,
    split_paste,
)
from quiz.bank import question_columns
from quiz.blueprints import teacher_pages as bp
from quiz.extensions import db
from quiz.media.section import media_section
from quiz.models import Question, QuestionSet, SetMedia
from quiz.sets import library
from quiz.sets.access import owned_set_or_404


def _page(qset: QuestionSet, kind: str, rows: list[CardRow], errors: dict[int, str]) -> Any:
    """The table, with a 422 when it comes back with errors."""
    existing = db.session.scalar(
        sa.select(sa.func.count(Question.id)).where(
            Question.set_id == qset.id, Question.retired.is_(False), Question.kind == kind
        )
    )
    page = render_template(
        "authoring/rows.html",
        qset=qset,
        kind=kind,
        headings=ROW_KINDS[kind],
        rows=rows,
        errors=errors,
        existing=existing,
        max_rows=MAX_ROWS,
        **media_section(qset, True),
    )
    return page, 422 if errors else 200


@bp.route("/sets/<int:set_id>/rows", methods=["GET", "POST"])
@teacher_required
def rows_editor(set_id: int) -> Any:
    """GET: an empty table. POST: "save", "add" (5 more rows) or "split" (a pasted list)."""
    qset = owned_set_or_404(set_id)
    kind = request.values.get("kind", "flashcard")
    if kind not in ROW_KINDS:
        abort(404)
    if request.method == "GET":
        return _page(qset, kind, padded([]), {})
    rows = rows_from_form(request.form)
    action = request.form.get("action", "save")
    if action == "add":
        return _page(qset, kind, padded(rows), {})
    if action == "split":  # the list pasted in the box, previewed as rows before saving
        filled = [row for row in rows if not row.blank]
        pasted = split_paste(str(request.form.get("paste") or ""))
        return _page(qset, kind, padded((filled + pasted)[:MAX_ROWS], FIRST_ROWS), {})
    files = db.session.scalars(sa.select(SetMedia).where(SetMedia.set_id == qset.id))
    snippets = {link.name: media_snippet(link.name, link.alt, link.decorative) for link in files}
    questions, errors = check_rows(kind, rows, snippets)
    if errors:
        return _page(qset, kind, rows, errors)
    if not questions:
        flash("Nothing to save: every row was blank.", "info")
        return _page(qset, kind, padded([]), {})
    position = library.next_position(db.session, qset.id)
    for offset, data in enumerate(questions):
        qset.questions.append(
            Question(key=library.new_key(), position=position + offset, **question_columns(data))
        )
    db.session.commit()
    count = len(questions)
    flash(f"Added {count} {'card' if count == 1 else 'cards'}.", "success")
    return redirect(url_for(".set_page", set_id=qset.id, _anchor="questions"))
