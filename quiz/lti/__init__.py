"""LTI 1.3 and LTI Advantage, tool side: launches from an LMS, deep linking, grade passback
(AGS) and roster sync (NRPS), with pylti1p3 checking every token. Routes under /lti."""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint, Flask

bp = Blueprint("lti", __name__, url_prefix="/lti")

ROUTE_MODULES = (
    "quiz.lti.launch_routes",
    "quiz.lti.deeplink_routes",
    "quiz.lti.admin_routes",
    "quiz.lti.course_routes",
)


def init_app(app: Flask) -> None:
    """Routes, the CSRF exemption of the endpoints that check a signed token instead, the
    score hooks and the `flask lti` commands."""
    from quiz.database import WRITING_GETS
    from quiz.extensions import csrf
    from quiz.lti import cli, grades

    for name in ROUTE_MODULES:
        import_module(name)
    from quiz.lti import launch_routes

    # The platform posts these cross-site; the id_token's signature, state and nonce are
    # what protect them (pylti1p3), not a form token the LMS cannot have.
    csrf.exempt(launch_routes.login)
    csrf.exempt(launch_routes.launch)
    # GETs that store something: the login's nonce and state, a used handoff token's removal.
    WRITING_GETS.update({"lti.login", "lti.continue_launch"})
    app.register_blueprint(bp)
    grades.init_app(app)
    cli.init_app(app)
