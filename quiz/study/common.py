"""What the study, quiz and custom-study pages share: submission ids, posted ids, the sets
and questions a student may see, and where the next card is."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import abort, request, url_for
from flask_login import current_user
from werkzeug.exceptions import Conflict, NotFound

from quiz import MAX_ID, scheduling
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import Card, QuestionSet
from quiz.models.content import ShownQuestion
from quiz.questions import MARKED_KINDS
from quiz.security import posted_int
from quiz.study import custom, lookups, queue
from quiz.study.answers import (
    card_state,
    find_card,
)
from quiz.timeutil import now_utc

# Study answers carry 32 hex digits; quiz reviews use "a<attempt>q<question>", which no study
# form can send, so the two kinds of submission can never collide.
SUBMISSION_ID = re.compile(r"[0-9a-f]{32}")


def new_submission_id() -> str:
    """A one-time id carried by an answer form."""
    return uuid.uuid4().hex


def valid_submission_id(value: str | None) -> str | None:
    """The submission id if it has the shape new_submission_id makes."""
    return value if value and SUBMISSION_ID.fullmatch(value) else None


def seed_of(submission_id: str) -> int:
    """A stable shuffle seed for one showing of a question."""
    return int(submission_id[:12], 16)


def posted_id(name: str) -> int:
    """An id from the posted form; 400 when it is not one (see quiz.inputs)."""
    return posted_int(name, 1, MAX_ID)


class QuestionGone(NotFound):
    """A retired question, or one whose set the student can no longer see."""

    user_message = "This question is no longer in any set you study. Carry on with the next one."


def visible_set_or_404(set_id: int) -> QuestionSet:
    """A set the student may see; any other (or none) is a 404, so ids cannot be probed."""
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not lookups.can_see_set(db.session, current_user, qset):
        abort(404)
    return qset


class QuestionInQuiz(Conflict):
    """A question of the student's open quiz attempt: not shown outside the quiz meanwhile."""

    def __init__(self, attempt_id: int) -> None:
        super().__init__()
        self.user_message = (
            "This question is part of your open quiz. Until you finish that quiz it is not "
            "available in study, practice or flashcards, so its answer cannot be looked up."
        )
        self.user_link = (url_for("study.attempt", attempt_id=attempt_id), "Back to the quiz")


def refuse_if_in_open_quiz(question_id: int) -> dict[int, Any]:
    """409 with the reason when the question belongs to an open quiz attempt of the student;
    otherwise the locked questions, for queue.next_item to reuse."""
    locked = queue.questions_locked_by_open_attempt(db.session, current_user, now_utc())
    if question_id in locked:
        raise QuestionInQuiz(locked[question_id].id)
    return locked


def studyable_question(
    question_id: int, found: lookups.AnswerLookup | None = None
) -> ShownQuestion:
    """A live question of a set the student may see; 404 otherwise (no probing).

    `found`: what lookups.answer_lookup read already (the question with its set, and whether the
    student may see it), so it is not read again.
    """
    if found is None:
        question, visible = lookups.question_with_set(
            db.session, current_user.id, question_id, now_utc()
        )
    else:
        question, visible = found.question, found.visible
    if question is None or not visible or question.kind in MARKED_KINDS:
        abort(404)  # an essay is asked in quizzes only: a teacher marks it, FSRS cannot
    if question.retired:
        raise QuestionGone()
    refuse_if_in_open_quiz(question.id)
    return question


def duration_from_form() -> int | None:
    """Milliseconds since the page was shown, from the form's hidden timestamp."""
    shown = bounded_int(request.form.get("shown_ms", ""), 0, 2**53)
    if shown is None:
        return None
    return max(0, int(now_utc().timestamp() * 1000) - shown)


def next_intervals(
    question_id: int, card: Card | None = None, *, known: bool = False
) -> dict[str, str]:
    """When the student's card would come back for each rating, in words ("in 4 days").

    `known`: the caller read the card already (`card`, None for none), so it is not read again.
    """
    now = now_utc()
    if not known:
        card = find_card(db.session, current_user.id, question_id)
    state = card_state(card) if card else scheduling.CardState.new(now)
    dues = scheduling.preview(
        state,
        now,
        card_id=card.id if card else 0,
        desired_retention=current_user.desired_retention,
    )
    return {name: scheduling.interval_text(now, due) for name, due in dues.items()}


def next_url(**args: Any) -> str:
    """Where the next card is: the custom run in progress, or the due queue."""
    return url_for(".custom_next" if custom.active() else ".next", **args)
