"""Loading the YAML question bank into the database, idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from quiz.formats.yaml_bank import SetData
from quiz.models import Question, QuestionSet, Visibility
from quiz.questions import question_to_dict

COMMON_FIELDS = ("kind", "prompt", "explanation", "tags", "paragraph")


@dataclass
class SyncReport:
    """What a seed run changed."""

    sets_created: int = 0
    sets_updated: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    names: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the run wrote anything."""
        return bool(
            self.sets_created + self.sets_updated + self.created + self.updated + self.retired
        )


def question_columns(data: dict[str, Any]) -> dict[str, Any]:
    """Split a question dict into the Question model's columns."""
    columns = {name: data[name] for name in COMMON_FIELDS}
    columns["tags"] = list(columns["tags"] or [])
    columns["spec"] = {k: v for k, v in data.items() if k not in COMMON_FIELDS}
    return columns


def _assign(obj: Any, values: dict[str, Any]) -> bool:
    """Set only the attributes that differ, so an unchanged row is not written."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def sync_sets(session: Session, sets: list[SetData]) -> SyncReport:
    """Create or update bank sets by slug and their questions by key; retire removed ones.

    Questions keep their ids, so students' cards and reviews survive an edited file.
    The caller commits.
    """
    report = SyncReport()
    slugs = [data.slug for data in sets]
    existing = {
        qs.slug: qs
        for qs in session.scalars(
            sa.select(QuestionSet)
            .where(QuestionSet.slug.in_(slugs))
            .options(selectinload(QuestionSet.questions))
        )
    }
    for data in sets:
        report.names.append(data.slug)
        qset = existing.get(data.slug)
        set_values = {
            "title": data.title,
            "description": data.description,
            "source": dict(data.source),
            "tags": list(data.tags),
            "source_text": data.source_text,
        }
        if qset is None:
            qset = QuestionSet(slug=data.slug, visibility=Visibility.PUBLIC.value, **set_values)
            session.add(qset)
            report.sets_created += 1
        elif _assign(qset, set_values):
            report.sets_updated += 1
        by_key = {q.key: q for q in qset.questions}
        for position, item in enumerate(data.questions):
            values = question_columns(question_to_dict(item.question))
            values.update(position=position, retired=False)
            question = by_key.pop(item.key, None)
            if question is None:
                qset.questions.append(Question(key=item.key, **values))
                report.created += 1
            elif _assign(question, values):
                report.updated += 1
            else:
                report.unchanged += 1
        for question in by_key.values():
            if not question.retired:
                question.retired = True
                report.retired += 1
    return report
