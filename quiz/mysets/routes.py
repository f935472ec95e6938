"""A student's own sets: the My sets page and sharing a set with a class (or keeping it private).

Writing, importing and studying use the sets', transfer and study pages, which check the set's
owner; these two pages are what only a student's own sets have."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz import MAX_ID
from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.mysets.sharing import set_shares, shareable_classes, shared_set_ids
from quiz.sets import library
from quiz.sets.access import owned_set_or_404
from quiz.study import queue


@bp.route("/my-sets")
@login_required
def my_sets() -> Any:
    """The sets the user wrote or imported, with whether each is studied and shared."""
    return render_template(
        "mysets/index.html",
        mine=db.session.execute(library.owned_sets(current_user.id)).all(),
        studied=set(queue.studied_set_ids(db.session, current_user.id)),
        shared=shared_set_ids(db.session, current_user.id),
        form=EmptyForm(),
    )


@bp.route("/my-sets/<int:set_id>/share", methods=["POST"])
@login_required
def share_set(set_id: int) -> Any:
    """Share the set with the ticked classes (none: private); only its owner, only a student
    (a teacher's set reaches a class by assignment), only classes that let students share."""
    qset = owned_set_or_404(set_id)
    if current_user.is_teacher or qset.owner_id != current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    wanted = set()
    for raw in request.form.getlist("class_id"):
        class_id = bounded_int(raw, 1, MAX_ID) if raw.isdigit() else None
        if class_id is None:
            abort(400)
        wanted.add(class_id)
    allowed = {classroom.id for classroom in shareable_classes(db.session, current_user.id)}
    if wanted - allowed:
        flash("You can share a set only with a class you are in that allows sharing.", "error")
        return redirect(url_for("teach.set_page", set_id=qset.id, _anchor="sharing"))
    set_shares(db.session, qset, wanted, allowed)
    db.session.commit()
    if wanted:
        flash(f"“{qset.title}” is shared with your teacher ({len(wanted)} class(es)).", "success")
    else:
        flash(f"“{qset.title}” is private: only you see it.", "info")
    return redirect(url_for("teach.set_page", set_id=qset.id, _anchor="sharing"))
