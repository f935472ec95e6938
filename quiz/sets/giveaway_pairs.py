"""Give-away pairs kept in the database: found in each set's text on every change of its
questions, plus the pairs the question bank records (see quiz.giveaways).

A session hook refreshes a set's found pairs whenever one of its questions is added, edited or
retired, whatever wrote it (the authoring forms, the importers, the seed), so the quiz draw and
the study queue can read them with one indexed lookup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from quiz.giveaways import Giveaway, find_giveaways
from quiz.models import GiveawayPair, Question, Review
from quiz.models.content import question_fields
from quiz.models.versions import content_changed
from quiz.questions import QuestionError, question_from_dict

PENDING = "giveaway_sets"  # session.info key: sets whose questions changed in this transaction


@dataclass(frozen=True)
class Recorded:
    """A pair written down by hand: `teller` gives `told` away, for the reason `why`."""

    teller: str
    told: str
    why: str


def _live_questions(connection: Connection | Session, set_id: int) -> list[Any]:
    """The set's live questions as rows with the columns question_fields reads."""
    return list(
        connection.execute(
            sa.select(
                Question.id,
                Question.key,
                Question.kind,
                Question.prompt,
                Question.spec,
                Question.explanation,
                Question.tags,
                Question.paragraph,
            )
            .where(Question.set_id == set_id, Question.retired.is_(False))
            .order_by(Question.position, Question.id)
        )
    )


def pair_rows(
    set_id: int, rows: Sequence[Any], recorded: Iterable[Recorded] = ()
) -> list[dict[str, Any]]:
    """The giveaway_pair rows (both ways round) for a set's questions and its recorded pairs."""
    parsed = []
    for row in rows:
        try:
            parsed.append((row.key, question_from_dict(question_fields(row))))
        except QuestionError:
            continue  # a question that no longer validates shows nothing the finder can read
    ids = {row.key: row.id for row in rows}
    found: list[tuple[Giveaway, bool]] = [(g, False) for g in find_giveaways(parsed)]
    seen = {(g.teller, g.told) for g, _ in found}
    found += [
        (Giveaway(r.teller, r.told, r.why, "recorded"), True)
        for r in recorded
        if r.teller in ids and r.told in ids and (r.teller, r.told) not in seen
    ]
    out = []
    for giveaway, is_recorded in found:
        teller, told = ids[giveaway.teller], ids[giveaway.told]
        for a, b in ((teller, told), (told, teller)):
            out.append(
                {
                    "set_id": set_id,
                    "question_id": a,
                    "other_id": b,
                    "teller_id": teller,
                    "answer": giveaway.answer,
                    "field": giveaway.field,
                    "recorded": is_recorded,
                }
            )
    return out


def refresh_set(
    connection: Connection | Session, set_id: int, recorded: Iterable[Recorded] | None = None
) -> int:
    """Recompute a set's pairs; `recorded` replaces its recorded ones (None keeps them).

    Returns how many pairs (each counted once) the set now has.
    """
    table = GiveawayPair.__table__
    kept = _stored_recorded(connection, set_id) if recorded is None else list(recorded)
    connection.execute(sa.delete(table).where(table.c.set_id == set_id))
    rows = pair_rows(set_id, _live_questions(connection, set_id), kept)
    if rows:
        connection.execute(sa.insert(table), rows)
    return len(rows) // 2


def _stored_recorded(connection: Connection | Session, set_id: int) -> list[Recorded]:
    """The set's recorded pairs as stored, by question key."""
    teller, told = aliased(Question), aliased(Question)
    query = (
        sa.select(teller.key, told.key, GiveawayPair.answer)
        .join(teller, teller.id == GiveawayPair.teller_id)
        .join(told, told.id == GiveawayPair.other_id)
        .where(
            GiveawayPair.set_id == set_id,
            GiveawayPair.recorded.is_(True),
            GiveawayPair.question_id == GiveawayPair.teller_id,
        )
    )
    return [Recorded(a, b, why) for a, b, why in connection.execute(query)]


@event.listens_for(Session, "after_flush")
def _note_changed_sets(session: Session, _context: Any) -> None:
    """Remember the sets whose questions were added, edited or retired in this flush."""
    # session.new builds a new set at each access: read once, or a 20,000-question import
    # spends minutes here (the test for each object would cost the whole flush).
    new = session.new
    for obj in list(new) + list(session.dirty):
        if not isinstance(obj, Question) or obj.set_id is None:
            continue
        if obj in new or content_changed(obj) or _retired_changed(obj):
            session.info.setdefault(PENDING, set()).add(obj.set_id)


def _retired_changed(question: Question) -> bool:
    """Whether the question was retired or brought back in this flush."""
    return bool(sa.inspect(question).attrs.retired.history.added)


@event.listens_for(Session, "before_commit")
def _refresh_changed_sets(session: Session) -> None:
    """Refresh the pairs of every set noted since the last commit, before committing."""
    if session.new or session.dirty:
        session.flush()  # commit flushes after this hook: the changes must be noted first
    if not session.info.get(PENDING):
        return
    pending: set[int] = session.info.pop(PENDING, set())
    for set_id in sorted(pending):
        refresh_set(session, set_id)


@event.listens_for(Session, "after_rollback")
def _forget_changed_sets(session: Session) -> None:
    """A rolled-back change leaves the pairs as they were."""
    session.info.pop(PENDING, None)


WHERE_SHOWN = {
    "prompt": "its wording",
    "text": "its text around the gaps",
    "choice": "a choice",
    "pair": "a matching pair",
    "item": "an item to order",
    "back": "the card's back",
    "recorded": "recorded by hand",
}


@dataclass(frozen=True)
class ShownPair:
    """One give-away pair as the set page lists it."""

    teller_id: int
    teller: str  # the question's label
    told_id: int
    told: str
    answer: str  # the answer shown, or for a recorded pair why it gives the other away
    where: str
    recorded: bool


def set_pairs(session: Session, set_id: int) -> list[ShownPair]:
    """The set's pairs for its page, each once, in question order (one statement)."""
    teller, told = aliased(Question), aliased(Question)
    rows = session.execute(
        sa.select(teller, told, GiveawayPair.answer, GiveawayPair.field, GiveawayPair.recorded)
        .join(teller, teller.id == GiveawayPair.teller_id)
        .join(told, told.id == GiveawayPair.other_id)
        .where(GiveawayPair.set_id == set_id, GiveawayPair.question_id == GiveawayPair.teller_id)
        .order_by(teller.position, told.position, GiveawayPair.id)
    )
    return [
        ShownPair(
            teller_id=a.id,
            teller=a.label,
            told_id=b.id,
            told=b.label,
            answer=answer,
            where=WHERE_SHOWN.get(field, field),
            recorded=recorded,
        )
        for a, b, answer, field, recorded in rows
    ]


def pairs_of_set(session: Session, set_id: int) -> set[frozenset[int]]:
    """The set's give-away pairs, as unordered pairs of question ids (one indexed read)."""
    rows = session.execute(
        sa.select(GiveawayPair.question_id, GiveawayPair.other_id).where(
            GiveawayPair.set_id == set_id, GiveawayPair.question_id < GiveawayPair.other_id
        )
    )
    return {frozenset(pair) for pair in rows}


# How many of the student's latest answers hold back the questions they give away (or that
# give them away): "the next few cards" of a study session.
HOLD_BACK_AFTER = 5


def held_back(user_id: Any) -> sa.ColumnElement[bool]:
    """Questions in a give-away pair with one of the student's last HOLD_BACK_AFTER answers."""
    recent = (
        sa.select(Review.question_id)
        .where(Review.user_id == user_id)
        .order_by(Review.reviewed_at.desc(), Review.id.desc())
        .limit(HOLD_BACK_AFTER)
    )
    partners = sa.select(GiveawayPair.other_id).where(GiveawayPair.question_id.in_(recent))
    return Question.id.in_(partners)
