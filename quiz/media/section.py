"""The media section of a set's page under Teach."""

from __future__ import annotations

from typing import Any

from quiz.extensions import db
from quiz.media import store
from quiz.media.forms import UploadForm
from quiz.models import QuestionSet


def media_section(qset: QuestionSet, editable: bool) -> dict[str, Any]:
    """What the set page's media section shows: the files, and the form for their owner."""
    rows = db.session.execute(store.set_files(qset.id)).all()
    return {"media_files": rows, "media_form": UploadForm() if editable else None}
