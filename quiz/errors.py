"""Error pages: every failure gets a readable page, never a stack trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from quiz import reconnect
from quiz.extensions import db, login_manager

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "You do not have access to this page."),
    404: ("Not found", "There is nothing here. The address may be wrong or the item gone."),
    405: ("Method not allowed", "This page cannot be used that way."),
    409: (
        "Already changed",
        "This was answered or changed in another tab or window. Reload to see where you are.",
    ),
    413: (
        "Too large",
        "The upload is larger than this site accepts (2 MB of text; 50 MB for an Anki package "
        "or a Kahoot sheet on the import page), so nothing was imported or saved. Split the "
        "file into smaller parts and import them one after the other into the same set, or "
        "paste less text at a time.",
    ),
    429: ("Too many attempts", "Too many tries in a short time. Wait a few minutes."),
    500: ("Something went wrong", "The error has been logged. Nothing you sent was half-saved."),
    503: ("Busy", "The server is busy right now. Try again in a few seconds."),
}


def render_error(
    code: int, detail: str | None = None, link: tuple[str, str] | None = None
) -> tuple[str, int]:
    """Render the error page for a status code (with a way on, when there is one)."""
    title, message = MESSAGES.get(code, (f"Error {code}", "The request failed."))
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=detail or message, link=link
        ),
        code,
    )


def without_the_database() -> None:
    """Let the error page find out who is logged in without the database: if the loader did
    not get to run, the page shows the menu of someone logged out."""
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()


def init_app(app: Flask) -> None:
    """Register the handlers, and the retry of requests whose connection was killed."""
    reconnect.init_app(app)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Any:
        return render_error(400, "The form expired or was not sent from this site. Try again.")

    @app.errorhandler(StaleDataError)
    def _stale(error: StaleDataError) -> Any:
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(PoolTimeout)
    def _pool_timeout(error: PoolTimeout) -> Any:
        db.session.rollback()
        without_the_database()  # it must not wait for the pool again
        body, code = render_error(503)
        return body, code, {"Retry-After": "5"}

    @app.errorhandler(DBAPIError)
    def _dropped(error: DBAPIError) -> Any:
        if not reconnect.dropped_connection(error):
            raise error
        return reconnect.answer_dropped(error)

    @app.errorhandler(OperationalError)
    def _operational(error: OperationalError) -> Any:
        if reconnect.dropped_connection(error):  # a killed connection (PostgreSQL)
            return reconnect.answer_dropped(error)
        # SQLite's busy timeout ran out under a burst of writes: ask the client to retry.
        db.session.rollback()
        if "database is locked" not in str(error.orig):
            raise error
        without_the_database()  # a POST's first read begins with the lock it could not get
        body, code = render_error(503)
        return body, code, {"Retry-After": "2"}

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Any:
        if error.code is None or error.code >= 500:
            db.session.rollback()
        code = error.code or 500
        body, code = render_error(
            code, getattr(error, "user_message", None), getattr(error, "user_link", None)
        )
        retry = getattr(error, "retry_after", None)
        return body, code, ({"Retry-After": str(retry)} if retry else {})

    @app.errorhandler(500)
    def _server_error(error: Exception) -> Any:
        # Reached for unhandled exceptions too (Flask logs them); tests see them raised.
        db.session.rollback()
        return render_error(500)
