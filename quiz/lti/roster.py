"""Roster sync (LTI NRPS): the course's learners become the class's students."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from pylti1p3.names_roles import NamesRolesProvisioningService
from sqlalchemy.orm import Session

from quiz.lti import keys, storage
from quiz.lti.claims import is_teaching
from quiz.lti.provisioning import enroll, user_for
from quiz.lti.toolconf import registration_for
from quiz.models import Enrollment, LtiContext, LtiIdentity, LtiPlatform
from quiz.timeutil import now_utc

GONE = frozenset({"Inactive", "Deleted"})


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    added: int
    kept: int
    removed: int
    teachers_skipped: int


def sync(session: Session, context: LtiContext, secret: str | bytes) -> SyncReport:
    """Fetch every page of the course's memberships and bring the class in line; commits.

    Learners get an account (by issuer and sub) and a place in the class; members the LMS
    marks inactive or deleted leave it. Teachers get their account when they launch."""
    platform = session.get(LtiPlatform, context.platform_id)
    if platform is None or not context.memberships_url:
        raise ValueError("The LMS has not offered a roster for this course (no NRPS link).")
    key = keys.current_key(session, secret)
    registration = registration_for(platform, keys.private_pem(key, secret), key.public_pem)
    connector = storage.DatabaseServiceConnector(registration, storage.http_session())
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": context.memberships_url}
    )
    members = service.get_members()
    added = kept = removed = skipped = 0
    for member in members:
        sub = str(member.get("user_id") or "")
        if not sub:
            continue
        if is_teaching(member.get("roles") or []):
            skipped += 1
            continue
        if member.get("status") in GONE:
            user_id = session.scalar(
                sa.select(LtiIdentity.user_id).where(
                    LtiIdentity.issuer == platform.issuer, LtiIdentity.sub == sub
                )
            )
            if user_id is not None:
                removed += session.execute(
                    sa.delete(Enrollment).where(
                        Enrollment.classroom_id == context.classroom_id,
                        Enrollment.user_id == user_id,
                    )
                ).rowcount  # type: ignore[attr-defined]
            continue
        user = user_for(
            session,
            platform,
            platform.issuer,
            sub,
            str(member.get("name") or ""),
            str(member.get("email") or ""),
            teaching=False,
        )
        if enroll(session, context.classroom_id, user.id):
            added += 1
        else:
            kept += 1
    context.synced_at = now_utc()
    session.commit()
    return SyncReport(added, kept, removed, skipped)
