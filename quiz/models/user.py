"""Accounts and the failed-login log behind the login limiter."""

from __future__ import annotations

import enum
import secrets
import unicodedata
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from quiz.models.base import Base
from quiz.password_hashing import make_hash
from quiz.timeutil import now_utc


class Role(enum.StrEnum):
    """What a user may do: students study, teachers author and run classes, admins manage."""

    STUDENT = "student"
    TEACHER = "teacher"
    ADMIN = "admin"


def normalize_name(value: str) -> str:
    """The form of a username or email that uniqueness is checked on (CVE-2020-7245)."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def new_session_token() -> str:
    """A fresh random token; Flask-Login stores it instead of the user id."""
    return secrets.token_urlsafe(32)


class User(UserMixin, Base):
    """A person with an account."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40))
    username_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.STUDENT.value)
    session_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_session_token
    )
    active: Mapped[bool] = mapped_column(default=True)
    desired_retention: Mapped[float] = mapped_column(default=0.9)
    new_per_day: Mapped[int] = mapped_column(default=20)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    # How a date typed in numbers only ("06/05") is read: day first, or month first (US).
    date_order: Mapped[str] = mapped_column(
        sa.String(11), default="day_first", server_default="day_first"
    )
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        sa.CheckConstraint("role IN ('student', 'teacher', 'admin')", name="role"),
        sa.CheckConstraint("desired_retention BETWEEN 0.7 AND 0.97", name="retention"),
        sa.CheckConstraint("date_order IN ('day_first', 'month_first')", name="date_order"),
    )

    def get_id(self) -> str:
        """The rotating session token, so logout and password change end other sessions."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        """Deactivated users are logged out on their next request."""
        return self.active

    def set_username(self, value: str) -> None:
        """Store the display name and its normalized key."""
        self.username = value.strip()
        self.username_key = normalize_name(value)

    def set_password(self, password: str, method: str) -> None:
        """Hash and store a new password."""
        self.password_hash = make_hash(password, method)

    def rotate_session(self) -> None:
        """Invalidate every session and remember cookie issued so far."""
        self.session_token = new_session_token()

    @property
    def is_teacher(self) -> bool:
        """Teachers and admins may author sets and run classes."""
        return self.role in (Role.TEACHER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """Admins manage accounts."""
        return self.role == Role.ADMIN


class LoginFailure(Base):
    """One failed login, counted per account and per address across all workers."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    username_key: Mapped[str] = mapped_column(sa.String(254), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(default=now_utc, index=True)


class AuthEvent(Base):
    """One rate-limited account action other than a password check (a registration, a reset
    e-mail), counted per address and per account across all workers."""

    __tablename__ = "auth_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    key: Mapped[str] = mapped_column(sa.String(254), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=now_utc, index=True)
