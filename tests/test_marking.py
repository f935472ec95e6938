"""The marking pages: essays marked by hand, comments and overrides on any answer, released
marks on the student's result, and the scores the gradebook counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import (
    AnswerMark,
    Assignment,
    Attempt,
    AttemptAnswer,
    Card,
    Question,
    QuestionSet,
    Review,
    User,
)
from quiz.quizzes import attempts
from quiz.study.answers import load_question
from tests.classes_helpers import World, login_as
from tests.conftest import csrf_token
from tests.marking_helpers import class_with_essays


@pytest.fixture
def marked(app: Flask) -> tuple[World, dict[str, Any]]:
    return class_with_essays(app)


def answer_url(ids: dict[str, Any], attempt: int, question: str = "essay") -> str:
    return (
        f"/teach/assignments/{ids['assignment']}/marking/attempts/{attempt}"
        f"/questions/{ids[question]}"
    )


def post_mark(client: FlaskClient, url: str, **fields: Any) -> Any:
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:400]
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "go": "next", **fields}
    return client.post(url, data=data)


def score_of(app: Flask, attempt_id: int) -> float:
    with app.app_context():
        return db.session.get(Attempt, attempt_id).score


def test_essay_answers_wait_ungraded_and_never_reach_fsrs(app: Flask, marked: tuple) -> None:
    _world, ids = marked
    with app.app_context():
        essays = db.session.scalars(
            sa.select(AttemptAnswer).where(AttemptAnswer.question_id == ids["essay"])
        ).all()
        assert [(a.correct, a.score) for a in essays] == [(False, 0.0)] * 2
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(Review).where(Review.question_id == ids["essay"])
        ) == 0  # fmt: skip
        assert db.session.scalar(
            sa.select(sa.func.count()).select_from(Card).where(Card.question_id == ids["essay"])
        ) == 0  # fmt: skip
    assert score_of(app, ids["attempts"][0]) == 0.5  # the true/false only: provisional


def test_teacher_marks_both_essays_one_after_another(
    app: Flask, client: FlaskClient, marked: tuple
) -> None:
    _world, ids = marked
    login_as(client, "teacher")
    overview = client.get(f"/teach/assignments/{ids['assignment']}/marking")
    assert "2 answers need marking" in overview.get_data(as_text=True)
    first = client.get(f"/teach/assignments/{ids['assignment']}/marking/next")
    assert first.status_code == 302
    url = first.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "Names the coup" in page and "France withdrew" in page and "The coup of 2023" in page
    done = post_mark(client, url, tick=["0"], comment="Good: now date it.")
    assert done.status_code == 302
    second = done.headers["Location"]
    assert second != url and "/marking/attempts/" in second
    assert post_mark(client, second, score="100", comment="Complete.").status_code == 302
    assert score_of(app, ids["attempts"][0]) == pytest.approx((1 + 2 / 3) / 2)
    assert score_of(app, ids["attempts"][1]) == pytest.approx(1.0)
    again = client.get(f"/teach/assignments/{ids['assignment']}/marking/next")
    assert again.headers["Location"].endswith(f"/teach/assignments/{ids['assignment']}/marking")


def test_an_essay_needs_a_score_and_bad_input_changes_nothing(
    app: Flask, client: FlaskClient, marked: tuple
) -> None:
    _world, ids = marked
    login_as(client, "teacher")
    url = answer_url(ids, ids["attempts"][0])
    for fields, words in (
        ({"comment": "Nice."}, "Give a score"),
        ({"score": "120"}, "from 0 to 100"),
        ({"score": "abc"}, "as a number"),
        ({"score": "nan"}, "from 0 to 100"),
        ({"tick": ["7"]}, "not in this question"),
    ):
        response = post_mark(client, url, **fields)
        assert response.status_code == 422, fields
        assert words in response.get_data(as_text=True), fields
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerMark)) == 0


def test_override_of_an_automatic_mark_needs_a_reason_and_keeps_the_original(
    app: Flask, client: FlaskClient, marked: tuple
) -> None:
    _world, ids = marked
    login_as(client, "teacher")
    url = answer_url(ids, ids["attempts"][0], "tf")
    refused = post_mark(client, url, score="0")
    assert refused.status_code == 422 and "Say why" in refused.get_data(as_text=True)
    assert post_mark(client, url, score="0", reason="Copied from a neighbour.").status_code == 302
    with app.app_context():
        mark = db.session.scalar(sa.select(AnswerMark))
        assert (mark.score, mark.original_score, mark.reason) == (
            0.0,
            1.0,
            "Copied from a neighbour.",
        )
        answer = db.session.scalar(
            sa.select(AttemptAnswer).where(
                AttemptAnswer.attempt_id == ids["attempts"][0],
                AttemptAnswer.question_id == ids["tf"],
            )
        )
        assert answer.score == 1.0  # the automatic mark is kept beside
    assert score_of(app, ids["attempts"][0]) == 0.0
    page = client.get(f"/teach/assignments/{ids['assignment']}/marking/questions/{ids['tf']}")
    assert "automatic 100%: Copied from a neighbour." in page.get_data(as_text=True)


def test_comment_alone_on_an_automatic_mark(app: Flask, client: FlaskClient, marked: tuple) -> None:
    _world, ids = marked
    login_as(client, "teacher")
    url = answer_url(ids, ids["attempts"][1], "tf")
    assert post_mark(client, url, comment="Well remembered.").status_code == 302
    with app.app_context():
        mark = db.session.scalar(sa.select(AnswerMark))
        assert mark.score is None and mark.comment == "Well remembered."
    assert score_of(app, ids["attempts"][1]) == 0.5


def test_student_sees_mark_and_comment_only_once_released(
    app: Flask, client: FlaskClient, marked: tuple
) -> None:
    _world, ids = marked
    login_as(client, "teacher")
    post_mark(client, answer_url(ids, ids["attempts"][0]), score="75", comment="Date the coup.")
    student = app.test_client()
    login_as(student, "member")
    result = f"/study/attempts/{ids['attempts'][0]}/result"
    before = student.get(result).get_data(as_text=True)
    assert "Date the coup." not in before
    assert "This score is provisional" in before
    overview = client.get(f"/teach/assignments/{ids['assignment']}/marking").get_data(as_text=True)
    released = client.post(
        f"/teach/assignments/{ids['assignment']}/marking/release",
        data={"csrf_token": csrf_token(overview), "release": "1"},
    )
    assert released.status_code == 302
    after = student.get(result).get_data(as_text=True)
    assert "Date the coup." in after and "75%" in after


def test_dashboard_counts_what_needs_marking(
    app: Flask, client: FlaskClient, marked: tuple
) -> None:
    world, ids = marked
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/dashboard").get_data(as_text=True)
    assert "2 to mark" in page
    post_mark(client, answer_url(ids, ids["attempts"][0]), score="50")
    page = client.get(f"/teach/classes/{world.classroom}/dashboard").get_data(as_text=True)
    assert "1 to mark" in page


@pytest.mark.parametrize(
    ("who", "code"),
    [("teacher", 200), ("admin", 200), ("other", 404), ("member", 404), ("outsider", 404)],
)
def test_who_may_open_the_marking_pages(
    client: FlaskClient, marked: tuple, who: str, code: int
) -> None:
    _world, ids = marked
    login_as(client, who)
    expected = {"member": 403, "outsider": 403}.get(who, code)  # students: teachers' pages
    base = f"/teach/assignments/{ids['assignment']}/marking"
    for url in (base, f"{base}/questions/{ids['essay']}", answer_url(ids, ids["attempts"][0])):
        assert client.get(url).status_code == expected, (who, url)


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_marking_posts_need_the_csrf_token(app: Flask, client: FlaskClient, marked: tuple) -> None:
    _world, ids = marked
    login_as(client, "teacher")
    base = f"/teach/assignments/{ids['assignment']}/marking"
    marked_url = answer_url(ids, ids["attempts"][0])
    assert client.post(marked_url, data={"score": "100"}).status_code == 400
    assert client.post(f"{base}/release", data={"release": "1"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerMark)) == 0
    assert "Release marks and comments" in client.get(base).get_data(as_text=True)
    page = client.get(marked_url).get_data(as_text=True)
    saved = client.post(marked_url, data={"csrf_token": csrf_token(page), "score": "100"})
    assert saved.status_code == 302


def test_gradebook_and_dashboard_count_the_teachers_marks(
    app: Flask, client: FlaskClient, marked: tuple
) -> None:
    world, ids = marked
    login_as(client, "teacher")
    gradebook = f"/teach/classes/{world.classroom}/gradebook.csv"

    def points() -> dict[str, str]:
        lines = client.get(gradebook).get_data(as_text=True).splitlines()[1:]
        return {line.split(",")[0]: line.split(",")[2] for line in lines}

    assert points() == {"member": "50", "pupil1": "50"}  # the true/false only, provisional
    post_mark(client, answer_url(ids, ids["attempts"][0]), score="100")
    post_mark(client, answer_url(ids, ids["attempts"][1], "tf"), score="0", reason="Copied.")
    assert points() == {"member": "100", "pupil1": "0"}
    page = client.get(f"/teach/classes/{world.classroom}/dashboard").get_data(as_text=True)
    assert "100%" in page and "1 to mark" in page


def test_set_owner_marks_unless_the_set_is_public(
    app: Flask, client: FlaskClient, marked: tuple
) -> None:
    """The class's teacher assigned `other`'s set: its owner may mark, until it is public."""
    world, ids = marked
    with app.app_context():
        qset = db.session.get(QuestionSet, ids["set"])
        qset.owner_id, qset.visibility = world.other_teacher, "class"
        db.session.commit()
    login_as(client, "other")
    url = f"/teach/assignments/{ids['assignment']}/marking"
    assert client.get(url).status_code == 200
    with app.app_context():
        db.session.get(QuestionSet, ids["set"]).visibility = "public"
        db.session.commit()
    assert client.get(url).status_code == 404


def test_one_page_quiz_keeps_the_essay_out_of_fsrs(app: Flask, marked: tuple) -> None:
    _world, ids = marked
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "pupil1"))
        qset = db.session.get(QuestionSet, ids["set"])
        assignment = db.session.get(Assignment, ids["assignment"])
        attempt = attempts.start_attempt(
            db.session, user, qset, one_page=True, time_limit_s=None,
            now=datetime.now(UTC), assignment_id=assignment.id,
        )  # fmt: skip
        items = []
        for question_id in attempt.question_order:
            question = db.session.get(Question, question_id)
            response = "An essay." if question.kind == "essay" else True
            grade = load_question(question).grade(response)
            items.append(attempts.Judged(question, response, grade, 2000))
        attempts.answer_all(db.session, user, attempt.id, items, fuzzing=False)
        kinds = db.session.scalars(
            sa.select(Question.kind)
            .join(Review, Review.question_id == Question.id)
            .where(Review.attempt_id == attempt.id)
        ).all()
        assert kinds == ["true_false"]
        assert db.session.get(Attempt, attempt.id).score == 0.5


def test_own_quiz_leaves_essays_out(app: Flask, marked: tuple) -> None:
    _world, ids = marked
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "member"))
        qset = db.session.get(QuestionSet, ids["set"])
        attempt = attempts.start_attempt(
            db.session, user, qset, one_page=True, time_limit_s=None, now=datetime.now(UTC)
        )
        assert attempt.question_order == [ids["tf"]]
