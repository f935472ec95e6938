"""Assignments: study and quiz modes, due dates in the class's zone, late work, answers shown."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import Assignment, Attempt, Question, StudiedSet
from tests.classes_helpers import World, add_assignment, login_as, make_world
from tests.conftest import AuthActions
from tests.progress_helpers import make_set


@pytest.fixture
def world(app: Flask) -> World:
    return make_world(app, timezone="Africa/Niamey")


def soon(days: float = 3) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def assignment_form(world: World, **fields: str) -> dict[str, str]:
    data = {
        "set_id": str(world.set_id),
        "mode": "quiz",
        "due_at": "2030-03-10T17:00",
        "target_percent": "90",
        "max_attempts": "",
        "time_limit_min": "0",
        "shuffle": "y",
        "show_answers": "after_attempt",
        "allow_late": "y",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_due_time_is_read_in_the_class_zone(app: Flask, client: FlaskClient, world: World) -> None:
    login_as(client, "teacher")
    response = client.post(
        f"/teach/classes/{world.classroom}/assignments/new", data=assignment_form(world)
    )
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
    # 17:00 in Niamey (UTC+1, no daylight saving) is 16:00 UTC.
    assert assignment.due_at == datetime(2030, 3, 10, 16, 0, tzinfo=UTC)
    page = client.get(f"/teach/classes/{world.classroom}").get_data(as_text=True)
    assert "2030-03-10 17:00" in page
    form = client.get(f"/teach/classes/{world.classroom}/assignments/{assignment.id}")
    assert 'value="2030-03-10T17:00"' in form.get_data(as_text=True)


def test_assignment_form_refuses_bad_input(app: Flask, client: FlaskClient, world: World) -> None:
    login_as(client, "teacher")
    url = f"/teach/classes/{world.classroom}/assignments/new"
    for bad in (
        {"due_at": ""},
        {"due_at": "tomorrow"},
        {"target_percent": "120"},
        {"set_id": "999999"},
        {"mode": "exam"},
    ):
        response = client.post(url, data=assignment_form(world, **bad))
        assert response.status_code == 200
        assert 'class="error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 0


def test_a_teacher_can_assign_their_own_private_set_but_not_anothers(
    app: Flask, client: FlaskClient, world: World
) -> None:
    own, _ = make_set(app, 2, title="Mine", visibility="private", owner_id=world.teacher)
    theirs, _ = make_set(app, 2, title="Theirs", visibility="private", owner_id=world.other_teacher)
    login_as(client, "teacher")
    url = f"/teach/classes/{world.classroom}/assignments/new"
    data = assignment_form(world, set_id=str(own), mode="study")
    assert client.post(url, data=data).status_code == 302
    refused = client.post(url, data=assignment_form(world, set_id=str(theirs)))
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    # The private set, assigned to study, is now visible to the class's students
    # (queue.visible_to; a quiz-only set would not be: tests/test_quiz_key_secret.py).
    student = app.test_client()
    login_as(student, "member")
    assert student.get(f"/study/sets/{own}/progress").status_code == 200
    outsider = app.test_client()
    login_as(outsider, "outsider")
    assert outsider.get(f"/study/sets/{own}/progress").status_code == 404


def test_study_assignment_joins_every_students_queue(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login_as(client, "teacher")
    client.post(
        f"/teach/classes/{world.classroom}/assignments/new",
        data=assignment_form(world, mode="study", target_percent="85"),
    )
    with app.app_context():
        studied = set(db.session.execute(sa.select(StudiedSet.user_id, StudiedSet.set_id)))
        assert db.session.scalar(sa.select(Assignment.target_recall)) == 0.85
    assert studied == {(world.member, world.set_id)}
    # A student who joins later gets it too.
    late = app.test_client()
    login_as(late, "outsider")
    late.post("/study/join", data={"code": "ACD3FG"})
    with app.app_context():
        assert db.session.get(StudiedSet, (world.outsider, world.set_id)) is not None
    # The member's study page offers a question of the set, and the home page the assignment.
    member = app.test_client()
    login_as(member, "member")
    home = member.get("/study/").get_data(as_text=True)
    assert "Geography 9B" in home and "to do" in home and "0/" in home
    page = member.get("/study/next")
    with app.app_context():
        prompts = db.session.scalars(
            sa.select(Question.prompt).where(Question.set_id == world.set_id)
        ).all()
    text = page.get_data(as_text=True)
    assert any(prompt.split("?")[0][:30] in text for prompt in prompts if prompt)


def start(client: FlaskClient, assignment_id: int) -> tuple[int, str]:
    response = client.post(f"/study/assignments/{assignment_id}/quiz")
    return response.status_code, response.location or ""


def finish(client: FlaskClient, location: str) -> int:
    attempt_id = int(location.rstrip("/").split("/")[-1])
    client.post(f"/study/attempts/{attempt_id}/finish")
    return attempt_id


def test_quiz_assignment_settings_are_enforced_by_the_server(
    app: Flask, client: FlaskClient, world: World
) -> None:
    aid = add_assignment(
        app, world, soon(), mode="quiz", max_attempts=2, time_limit_s=600, shuffle=False
    )
    login_as(client, "member")
    status, location = start(client, aid)
    assert status == 302 and "/study/attempts/" in location
    # Starting again while one is open goes back to it rather than opening a second.
    assert start(client, aid)[1] == location
    first = finish(client, location)
    with app.app_context():
        attempt = db.session.get(Attempt, first)
        ordered = db.session.scalars(
            sa.select(Question.id)
            .where(Question.set_id == world.set_id, Question.id.in_(attempt.question_order))
            .order_by(Question.position, Question.id)
        ).all()
        assert attempt.assignment_id == aid and attempt.time_limit_s == 600
        assert attempt.question_order == list(ordered)  # no shuffle: the set's order
    finish(client, start(client, aid)[1])
    # Two attempts allowed: the third is refused, with the reason on the assignment page.
    status, location = start(client, aid)
    assert location.endswith(f"/study/assignments/{aid}")
    page = client.get(location).get_data(as_text=True)
    assert "used all 2 attempts" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 2


def test_late_quiz_refused_or_marked_late(app: Flask, client: FlaskClient, world: World) -> None:
    past = datetime.now(UTC) - timedelta(hours=2)
    strict = add_assignment(app, world, past, mode="quiz", allow_late=False)
    lenient = add_assignment(app, world, past, mode="quiz", allow_late=True)
    login_as(client, "member")
    home = client.get("/study/").get_data(as_text=True)
    assert home.count("missing") >= 2
    assert start(client, strict)[1].endswith(f"/study/assignments/{strict}")
    assert "does not accept late" in client.get(f"/study/assignments/{strict}").get_data(
        as_text=True
    )
    finish(client, start(client, lenient)[1])
    page = client.get(f"/study/assignments/{lenient}").get_data(as_text=True)
    assert "(late)" in page and "status-late" in page


def test_no_late_work_caps_the_attempt_at_the_due_time(
    app: Flask, client: FlaskClient, world: World
) -> None:
    aid = add_assignment(
        app, world, datetime.now(UTC) + timedelta(minutes=5), mode="quiz", allow_late=False
    )
    login_as(client, "member")
    location = start(client, aid)[1]
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
    assert attempt.time_limit_s is not None and 200 <= attempt.time_limit_s <= 300
    assert location.endswith(f"/study/attempts/{attempt.id}")


@pytest.mark.parametrize(
    ("show", "due_in_days", "shown"),
    [
        ("after_attempt", 3, True),
        ("after_due", 3, False),
        ("after_due", -1, True),
        ("never", -1, False),
    ],
)
def test_result_page_shows_answers_as_the_assignment_says(
    app: Flask, client: FlaskClient, world: World, show: str, due_in_days: int, shown: bool
) -> None:
    aid = add_assignment(app, world, soon(due_in_days), mode="quiz", show_answers=show)
    login_as(client, "member")
    attempt_id = finish(client, start(client, aid)[1])
    page = client.get(f"/study/attempts/{attempt_id}/result").get_data(as_text=True)
    assert ("answers-hidden" not in page) is shown
    assert ("Right answer" in page or "right answer" in page.lower()) is shown


def test_hidden_answers_stay_hidden_on_the_review_page(
    app: Flask, client: FlaskClient, world: World
) -> None:
    qset, questions = make_set(app, 2, title="TF", owner_id=world.teacher)
    with app.app_context():
        assignment = Assignment(
            classroom_id=world.classroom, set_id=qset, due_at=soon(), show_answers="never"
        )
        db.session.add(assignment)
        db.session.commit()
        aid = assignment.id
    login_as(client, "member")
    location = start(client, aid)[1]
    attempt_id = int(location.split("/")[-1])
    with app.app_context():
        first = db.session.get(Attempt, attempt_id).question_order[0]
    client.post(
        f"/study/attempts/{attempt_id}/answer", data={"question_id": first, "answer": "true"}
    )
    client.post(f"/study/attempts/{attempt_id}/finish")  # paged answers become reviews here
    with app.app_context():
        from quiz.models import Review

        review_id = db.session.scalar(sa.select(Review.id).where(Review.attempt_id == attempt_id))
    assert review_id is not None
    assert client.get(f"/study/reviews/{review_id}").status_code == 404
    assert questions  # the set had questions to answer


def test_student_cannot_start_another_class_assignment(
    app: Flask, client: FlaskClient, world: World
) -> None:
    aid = add_assignment(app, world, soon(), mode="quiz")
    login_as(client, "outsider")
    assert client.post(f"/study/assignments/{aid}/quiz").status_code == 404
    assert client.get(f"/study/assignments/{aid}").status_code == 404


def test_quiz_assignment_draws_its_number_of_questions(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """The teacher fixes N: each attempt asks N questions drawn from the set, none twice."""
    login_as(client, "teacher")
    response = client.post(
        f"/teach/classes/{world.classroom}/assignments/new",
        data=assignment_form(world, question_count="2"),
    )
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalar(sa.select(Assignment))
        set_size = db.session.scalar(
            sa.select(sa.func.count()).where(Question.set_id == world.set_id)
        )
    assert assignment.question_count == 2 and set_size > 2
    form = client.get(f"/teach/classes/{world.classroom}/assignments/{assignment.id}")
    assert 'name="question_count"' in form.get_data(as_text=True)
    bad = client.post(
        f"/teach/classes/{world.classroom}/assignments/new",
        data=assignment_form(world, question_count="0"),
    )
    assert bad.status_code == 200 and "Number must be" in bad.get_data(as_text=True)
    AuthActions(client).logout()
    login_as(client, "member")
    location = start(client, assignment.id)[1]
    with app.app_context():
        attempt = db.session.get(Attempt, int(location.split("/")[-1]))
        assert len(attempt.question_order) == 2 == len(set(attempt.question_order))


def test_the_set_menu_tells_sets_of_one_title_apart(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """Issue 20: two sets titled alike were two identical menu entries."""
    make_set(app, 2, title="Revision", visibility="private", owner_id=world.teacher)
    make_set(app, 3, title="Revision", visibility="public", owner_id=world.other_teacher)
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/assignments/new").get_data(as_text=True)
    labels = re.findall(r"<option[^>]*>(Revision \([^<]*\))</option>", page)
    today = datetime.now(UTC).astimezone(ZoneInfo("Africa/Niamey")).date().isoformat()
    assert sorted(labels) == [
        f"Revision (other, 3 questions, edited {today})",
        f"Revision (teacher, 2 questions, edited {today})",
    ]
    assert "(starter bank, " in page  # the seeded bank has no owner
