"""Security headers on every response, and the request checks every view relies on."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, abort, request
from werkzeug.exceptions import BadRequest, SecurityError
from werkzeug.wsgi import get_host

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


SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def framed_headers(ancestors: str) -> tuple[tuple[str, str], ...]:
    """The headers when FRAME_ANCESTORS names the LMSs that may show the site in a frame (LTI):
    CSP's frame-ancestors lists them, and X-Frame-Options (which cannot) is left out."""
    csp = CSP.replace("frame-ancestors 'none'", f"frame-ancestors 'self' {ancestors}")
    return tuple(
        ("Content-Security-Policy", csp) if name == "Content-Security-Policy" else (name, value)
        for name, value in SECURITY_HEADERS
        if name != "X-Frame-Options"
    )


class SecurityHeaders:
    """WSGI middleware adding the security headers a response does not already carry
    (HSTS too while the app's cookies are HTTPS-only).

    At the WSGI level the check is one set of names per response; werkzeug's Headers
    object, in an after_request hook, scanned its list once for each header, and every
    page paid for that.
    """

    def __init__(self, wsgi_app: Any, config: dict[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.config = config
        ancestors = " ".join(str(config.get("FRAME_ANCESTORS") or "").split())
        headers = framed_headers(ancestors) if ancestors else SECURITY_HEADERS
        self.plain = tuple((name.lower(), name, value) for name, value in headers)
        self.secure = (*self.plain, (HSTS[0].lower(), *HSTS))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        wanted = self.secure if self.config["SESSION_COOKIE_SECURE"] else self.plain

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            present = {name.lower() for name, _value in headers}
            headers.extend((name, value) for key, name, value in wanted if key not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


UNTRUSTED_HOST_PAGE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Bad request</title>"
    b"<h1>Bad request</h1><p>This site is not served under that host name.</p></html>"
)


class TrustedHosts:
    """WSGI middleware answering a plain 400 to a Host header not in TRUSTED_HOSTS.

    Flask refuses such a host only when something reads `request.host`, deep inside a view;
    its error page then has no URL adapter (it is built on the host) and failed as a 500,
    with a traceback logged each time. Here the request never reaches Flask: one warning
    line, and a page that needs no URL.
    """

    def __init__(self, wsgi_app: Any, config: dict[str, Any], logger: logging.Logger) -> None:
        self.wsgi_app = wsgi_app
        self.config = config
        self.logger = logger

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        trusted = self.config.get("TRUSTED_HOSTS")
        if trusted:
            try:
                get_host(environ, trusted)
            except SecurityError:
                # %r: the header is the client's text, kept on one line of the log.
                self.logger.warning(
                    "refused a request for an untrusted host %r: %s %r",
                    environ.get("HTTP_HOST", "")[:200],
                    environ.get("REQUEST_METHOD", ""),
                    environ.get("PATH_INFO", "")[:200],
                )
                start_response(
                    "400 Bad Request",
                    [
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Content-Length", str(len(UNTRUSTED_HOST_PAGE))),
                        ("Cache-Control", "no-store"),
                    ],
                )
                return [UNTRUSTED_HOST_PAGE]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Register the request check, the no-store hook and the header middleware."""
    app.before_request(refuse_control_characters)

    @app.after_request
    def _no_store(response: Response) -> Response:
        if response.status_code >= 400 or request.endpoint in NO_STORE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        return response

    app.wsgi_app = TrustedHosts(app.wsgi_app, app.config, app.logger)  # type: ignore[method-assign]
    app.wsgi_app = SecurityHeaders(app.wsgi_app, app.config)  # type: ignore[method-assign]
