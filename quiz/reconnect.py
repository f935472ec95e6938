"""A request whose database connection was killed (a restarted server, a failover, an admin's
pg_terminate_backend) is run again once when it had changed nothing; otherwise it gets a 503
with Retry-After, never a 500.

The retry is a whole new run of the request at the WSGI level, with its body kept: a fresh
request context, session and connection (the pool's pre-ping replaces the dead ones). A GET
only reads, so it may always run again. A POST runs again only if it had sent no statement
that writes: the server rolls back what a killed connection had not committed, so nothing of
it was kept; once it has written (perhaps committed), only the client may decide to resend.
"""

from __future__ import annotations

import io
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, has_request_context, request
from sqlalchemy.exc import DBAPIError

from quiz.extensions import db

ATTEMPT = "quiz.attempt"  # in the WSGI environ: 1 for the first run, 2 for the retry
WROTE = "quiz_request_wrote"  # on flask.g: the request sent a statement that writes
RETRY_HEADER = "X-Quiz-Retry"  # from the error handler to the middleware only, never sent
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_S = 2


def dropped_connection(error: BaseException) -> bool:
    """Whether a database error means the connection itself was lost."""
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def may_retry() -> bool:
    """Whether the current request, on its first run, changed nothing yet."""
    if request.environ.get(ATTEMPT) != 1:
        return False
    return request.method in READ_METHODS or not g.get(WROTE, False)


def answer_dropped(error: DBAPIError) -> Any:
    """The response to a lost connection: a marker asking the middleware to run the request
    again, or a 503 with Retry-After."""
    from quiz.errors import render_error, without_the_database

    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()
    if may_retry():
        return "", 503, {RETRY_HEADER: "1"}
    without_the_database()
    body, code = render_error(
        503, "The connection to the database was lost. Nothing was saved: try again."
    )
    return body, code, {"Retry-After": str(RETRY_AFTER_S)}


def _recorder(started: list[Any]) -> Any:
    """A start_response that keeps what it is given, for the middleware to send or drop."""

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started[:] = [status, headers, exc_info]
        return lambda _data: None  # the write() callable; Flask never uses it

    return start


class RetryDropped:
    """WSGI middleware that runs a request a second time when the app asks (RETRY_HEADER)."""

    def __init__(self, wsgi_app: Any, config: dict[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.config = config

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = self._kept_body(environ)
        if body is None:  # a body we did not keep cannot be sent twice
            environ[ATTEMPT] = 2
            return self.wsgi_app(environ, start_response)
        for attempt in (1, 2):
            run = dict(environ)  # werkzeug caches the parsed request in the environ
            run["wsgi.input"] = io.BytesIO(body)
            run[ATTEMPT] = attempt
            started: list[Any] = []
            result = self.wsgi_app(run, _recorder(started))
            status, headers, exc_info = started
            if attempt == 1 and any(name == RETRY_HEADER for name, _value in headers):
                if hasattr(result, "close"):
                    result.close()
                continue
            start_response(status, headers, exc_info)
            return result
        raise AssertionError("unreachable: the second run never asks again")

    def _kept_body(self, environ: dict[str, Any]) -> bytes | None:
        """The request body, read whole so that it can be sent twice; None when too large or
        of unknown length (then there is no retry)."""
        raw = environ.get("CONTENT_LENGTH") or "0"
        length = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else -1
        limit = self.config.get("MAX_CONTENT_LENGTH") or 0
        if length < 0 or (limit and length > limit) or environ.get("HTTP_TRANSFER_ENCODING"):
            return None
        if length == 0:
            return b""
        body = environ["wsgi.input"].read(length)
        return body if len(body) == length else None


def init_app(app: Flask) -> None:
    """Note each request's writes on PostgreSQL, and wrap the app in the retry middleware."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "postgresql":

        @sa.event.listens_for(engine, "before_cursor_execute")
        def _note_request_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if has_request_context() and not statement.lstrip()[:6].upper().startswith(
                ("SELECT", "WITH")
            ):
                setattr(g, WROTE, True)

    app.wsgi_app = RetryDropped(app.wsgi_app, app.config)  # type: ignore[method-assign]
