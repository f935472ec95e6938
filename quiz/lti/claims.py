"""Reading LTI 1.3 claims: roles, context, resource link, services. Pure: no Flask, no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"

# Roles that teach: the LIS context roles (full URI or short) and the institution's ones,
# as Moodle, Canvas, Blackboard and Brightspace send them. TAs and designers author too.
TEACHING = frozenset(
    {
        "Instructor",
        "TeachingAssistant",
        "ContentDeveloper",
        "Administrator",
        "Mentor",
    }
)
BACKOFF_STEPS = (60, 300, 1800, 7200, 21600)  # seconds between tries of a score
MAX_TRIES = len(BACKOFF_STEPS) + 1


def role_name(uri: str) -> str:
    """The last part of a role URI: '...membership#Instructor' and
    '...membership/Instructor#TeachingAssistant' give 'Instructor' and 'TeachingAssistant'."""
    return uri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def is_teaching(roles: Iterable[str]) -> bool:
    """Whether any context role teaches; system and institution roles alone do not."""
    for uri in roles:
        if "/system/" in uri or "/institution/" in uri:
            continue  # an institution's Faculty is not this course's teacher
        if role_name(uri) in TEACHING:
            return True
    return False


@dataclass(frozen=True)
class Launch:
    """What a validated launch says, in the shape this app needs."""

    issuer: str
    client_id: str
    deployment_id: str
    sub: str
    message_type: str
    teaching: bool
    name: str = ""
    email: str = ""
    context_id: str = ""
    context_title: str = ""
    resource_link_id: str = ""
    custom: Mapping[str, str] = field(default_factory=dict)
    lineitem: str = ""
    lineitems: str = ""
    ags_scopes: tuple[str, ...] = ()
    memberships_url: str = ""
    nonce: str = ""
    return_url: str = ""
    document_target: str = ""


def read_launch(body: Mapping[str, Any]) -> Launch:
    """The Launch a validated id_token body describes (missing claims read as empty)."""
    aud = body.get("aud")
    client_id = aud[0] if isinstance(aud, list) and aud else str(aud or "")
    context = body.get(LTI + "context") or {}
    link = body.get(LTI + "resource_link") or {}
    ags = body.get(AGS_CLAIM) or {}
    nrps = body.get(NRPS_CLAIM) or {}
    presentation = body.get(LTI + "launch_presentation") or {}
    custom = body.get(LTI + "custom") or {}
    name = body.get("name") or " ".join(
        part for part in (body.get("given_name"), body.get("family_name")) if part
    )
    return Launch(
        issuer=str(body.get("iss", "")),
        client_id=str(body.get("azp") or client_id),
        deployment_id=str(body.get(LTI + "deployment_id", "")),
        sub=str(body.get("sub", "")),
        message_type=str(body.get(LTI + "message_type", "")),
        teaching=is_teaching(body.get(LTI + "roles") or []),
        name=str(name or ""),
        email=str(body.get("email") or ""),
        context_id=str(context.get("id") or ""),
        context_title=str(context.get("title") or context.get("label") or ""),
        resource_link_id=str(link.get("id") or ""),
        custom={str(k): str(v) for k, v in custom.items()} if isinstance(custom, dict) else {},
        lineitem=str(ags.get("lineitem") or ""),
        lineitems=str(ags.get("lineitems") or ""),
        ags_scopes=tuple(str(s) for s in ags.get("scope") or ()),
        memberships_url=str(nrps.get("context_memberships_url") or ""),
        nonce=str(body.get("nonce") or ""),
        return_url=str(presentation.get("return_url") or ""),
        document_target=str(presentation.get("document_target") or ""),
    )


def retry_delay(tries: int) -> timedelta:
    """How long to wait after the n-th failed try of a score (n from 1)."""
    return timedelta(seconds=BACKOFF_STEPS[min(tries, len(BACKOFF_STEPS)) - 1])


def score_values(fraction: float, points: float) -> tuple[float, float]:
    """(scoreGiven, scoreMaximum) for an attempt's fraction right of an assignment's points;
    a zero-point assignment still reports out of 1 (AGS wants scoreMaximum > 0)."""
    maximum = points if points > 0 else 1.0
    given = round(max(0.0, min(1.0, fraction)) * maximum, 4)
    return given, maximum


def assignment_id_of(custom: Mapping[str, str]) -> int | None:
    """The assignment a deep-linked resource names in its custom parameters."""
    raw = custom.get("assignment_id", "")
    if not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 0 < value < 2**31 else None
