"""Loading the YAML question bank into the database, idempotently.

A question's id is its identity: students' cards and reviews hang off it. So the seed refuses
to change a question's kind, or its answer, under an existing id (a new question needs a new
id), unless the change is named as a correction (`flask seed --correct KEY`).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from quiz.formats.yaml_bank import BankError, SetData
from quiz.models import Question, QuestionSet, Visibility
from quiz.questions import (
    Cloze,
    Matching,
    MultipleChoice,
    MultipleSelect,
    Numeric,
    Ordering,
    QuestionError,
    ShortAnswer,
    TrueFalse,
    question_from_dict,
    question_to_dict,
)
from quiz.questions import Question as QuestionKind
from quiz.sets.giveaway_pairs import PENDING, Recorded, refresh_set
from quiz.textmatch import match_key

RECORDED_FILE = "giveaways.csv"  # in the bank's folder: pairs the finder cannot see


class SeedRefused(BankError):
    """Questions whose kind or answer changed under their id; nothing was written."""


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
    pairs: int = 0  # give-away pairs kept apart in the seeded sets
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


def sync_sets(
    session: Session,
    sets: list[SetData],
    corrections: Collection[str] = (),
    recorded: Mapping[str, list[Recorded]] | None = None,
) -> SyncReport:
    """Create or update bank sets by slug and their questions by key; retire removed ones.

    Questions keep their ids, so students' cards and reviews survive an edited file. A change
    of kind or answer under an existing key raises SeedRefused (before anything is written)
    unless the key (or `slug/key`) is in `corrections`. `recorded` gives each set's recorded
    give-away pairs by slug. The caller commits.
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
    refused = identity_changes(existing, sets, corrections)
    if refused:
        raise SeedRefused(
            "the question bank changes what these questions ask, under the same id:\n  "
            + "\n  ".join(refused)
            + "\nGive a different question a new id (the old one is then retired with its"
            " history), or, if the change corrects a mistake, seed with --correct KEY."
        )
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
        session.flush()
        report.pairs += refresh_set(session, qset.id, (recorded or {}).get(data.slug, []))
        session.info.get(PENDING, set()).discard(qset.id)  # refreshed here, with its records
    return report


def identity_changes(
    existing: Mapping[str, QuestionSet], sets: list[SetData], corrections: Collection[str]
) -> list[str]:
    """`slug/key: what changed` for every stored question whose kind or answer the files change."""
    problems = []
    for data in sets:
        qset = existing.get(data.slug)
        if qset is None:
            continue
        stored = {q.key: q for q in qset.questions}
        for item in data.questions:
            old = stored.get(item.key)
            name = f"{data.slug}/{item.key}"
            if old is None or item.key in corrections or name in corrections:
                continue
            try:
                before = question_from_dict(old.as_dict())
            except QuestionError:
                continue  # a stored question that no longer validates has nothing to keep
            change = answer_change(before, item.question)
            if change:
                problems.append(f"{name}: {change}")
    return problems


def _keys(texts: Collection[str]) -> set[str]:
    """Answers as the matcher compares them."""
    return {match_key(text) for text in texts}


def answer_change(before: QuestionKind, after: QuestionKind) -> str | None:
    """What makes `after` a different question from `before` (kind or answer), or None.

    Rewording is not a change: only what would grade an old answer differently counts (a
    right choice now wrong, no old accepted answer still accepted, a moved number, a swapped
    pair or order), so history recorded against the old answer stays meaningful.
    """
    if before.kind != after.kind:
        return f"kind {before.kind} became {after.kind}"
    if isinstance(before, TrueFalse) and isinstance(after, TrueFalse):
        return "the answer was flipped" if before.answer != after.answer else None
    if isinstance(before, ShortAnswer) and isinstance(after, ShortAnswer):
        if not _keys(before.answers) & _keys(after.answers):
            return f"accepted {before.answers[0]!r}, now {after.answers[0]!r}"
        return None
    if isinstance(before, Numeric) and isinstance(after, Numeric):
        return _numeric_change(before, after)
    if isinstance(before, Cloze) and isinstance(after, Cloze):
        old, new = before.gaps(), after.gaps()
        if len(old) != len(new):
            return f"{len(old)} gaps became {len(new)}"
        for number, (a, b) in enumerate(zip(old, new, strict=True), start=1):
            if not _keys(a) & _keys(b):
                return f"gap {number} accepted {a[0]!r}, now {b[0]!r}"
        return None
    if isinstance(before, MultipleChoice | MultipleSelect) and isinstance(
        after, MultipleChoice | MultipleSelect
    ):
        was = {match_key(c.text): c.correct for c in before.choices}
        for choice in after.choices:
            if was.get(match_key(choice.text), choice.correct) != choice.correct:
                state = "right" if choice.correct else "wrong"
                return f"the choice {choice.text!r} is now {state}"
        return None
    if isinstance(before, Matching) and isinstance(after, Matching):
        return _matching_change(before, after)
    if isinstance(before, Ordering) and isinstance(after, Ordering):
        kept = [match_key(i) for i in after.items if match_key(i) in _keys(before.items)]
        old_order = [match_key(i) for i in before.items if match_key(i) in kept]
        return "the items' order changed" if kept != old_order else None
    return None  # a flashcard's back is reworded freely: the student rates their own recall


def _numeric_change(before: Numeric, after: Numeric) -> str | None:
    """A numeric question's change: another unit, or the old value no longer right."""
    if (before.unit or "") != (after.unit or ""):
        return f"unit {before.unit or 'none'} became {after.unit or 'none'}"
    if before.value is not None and after.value is not None:
        if abs(before.value - after.value) > after.tolerance:
            return f"the value {before.value:g} became {after.value:g}"
    elif before.bounds != after.bounds:
        return "the accepted range changed"
    return None


def _matching_change(before: Matching, after: Matching) -> str | None:
    """A matching question's change: a right kept but now paired with another kept left."""
    old_left = {match_key(right): match_key(left) for left, right in before.pairs}
    new_lefts = {match_key(left) for left, _ in after.pairs}
    for left, right in after.pairs:
        was = old_left.get(match_key(right))
        if was is not None and was != match_key(left) and was in new_lefts:
            return f"{right!r} is now paired with {left!r}"
    return None


def load_recorded(directory: Path, sets: list[SetData]) -> dict[str, list[Recorded]]:
    """The bank's recorded give-away pairs (`giveaways.csv`: set,teller,told,why) by slug.

    BankError names the line of an unknown set or question.
    """
    path = directory / RECORDED_FILE
    if not path.is_file():
        return {}
    keys = {data.slug: {item.key for item in data.questions} for data in sets}
    out: dict[str, list[Recorded]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            slug, teller, told = row.get("set"), row.get("teller"), row.get("told")
            if slug not in keys:
                raise BankError(f"{path}, line {number}: unknown set {slug!r}")
            for key in (teller, told):
                if key not in keys[slug]:
                    raise BankError(f"{path}, line {number}: {slug} has no question {key!r}")
            why = row.get("why") or ""
            out.setdefault(slug, []).append(Recorded(str(teller), str(told), why))
    return out
