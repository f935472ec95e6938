"""The quiz app: create_app() builds it."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.templating import Environment
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map, ValidationError

from quiz import config as defaults
from quiz.extensions import csrf, db, login_manager, migrate
from quiz.inputs import bounded_int

ROOT = Path(__file__).resolve().parent.parent
MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER


class FlatGlobalsEnvironment(Environment):
    """Flask's Jinja environment, with each template's globals in one flat dict.

    Jinja gives every template a ChainMap over the environment's globals, and copying that
    into each render's context, or checking it at each `{% from ... import %}`, went key by
    key in Python on every page. Jinja asks that globals not change once templates load;
    the app adds all of its globals while create_app builds it.
    """

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, error pages, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.jinja_environment = FlatGlobalsEnvironment  # type: ignore[misc]
    configure(app, test_config)
    configure_routing(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_filters(app)
    register_assets(app)
    return app


def register_assets(app: Flask) -> None:
    """Versioned, compressed static files cached for a year; compressed pages (quiz.assets)."""
    from quiz import assets

    assets.init_app(app)


def register_template_filters(app: Flask) -> None:
    """`md`, `md_inline`: authored Markdown as sanitized HTML; `md_plain`: as plain text."""
    from quiz.markup import plain_text
    from quiz.media.render import md, md_inline
    from quiz.study.queue import shown_count

    # Media-aware: `![alt](media:NAME)` finds the file in the page's set (quiz.media.render).
    app.add_template_filter(md, "md")
    app.add_template_filter(md_inline, "md_inline")
    # Where markup cannot go (an <option>, the text of a link): the authored text without it.
    app.add_template_filter(plain_text, "md_plain")
    # A capped count of the study queue (due cards, new questions): "100+" past the cap.
    app.add_template_filter(shown_count, "queue_count")


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults, then the environment, then the test mapping; then the production guard."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(defaults.defaults(app.instance_path))
    # FLASK_SECRET_KEY, FLASK_PRODUCTION, FLASK_SESSION_COOKIE_SECURE, ... (values parsed as JSON)
    app.config.from_prefixed_env()
    app.config.from_mapping(defaults.from_environment())
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["PRODUCTION"]:
        problems = defaults.deploy_problems(app.config)
        if problems:
            raise ConfigError("refusing to start in production: " + "; ".join(problems))
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = defaults.local_secret_key(app.instance_path)
    if app.config["SESSION_COOKIE_SECURE"]:
        app.config["REMEMBER_COOKIE_SECURE"] = True
    from quiz.database import engine_options

    options = engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config)
    options.update(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


class IdConverter(IntegerConverter):
    """Ids in URLs: digits within the database's integer range, so huge ones are a 404."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)

    def to_python(self, value: str) -> int:
        # int() refuses more than 4,300 digits with a ValueError (a 500): parse boundedly.
        number = bounded_int(value, 1, MAX_ID)
        if number is None:
            raise ValidationError()
        return number


def configure_routing(app: Flask) -> None:
    """Bounded integer ids in every `<int:...>` rule; trust a proxy's headers when told to."""
    app.url_map.converters["int"] = IdConverter
    hops = int(app.config["PROXY_FIX_X_FOR"])
    if hops:
        # Behind a reverse proxy, remote_addr is the proxy: the login limiter needs the
        # client's address, and HTTPS detection needs X-Forwarded-Proto.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind the extensions and the per-backend engine profile."""
    from quiz.database import install_postgres_profile, install_sqlite_profile

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    from quiz.transfer.routes import widen_upload_limit

    app.before_request(widen_upload_limit)  # before CSRF's check reads the form
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    install_sqlite_profile(app)
    install_postgres_profile(app)
    from quiz import security
    from quiz.sets import giveaway_pairs  # noqa: F401 - its session hooks keep pairs current

    security.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Attach the blueprints: accounts, and the students' and teachers' pages (quiz.blueprints)."""
    from quiz import blueprints, lti
    from quiz.auth import bp as auth_bp

    app.register_blueprint(auth_bp)
    blueprints.register(app)
    from quiz import notices, signin

    signin.init_app(app)  # /signin: the school's OpenID Connect providers
    notices.init_app(app)  # /notices: reminders, released marks, digests
    lti.init_app(app)  # its own blueprint under /lti, its commands and score hooks
    app.add_url_rule("/", endpoint="index", view_func=_index)


def _index() -> Any:
    """The site's root: a teacher's or admin's home is Teach, anyone else's Study."""
    from flask import redirect, url_for
    from flask_login import current_user

    if current_user.is_authenticated:
        from quiz.auth.routes import home_url

        return redirect(home_url(current_user))
    return redirect(url_for("study.index"))


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages, and a rollback on 500."""
    from quiz import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    """The flask commands: seed, create-user, check-deploy."""
    from quiz import cli

    cli.init_app(app)
