"""Statements per request: the same at two data sizes for every study, quiz and progress page,
and a one-page quiz's submit whose cost does not grow with its number of questions."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Attempt, AttemptAnswer, Card, Review, User
from quiz.progress.sqldays import offset_pieces
from tests.conftest import AuthActions
from tests.progress_helpers import answer, make_set, make_student, study_set

ATTEMPT_RE = re.compile(r"/attempts/(\d+)")


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    """The statements run inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def cost(app: Flask, call: Callable[[], Any], status: int = 200) -> int:
    """Statements one request costs; it must answer `status`."""
    with counting(app) as seen:
        response = call()
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return len(seen)


def student_with_history(app: Flask, user_factory: Any, name: str, answered: int) -> int:
    """A student of a 40-question set who has answered `answered` of its questions."""
    set_id, questions = make_set(app, 40, title=f"Set of {name}")
    user_id = make_student(user_factory, app, name)
    study_set(app, user_id, set_id)
    with app.app_context():
        db.session.get(User, user_id).new_per_day = 1000
        db.session.commit()
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for index, question_id in enumerate(questions[:answered]):
        for repeat in range(3):  # three reviews a card, over weeks
            when = start + timedelta(days=index + 10 * repeat, minutes=repeat)
            answer(app, user_id, question_id, when.strftime("%Y-%m-%d %H:%M"), repeat != 1)
    return set_id


def page_costs(app: Flask, client: FlaskClient, set_id: int) -> dict[str, int]:
    """Statements of every page a student goes through, POSTs included."""
    costs: dict[str, int] = {}
    get = client.get
    costs["index"] = cost(app, lambda: get("/study/"))
    costs["next"] = cost(app, lambda: get("/study/next"))
    page = get("/study/next").get_data(as_text=True)
    ids = dict(re.findall(r'name="(question_id|submission_id)" value="([^"]+)"', page))
    costs["answer right"] = cost(
        app, lambda: client.post("/study/answer", data={**ids, "answer": "true"}), 302
    )
    rating = f"/study/answers/{ids['submission_id']}"
    costs["rating page"] = cost(app, lambda: get(rating))
    posted: list[Any] = []
    costs["rate"] = cost(
        app, lambda: posted.append(client.post(rating, data={"rating": "good"})) or posted[-1], 302
    )
    rated = posted[-1]
    costs["feedback"] = cost(app, lambda: get(rated.headers["Location"]))
    page = get("/study/next").get_data(as_text=True)
    ids = dict(re.findall(r'name="(question_id|submission_id)" value="([^"]+)"', page))
    costs["answer wrong"] = cost(
        app, lambda: client.post("/study/answer", data={**ids, "answer": "false"}), 302
    )
    costs["progress"] = cost(app, lambda: get("/study/progress"))
    costs["set progress"] = cost(app, lambda: get(f"/study/sets/{set_id}/progress"))
    costs["quiz start page"] = cost(app, lambda: get(f"/study/sets/{set_id}/quiz"))
    started = client.post(
        f"/study/sets/{set_id}/quiz", data={"layout": "one_page", "time_limit_min": "0"}
    )
    attempt = f"/study/attempts/{ATTEMPT_RE.search(started.headers['Location']).group(1)}"
    costs["one-page quiz"] = cost(app, lambda: get(attempt))
    with app.app_context():
        order = db.session.scalar(
            sa.select(Attempt.question_order).where(Attempt.id == int(attempt.split("/")[-1]))
        )
    answers = {f"q{qid}-answer": "true" for qid in order}
    costs["quiz submit"] = cost(app, lambda: client.post(f"{attempt}/answer", data=answers), 302)
    costs["quiz result"] = cost(app, lambda: get(f"{attempt}/result"))
    return costs


def test_every_page_costs_the_same_statements_with_more_history(
    app: Flask, user_factory: Any
) -> None:
    """3 cards and 9 reviews against 30 cards and 90: no statement per card, review or day."""
    costs = {}
    for name, answered in (("few", 3), ("many", 30)):
        set_id = student_with_history(app, user_factory, name, answered)
        client = app.test_client()
        AuthActions(client).login(name)
        costs[name] = page_costs(app, client, set_id)
    assert costs["few"] == costs["many"], costs
    # The study pages read the user and the queue in one statement each; the submit batches
    # its writes.
    assert max(costs["many"].values()) <= 20, costs["many"]
    # The study loop's budgets as measured (BEGIN is sent by the driver, uncounted, on both
    # databases): the user with its hints, the queue in one statement; an answer reads its
    # question (with set and visibility) beside the submission's review and held answer, and
    # locks its card with the held-answer check, and no review before writing (a repeat fails
    # on its unique submission id); the rating page reads the submission with its question,
    # its card (for the interval previews) and the due count in one statement.
    budgets = {
        "next": 2,
        "answer right": 3,
        "rating page": 2,
        "rate": 6,
        "feedback": 3,
        "answer wrong": 5,
    }
    over = {
        page: costs["many"][page] for page, most in budgets.items() if costs["many"][page] > most
    }
    assert not over, (over, budgets)


def quiz_submit_cost(app: Flask, client: FlaskClient, set_id: int, blanks: int = 0) -> int:
    """Statements of handing in a one-page quiz on the set with every question answered."""
    started = client.post(
        f"/study/sets/{set_id}/quiz", data={"layout": "one_page", "time_limit_min": "0"}
    )
    attempt_id = int(ATTEMPT_RE.search(started.headers["Location"]).group(1))
    with app.app_context():
        order = db.session.scalar(sa.select(Attempt.question_order).where(Attempt.id == attempt_id))
    answers = {f"q{qid}-answer": "true" for qid in order[blanks:]}
    path = f"/study/attempts/{attempt_id}/answer"
    statements = cost(app, lambda: client.post(path, data=answers), 302)
    with app.app_context():
        stored = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AttemptAnswer)
            .where(AttemptAnswer.attempt_id == attempt_id)
        )
        reviews = db.session.scalar(
            sa.select(sa.func.count()).select_from(Review).where(Review.attempt_id == attempt_id)
        )
        score = db.session.get(Attempt, attempt_id).score
    assert stored == len(order)  # every question has its answer row, blanks included
    assert reviews == len(order) - blanks
    assert score == pytest.approx((len(order) - blanks) / len(order))
    return statements


def test_one_page_quiz_submit_costs_the_same_for_6_or_66_questions(
    app: Flask, user_factory: Any
) -> None:
    small, _ = make_set(app, 6, title="Six")
    large, questions = make_set(app, 66, title="Sixty-six")
    make_student(user_factory, app, "alice")
    client = app.test_client()
    AuthActions(client).login()
    first = {
        name: quiz_submit_cost(app, client, set_id)
        for name, set_id in (("6", small), ("66", large))
    }
    # Again, now that every card exists: updates instead of inserts, still in bulk.
    again = {
        name: quiz_submit_cost(app, client, set_id, blanks=2)
        for name, set_id in (("6", small), ("66", large))
    }
    assert first["6"] == first["66"], first
    assert again["6"] == again["66"], again
    assert first["66"] <= 20, first
    with app.app_context():
        cards = db.session.scalars(sa.select(Card).where(Card.question_id.in_(questions))).all()
        assert len(cards) == 66
        # 64 answered twice, the two left blank the second time once.
        assert sorted({card.reps for card in cards}) == [1, 2]
        assert all(card.version == card.reps + 1 for card in cards)


def test_offset_pieces_follow_daylight_saving() -> None:
    """Paris changes offset twice a year; the pieces start at the exact instants."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Paris")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    pieces = offset_pieces(zone, start, start + timedelta(days=365))
    assert [offset for _when, offset in pieces] == [3600, 7200, 3600]
    assert pieces[1][0] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert pieces[2][0] == datetime(2026, 10, 25, 1, 0, tzinfo=UTC)


def test_reviews_per_day_across_a_clock_change(app: Flask, user_factory: Any) -> None:
    """Reviews either side of the spring change land on the local days Python gives them."""
    from zoneinfo import ZoneInfo

    from quiz.progress import data as progress
    from tests.progress_helpers import call

    user_id = make_student(user_factory, app, "paris", "Europe/Paris")
    _set_id, questions = make_set(app, 4)
    times = ["2026-03-28 22:59", "2026-03-28 23:01", "2026-03-29 21:59", "2026-03-29 22:01"]
    for question_id, when in zip(questions, times, strict=True):
        answer(app, user_id, question_id, when)
    now = datetime(2026, 3, 30, 12, tzinfo=UTC)
    zone = ZoneInfo("Europe/Paris")
    expected: dict[Any, int] = {}
    for when in times:
        day = datetime.fromisoformat(when).replace(tzinfo=UTC).astimezone(zone).date()
        expected[day] = expected.get(day, 0) + 1
    assert call(app, user_id, progress.reviews_per_day, now) == expected
    assert len(expected) == 3  # 28 March, 29 March (twice), 30 March
