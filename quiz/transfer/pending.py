"""Uploads kept between an import's preview and its confirmation (no Flask here).

The preview stores the bytes it read (text or a binary package) and the options it read them
with under a random token; the confirmation names the token, so it carries a few bytes whatever
the file's size, and it writes exactly what was shown.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, scoped_session

from quiz.models import PendingImport

AnySession = Session | scoped_session[Session]


@dataclass(frozen=True)
class Choices:
    """What the teacher chose on the import page, kept with the text."""

    set_id: int | None
    filename: str
    fmt: str
    title: str
    visibility: str
    retire: bool
    options: dict[str, str] = field(default_factory=dict)  # Quizlet's separators


def digest(content: bytes | str) -> str:
    """The SHA-256 of the bytes (a text's UTF-8 bytes), in hex: what the preview shows and
    confirms."""
    return hashlib.sha256(content.encode() if isinstance(content, str) else content).hexdigest()


def purge_expired(session: AnySession, now: datetime) -> int:
    """Delete every preview past its expiry; how many there were."""
    result = session.execute(
        sa.delete(PendingImport).where(PendingImport.expires_at <= now),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


def store(
    session: AnySession,
    owner_id: int,
    content: bytes,
    choices: Choices,
    now: datetime,
    ttl: timedelta,
    keep: int,
) -> PendingImport:
    """Keep an upload for its confirmation, after deleting expired previews and the owner's
    oldest beyond `keep` (a teacher cannot fill the database with previews). Flushed."""
    purge_expired(session, now)
    newest = (
        sa.select(PendingImport.id)
        .where(PendingImport.owner_id == owner_id)
        .order_by(PendingImport.id.desc())
        .limit(max(keep - 1, 0))
    )
    session.execute(
        sa.delete(PendingImport).where(
            PendingImport.owner_id == owner_id, PendingImport.id.not_in(newest.scalar_subquery())
        ),
        execution_options={"synchronize_session": False},
    )
    pending = PendingImport(
        token=secrets.token_urlsafe(32),
        owner_id=owner_id,
        set_id=choices.set_id,
        filename=choices.filename[:255],
        fmt=choices.fmt,
        title=choices.title[:200],
        visibility=choices.visibility,
        retire=choices.retire,
        content=content,
        options=_options_json(choices.options),
        sha256=digest(content),
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(pending)
    session.flush()
    return pending


def choices_of(pending: PendingImport) -> Choices:
    """The choices a preview was made with."""
    return Choices(
        pending.set_id,
        pending.filename,
        pending.fmt,
        pending.title,
        pending.visibility,
        pending.retire,
        _options(pending.options),
    )


def _options_json(options: dict[str, str]) -> str:
    """The options as JSON for their column (characters, not escapes: two separators of 20
    characters fit); ValueError past the column's size rather than a cut that reads another way."""
    text = json.dumps(options, sort_keys=True, ensure_ascii=False)
    if len(text) > 400:
        raise ValueError("import options too long to keep")
    return text


def _options(raw: str) -> dict[str, str]:
    """The stored options as a dict of strings ({} when unreadable)."""
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def find(session: AnySession, token: str) -> PendingImport | None:
    """The preview a token names, whoever owns it and whether or not it has expired."""
    return session.scalar(sa.select(PendingImport).where(PendingImport.token == token))


def claim(session: AnySession, pending_id: int) -> bool:
    """Delete the preview inside the write's transaction; False when another request already
    did (a double click): that request writes the import, this one nothing."""
    result = session.execute(
        sa.delete(PendingImport).where(PendingImport.id == pending_id),
        execution_options={"synchronize_session": False},
    )
    return bool(getattr(result, "rowcount", 0))
