"""Teachers' class pages: create, rename, archive, join code and QR, students, assignments."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import segno
import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from quiz import MAX_ID, joincode
from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.blueprints import teacher_pages as bp
from quiz.classes import assigned
from quiz.classes.access import (
    assignment_or_404,
    class_or_404,
    from_local,
    member_or_404,
    to_local,
    unused_code,
)
from quiz.classes.forms import AssignmentForm, ClassForm
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import Assignment, Classroom, Enrollment, Mode, Question, QuestionSet, User
from quiz.mysets.sharing import shared_with_class
from quiz.reports.paging import Page
from quiz.sets.access import readable_set_or_404, readable_sets
from quiz.timeutil import now_utc


def join_url(classroom: Classroom) -> str:
    """The link a student follows to join, absolute so it can be shared and QR-coded."""
    token = joincode.link_token(classroom.join_code, current_app.config["SECRET_KEY"])
    return url_for("study.join_link", code=classroom.join_code, k=token, _external=True)


def valid_post() -> None:
    """One-click POST buttons carry CSRF through EmptyForm; anything else is a 400."""
    if not EmptyForm().validate_on_submit():
        abort(400)


@bp.route("/classes/")
@teacher_required
def classes() -> Any:
    query = sa.select(Classroom).order_by(Classroom.archived_at.is_not(None), Classroom.name)
    if not current_user.is_admin:
        query = query.where(Classroom.teacher_id == current_user.id)
    rows = db.session.scalars(query).all()
    sizes = dict(
        db.session.execute(
            sa.select(Enrollment.classroom_id, sa.func.count())
            .where(Enrollment.classroom_id.in_([c.id for c in rows]))
            .group_by(Enrollment.classroom_id)
        ).all()
    )
    return render_template("classes/teacher/list.html", classes=rows, sizes=sizes)


@bp.route("/classes/new", methods=["GET", "POST"])
@teacher_required
def new_class() -> Any:
    form = ClassForm()
    if request.method == "GET" and current_user.timezone:
        form.timezone.data = current_user.timezone
    if form.validate_on_submit():
        for _ in range(3):  # a code taken between the check and the insert: try another
            classroom = Classroom(
                teacher_id=current_user.id,
                name=form.name.data.strip(),
                timezone=form.timezone.data,
                join_code=unused_code(db.session),
                student_sharing=form.student_sharing.data,
            )
            db.session.add(classroom)
            try:
                db.session.commit()
                break
            except IntegrityError:
                db.session.rollback()
        else:
            abort(503)
        flash(
            f"Class “{classroom.name}” created. Share its code: {classroom.join_code}.", "success"
        )
        return redirect(url_for(".class_page", class_id=classroom.id))
    return render_template("classes/teacher/form.html", form=form, classroom=None)


@bp.route("/classes/<int:class_id>")
@teacher_required
def class_page(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    total = db.session.scalar(
        sa.select(sa.func.count()).where(Enrollment.classroom_id == classroom.id)
    )
    raw = request.args.get("page", "")
    page = Page.of(int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1, total or 0)
    students = db.session.execute(
        sa.select(User.id, User.username, Enrollment.joined_at)
        .join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(User.username_key, User.id)
        .offset(page.start)
        .limit(page.size)
    ).all()
    assignments = db.session.execute(
        sa.select(Assignment, QuestionSet.title)
        .join(QuestionSet, QuestionSet.id == Assignment.set_id)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    return render_template(
        "classes/teacher/class.html",
        classroom=classroom,
        students=students,
        page=page,
        page_url=lambda number: url_for(".class_page", class_id=classroom.id, page=number),
        assignments=assignments,
        join_url=join_url(classroom),
        code=joincode.spaced(classroom.join_code),
        to_local=lambda moment: to_local(classroom, moment),
        form=EmptyForm(),
        shared_sets=shared_with_class(db.session, classroom.id),
    )


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@teacher_required
def edit_class(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    form = ClassForm(obj=classroom)
    if form.validate_on_submit():
        classroom.name = form.name.data.strip()
        classroom.timezone = form.timezone.data
        classroom.student_sharing = form.student_sharing.data
        db.session.commit()
        flash("Class saved.", "success")
        return redirect(url_for(".class_page", class_id=classroom.id))
    return render_template("classes/teacher/form.html", form=form, classroom=classroom)


@bp.route("/classes/<int:class_id>/archive", methods=["POST"])
@teacher_required
def archive_class(class_id: int) -> Any:
    """Archive (action=archive) or bring back (action=restore); students keep their data."""
    classroom = class_or_404(class_id)
    valid_post()
    action = request.form.get("action")
    if action == "archive":
        classroom.archived_at = classroom.archived_at or now_utc()
        flash(f"“{classroom.name}” is archived: nobody can join it.", "info")
    elif action == "restore":
        classroom.archived_at = None
        flash(f"“{classroom.name}” is active again.", "success")
    else:
        abort(400)
    db.session.commit()
    return redirect(url_for(".class_page", class_id=classroom.id))


@bp.route("/classes/<int:class_id>/code", methods=["POST"])
@teacher_required
def regenerate_code(class_id: int) -> Any:
    """A new join code; the old one stops working at once (students already in stay)."""
    classroom = class_or_404(class_id)
    valid_post()
    classroom.join_code = unused_code(db.session)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("That code was just taken; press the button again.", "error")
    else:
        flash(f"New join code: {classroom.join_code}. The old one no longer works.", "success")
    return redirect(url_for(".class_page", class_id=classroom.id))


@bp.route("/classes/<int:class_id>/projector")
@teacher_required
def projector(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    return render_template(
        "classes/teacher/projector.html",
        classroom=classroom,
        code=joincode.spaced(classroom.join_code),
        join_url=join_url(classroom),
    )


@bp.route("/classes/<int:class_id>/qr.svg")
@teacher_required
def qr_code(class_id: int) -> Any:
    """The join link as a QR code, an SVG made by segno."""
    classroom = class_or_404(class_id)
    buffer = io.BytesIO()
    segno.make(join_url(classroom), error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        title=f"QR code to join {classroom.name}",
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"  # the code can be regenerated
    return response


@bp.route("/classes/<int:class_id>/students/<int:user_id>/remove", methods=["POST"])
@teacher_required
def remove_student(class_id: int, user_id: int) -> Any:
    """Take a student out of the class; their answers stay theirs."""
    classroom = class_or_404(class_id)
    valid_post()
    student = member_or_404(classroom, user_id)
    db.session.execute(
        sa.delete(Enrollment).where(
            Enrollment.classroom_id == classroom.id, Enrollment.user_id == student.id
        )
    )
    db.session.commit()
    flash(f"{student.username} is no longer in “{classroom.name}”.", "info")
    return redirect(url_for(".class_page", class_id=classroom.id))


def set_choices(classroom: Classroom) -> list[SelectChoice]:
    """Sets the teacher may assign: their own, public ones, and for admins every set; each named
    with its owner, question count and last edit, so two sets of one title can be told apart."""
    live = (
        sa.select(sa.func.count(Question.id))
        .where(Question.set_id == QuestionSet.id, Question.retired.is_(False))
        .scalar_subquery()
    )
    query = (
        sa.select(QuestionSet.id, QuestionSet.title, QuestionSet.updated_at, User.username, live)
        .outerjoin(User, User.id == QuestionSet.owner_id)
        .order_by(QuestionSet.title, QuestionSet.id)
    )
    if not current_user.is_admin:  # never a set seen through membership of another's class
        query = query.where(readable_sets(), QuestionSet.archived.is_(False))
    return [
        SelectChoice(
            row.id, set_label(row.title, row.username, row[4], to_local(classroom, row.updated_at))
        )
        for row in db.session.execute(query)
    ]


def set_label(title: str, owner: str | None, questions: int, edited: datetime | None) -> str:
    """'Title (tess, 12 questions, edited 2026-12-01)': an assignment form's set menu entry."""
    who = owner if owner is not None else "starter bank"
    count = f"{questions} question{'' if questions == 1 else 's'}"
    when = f", edited {edited:%Y-%m-%d}" if edited is not None else ""
    return f"{title} ({who}, {count}{when})"


def fill_assignment(form: AssignmentForm, assignment: Assignment, classroom: Classroom) -> None:
    """Copy the form into the assignment; the due time is read in the class's zone."""
    assignment.set_id = readable_set_or_404(form.set_id.data).id
    assignment.mode = form.mode.data
    assignment.due_at = from_local(classroom, form.due_at.data)
    assignment.target_recall = form.target_percent.data / 100
    assignment.max_attempts = form.max_attempts.data or None
    assignment.time_limit_s = (form.time_limit_min.data or 0) * 60 or None
    assignment.question_count = form.question_count.data or None
    assignment.shuffle = form.shuffle.data
    assignment.show_answers = form.show_answers.data
    assignment.allow_late = form.allow_late.data


def queue_for_class(assignment: Assignment) -> None:
    """A study assignment joins the queue of every student in the class."""
    if assignment.mode == Mode.STUDY:
        members = db.session.scalars(
            sa.select(Enrollment.user_id).where(Enrollment.classroom_id == assignment.classroom_id)
        )
        assigned.add_to_queues(db.session, assignment.set_id, list(members))


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
@teacher_required
def new_assignment(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    form = AssignmentForm()
    form.set_id.choices = set_choices(classroom)
    chosen = bounded_int(request.args.get("set", ""), 1, MAX_ID)
    if request.method == "GET" and chosen is not None:
        form.set_id.data = chosen
    if form.validate_on_submit():
        assignment = Assignment(classroom_id=classroom.id)
        fill_assignment(form, assignment, classroom)
        db.session.add(assignment)
        db.session.flush()
        queue_for_class(assignment)
        db.session.commit()
        flash("Assignment saved.", "success")
        return redirect(url_for(".class_page", class_id=classroom.id))
    return render_template(
        "classes/teacher/assignment_form.html", form=form, classroom=classroom, assignment=None
    )


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>", methods=["GET", "POST"])
@teacher_required
def edit_assignment(class_id: int, assignment_id: int) -> Any:
    classroom = class_or_404(class_id)
    assignment = assignment_or_404(classroom, assignment_id)
    form = AssignmentForm(obj=assignment)
    form.set_id.choices = set_choices(classroom)
    if request.method == "GET":
        form.due_at.data = to_local(classroom, assignment.due_at)
        form.target_percent.data = round(assignment.target_recall * 100)
        form.time_limit_min.data = (assignment.time_limit_s or 0) // 60
    if form.validate_on_submit():
        fill_assignment(form, assignment, classroom)
        queue_for_class(assignment)
        db.session.commit()
        flash("Assignment saved.", "success")
        return redirect(url_for(".class_page", class_id=classroom.id))
    return render_template(
        "classes/teacher/assignment_form.html",
        form=form,
        classroom=classroom,
        assignment=assignment,
        delete_form=EmptyForm(),
    )


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@teacher_required
def delete_assignment(class_id: int, assignment_id: int) -> Any:
    """Remove an assignment; its attempts stay in the students' history, unassigned."""
    classroom = class_or_404(class_id)
    assignment = assignment_or_404(classroom, assignment_id)
    valid_post()
    db.session.delete(assignment)
    db.session.commit()
    flash("Assignment removed. Students keep their answers.", "info")
    return redirect(url_for(".class_page", class_id=classroom.id))
