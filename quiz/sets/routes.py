"""The sets' pages: a teacher's "my sets" page, a set's page, create, edit, duplicate, delete.

Students write their own sets with the same pages (quiz/mysets lists them): every page but the
teacher's list is open to anyone logged in, and each one checks the set's owner, so that a
student reaches only their own sets (and a teacher a student's set shared with their class)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.authoring.bulk import ACTIONS, target_sets
from quiz.blueprints import teacher_pages as bp
from quiz.extensions import db
from quiz.media.section import media_section
from quiz.models import QuestionSet, StudiedSet, Visibility
from quiz.mysets.section import share_section, student_owns
from quiz.sets import library
from quiz.sets.access import can_edit, can_read, owned_set_or_404, sets_home, viewable_set_or_404
from quiz.sets.forms import SetForm, parse_tags
from quiz.sets.giveaway_pairs import set_pairs


@bp.route("/")
@teacher_required
def index() -> Any:
    """My sets, the starter sets to copy from, and (for admins) everyone else's."""
    others = library.others_sets(current_user.id) if current_user.is_admin else None
    return render_template(
        "sets/index.html",
        mine=db.session.execute(library.owned_sets(current_user.id)).all(),
        bank=db.session.execute(library.bank_sets()).all(),
        others=db.session.execute(others).all() if others is not None else [],
        form=EmptyForm(),
    )


def _save_set(form: SetForm, qset: QuestionSet) -> None:
    """Copy the form's fields into the set."""
    qset.title = form.title.data
    qset.description = form.description.data or ""
    qset.tags = parse_tags(form.tags.data)
    # A student's set is private; sharing it with a class is its own choice (quiz/mysets).
    qset.visibility = form.visibility.data if current_user.is_teacher else Visibility.PRIVATE.value
    qset.source_text = (form.source_text.data or "").replace("\r\n", "\n").strip()


@bp.route("/sets/new", methods=["GET", "POST"])
@login_required
def new_set() -> Any:
    form = SetForm()
    if form.validate_on_submit():
        qset = QuestionSet(owner_id=current_user.id)
        _save_set(form, qset)
        db.session.add(qset)
        if not current_user.is_teacher:  # a student's own set goes straight into their studies
            db.session.flush()
            db.session.add(StudiedSet(user_id=current_user.id, set_id=qset.id))
        db.session.commit()
        flash(f"Created “{qset.title}”. Add its first question.", "success")
        return redirect(url_for(".set_page", set_id=qset.id))
    return render_template("sets/set_form.html", form=form, qset=None)


@bp.route("/sets/<int:set_id>")
@login_required
def set_page(set_id: int) -> Any:
    qset = viewable_set_or_404(set_id)
    editable = can_edit(current_user, qset)
    return render_template(
        "sets/set.html",
        qset=qset,
        questions=db.session.scalars(library.live_questions(qset.id)).all(),
        editable=editable,
        readable=can_read(current_user, qset),  # not so for a teacher shown a student's set
        kinds=library.KIND_CHOICES,
        pairs=set_pairs(db.session, qset.id),
        form=EmptyForm(),
        targets=db.session.scalars(target_sets(current_user.id, qset.id)).all() if editable else [],
        bulk_actions=ACTIONS,
        **media_section(qset, editable),
        **share_section(qset),
    )


@bp.route("/sets/<int:set_id>/edit", methods=["GET", "POST"])
@login_required
def edit_set(set_id: int) -> Any:
    qset = owned_set_or_404(set_id)
    form = SetForm(obj=qset)
    form.highest_cited = library.highest_cited(db.session, qset.id)
    if not form.is_submitted():
        form.tags.data = ", ".join(qset.tags or ())
    if form.validate_on_submit():
        _save_set(form, qset)
        db.session.commit()
        flash("Set saved.", "success")
        return redirect(url_for(".set_page", set_id=qset.id))
    return render_template("sets/set_form.html", form=form, qset=qset)


@bp.route("/sets/<int:set_id>/duplicate", methods=["POST"])
@login_required
def duplicate_set(set_id: int) -> Any:
    """A private copy owned by the teacher: the way to change a starter set."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    qset = viewable_set_or_404(set_id)
    copy = library.duplicate(db.session, qset, current_user.id)
    db.session.commit()
    flash(f"Made “{copy.title}”, a private copy you can change.", "success")
    return redirect(url_for(".set_page", set_id=copy.id))


@bp.route("/sets/<int:set_id>/delete", methods=["GET", "POST"])
@login_required
def delete_set(set_id: int) -> Any:
    """Ask first; then delete, or archive a set students have studied (their history stays)."""
    qset = owned_set_or_404(set_id)
    # A student's own set goes with their own answers to it; anyone else's history stays.
    own = student_owns(qset)
    studied = library.was_studied(db.session, qset.id, current_user.id if own else None)
    form = EmptyForm()
    if form.validate_on_submit():
        title = qset.title
        if studied:
            qset.archived = True
            flash(f"Archived “{title}”: students no longer see it; their history is kept.", "info")
        else:
            db.session.execute(sa.delete(QuestionSet).where(QuestionSet.id == qset.id))
            flash(f"Deleted “{title}”.", "info")
        db.session.commit()
        return redirect(sets_home())
    return render_template("sets/delete_set.html", qset=qset, studied=studied, form=form, own=own)


@bp.route("/sets/<int:set_id>/restore", methods=["POST"])
@login_required
def restore_set(set_id: int) -> Any:
    """Bring an archived set back into students' lists."""
    qset = owned_set_or_404(set_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    qset.archived = False
    db.session.commit()
    flash(f"Restored “{qset.title}”.", "success")
    return redirect(url_for(".set_page", set_id=qset.id))
