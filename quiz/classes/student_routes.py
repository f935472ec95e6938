"""The student's side of classes: join with a code or a link, open and start assignments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz.auth import limiter
from quiz.auth.forms import EmptyForm
from quiz.auth.routes import client_address
from quiz.blueprints import student_pages as bp
from quiz.classes import assigned
from quiz.classes import home as class_home
from quiz.classes.forms import JoinForm
from quiz.extensions import db
from quiz.inputs import DB_INT_MAX
from quiz.models import Attempt, Classroom, Mode, QuestionSet
from quiz.quizzes import attempts
from quiz.study.queue import user_zone
from quiz.timeutil import now_utc

DEFAULT_JOIN_LIMIT = 10


def join_limits() -> limiter.Limits:
    """Code guesses allowed per account and per address in the login limiter's window."""
    config = current_app.config
    return limiter.Limits(
        per_account=int(config.get("JOIN_CODE_LIMIT", DEFAULT_JOIN_LIMIT)),
        per_address=int(config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"]),
        window_s=int(config["LOGIN_FAILURE_WINDOW_S"]),
    )


def join_key() -> str:
    """The limiter's counter for this student's code guesses (apart from their logins)."""
    return f"join:{current_user.id}"


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join() -> Any:
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:32]
    if form.validate_on_submit():
        # Counted before the lookup, as logins are, so parallel guesses cannot slip through.
        guess = limiter.begin_attempt(db.session, join_key(), client_address(), join_limits())
        if guess is None:
            form.code.errors.append("Too many codes tried. Wait a few minutes and try again.")
            return render_template("classes/student/join.html", form=form), 429
        classroom = class_home.find_class(db.session, form.code.data)
        if classroom is None:
            form.code.errors.append(
                "No class has that code. Check it with your teacher: codes have six letters "
                "and digits, and never use 0, O, 1, I, L, 2, Z, 5, S, 8 or B."
            )
            return render_template("classes/student/join.html", form=form), 422
        limiter.forget_attempt(db.session, guess)  # a right code must not clear wrong ones
        if classroom.teacher_id == current_user.id:
            db.session.commit()
            flash("That is your own class: share its code with your students.", "info")
            return redirect(url_for("teach.class_page", class_id=classroom.id))
        added = class_home.enroll(db.session, current_user, classroom)
        db.session.commit()
        if added:
            flash(f"You joined “{classroom.name}”.", "success")
        else:
            flash(f"You are already in “{classroom.name}”.", "info")
        return redirect(url_for(".index"))
    status = 422 if form.errors else 200
    return render_template("classes/student/join.html", form=form), status


@bp.route("/join/<code>")
def join_link(code: str) -> Any:
    """The shared link: through login or registration and back, then one click to join.

    A link the app made (signed: joincode.link_token) names the class and its teacher before
    the student joins; a typed or altered one never says whether its code exists, so it is no
    way around the guessing limit.
    """
    code = code[:32]
    token = request.args.get("k", "")[:16]
    invited = class_home.invited_class(db.session, code, token, current_app.config["SECRET_KEY"])
    here = url_for(".join_link", code=code, **({"k": token} if invited else {}))
    if not current_user.is_authenticated:
        return render_template(
            "classes/student/join.html",
            form=None,
            invited=invited,
            login_url=url_for("auth.login", next=here),
            register_url=url_for("auth.register", next=here),
        )
    form = JoinForm(data={"code": code})
    return render_template("classes/student/join.html", form=form, invited=invited)


@bp.route("/assignments/<int:assignment_id>")
@login_required
def assignment(assignment_id: int) -> Any:
    item = class_home.enrolled_assignment(db.session, current_user, assignment_id)
    if item is None:
        abort(404)
    now = now_utc()
    progress = class_home.one_progress(db.session, current_user, item, now)
    classroom = db.session.get(Classroom, item.classroom_id)
    return render_template(
        "classes/student/assignment.html",
        assignment=item,
        qset=db.session.get(QuestionSet, item.set_id),
        classroom=classroom,
        zone=user_zone(current_user),
        progress=progress,
        refusal=assigned.start_refusal(item, progress, now) if item.mode == Mode.QUIZ else None,
        past=assigned.attempt_rows(db.session, Attempt.user_id == current_user.id, [item.id]),
        form=EmptyForm(),
    )


@bp.route("/assignments/<int:assignment_id>/quiz", methods=["POST"])
@login_required
def start_assigned_quiz(assignment_id: int) -> Any:
    """Start an attempt with the assignment's settings, checked here and not in the page."""
    item = class_home.enrolled_assignment(db.session, current_user, assignment_id)
    if item is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    now = now_utc()
    progress = class_home.one_progress(db.session, current_user, item, now)
    if progress.open_attempt is not None:  # finish the one already running first
        return redirect(url_for(".attempt", attempt_id=progress.open_attempt))
    refusal = assigned.start_refusal(item, progress, now)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for(".assignment", assignment_id=item.id))
    limit = item.time_limit_s
    if item.due_at is not None and not item.allow_late and now < item.due_at:
        # No late work: the attempt's own deadline stops at the due date.
        # Capped: 68 years ahead overflows the INTEGER column (a 500 on PostgreSQL).
        until_due = min(int((item.due_at - now) / timedelta(seconds=1)), DB_INT_MAX)
        limit = min(limit, until_due) if limit else until_due
    attempt = attempts.start_attempt(
        db.session,
        current_user,
        db.session.get(QuestionSet, item.set_id),
        one_page=False,
        time_limit_s=limit,
        now=now,
        assignment_id=item.id,
        shuffle=item.shuffle,
        count=item.question_count,
    )
    if not attempt.question_order:
        flash("This set has nothing a quiz can ask yet.", "error")
        return redirect(url_for(".assignment", assignment_id=item.id))
    return redirect(url_for(".attempt", attempt_id=attempt.id))
