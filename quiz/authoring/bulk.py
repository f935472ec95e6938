"""Questions duplicated, copied or moved between sets, tagged or retired in bulk; no Flask.

A moved question is copied into the other set and retired in its own: students' reviews and
quiz answers point at the original, so it is kept (as every removed question is) and the
copy starts afresh. The caller checks who may do what and commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import Question, QuestionSet, SetMedia
from quiz.sets import library

MAX_SELECTED = 2_000
ACTIONS = {
    "tag": "Add tags",
    "retire": "Remove from the set",
    "copy": "Copy to another set",
    "move": "Move to another set",
}


def _copy(question: Question, set_id: int, key: str, position: int) -> Question:
    """A new question with the same content, in `set_id`."""
    return Question(
        set_id=set_id,
        key=key,
        kind=question.kind,
        prompt=question.prompt,
        spec=dict(question.spec),
        explanation=question.explanation,
        tags=list(question.tags or ()),
        paragraph=question.paragraph,
        position=position,
    )


def duplicate_question(session: Session, question: Question) -> Question:
    """A copy of the question placed right after it in its set."""
    session.execute(
        sa.update(Question)
        .where(Question.set_id == question.set_id, Question.position > question.position)
        .values(position=Question.position + 1)
    )
    copy = _copy(question, question.set_id, library.new_key(), question.position + 1)
    session.add(copy)
    session.flush()
    return copy


def selected_questions(session: Session, set_id: int, ids: Iterable[int]) -> list[Question]:
    """The live questions of the set among `ids`, in the set's order."""
    wanted = set(ids)
    if not wanted:
        return []
    query = library.live_questions(set_id).where(Question.id.in_(wanted))
    return list(session.scalars(query))


def add_tags(questions: Sequence[Question], tags: Sequence[str]) -> int:
    """Add the tags each question lacks; how many questions changed."""
    changed = 0
    for question in questions:
        current = list(question.tags or ())
        extra = [tag for tag in tags if tag not in current]
        if extra:
            question.tags = current + extra
            changed += 1
    return changed


def retire(questions: Sequence[Question]) -> None:
    """Take the questions out of their set (kept for the reviews that point at them)."""
    for question in questions:
        question.retired = True


def copy_to(session: Session, questions: Sequence[Question], target: QuestionSet) -> int:
    """Copy the questions to the end of `target`, keeping their keys where free; how many."""
    taken = set(session.scalars(sa.select(Question.key).where(Question.set_id == target.id)))
    position = library.next_position(session, target.id)
    for offset, question in enumerate(questions):
        key = question.key if question.key not in taken else library.new_key()
        taken.add(key)
        session.add(_copy(question, target.id, key, position + offset))
    sources = {question.set_id for question in questions}
    for source in sources:
        _copy_missing_links(session, source, target.id)
    session.flush()
    return len(questions)


def _copy_missing_links(session: Session, from_set: int, to_set: int) -> None:
    """Place the source set's files in the target under names the target does not use yet, so
    that a copied question's `media:NAME` still finds its picture."""
    columns = ("sha256", "name", "alt", "transcript", "decorative", "uploaded_by", "created_at")
    used = sa.select(SetMedia.name).where(SetMedia.set_id == to_set)
    source = sa.select(sa.literal(to_set), *(getattr(SetMedia, name) for name in columns)).where(
        SetMedia.set_id == from_set, SetMedia.name.not_in(used)
    )
    session.execute(sa.insert(SetMedia).from_select(["set_id", *columns], source))


def target_sets(user_id: int, exclude: int) -> sa.Select[tuple[QuestionSet]]:
    """The sets a teacher may copy or move questions into: their own live ones, not this one."""
    return (
        sa.select(QuestionSet)
        .where(
            QuestionSet.owner_id == user_id,
            QuestionSet.slug.is_(None),
            QuestionSet.archived.is_(False),
            QuestionSet.id != exclude,
        )
        .order_by(QuestionSet.title, QuestionSet.id)
    )
