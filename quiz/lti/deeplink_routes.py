"""Deep linking: a teacher launched from the LMS's "add activity" picks an assignment of the
course's class (or a set to assign as a quiz), and the LMS gets a link with a gradebook column."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    make_response,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskRequest
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.lti import bp, storage
from quiz.lti.launch_routes import DEEP_LINK_SESSION_KEY, REFUSED, refused, tool_conf
from quiz.models import Assignment, Classroom, Mode, QuestionSet
from quiz.security import CSP
from quiz.sets.access import readable_sets


def _launch_of_session() -> tuple[FlaskMessageLaunch, Classroom] | None:
    """The deep-linking launch this browser came with, restored from the shared storage."""
    held = session.get(DEEP_LINK_SESSION_KEY)
    if not isinstance(held, dict):
        return None
    classroom = db.session.get(Classroom, held.get("class"))
    if classroom is None or classroom.teacher_id != current_user.id:
        return None
    try:
        launch = FlaskMessageLaunch.from_cache(
            str(held.get("launch")),
            FlaskRequest(),
            tool_conf(),
            launch_data_storage=storage.launch_storage(),
            requests_session=storage.http_session(),
        )
    except REFUSED:
        return None
    return launch, classroom


def _choices(classroom: Classroom) -> tuple[list[Assignment], list[tuple[int, str]]]:
    """The class's assignments, and the sets this teacher may assign."""
    assignments = list(
        db.session.scalars(
            sa.select(Assignment)
            .where(Assignment.classroom_id == classroom.id)
            .order_by(Assignment.id)
        )
    )
    query = sa.select(QuestionSet.id, QuestionSet.title).order_by(QuestionSet.title)
    if not current_user.is_admin:
        query = query.where(readable_sets(), QuestionSet.archived.is_(False))
    return assignments, [(row.id, row.title) for row in db.session.execute(query.limit(500))]


@bp.route("/deep-link", methods=["GET", "POST"])
@teacher_required
def deep_link() -> Any:
    """Pick what the LMS link opens; the answer goes back to the LMS as a signed form post."""
    found = _launch_of_session()
    if found is None:
        return refused("No LMS link is being added. Start again from the LMS.", 400)
    launch, classroom = found
    form = EmptyForm()
    assignments, sets = _choices(classroom)
    titles = {qs_id: title for qs_id, title in sets}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        choice = request.form.get("choice", "")
        kind, _, raw = choice.partition(":")
        wanted = bounded_int(raw, 1, 2**31 - 1)
        picked = None
        if kind == "assignment" and wanted is not None:
            picked = next((a for a in assignments if a.id == wanted), None)
        elif kind == "set" and wanted in titles:
            picked = Assignment(classroom_id=classroom.id, set_id=wanted, mode=Mode.QUIZ.value)
            db.session.add(picked)
            db.session.flush()
        if picked is None:
            flash("Choose one of the assignments or sets listed.", "error")
        else:
            title = titles.get(picked.set_id) or db.session.get(QuestionSet, picked.set_id).title
            return _answer(launch, picked, title)
    return render_template(
        "lti/deep_link.html",
        classroom=classroom,
        assignments=assignments,
        sets=sets,
        titles=titles,
        form=form,
    )


def _answer(launch: FlaskMessageLaunch, assignment: Assignment, title: str) -> Any:
    """The signed deep-linking response, in a form the teacher's browser posts to the LMS."""
    lineitem = (
        LineItem()
        .set_label(title[:255])
        .set_score_maximum(assignment.points if assignment.points > 0 else 1)
        .set_resource_id(f"assignment-{assignment.id}")
    )
    resource = (
        DeepLinkResource()
        .set_title(title[:255])
        .set_url(url_for("lti.launch", _external=True))
        .set_custom_params({"assignment_id": str(assignment.id)})
        .set_lineitem(lineitem)
    )
    deep_link = launch.get_deep_link()
    jwt = deep_link.get_response_jwt([resource])
    return_url = launch.get_launch_data()[
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    ]["deep_link_return_url"]
    session.pop(DEEP_LINK_SESSION_KEY, None)
    db.session.commit()
    response = make_response(
        render_template("lti/deep_link_return.html", return_url=return_url, jwt=jwt, title=title)
    )
    # This one form posts to the LMS: the page's policy allows that origin and no other.
    parts = urlsplit(return_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    ancestors = " ".join(str(current_app.config.get("FRAME_ANCESTORS") or "").split())
    policy = CSP.replace("form-action 'self'", f"form-action 'self' {origin}")
    if ancestors:
        policy = policy.replace("frame-ancestors 'none'", f"frame-ancestors 'self' {ancestors}")
    response.headers["Content-Security-Policy"] = policy
    return response
