"""The gradebook's pages: the grid with totals, its settings, excusing, and three CSV layouts."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.auth.routes import safe_next
from quiz.blueprints import teacher_pages as bp
from quiz.classes.access import assignment_or_404, class_or_404, class_zone, member_or_404
from quiz.extensions import db
from quiz.gradebook import compute, layouts, operations, settings
from quiz.gradebook import data as grades
from quiz.models import Assignment, Classroom, Enrollment, QuestionSet, User
from quiz.reports import data as class_data
from quiz.reports.csvcells import csv_lines
from quiz.reports.paging import Page
from quiz.reports.routes import attachment, file_slug, int_arg
from quiz.timeutil import now_utc


def graded(classroom: Classroom) -> class_data.ClassData:
    """The class's data with its gradebook computed."""
    return class_data.load(db.session, classroom, now_utc())


def columns(classroom: Classroom, data: class_data.ClassData) -> list[layouts.Column]:
    """The assignments as CSV columns, due dates in the class's zone."""
    zone = class_zone(classroom)
    return [
        layouts.Column(
            a.id,
            title,
            a.mode,
            a.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if a.due_at else "",
        )
        for a, title in data.assignments
    ]


def students(classroom: Classroom, data: class_data.ClassData) -> list[layouts.Student]:
    """The class's students with their e-mail addresses (one query), in the data's order."""
    emails = dict(
        db.session.execute(
            sa.select(User.id, User.email)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.classroom_id == classroom.id)
        ).all()
    )
    return [layouts.Student(uid, name, emails.get(uid, "")) for uid, name in data.students]


def _total_key(book: Any, user_id: int) -> float:
    """A student's total as a number to sort on; none yet sorts below every grade."""
    total = book.rows[user_id].total
    return -1.0 if total is None else float(total)


@bp.route("/classes/<int:class_id>/gradebook")
@teacher_required
def gradebook(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    data = graded(classroom)
    book = data.book
    if book is None:  # load() computes it unless asked not to
        abort(500)
    sort = "total" if request.args.get("sort") == "total" else "name"
    descending = request.args.get("dir") == "desc"
    ordered = list(data.students)
    if sort == "total":
        # Sorted over the whole class, then shown 50 at a time; no grade yet sorts lowest.
        ordered.sort(key=lambda s: _total_key(book, s[0]), reverse=descending)
    elif descending:
        ordered.reverse()
    page = Page.of(int_arg("page", 1, 1, 2**31 - 1), len(ordered))
    return render_template(
        "gradebook/gradebook.html",
        classroom=classroom,
        data=data,
        book=book,
        shown=ordered[page.start : page.stop],
        page=page,
        sort=sort,
        descending=descending,
        page_url=lambda number: url_for(
            "teach.gradebook",
            class_id=classroom.id,
            sort=sort,
            dir="desc" if descending else "asc",
            page=number,
        ),
        zone=class_zone(classroom),
        percent=compute.percent_text,
        points=compute.points_text,
        form=EmptyForm(),
    )


@bp.route("/classes/<int:class_id>/gradebook/settings", methods=["GET", "POST"])
@teacher_required
def gradebook_settings(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    rows = operations.saved_categories(db.session, classroom)
    assignments = db.session.execute(
        sa.select(Assignment, QuestionSet.title)
        .join(QuestionSet, QuestionSet.id == Assignment.set_id)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    keys = operations.category_keys(rows)
    form = EmptyForm()
    errors: list[str] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        parsed = settings.parse(request.form, keys, [(a.id, t) for a, t in assignments])
        if not parsed.errors:
            operations.save_settings(
                db.session, classroom, rows, [a for a, _t in assignments], parsed
            )
            db.session.commit()
            flash("Gradebook settings saved.", "success")
            return redirect(url_for(".gradebook", class_id=classroom.id))
        errors = parsed.errors
    categories = grades.categories_of(rows)
    return render_template(
        "gradebook/settings.html",
        classroom=classroom,
        categories=list(zip(keys, categories, strict=True)),
        assignments=[(a, t, str(grades.category_key(a, rows))) for a, t in assignments],
        form=form,
        errors=errors,
        values=request.form if errors else None,
        missing_checked=(
            request.form.get("missing_zero") == "1" if errors else classroom.missing_counts_zero
        ),
    ), (422 if errors else 200)


@bp.route(
    "/classes/<int:class_id>/assignments/<int:assignment_id>/students/<int:user_id>/excuse",
    methods=["POST"],
)
@teacher_required
def excuse(class_id: int, assignment_id: int, user_id: int) -> Any:
    """Excuse a student from an assignment (excused=1) or clear it (excused=0)."""
    classroom = class_or_404(class_id)
    assignment = assignment_or_404(classroom, assignment_id)
    student = member_or_404(classroom, user_id)
    if not EmptyForm().validate_on_submit() or request.form.get("excused") not in ("0", "1"):
        abort(400)
    excused = request.form["excused"] == "1"
    operations.set_excused(db.session, assignment, student.id, excused, current_user.id)
    try:
        db.session.commit()
    except IntegrityError:  # the other click of a double click excused the student first
        db.session.rollback()
    flash(f"{student.username} {'excused' if excused else 'no longer excused'}.", "success")
    back = safe_next(request.form.get("next"))
    return redirect(back or url_for(".gradebook", class_id=classroom.id))


@bp.route("/classes/<int:class_id>/gradebook.csv")
@teacher_required
def gradebook_csv(class_id: int) -> Any:
    """The app's own layout: points per assignment, category percents, counts and total."""
    classroom = class_or_404(class_id)
    data = graded(classroom)
    book = data.book
    lines = layouts.own_rows(
        students(classroom, data), columns(classroom, data), book.categories, book.items, book.rows
    )
    return attachment(csv_lines(lines), f"{file_slug(classroom.name)}-gradebook.csv")


@bp.route("/classes/<int:class_id>/gradebook-moodle.csv")
@teacher_required
def gradebook_moodle_csv(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    data = graded(classroom)
    lines = layouts.moodle_rows(students(classroom, data), columns(classroom, data), data.book.rows)
    return attachment(csv_lines(lines), f"{file_slug(classroom.name)}-moodle-grades.csv")


@bp.route("/classes/<int:class_id>/gradebook-canvas.csv")
@teacher_required
def gradebook_canvas_csv(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    data = graded(classroom)
    book = data.book
    lines = layouts.canvas_rows(
        students(classroom, data), columns(classroom, data), book.items, book.rows, classroom.name
    )
    return attachment(csv_lines(lines), f"{file_slug(classroom.name)}-canvas-grades.csv")
