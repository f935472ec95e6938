"""Flask extensions, created unbound and initialised in the factory."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from quiz.models.base import Base

# Objects stay loaded after a commit: a request commits its write and then redirects or
# renders with what it has, and reloading every row it touched was a query per row (67 for
# a 66-question quiz). Inside a write transaction (begin_write) every row read replaces the
# session's copy (see quiz.database), so what is read under the lock is current.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
login_manager = LoginManager()
csrf = CSRFProtect()


class LazyMigrate:
    """Flask-Migrate, imported only when a migration runs.

    Flask-Migrate imports Alembic (0.45 s and several MB per gunicorn worker) and no web
    request needs it: the `flask db` commands get the real extension at once, anything else
    (`python app.py`, tests calling flask_migrate.upgrade) on first use.
    """

    def __init__(self, **options: Any) -> None:
        self.options = options

    def init_app(self, app: Flask, database: SQLAlchemy, directory: str) -> None:
        """Register a stand-in that becomes the real extension when first used."""
        if click.get_current_context(silent=True) is not None:  # the flask command line
            self.load(app, database, directory)
        else:
            app.extensions["migrate"] = _PendingMigrate(self, app, database, directory)

    def load(self, app: Flask, database: SQLAlchemy, directory: str) -> Any:
        """Initialise the real Flask-Migrate on the app; return its config object."""
        from flask_migrate import Migrate

        Migrate(**self.options).init_app(app, database, directory=directory)
        return app.extensions["migrate"]


class _PendingMigrate:
    """app.extensions['migrate'] until somebody looks inside it."""

    def __init__(self, lazy: LazyMigrate, app: Flask, database: SQLAlchemy, directory: str):
        self._args = (lazy, app, database, directory)

    def __getattr__(self, name: str) -> Any:
        lazy, app, database, directory = self._args
        return getattr(lazy.load(app, database, directory), name)


migrate = LazyMigrate(compare_type=True, render_as_batch=True)
