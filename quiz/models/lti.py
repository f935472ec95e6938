"""LTI 1.3: the tool's keys, the platforms it trusts, launch state, who and what a platform
named, and the scores owed to its gradebook."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class LtiKey(Base):
    """One of the tool's RSA keys: the newest signs, retired ones stay published a while."""

    __tablename__ = "lti_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The private key's PEM, encrypted with a key derived from the app's SECRET_KEY.
    private_encrypted: Mapped[str] = mapped_column(sa.Text)
    public_pem: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Set by a rotation: the key stops signing then, and leaves the JWKS some days later.
    retired_at: Mapped[datetime | None]


class LtiPlatform(Base):
    """An LMS registration: an issuer and the client id it gave this tool."""

    __tablename__ = "lti_platform"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    issuer: Mapped[str] = mapped_column(sa.String(255))
    client_id: Mapped[str] = mapped_column(sa.String(255))
    # One deployment id a line; a launch naming another one is refused.
    deployment_ids: Mapped[str] = mapped_column(sa.Text, default="")
    auth_login_url: Mapped[str] = mapped_column(sa.String(500))
    auth_token_url: Mapped[str] = mapped_column(sa.String(500))
    auth_audience: Mapped[str | None] = mapped_column(sa.String(500))
    key_set_url: Mapped[str | None] = mapped_column(sa.String(500))
    # A pasted JWKS, for a platform whose keyset URL this server cannot reach.
    key_set: Mapped[Any | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("issuer", "client_id"),)

    def deployments(self) -> list[str]:
        """The deployment ids, one a line, blanks dropped."""
        return [line.strip() for line in self.deployment_ids.splitlines() if line.strip()]


class LtiState(Base):
    """A key/value row with an expiry: nonces, OIDC state, launch data, access tokens.

    Every worker reads the same rows, so a login started on one finishes on another."""

    __tablename__ = "lti_state"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)


class LtiIdentity(Base):
    """A platform's user (issuer, sub) and the account it signs in as here."""

    __tablename__ = "lti_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platform.id", ondelete="CASCADE"))
    issuer: Mapped[str] = mapped_column(sa.String(255))
    sub: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("issuer", "sub"),)


class LtiContext(Base):
    """An LMS course (context) and the class it became here."""

    __tablename__ = "lti_context"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_platform.id", ondelete="CASCADE"))
    deployment_id: Mapped[str] = mapped_column(sa.String(255))
    context_id: Mapped[str] = mapped_column(sa.String(255))
    title: Mapped[str] = mapped_column(sa.String(255), default="")
    classroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("classroom.id", ondelete="CASCADE"), index=True
    )
    # The NRPS endpoint from the latest launch, for "sync roster".
    memberships_url: Mapped[str | None] = mapped_column(sa.String(500))
    synced_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("platform_id", "context_id"),)


class LtiLink(Base):
    """A resource link in an LMS course, the assignment it opens and its gradebook column."""

    __tablename__ = "lti_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_context.id", ondelete="CASCADE"))
    resource_link_id: Mapped[str] = mapped_column(sa.String(255))
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignment.id", ondelete="CASCADE"), index=True
    )
    lineitem_url: Mapped[str | None] = mapped_column(sa.String(500))
    # The AGS scopes the platform granted at the latest launch.
    scopes: Mapped[Any] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("context_id", "resource_link_id"),)


class LtiScore(Base):
    """A handed-in attempt's score owed to one line item; sent once, retried with backoff."""

    __tablename__ = "lti_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id", ondelete="CASCADE"))
    link_id: Mapped[int] = mapped_column(sa.ForeignKey("lti_link.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    score_given: Mapped[float]
    score_maximum: Mapped[float]
    finished_at: Mapped[datetime]
    # pending (not yet tried or to retry), sent, failed (gave up after the last try).
    status: Mapped[str] = mapped_column(sa.String(8), default="pending", index=True)
    tries: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "link_id"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
    )
