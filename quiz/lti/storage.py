"""Where pylti1p3 keeps launch state (nonces, OIDC state, launch data, access tokens): the
lti_state table, which every worker and server shares."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import requests
import sqlalchemy as sa
from pylti1p3.contrib.flask import FlaskCacheDataStorage
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quiz.extensions import db
from quiz.models import LtiState
from quiz.timeutil import now_utc

# A nonce seen in a launch is remembered past the longest id_token lifetime a platform uses.
USED_NONCE_KEPT = timedelta(hours=2)
HTTP_TIMEOUT_S = 10


class Replayed(Exception):
    """The id_token's nonce was used by an earlier launch."""


class DatabaseCache:
    """The cache interface pylti1p3's CacheDataStorage calls: get and set with an expiry."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> Any:
        """The value under the key, or None when absent or expired."""
        row = self.session.get(LtiState, key[:255])
        if row is None or (row.expires_at is not None and row.expires_at <= now_utc()):
            return None
        return row.value

    def set(self, key: str, value: Any, exp: int | None = None) -> None:
        """Store the value (flushed; the request commits it) for `exp` seconds, or for good."""
        expires = now_utc() + timedelta(seconds=exp) if exp else None
        self.session.merge(LtiState(key=key[:255], value=value, expires_at=expires))
        self.session.flush()


def launch_storage() -> FlaskCacheDataStorage:
    """pylti1p3's storage, over the shared table."""
    return FlaskCacheDataStorage(DatabaseCache(db.session))


def forget_expired(session: Session, now: datetime | None = None) -> int:
    """Delete expired state rows; returns how many (one statement)."""
    result = session.execute(sa.delete(LtiState).where(LtiState.expires_at < (now or now_utc())))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def use_nonce(session: Session, issuer: str, nonce: str) -> None:
    """Record the launch's nonce once; a second launch with it raises Replayed.

    pylti1p3 accepts a reposted launch (a page reload) by its state; a replay here means
    somebody re-sends a captured id_token, so it is refused before anything is created.
    """
    key = f"used-nonce-{issuer}-{nonce}"[:255]
    if session.get(LtiState, key) is not None:
        raise Replayed(nonce)
    try:
        with session.begin_nested():
            session.add(LtiState(key=key, value=True, expires_at=now_utc() + USED_NONCE_KEPT))
    except IntegrityError as error:  # a second worker raced the same token in
        raise Replayed(nonce) from error


class TimeoutSession(requests.Session):
    """requests with a default timeout: pylti1p3 sets none, and a platform may hang."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", HTTP_TIMEOUT_S)
        return super().request(*args, **kwargs)


def http_session() -> requests.Session:
    """The session every call to a platform goes through."""
    session = TimeoutSession()
    session.headers["User-Agent"] = "quiz-lti-tool"
    return session


class DatabaseServiceConnector(ServiceConnector):
    """Service access tokens cached in the shared table, not in one worker's memory."""

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        value = DatabaseCache(db.session).get(f"token-{scope_key}")
        return value if isinstance(value, str) else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        # A minute's margin: a token that expires during the request is refused by the platform.
        lifetime = int(expires_in) - 60
        if lifetime > 0:
            DatabaseCache(db.session).set(f"token-{scope_key}", access_token, lifetime)
