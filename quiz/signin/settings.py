"""Site settings kept in the database: whether anyone may register with a password."""

from __future__ import annotations

import sqlalchemy as sa

from quiz.auth.limiter import AnySession
from quiz.models import OidcProvider, SiteSetting

PASSWORD_REGISTRATION = "password_registration"  # noqa: S105 - a setting's key


def registration_open(session: AnySession) -> bool:
    """Whether the register page takes new password accounts (on unless an admin said off)."""
    value = session.scalar(
        sa.select(SiteSetting.value).where(SiteSetting.key == PASSWORD_REGISTRATION)
    )
    return value != "off"


def set_registration_open(session: AnySession, is_open: bool) -> None:
    """Turn password registration on or off (the caller commits)."""
    row = session.get(SiteSetting, PASSWORD_REGISTRATION)
    value = "on" if is_open else "off"
    if row is None:
        session.add(SiteSetting(key=PASSWORD_REGISTRATION, value=value))
    else:
        row.value = value


def login_providers(session: AnySession) -> list[tuple[str, str]]:
    """(slug, label) of every provider, for the login page's "Sign in with ..." buttons."""
    rows = session.execute(
        sa.select(OidcProvider.slug, OidcProvider.label).order_by(OidcProvider.label)
    )
    return [(slug, label) for slug, label in rows]
