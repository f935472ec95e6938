"""Security headers on every response, and the request checks every view relies on."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.exceptions import BadRequest

from quiz.inputs import DB_INT_MAX, bounded_int, first_with_control

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Pages that show or take credentials must not be kept in any cache (Moodle MSA-25-0030).
NO_STORE_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.register",
        "auth.account",
        "auth.forgot",
        "auth.reset",
        "auth.reset_link",
        "auth.my_data",
        "auth.delete_account",
    }
)


class ControlCharacter(BadRequest):
    """A form field or query parameter held a control character (NUL and the like)."""

    def __init__(self, field: str) -> None:
        super().__init__()
        shown = field if field.isprintable() else "a field"
        self.user_message = (
            f"The form sent a control character (such as NUL) in “{shown[:40]}”. "
            "Remove it and try again."
        )


def refuse_control_characters() -> None:
    """Refuse any query or form value (or name) holding a control character, with a 400."""
    field = first_with_control(request.args.items(multi=True))
    if field is None and request.method not in ("GET", "HEAD", "OPTIONS"):
        field = first_with_control(request.form.items(multi=True))
    if field is not None:
        raise ControlCharacter(field)


def posted_int(name: str, low: int = 1, high: int = DB_INT_MAX) -> int:
    """An integer from the posted form, within [low, high]; 400 otherwise."""
    value = bounded_int(request.form.get(name, ""), low, high)
    if value is None:
        abort(400)
    return value


def init_app(app: Flask) -> None:
    """Register the request check and the header hook."""
    app.before_request(refuse_control_characters)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint in NO_STORE_ENDPOINTS or response.status_code >= 400:
            headers["Cache-Control"] = "no-store"
        return response
