"""A teacher's LMS courses: roster sync, and the scores sent to (or failing at) the gradebook."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.extensions import db
from quiz.lti import bp, grades, roster
from quiz.models import (
    Assignment,
    Classroom,
    LtiContext,
    LtiLink,
    LtiPlatform,
    LtiScore,
    QuestionSet,
    User,
)

SHOWN_SCORES = 200


def _mine() -> sa.ColumnElement[bool]:
    """Rows of the teacher's own classes; an admin sees every class."""
    return sa.true() if current_user.is_admin else Classroom.teacher_id == current_user.id


@bp.route("/courses")
@teacher_required
def courses() -> Any:
    contexts = db.session.execute(
        sa.select(LtiContext, Classroom.name, LtiPlatform.name)
        .join(Classroom, Classroom.id == LtiContext.classroom_id)
        .join(LtiPlatform, LtiPlatform.id == LtiContext.platform_id)
        .where(_mine())
        .order_by(Classroom.name, LtiContext.id)
    ).all()
    scores = db.session.execute(
        sa.select(LtiScore, User.username, QuestionSet.title, Classroom.name)
        .join(User, User.id == LtiScore.user_id)
        .join(LtiLink, LtiLink.id == LtiScore.link_id)
        .join(Assignment, Assignment.id == LtiLink.assignment_id)
        .join(QuestionSet, QuestionSet.id == Assignment.set_id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(_mine())
        .order_by(LtiScore.id.desc())
        .limit(SHOWN_SCORES)
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(LtiScore.status, sa.func.count())
            .join(LtiLink, LtiLink.id == LtiScore.link_id)
            .join(Assignment, Assignment.id == LtiLink.assignment_id)
            .join(Classroom, Classroom.id == Assignment.classroom_id)
            .where(_mine())
            .group_by(LtiScore.status)
        ).all()
    )
    return render_template(
        "lti/courses.html", contexts=contexts, scores=scores, counts=counts, form=EmptyForm()
    )


@bp.route("/courses/<int:context_id>/roster", methods=["POST"])
@teacher_required
def sync_roster(context_id: int) -> Any:
    context = db.session.scalar(
        sa.select(LtiContext)
        .join(Classroom, Classroom.id == LtiContext.classroom_id)
        .where(LtiContext.id == context_id, _mine())
    )
    if context is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        report = roster.sync(db.session, context, current_app.config["SECRET_KEY"])
    except Exception as error:  # the LMS's answer or the network; nothing was changed
        db.session.rollback()
        current_app.logger.warning("roster sync of LTI context %s failed: %s", context_id, error)
        flash(f"The roster could not be fetched from the LMS: {error}", "error")
    else:
        flash(
            f"Roster synced: {report.added} added, {report.kept} already here, "
            f"{report.removed} removed.",
            "success",
        )
    return redirect(url_for(".courses"))


@bp.route("/scores/retry", methods=["POST"])
@teacher_required
def retry_scores() -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    ids = list(
        db.session.scalars(
            sa.select(LtiScore.id)
            .join(LtiLink, LtiLink.id == LtiScore.link_id)
            .join(Assignment, Assignment.id == LtiLink.assignment_id)
            .join(Classroom, Classroom.id == Assignment.classroom_id)
            .where(_mine(), LtiScore.status != "sent")
        )
    )
    queued = grades.retry(db.session, ids)
    # At most a few dozen now, so the page comes back; `flask lti send-scores` sends the rest.
    sent, failed = grades.send_due(db.session, current_app.config["SECRET_KEY"], 4 * grades.BATCH)
    flash(f"{queued} scores tried again: {sent} sent, {failed} not yet.", "success")
    return redirect(url_for(".courses"))
