"""Question sets and their questions."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quiz.models.base import Base
from quiz.timeutil import now_utc

GAP = re.compile(r"\{\{.*?\}\}")
BLANK_LINES = re.compile(r"\n[ \t]*\n")
# The columns that make up what a student sees and is graded on; a change is a new version.
CONTENT_COLUMNS = ("kind", "prompt", "spec", "explanation", "tags", "paragraph")


def question_label(kind: str, prompt: str, spec: dict[str, Any] | None) -> str:
    """A question's short name for lists (Question.label), from its columns alone."""
    text = (spec or {}).get("text")
    if kind == "cloze" and isinstance(text, str):
        return GAP.sub("___", text)
    return prompt


def split_paragraphs(text: str) -> list[str]:
    """A source text's paragraphs, numbered from 1 by position: blocks between blank lines."""
    normalized = (text or "").replace("\r\n", "\n").strip()
    if not normalized:
        return []
    return [block.strip() for block in BLANK_LINES.split(normalized) if block.strip()]


class Visibility(enum.StrEnum):
    """Who can see a set besides its owner."""

    PRIVATE = "private"
    CLASS = "class"
    PUBLIC = "public"


class QuestionSet(Base):
    """A titled group of questions; bank sets carry the slug they are seeded by."""

    __tablename__ = "question_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    slug: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    visibility: Mapped[str] = mapped_column(sa.String(16), default=Visibility.PRIVATE.value)
    # The article or notes the questions come from, kept as typed; paragraphs are split on use.
    source_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # A set students have studied is archived instead of deleted: their history stays.
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    questions: Mapped[list[Question]] = relationship(
        back_populates="question_set", order_by="Question.position"
    )

    __table_args__ = (
        sa.CheckConstraint("visibility IN ('private', 'class', 'public')", name="visibility"),
    )

    # The teacher's say on a student's "I was right" (quiz.overrides.claims): it counts as right
    # in study progress unless switched off, and in scored quiz results only if switched on.
    overrides_count_in_study: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    overrides_count_in_quizzes: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )

    @property
    def paragraphs(self) -> list[str]:
        """The source text's paragraphs; paragraph n is item n - 1."""
        return split_paragraphs(self.source_text)

    def passage(self, number: int | None) -> str | None:
        """The text of paragraph `number` of the source, if there is one."""
        paragraphs = self.paragraphs
        if number is None or not 1 <= number <= len(paragraphs):
            return None
        return paragraphs[number - 1]


class Question(Base):
    """One question; `spec` holds the kind's fields, validated by quiz.questions."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("question_set.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(80))
    kind: Mapped[str] = mapped_column(sa.String(32))
    prompt: Mapped[str] = mapped_column(sa.Text)
    spec: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    tags: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    paragraph: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    # Questions removed from a set are retired, never deleted: reviews point at them.
    retired: Mapped[bool] = mapped_column(default=False)
    # Bumped by quiz.models.versions on every change of the CONTENT_COLUMNS.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)

    question_set: Mapped[QuestionSet] = relationship(back_populates="questions")

    __table_args__ = (
        sa.UniqueConstraint("set_id", "key"),
        # A set's live questions in order (the study queue's next new question); its leading
        # column also serves every lookup by set.
        sa.Index("ix_question_set_id_retired_position", "set_id", "retired", "position", "id"),
    )

    @property
    def label(self) -> str:
        """A short name for lists: the prompt, or for a cloze its sentence with blanks."""
        return question_label(self.kind, self.prompt, self.spec)

    def as_dict(self) -> dict[str, Any]:
        """The fields quiz.questions.question_from_dict reads."""
        return question_fields(self)


class QuestionContent(Protocol):
    """What a student sees of a question: a Question, a version of one, a ShownQuestion."""

    kind: str
    prompt: str
    explanation: str
    tags: list[str]
    paragraph: int | None
    spec: dict[str, Any]


def question_fields(question: QuestionContent) -> dict[str, Any]:
    """A question's fields as quiz.questions.question_from_dict reads them."""
    return {
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "tags": list(question.tags or ()),
        "paragraph": question.paragraph,
        **question.spec,
    }


@dataclass(frozen=True)
class SetTitle:
    """What a study page shows of a question's set."""

    id: int
    title: str


@dataclass(frozen=True)
class ShownQuestion:
    """A question read as plain columns, for the study pages that show or grade it and write
    nothing through it (the queue's next question, the answer's lookup): SQLAlchemy's loading
    of a Question with its set cost more than the rest of the queue's statement (190 of 460
    microseconds, issue 12)."""

    id: int
    set_id: int
    kind: str
    prompt: str
    spec: dict[str, Any]
    explanation: str
    tags: list[str]
    paragraph: int | None
    version: int
    retired: bool
    question_set: SetTitle
    # The columns a statement selects for it, in this order, then its set's as `set_title`.
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "id",
        "set_id",
        "kind",
        "prompt",
        "spec",
        "explanation",
        "tags",
        "paragraph",
        "version",
        "retired",
    )

    def as_dict(self) -> dict[str, Any]:
        """The fields quiz.questions.question_from_dict reads."""
        return question_fields(self)


def shown_question(row: sa.Row[Any]) -> ShownQuestion:
    """The ShownQuestion of a row that starts with ShownQuestion.COLUMNS and has `set_title`."""
    fields = row[: len(ShownQuestion.COLUMNS)]
    return ShownQuestion(*fields, question_set=SetTitle(row.set_id, row.set_title))


class StudiedSet(Base):
    """A set a student has chosen to study: its new questions enter their queue."""

    __tablename__ = "studied_set"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("question_set.id", ondelete="CASCADE"), primary_key=True
    )
    added_at: Mapped[datetime] = mapped_column(default=now_utc)

    # The queue's next new question walks the studied sets in this order and stops at the
    # first set with one, instead of sorting every studied question.
    __table_args__ = (sa.Index("ix_studied_set_user_id_added_at", "user_id", "added_at", "set_id"),)
