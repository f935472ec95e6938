"""A student's own Anki review history, kept on import: each card's revlog becomes their
reviews here and the card's FSRS state is the replay of them (quiz.formats.anki.history), so
the due dates carry on. No Flask here; the caller commits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.formats.anki.collection import Collection, Review, read_package
from quiz.formats.anki.history import card_keys, replay_steps
from quiz.models import Card, Question, User
from quiz.models import Review as AppReview

BUTTONS = {1: "again", 2: "hard", 3: "good", 4: "easy"}  # a flashcard's response is its button


@dataclass
class HistoryReport:
    """What a kept history came to."""

    cards: int = 0
    answers: int = 0
    kept_own: int = 0  # questions already studied here: their own history stays

    def summary(self) -> str:
        """One sentence for the flash message."""
        text = f"review history kept for {self.cards} card(s), {self.answers} answer(s)"
        if self.kept_own:
            text += f"; {self.kept_own} card(s) you had studied here kept their own"
        return text


def _histories(collection: Collection, keys: dict[int, str]) -> dict[str, list[Review]]:
    """Each question key's revlog rows: of its card with the most answers (a cloze note's
    several cards are one question here)."""
    by_card: dict[int, list[Review]] = defaultdict(list)
    for row in collection.reviews:
        if row.card_id in keys:
            by_card[row.card_id].append(row)
    best: dict[str, list[Review]] = {}
    for card_id, rows in by_card.items():
        key = keys[card_id]
        answered = sum(1 for row in rows if row.ease > 0)
        if answered and answered > sum(1 for row in best.get(key, ()) if row.ease > 0):
            best[key] = rows
    return best


def keep_history(
    session: Session, user: User, set_id: int, collection: Collection, *, fuzzing: bool = True
) -> HistoryReport:
    """Replay the package's revlog into the user's cards of the set's questions it imported."""
    report = HistoryReport()
    histories = _histories(collection, card_keys(collection))
    if not histories:
        return report
    questions = dict(
        session.execute(
            sa.select(Question.key, Question.id).where(
                Question.set_id == set_id, Question.key.in_(list(histories))
            )
        ).all()
    )
    studied = set(
        session.scalars(
            sa.select(Card.question_id).where(
                Card.user_id == user.id, Card.question_id.in_(list(questions.values()))
            )
        )
    )
    for key, rows in histories.items():
        question_id = questions.get(key)
        if question_id is None:
            continue
        if question_id in studied:
            report.kept_own += 1
            continue
        report.answers += _replay_into(session, user, question_id, rows, fuzzing=fuzzing)
        report.cards += 1
    return report


def keep_package_history(
    session: Session, user: User, content: bytes, set_ids: list[int], *, fuzzing: bool = True
) -> HistoryReport:
    """keep_history for an uploaded package (read again: the import kept only its questions)
    into each of the sets it was imported into."""
    collection = read_package(content)
    total = HistoryReport()
    for set_id in set_ids:
        report = keep_history(session, user, set_id, collection, fuzzing=fuzzing)
        total.cards += report.cards
        total.answers += report.answers
        total.kept_own += report.kept_own
    return total


def _replay_into(
    session: Session, user: User, question_id: int, rows: list[Review], *, fuzzing: bool
) -> int:
    """One card and its reviews, its state the last one's; how many answers it got."""
    card = Card(user_id=user.id, question_id=question_id)
    session.add(card)
    session.flush()  # the card's id seeds the scheduler's fuzz, as for every other answer
    retention = user.desired_retention
    steps = replay_steps(rows, card_id=card.id, desired_retention=retention, fuzzing=fuzzing)
    if not steps:
        session.delete(card)
        return 0
    kind, version = session.execute(
        sa.select(Question.kind, Question.version).where(Question.id == question_id)
    ).one()
    for step in steps:
        button = BUTTONS[step.rating.value]
        session.add(
            AppReview(
                user_id=user.id,
                card_id=card.id,
                question_id=question_id,
                question_version=version,
                response=button if kind == "flashcard" else f"(answered in Anki: {button})",
                correct=step.rating.value > 1,
                score=1.0 if step.rating.value > 1 else 0.0,
                rating=step.rating.value,
                desired_retention=retention,
                reviewed_at=step.at,
                due_after=step.state.due,
                submission_id=f"anki-{question_id}-{step.review.id}"[:64],
            )
        )
    last = steps[-1].state
    card.created_at = steps[0].at
    card.state, card.step, card.due = last.state, last.step, last.due
    card.stability, card.difficulty = last.stability, last.difficulty
    card.last_review = last.last_review
    card.reps = len(steps)
    card.lapses = sum(1 for step in steps if step.rating.value == 1)
    return len(steps)
