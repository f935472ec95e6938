"""Sign-in with the school's OpenID Connect providers, and site settings an admin changes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.timeutil import now_utc


class OidcProvider(Base):
    """An OpenID Connect provider the admin configured (Google, Entra ID, Keycloak, ...)."""

    __tablename__ = "oidc_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The URL part and the button's text ("Sign in with <label>").
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80))
    # The issuer; its discovery document is at <issuer>/.well-known/openid-configuration.
    issuer: Mapped[str] = mapped_column(sa.String(500))
    client_id: Mapped[str] = mapped_column(sa.String(200))
    client_secret: Mapped[str] = mapped_column(sa.String(500))
    # Only then does a matching e-mail link a sign-in to an existing account without its password.
    emails_verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class OidcIdentity(Base):
    """A provider's account (its `sub`) linked to an account here."""

    __tablename__ = "oidc_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("oidc_provider.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(sa.String(255))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (sa.UniqueConstraint("provider_id", "subject"),)


class SiteSetting(Base):
    """One setting an admin changes in the app (e.g. password registration on or off)."""

    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200))
