"""Question history: a snapshot of every version a student could have answered.

A `before_flush` listener on every session makes it automatic for each write path (the seed,
the authoring forms, importers): a new question gets version 1 and its snapshot; a question
whose content columns changed gets the next version and a snapshot of the new content.
Reviews record the version they answered (`review.question_version`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from quiz.models.base import Base
from quiz.models.content import CONTENT_COLUMNS, Question, question_fields
from quiz.timeutil import now_utc


class QuestionVersion(Base):
    """The content of one version of a question, as students saw it then."""

    __tablename__ = "question_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("question.id", ondelete="CASCADE"))
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(32))
    prompt: Mapped[str] = mapped_column(sa.Text)
    spec: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    paragraph: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    question: Mapped[Question] = relationship()

    __table_args__ = (sa.UniqueConstraint("question_id", "version"),)

    def as_dict(self) -> dict[str, Any]:
        """The fields quiz.questions.question_from_dict reads, as Question.as_dict gives them."""
        return question_fields(self)


def _snapshot(question: Question) -> QuestionVersion:
    """A version row holding the question's current content."""
    return QuestionVersion(
        question=question,
        version=question.version,
        kind=question.kind,
        prompt=question.prompt,
        spec=dict(question.spec or {}),
        explanation=question.explanation or "",
        tags=list(question.tags or ()),
        paragraph=question.paragraph,
    )


def content_changed(question: Question) -> bool:
    """Whether a content column was given a value different from the stored one."""
    state = sa.inspect(question)
    for name in CONTENT_COLUMNS:
        history = state.attrs[name].history
        if not history.added:
            continue
        # An unloaded old value cannot be compared: count it as a change, to be safe.
        if not history.deleted or list(history.added) != list(history.deleted):
            return True
    return False


@event.listens_for(Session, "before_flush")
def _version_questions(session: Session, _context: Any, _instances: Any) -> None:
    """Number and snapshot new and changed questions before they are written."""
    for obj in list(session.new):
        if isinstance(obj, Question):
            obj.version = obj.version or 1
            session.add(_snapshot(obj))
    for obj in list(session.dirty):
        if isinstance(obj, Question) and content_changed(obj):
            obj.version = (obj.version or 1) + 1
            session.add(_snapshot(obj))
