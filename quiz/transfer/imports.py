"""Writing what a reader read into a set: one function for the import page and the CLI.

Questions are matched by key within the set: a known key is updated in place (its id, and so
students' cards and reviews, survive), a new key is added after the set's last question, and
nothing is retired unless asked. One SELECT reads the set's questions; the rest is written in
one flush, in the caller's transaction (the caller commits, or rolls back on any error).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.bank import question_columns
from quiz.formats.common import ReadResult, key_for_title
from quiz.formats.yaml_bank import QuestionData, SetData
from quiz.models import Question, QuestionSet, StudiedSet, User, Visibility
from quiz.questions import question_from_dict, question_to_dict
from quiz.timeutil import now_utc

NEW, UPDATE, SAME = "new", "update", "same"


@dataclass
class ImportReport:
    """What an import wrote."""

    set_id: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for a flash message or the terminal."""
        kinds = ", ".join(f"{count} {kind}" for kind, count in self.kinds.items())
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
            + (f", {self.retired} retired" if self.retired else "")
            + (f" ({kinds})" if kinds else "")
        )


def _columns(item: QuestionData) -> dict[str, Any]:
    """A question's model columns."""
    return question_columns(question_to_dict(item.question))


def _row_columns(row: Any) -> dict[str, Any]:
    """The same columns as stored."""
    return {
        "kind": row.kind,
        "prompt": row.prompt,
        "explanation": row.explanation,
        "tags": list(row.tags or []),
        "paragraph": row.paragraph,
        "spec": row.spec,
    }


def plan_import(session: Session, set_id: int | None, result: ReadResult) -> list[str]:
    """For each question read: NEW, UPDATE or SAME against the set (one SELECT)."""
    if set_id is None:
        return [NEW] * len(result.questions)
    stored = {
        row.key: row
        for row in session.execute(
            sa.select(
                Question.key,
                Question.kind,
                Question.prompt,
                Question.explanation,
                Question.tags,
                Question.paragraph,
                Question.spec,
                Question.retired,
            ).where(Question.set_id == set_id)
        )
    }
    plan = []
    for item in result.questions:
        row = stored.get(item.key)
        if row is None:
            plan.append(NEW)
        elif row.retired or _row_columns(row) != _columns(item):
            plan.append(UPDATE)
        else:
            plan.append(SAME)
    return plan


def new_set(
    session: Session, owner: User, title: str, visibility: str, description: str = ""
) -> QuestionSet:
    """A new, empty set owned by a teacher (flushed, so it has an id)."""
    if visibility not in {v.value for v in Visibility}:
        raise ValueError(f"unknown visibility {visibility!r}")
    qset = QuestionSet(
        owner_id=owner.id,
        title=title.strip()[:200],
        visibility=visibility,
        description=description,
    )
    session.add(qset)
    session.flush()
    if not owner.is_teacher:  # a student's own deck goes straight into their studies
        session.add(StudiedSet(user_id=owner.id, set_id=qset.id))
    return qset


def write_import(
    session: Session,
    qset: QuestionSet,
    result: ReadResult,
    retire_missing: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create or update the set's questions by key; the caller commits."""
    report = ImportReport(set_id=qset.id, kinds=result.counts())
    existing = {
        q.key: q for q in session.scalars(sa.select(Question).where(Question.set_id == qset.id))
    }
    position = max((q.position for q in existing.values()), default=-1) + 1
    seen: set[str] = set()
    added: list[Question] = []
    for index, item in enumerate(result.questions):
        values = _columns(item)
        seen.add(item.key)
        question = existing.get(item.key)
        if question is None:
            added.append(Question(set_id=qset.id, key=item.key, position=position, **values))
            position += 1
            report.created += 1
        else:
            if retire_missing:
                values["position"] = index
            changed = question.retired
            for name, value in {**values, "retired": False}.items():
                if getattr(question, name) != value:
                    setattr(question, name, value)
                    changed = True
            report.updated += changed
            report.unchanged += not changed
        if progress is not None:
            progress(1)
    if retire_missing:
        for key, question in existing.items():
            if key not in seen and not question.retired:
                question.retired = True
                report.retired += 1
    session.add_all(added)
    qset.updated_at = now_utc()
    session.flush()
    return report


def without_group_tags(result: ReadResult) -> ReadResult:
    """A group's questions without the tags its category or deck gave them: in a set of its
    own, the set says it."""
    levels = [
        level.strip()
        for group in set(result.groups)
        for level in group.replace("::", "/").split("/")
    ]
    drop = {key_for_title(level) for level in levels if level.strip()}
    questions = tuple(
        QuestionData(
            item.key,
            replace(item.question, tags=tuple(t for t in item.question.tags if t not in drop)),
        )
        for item in result.questions
    )
    return replace(result, questions=questions)


def set_data(session: Session, qset: QuestionSet) -> SetData:
    """A stored set as the writers take it: its live questions in order (one SELECT)."""
    rows = session.scalars(
        sa.select(Question)
        .where(Question.set_id == qset.id, Question.retired.is_(False))
        .order_by(Question.position, Question.id)
    )
    questions = tuple(QuestionData(row.key, question_from_dict(row.as_dict())) for row in rows)
    return SetData(
        slug=qset.slug or f"set-{qset.id}",
        title=qset.title,
        description=qset.description or "",
        source=dict(qset.source or {}),
        tags=tuple(qset.tags or ()),
        questions=questions,
    )


def set_identity(qset: QuestionSet) -> str:
    """What names a set in Anki note GUIDs and deck ids: its slug, or its id."""
    return qset.slug or f"set-{qset.id}"
