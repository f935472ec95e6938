"""T14: quiz business logic enforced by the server: no answer or explanation on a page before
the answer is in, late and out-of-order answers refused, the response matches what was stored."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import sqlalchemy as sa
import time_machine
import yaml
from flask import Flask

from quiz.extensions import db
from quiz.models import AttemptAnswer, Question, QuestionSet
from tests.conftest import AuthActions, count_rows, make_user
from tests.reliability.figures import report
from tests.study_helpers import SMALL_SET, T0, load_set, study
from tests.test_quiz_mode import current_question, right, start


def secrets_by_key() -> dict[str, list[str]]:
    """What must not show before an answer: each explanation, and typed answers' solutions."""
    data = yaml.safe_load(SMALL_SET)
    found = {}
    for q in data["questions"]:
        hidden = [q["explanation"]]
        if q["kind"] == "short_answer":
            hidden += q["answers"]
        found[q["id"]] = hidden
    return found


def leaks(page: str, hidden: list[str]) -> list[str]:
    return [text for text in hidden if text in page or escape(text) in page]


def test_quiz_logic_is_enforced_by_the_server(app: Flask, backend: str) -> None:
    other_set = SMALL_SET.replace("slug: sahel-basics", "slug: elsewhere", 1)
    foreign = load_set(app, other_set)["capital"]  # ids by key: the second set's now
    keys = {k: q for k, q in load_set(app).items()}
    with app.app_context():
        keys = dict(
            db.session.execute(
                sa.select(Question.key, Question.id)
                .join(QuestionSet)
                .where(QuestionSet.slug == "sahel-basics")
            ).all()
        )
        db.session.remove()
    key_of = {qid: key for key, qid in keys.items()}
    hidden = secrets_by_key()
    user = make_user(app, "sam")
    study(app, user.id)
    client = app.test_client()
    found, pages = [], 0
    with time_machine.travel(T0, tick=False):
        AuthActions(client).login("sam")
        # Study and practice pages, before answering.
        for key, qid in keys.items():
            page = client.get(f"/study/questions/{qid}").get_data(as_text=True)
            pages += 1
            found += [f"practice {key}: {t}" for t in leaks(page, hidden[key])]
        # A paged quiz, question by question; then an out-of-order and a late answer.
        attempt_id = start(client, app, time_limit_min="5")
        current, page = current_question(client, attempt_id)
        pages += 1
        found += [f"quiz {key_of[current]}: {t}" for t in leaks(page, hidden[key_of[current]])]
        # Questions may be answered in any order, but only the attempt's own questions.
        client.post(
            f"/study/attempts/{attempt_id}/answer",
            data={"question_id": foreign, "answer": "Niamey"},
        )
        out_of_order = count_rows(app, AttemptAnswer)
        answer = {"question_id": current, **right(key_of[current], page)}
        response = client.post(f"/study/attempts/{attempt_id}/answer", data=answer)
        assert response.status_code == 302
        second, page = current_question(client, attempt_id)
        found += [f"quiz {key_of[second]}: {t}" for t in leaks(page, hidden[key_of[second]])]
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        in_time = count_rows(app, AttemptAnswer)
        client.post(
            f"/study/attempts/{attempt_id}/answer",
            data={"question_id": second, **right(key_of[second], page)},
        )
        late = count_rows(app, AttemptAnswer) - in_time
        result = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    # The result page shows what was stored: the one answer in time, right.
    with app.app_context():
        stored = db.session.scalars(sa.select(AttemptAnswer)).all()
        matches = [(a.question_id, a.correct) for a in stored] == [(current, True)]
        db.session.remove()
    report(
        "T14",
        backend=backend,
        pages_checked=pages + 2,
        answer_leaks=len(found),
        late_accepted=late,
        foreign_question_accepted=out_of_order,
        result_matches_store=matches,
    )
    assert not found, found
    assert late == 0 and out_of_order == 0 and matches
    assert "Result" in result
