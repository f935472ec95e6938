"""Device cookies (OWASP "Slow down online guessing attacks with device cookies"): a signed
cookie naming the accounts this browser has logged in to, each with a random nonce.

A browser presenting a valid one for an account gets its own failure counter, so an attacker
guessing elsewhere cannot keep the owner out. The cookie is signed with the app's secret key
(itsdangerous), so it cannot be forged; a bad one is ignored.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "quiz-device-cookie"
MAX_ACCOUNTS = 5  # accounts remembered per browser (a family computer)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def _read() -> list[list[object]]:
    raw = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
    if not raw:
        return []
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [pair for pair in value if isinstance(pair, list) and len(pair) == 2]


def trusted_nonce(user_id: int | None) -> str | None:
    """This browser's nonce for the account, if it has logged in to it before."""
    if user_id is None:
        return None
    for owner, nonce in _read():
        if owner == user_id and isinstance(nonce, str):
            return nonce
    return None


def remember(response: Response, user_id: int) -> None:
    """Mark this browser as one the account has logged in from (a fresh nonce each login)."""
    pairs = [pair for pair in _read() if pair[0] != user_id][-(MAX_ACCOUNTS - 1) :]
    pairs.append([user_id, secrets.token_urlsafe(12)])
    config = current_app.config
    response.set_cookie(
        config["DEVICE_COOKIE_NAME"],
        _serializer().dumps(pairs),
        max_age=int(config["DEVICE_COOKIE_MAX_AGE_S"]),
        secure=bool(config["SESSION_COOKIE_SECURE"]),
        httponly=True,
        samesite="Lax",
    )
