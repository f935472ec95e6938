"""Accounts, classes and links made from launches and rosters: (issuer, sub) is a person,
an LMS course is a class, a resource link opens one assignment."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.classes.access import unused_code
from quiz.lti.claims import Launch, assignment_id_of
from quiz.models import (
    Assignment,
    Classroom,
    Enrollment,
    LtiContext,
    LtiIdentity,
    LtiLink,
    LtiPlatform,
    Role,
    User,
    normalize_name,
)

# No password matches this: an LTI account signs in through its LMS until given a password
# by the reset flow (werkzeug's check refuses a hash without its "method$salt$" parts).
NO_PASSWORD = "!lti-no-password"  # noqa: S105 - a marker, not a secret


class LaunchRefused(Exception):
    """The launch is valid but names something this app will not do; shown as a 4xx."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _free_username(session: Session, wanted: str, sub_hash: str) -> str:
    """A username nobody has: the LMS name cleaned, else one made from the sub."""
    base = re.sub(r"[^\w.-]+", "_", wanted).strip("_.-")[:28] or f"lti_{sub_hash[:8]}"
    for candidate in (base, f"{base}_{sub_hash[:6]}", f"lti_{sub_hash[:16]}"):
        taken = session.scalar(
            sa.select(User.id).where(User.username_key == normalize_name(candidate))
        )
        if taken is None:
            return candidate
    return f"lti_{sub_hash[:32]}"


def _free_email(session: Session, email: str, sub_hash: str) -> str:
    """The LMS e-mail when no account has it yet; otherwise a placeholder that cannot receive.

    An existing account is never taken over by e-mail: only (issuer, sub) identifies."""
    usable = bool(email) and "@" in email and len(email) <= 254
    if usable and session.scalar(sa.select(User.id).where(User.email == email.lower())) is None:
        return email.lower()
    return f"lti-{sub_hash[:32]}@lti.invalid"


def user_for(
    session: Session,
    platform: LtiPlatform,
    issuer: str,
    sub: str,
    name: str,
    email: str,
    teaching: bool,
) -> User:
    """The account of (issuer, sub), made on first sight; a teaching role makes it a teacher."""
    identity = session.scalar(
        sa.select(LtiIdentity).where(LtiIdentity.issuer == issuer, LtiIdentity.sub == sub)
    )
    if identity is not None:
        user = session.get(User, identity.user_id)
        if user is None:  # cannot be: the identity goes with its account
            raise LaunchRefused("This account is gone.", 409)
        if teaching and user.role == Role.STUDENT:
            user.role = Role.TEACHER.value
        return user
    sub_hash = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()
    user = User(
        email=_free_email(session, email, sub_hash),
        password_hash=NO_PASSWORD,
        role=(Role.TEACHER if teaching else Role.STUDENT).value,
    )
    user.set_username(_free_username(session, name, sub_hash))
    session.add(user)
    session.flush()
    session.add(LtiIdentity(platform_id=platform.id, issuer=issuer, sub=sub, user_id=user.id))
    return user


def context_for(
    session: Session, platform: LtiPlatform, launch: Launch, user: User
) -> LtiContext | None:
    """The class of the launch's course: made by the first teaching launch, found after.

    None when the course has no class yet and the launch does not teach."""
    if not launch.context_id:
        raise LaunchRefused("The launch names no course (context), so there is no class.", 400)
    context = session.scalar(
        sa.select(LtiContext).where(
            LtiContext.platform_id == platform.id, LtiContext.context_id == launch.context_id
        )
    )
    if context is None:
        if not launch.teaching:
            return None
        title = (launch.context_title or "LMS course")[:120]
        classroom = Classroom(teacher_id=user.id, name=title, join_code=unused_code(session))
        session.add(classroom)
        session.flush()
        context = LtiContext(
            platform_id=platform.id,
            deployment_id=launch.deployment_id,
            context_id=launch.context_id,
            title=title,
            classroom_id=classroom.id,
        )
        session.add(context)
    if launch.memberships_url:
        context.memberships_url = launch.memberships_url
    session.flush()
    return context


def enroll(session: Session, classroom_id: int, user_id: int) -> bool:
    """Put a student in the class; False when already there."""
    if session.get(Enrollment, (classroom_id, user_id)) is not None:
        return False
    session.add(Enrollment(classroom_id=classroom_id, user_id=user_id))
    return True


def link_for(session: Session, context: LtiContext, launch: Launch) -> LtiLink | None:
    """The assignment a resource link opens: fixed at its first launch by the deep-linked
    custom parameter, which must name an assignment of this course's class."""
    if not launch.resource_link_id:
        return None
    link = session.scalar(
        sa.select(LtiLink).where(
            LtiLink.context_id == context.id,
            LtiLink.resource_link_id == launch.resource_link_id,
        )
    )
    if link is None:
        wanted = assignment_id_of(launch.custom)
        if wanted is None:
            return None
        assignment = session.get(Assignment, wanted)
        if assignment is None or assignment.classroom_id != context.classroom_id:
            raise LaunchRefused("This link points at an assignment of another class.")
        link = LtiLink(
            context_id=context.id,
            resource_link_id=launch.resource_link_id,
            assignment_id=assignment.id,
        )
        session.add(link)
    # The platform may move a link's column (a copied course): the latest launch wins.
    if launch.lineitem:
        link.lineitem_url = launch.lineitem[:500]
        link.scopes = list(launch.ags_scopes)
    session.flush()
    return link
