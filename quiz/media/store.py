"""Reading and writing a set's media: the reads return a Select, the writes take a session."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.markup import MediaMap, MediaRef
from quiz.media.checks import Checked, MediaRefused, media_name
from quiz.models import MediaFile, SetMedia

MAX_NAME_TRIES = 100


def set_files(set_id: int) -> sa.Select[tuple[SetMedia, MediaFile]]:
    """A set's files with their stored file (not its bytes), by name."""
    return (
        sa.select(SetMedia, MediaFile)
        .join(MediaFile, MediaFile.sha256 == SetMedia.sha256)
        .where(SetMedia.set_id == set_id)
        .order_by(SetMedia.name)
    )


def served_file(set_id: int, sha256: str) -> sa.Select[tuple[MediaFile]]:
    """The file with this hash, only when it is placed in this set (with its bytes)."""
    placed = sa.select(SetMedia.id).where(SetMedia.set_id == set_id, SetMedia.sha256 == sha256)
    return (
        sa.select(MediaFile)
        .where(MediaFile.sha256 == sha256, placed.exists())
        .options(sa.orm.undefer(MediaFile.data))
    )


def quota_used(session: Session, user_id: int) -> int:
    """Bytes of the distinct files the user uploaded (a file in two sets counts once)."""
    mine = sa.select(SetMedia.sha256).where(SetMedia.uploaded_by == user_id).distinct()
    total = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(MediaFile.size), 0)).where(
            MediaFile.sha256.in_(mine)
        )
    )
    return int(total or 0)


def _free_name(session: Session, set_id: int, wanted: str) -> str:
    """The wanted name, or the first `stem-2.ext`, `stem-3.ext` ... not yet used in the set."""
    taken = set(session.scalars(sa.select(SetMedia.name).where(SetMedia.set_id == set_id)))
    stem, _, ext = wanted.rpartition(".")
    for n in range(1, MAX_NAME_TRIES):
        name = wanted if n == 1 else f"{stem}-{n}.{ext}"
        if name not in taken:
            return name
    raise MediaRefused("This set has too many files of that name; rename the file.")


def add_file(
    session: Session,
    *,
    set_id: int,
    user_id: int,
    checked: Checked,
    filename: str,
    alt: str,
    transcript: str,
    decorative: bool,
    quota: int,
) -> SetMedia:
    """Store the file once by its hash and place it in the set under a free name; a file over
    the uploader's quota is a MediaRefused and nothing is added."""
    sha = hashlib.sha256(checked.data).hexdigest()
    stored = session.get(MediaFile, sha)
    mine = session.scalar(
        sa.select(SetMedia.id).where(SetMedia.uploaded_by == user_id, SetMedia.sha256 == sha)
    )
    if mine is None:
        used = quota_used(session, user_id)
        if used + len(checked.data) > quota:
            mib = 1024 * 1024
            raise MediaRefused(
                f"Your files would take {(used + len(checked.data)) / mib:.1f} MiB, over your "
                f"quota of {quota / mib:.0f} MiB. Delete files you no longer use first."
            )
    if stored is None:
        stored = MediaFile(
            sha256=sha,
            mime=checked.mime,
            size=len(checked.data),
            width=checked.width,
            height=checked.height,
            data=checked.data,
        )
        session.add(stored)
    link = SetMedia(
        set_id=set_id,
        sha256=sha,
        name=_free_name(session, set_id, media_name(filename, checked.extension)),
        alt="" if decorative else alt.strip(),
        transcript=transcript.strip(),
        decorative=decorative,
        uploaded_by=user_id,
    )
    session.add(link)
    return link


def remove_file(session: Session, link: SetMedia) -> None:
    """Take the file out of the set; the bytes go when no set uses them any more."""
    sha = link.sha256
    session.delete(link)
    session.flush()
    if session.scalar(sa.select(SetMedia.id).where(SetMedia.sha256 == sha).limit(1)) is None:
        session.execute(sa.delete(MediaFile).where(MediaFile.sha256 == sha))


def media_map_query(set_ids: Iterable[int]) -> sa.Select[tuple[SetMedia, MediaFile]]:
    """The files of the sets a page shows, for Markdown's `media:NAME`: one statement."""
    return (
        sa.select(SetMedia, MediaFile)
        .join(MediaFile, MediaFile.sha256 == SetMedia.sha256)
        .where(SetMedia.set_id.in_(sorted(set(set_ids))))
        .order_by(SetMedia.set_id, SetMedia.id)
    )


def as_media_map(
    rows: Iterable[tuple[SetMedia, MediaFile]], url_for_file: Callable[[int, str], str]
) -> MediaMap:
    """The rows as Markdown's MediaMap; on a page showing two sets, the first set's name wins."""
    seen: dict[str, MediaRef] = {}
    for link, stored in rows:
        if link.name in seen:
            continue
        seen[link.name] = MediaRef(
            name=link.name,
            url=url_for_file(link.set_id, link.sha256),
            is_image=stored.mime.startswith("image/"),
            alt=link.alt,
            transcript=link.transcript,
            width=stored.width,
            height=stored.height,
        )
    return tuple(seen.values())


def copy_links(session: Session, from_set: int, to_set: int) -> None:
    """Place a set's files in its copy under the same names (the bytes are not copied)."""
    columns = ("sha256", "name", "alt", "transcript", "decorative", "uploaded_by", "created_at")
    source = sa.select(sa.literal(to_set), *(getattr(SetMedia, name) for name in columns)).where(
        SetMedia.set_id == from_set
    )
    session.execute(sa.insert(SetMedia).from_select(["set_id", *columns], source))


def files_named(set_id: int, names: Iterable[str]) -> sa.Select[tuple[str, bytes]]:
    """The bytes of the set's files of these names (what an export embeds): one statement."""
    return (
        sa.select(SetMedia.name, MediaFile.data)
        .join(MediaFile, MediaFile.sha256 == SetMedia.sha256)
        .where(SetMedia.set_id == set_id, SetMedia.name.in_(sorted(set(names))))
        .order_by(SetMedia.name)
    )
