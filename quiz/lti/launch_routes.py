"""The endpoints a platform calls: OIDC login initiation, the launch, and the tool's JWKS;
and the one-time link that continues a launch in a new window."""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import login_user
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import LtiException, OIDCException, ToolConfException

from quiz.extensions import db
from quiz.lti import bp, grades, keys, storage
from quiz.lti.claims import Launch, read_launch
from quiz.lti.provisioning import LaunchRefused, context_for, enroll, link_for, user_for
from quiz.lti.toolconf import DatabaseToolConf
from quiz.models import Classroom, LtiState, User
from quiz.timeutil import now_utc

HANDOFF_S = 120  # how long the "open in a new window" link works, once
# What pylti1p3 and PyJWT raise for a token or request that does not check out.
REFUSED = (
    LtiException,
    OIDCException,
    ToolConfException,
    ValueError,
    KeyError,
    TypeError,
    AssertionError,
)
DEEP_LINK_SESSION_KEY = "lti_deep_link"


def tool_conf() -> DatabaseToolConf:
    """The platforms registered here, signing with the tool's current key."""
    return DatabaseToolConf(db.session, current_app.config["SECRET_KEY"])


def message_launch(conf: DatabaseToolConf) -> FlaskMessageLaunch:
    """pylti1p3's launch over this request, with shared storage and a timed HTTP client."""
    result = FlaskMessageLaunch(
        FlaskRequest(),
        conf,
        launch_data_storage=storage.launch_storage(),
        requests_session=storage.http_session(),
        service_connector_cls=storage.DatabaseServiceConnector,
    )
    # A platform's keys are fetched at most every five minutes, by any worker.
    result.set_public_key_caching(storage.launch_storage(), cache_lifetime=300)
    return result


def refused(message: str, status: int = 400) -> Any:
    """A launch refused: nothing it wrote is kept, and the person reads why."""
    db.session.rollback()
    return render_template("lti/refused.html", message=message), status


@bp.route("/jwks")
def jwks() -> Any:
    """The tool's public keys, for platforms checking deep-link responses and service tokens."""
    response = jsonify(keys.jwks(db.session))
    response.headers["Cache-Control"] = "public, max-age=3600"
    # Read by programs; a person who opens it in a browser saves a file, like every download.
    response.headers["Content-Disposition"] = 'attachment; filename="jwks.json"'
    return response


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """OIDC login initiation: remember state and nonce, send the browser to the platform."""
    storage.forget_expired(db.session)
    oidc = FlaskOIDCLogin(FlaskRequest(), tool_conf(), launch_data_storage=storage.launch_storage())
    try:
        response = oidc.redirect(url_for(".launch", _external=True))
    except REFUSED as error:
        return refused(f"This sign-in from the LMS cannot go on: {error}")
    db.session.commit()
    return response


@bp.route("/launch", methods=["POST"])
def launch() -> Any:
    """A resource-link or deep-linking launch: check the token, then sign the person in."""
    conf = tool_conf()
    lti = message_launch(conf)
    try:
        body = lti.get_launch_data()
        facts = read_launch(body)
        storage.use_nonce(db.session, facts.issuer, facts.nonce)
    except storage.Replayed:
        return refused("This launch was used already. Open the activity from the LMS again.")
    except REFUSED as error:
        return refused(f"The LMS launch could not be verified: {error}")
    platform = conf.platform_for(facts.issuer, facts.client_id)
    if platform is None:
        return refused("This LMS is not registered here.")
    try:
        user = user_for(
            db.session,
            platform,
            facts.issuer,
            facts.sub,
            facts.name,
            facts.email,
            facts.teaching,
        )
        if not user.active:
            raise LaunchRefused("This account is deactivated here; ask the site's admin.")
        context = context_for(db.session, platform, facts, user)
        if context is None:
            return refused(
                "Your teacher has not opened this activity yet. Try again after they have.", 409
            )
        classroom = db.session.get(Classroom, context.classroom_id)
        if classroom is None:  # the class was deleted; its context row went with it
            raise LaunchRefused("This course's class is gone.", 409)
        if facts.teaching and classroom.teacher_id != user.id:
            owner = db.session.get(User, classroom.teacher_id)
            raise LaunchRefused(
                f"This course's class belongs to {owner.username if owner else 'another teacher'}"
                "; ask them to share it."
            )
        if lti.is_deep_link_launch():
            if not facts.teaching:
                raise LaunchRefused("Only a teacher can choose what this link opens.")
            target = url_for("lti.deep_link")
        else:
            if not facts.teaching:
                enroll(db.session, classroom.id, user.id)
            target = destination(facts, link_for(db.session, context, facts), classroom)
    except LaunchRefused as error:
        return refused(error.message, error.status)
    login_user(user)
    if lti.is_deep_link_launch():
        session[DEEP_LINK_SESSION_KEY] = {"launch": lti.get_launch_id(), "class": classroom.id}
    token = handoff(user.id, target)
    db.session.commit()
    grades.send_due_soon()  # scores that failed earlier get another try now
    if request.cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session")):
        return redirect(target, 303)  # this browser keeps our cookies here: go straight on
    return render_template("lti/launched.html", target=target, token=token, launch=facts)


def destination(facts: Launch, link: Any, classroom: Classroom) -> str:
    """Where a launch lands: the linked assignment, else the class."""
    if facts.teaching:
        if link is not None:
            return url_for(
                "teach.edit_assignment", class_id=classroom.id, assignment_id=link.assignment_id
            )
        return url_for("teach.class_page", class_id=classroom.id)
    if link is not None:
        return url_for("study.assignment", assignment_id=link.assignment_id)
    return url_for("study.index")


def handoff(user_id: int, target: str) -> str:
    """A one-time token that signs the launched person in at the top level of a new window,
    for browsers that block cookies inside the LMS's frame."""
    token = secrets.token_urlsafe(24)
    storage.DatabaseCache(db.session).set(
        f"handoff-{token}", {"user": user_id, "next": target}, HANDOFF_S
    )
    return token


@bp.route("/continue/<token>")
def continue_launch(token: str) -> Any:
    """Use a handoff token once: sign its person in and go where the launch was going."""
    key = f"handoff-{token}"[:255]
    row = db.session.get(LtiState, key)
    value = row.value if row is not None else None
    if row is None or (row.expires_at is not None and row.expires_at <= now_utc()):
        return refused("This link has expired or was used. Open the activity from the LMS again.")
    db.session.delete(row)
    user = db.session.get(User, int(value["user"])) if isinstance(value, dict) else None
    if user is None or not user.active:
        return refused("This account cannot sign in.", 403)
    db.session.commit()
    login_user(user)
    target = str(value.get("next", "/"))
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
