"""Sign-in with the school's OpenID Connect providers (Authlib), and the admin's switches."""

from flask import Blueprint, Flask

bp = Blueprint("signin", __name__, url_prefix="/signin")

# Imported for their routes once the blueprint exists.
from quiz.signin import admin_routes, routes  # noqa: E402

__all__ = ["admin_routes", "bp", "init_app", "routes"]


def init_app(app: Flask) -> None:
    """Attach the sign-in pages; the login page's buttons and register link read the globals."""
    from quiz.extensions import db
    from quiz.signin.settings import login_providers, registration_open

    app.register_blueprint(bp)
    app.add_template_global(lambda: login_providers(db.session), "signin_providers")
    app.add_template_global(lambda: registration_open(db.session), "password_registration_open")
