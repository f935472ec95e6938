"""An import's pictures and sounds placed in the set it writes, in the import's transaction.

The files were checked when the upload was read (quiz.formats.media_files.check_media); here
each is stored once by its hash and placed in the set: a file the set already holds keeps the
set's name for it, a name the set uses for another file gets the next free one, and the
questions' `media:` names follow. A file over the teacher's quota is a MediaRefused naming
it; the caller rolls the whole import back.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.formats.common import ReadResult
from quiz.formats.media_files import first_alts, rename, used_media
from quiz.media.checks import MediaRefused
from quiz.media.store import add_file
from quiz.models import SetMedia


def place_import_media(
    session: Session, set_id: int, user_id: int, result: ReadResult, quota: int
) -> ReadResult:
    """Store the result's files in the set; the result with its questions' names as stored."""
    result = used_media(result)
    if not result.media:
        return result
    held = dict(
        session.execute(
            sa.select(SetMedia.sha256, SetMedia.name)
            .where(SetMedia.set_id == set_id)
            .order_by(SetMedia.id.desc())  # the first placed wins
        ).all()
    )
    alts = first_alts(result.questions)
    renamed: dict[str, str] = {}
    for blob in result.media:
        if blob.checked is None:
            raise ValueError(f"{blob.name} was not checked (quiz.formats.media_files)")
        sha = hashlib.sha256(blob.checked.data).hexdigest()
        name = held.get(sha)
        if name is None:
            stem = blob.name.rpartition(".")[0].replace("-", " ").replace("_", " ")
            try:
                link = add_file(
                    session,
                    set_id=set_id,
                    user_id=user_id,
                    checked=blob.checked,
                    filename=blob.name,
                    alt=alts.get(blob.name) or (stem if blob.checked.is_image else ""),
                    transcript="",
                    decorative=False,
                    quota=quota,
                )
            except MediaRefused as refused:
                raise MediaRefused(f"{blob.where}: {refused}") from refused
            session.flush()  # the next file's quota and free name see this one
            name = held[sha] = link.name
        if name != blob.name:
            renamed[blob.name] = name
    return replace(result, questions=rename(result.questions, renamed))
