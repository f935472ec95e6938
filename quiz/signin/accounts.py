"""Who a provider's sign-in is here: a linked account, a new one, or one to prove first.

A matching e-mail alone never hands over an account, unless the admin marked the provider's
e-mails as verified and the ID token says this one is (`email_verified`): anyone can put any
address into some providers' profiles.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from quiz.auth.limiter import AnySession
from quiz.models import OidcIdentity, OidcProvider, Role, User, normalize_name

NO_PASSWORD = "!"  # noqa: S105 - no scheme's hash: no password ever matches it
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Identity:
    """What a checked ID token says about its person."""

    provider_id: int
    subject: str
    email: str | None
    email_verified: bool
    name: str

    def as_session(self) -> dict[str, Any]:
        """For the session while the person proves an existing account's password."""
        return {
            "provider_id": self.provider_id,
            "subject": self.subject,
            "email": self.email,
            "email_verified": self.email_verified,
            "name": self.name,
        }


def identity_from(provider: OidcProvider, claims: dict[str, Any]) -> Identity:
    """The identity in an ID token's (or userinfo's) claims; ValueError without a subject."""
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > 255:
        raise ValueError("the provider sent no usable subject")
    email = claims.get("email")
    email = normalize_name(email) if isinstance(email, str) and "@" in email else None
    name = claims.get("preferred_username") or claims.get("name") or (email or "").split("@")[0]
    return Identity(
        provider_id=provider.id,
        subject=subject,
        email=email if email and len(email) <= 254 else None,
        email_verified=claims.get("email_verified") is True,
        name=str(name or "user"),
    )


def identity_from_session(data: Any) -> Identity | None:
    """The pending identity kept in the session, or None when there is none (or it is odd)."""
    if not isinstance(data, dict):
        return None
    try:
        return Identity(
            provider_id=int(data["provider_id"]),
            subject=str(data["subject"]),
            email=data.get("email"),
            email_verified=bool(data.get("email_verified")),
            name=str(data.get("name") or "user"),
        )
    except (KeyError, TypeError, ValueError):
        return None


def linked_user(session: AnySession, identity: Identity) -> User | None:
    """The account this provider's subject is linked to already."""
    return session.scalar(
        sa.select(User)
        .join(OidcIdentity, OidcIdentity.user_id == User.id)
        .where(
            OidcIdentity.provider_id == identity.provider_id,
            OidcIdentity.subject == identity.subject,
        )
    )


def same_email_user(session: AnySession, identity: Identity) -> User | None:
    """An existing account with the identity's e-mail."""
    if identity.email is None:
        return None
    return session.scalar(sa.select(User).where(User.email == identity.email))


def may_link_by_email(provider: OidcProvider, identity: Identity) -> bool:
    """Whether the e-mail alone proves the account: the admin trusts the provider's e-mails and
    the token says this address was verified."""
    return provider.emails_verified and identity.email_verified


def link(session: AnySession, identity: Identity, user: User) -> None:
    """Link the provider's subject to the account (the caller commits)."""
    session.add(
        OidcIdentity(provider_id=identity.provider_id, subject=identity.subject, user_id=user.id)
    )


def free_username(session: AnySession, wanted: str) -> str:
    """A username like `wanted` that nobody has (letters, digits, . _ - only)."""
    base = _NOT_NAME.sub("", wanted)[:30] or "user"
    if len(base) < 3:
        base = f"{base}-user"
    candidates = [base] + [f"{base}{secrets.randbelow(10**6)}" for _ in range(10)]
    for name in candidates:
        taken = session.scalar(sa.select(User.id).where(User.username_key == normalize_name(name)))
        if taken is None:
            return name
    return f"user-{secrets.token_hex(8)}"


def create_user(session: AnySession, identity: Identity, timezone: str = "UTC") -> User:
    """A new student account for the identity, with no password, linked to it."""
    email = identity.email
    if email is None or same_email_user(session, identity) is not None:
        # The e-mail column is unique and required; an address nobody receives stands in.
        email = f"{secrets.token_hex(8)}@signin.invalid"
    user = User(email=email, role=Role.STUDENT.value, password_hash=NO_PASSWORD)
    user.set_username(free_username(session, identity.name))
    user.timezone = timezone
    session.add(user)
    session.flush()
    link(session, identity, user)
    return user
