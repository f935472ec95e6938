"""Found by T12 once it counted showings (issue 21, round two): on PostgreSQL two tabs could each
hold a right answer to one showing of a card, so the showing became two reviews.

Tab A holds its answer and has not committed yet; tab B answers the same page meanwhile. B must
be told the card moved on once A commits, whether the card existed (B waits on its row lock and
then must see A's held answer) or not (no row to lock at all)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.database import begin_write
from quiz.extensions import db
from quiz.models import PendingAnswer, User
from quiz.questions import Grade
from quiz.study import pending
from quiz.study.answers import Answer, StaleAnswer, lock_fresh_card, record_answer
from tests.conftest import make_user
from tests.study_helpers import load_set, study

RIGHT = Grade(True, 1.0, "", "")


def held_twice(app: Flask, user_id: int, question_id: int, version: int) -> list[str]:
    """Tab A holds an answer inside an open transaction while tab B holds one of the same
    showing; what B's hold said."""
    seen: list[str] = []
    a_locked = threading.Event()

    def tab_b() -> None:
        with app.app_context():
            a_locked.wait(10)
            user = db.session.get(User, user_id)
            answer = Answer(question_id, "Niamey", RIGHT)
            try:
                pending.hold(
                    db.session,
                    user,
                    answer,
                    submission_id=uuid.uuid4().hex,
                    expected_version=version,
                )
                seen.append("held")
            except StaleAnswer:
                seen.append("stale")
            finally:
                db.session.remove()

    second = threading.Thread(target=tab_b)
    second.start()
    with app.app_context():
        begin_write(db.session)
        lock_fresh_card(db.session, user_id, question_id, version)
        db.session.add(
            PendingAnswer(
                user_id=user_id,
                question_id=question_id,
                submission_id=uuid.uuid4().hex,
                response="Niamey",
                correct=True,
                score=1.0,
            )
        )
        db.session.flush()
        a_locked.set()
        time.sleep(0.5)  # B reaches its check while A's answer is not committed
        db.session.commit()
        db.session.remove()
    second.join(30)
    return seen


@pytest.mark.parametrize("card", ["no card yet", "a card"])
def test_two_tabs_cannot_both_hold_one_showing(app: Flask, card: str) -> None:
    keys = load_set(app)
    user_id = make_user(app, "sam").id
    study(app, user_id)
    question = keys["capital"]
    version = 0
    if card == "a card":
        with app.app_context():
            user = db.session.get(User, user_id)
            wrong = Answer(question, "Agadez", Grade(False, 0.0, "", ""))
            record_answer(db.session, user, wrong, submission_id=uuid.uuid4().hex, fuzzing=False)
            version = db.session.scalar(
                sa.text("SELECT version FROM card WHERE user_id = :u"), {"u": user_id}
            )
            db.session.remove()
    seen = held_twice(app, user_id, question, version)
    with app.app_context():
        held = db.session.scalar(
            sa.select(sa.func.count()).where(
                PendingAnswer.user_id == user_id, PendingAnswer.question_id == question
            )
        )
        db.session.remove()
    assert seen == ["stale"] and held == 1, (seen, held)
