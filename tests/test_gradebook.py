"""The gradebook's pages and files: the grid, settings, excusing, the CSV layouts, overrides,
and the same numbers on the dashboard, the teacher's page of a student and the student's home."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import (
    Assignment,
    Attempt,
    Classroom,
    Excusal,
    GradeCategory,
    Question,
    QuestionSet,
    Review,
    ReviewOverride,
    User,
)
from tests.classes_helpers import World, login_as
from tests.test_dashboard import take_quiz
from tests.test_dashboard import world as world

NOW = datetime.now(UTC)


def rows_of(response: object) -> list[list[str]]:
    """A CSV response's rows."""
    assert response.status_code == 200  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))  # type: ignore[attr-defined]


def assign(
    app: Flask, world: World, due: datetime | None, mode: str = "quiz", **more: object
) -> int:
    """An assignment of the world's set, due when said."""
    with app.app_context():
        assignment = Assignment(
            classroom_id=world.classroom, set_id=world.set_id, mode=mode, due_at=due, **more
        )
        db.session.add(assignment)
        db.session.commit()
        return assignment.id


def user_id(app: Flask, name: str) -> int:
    """A user's id by name."""
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == name))


@pytest.fixture
def book(app: Flask, world: World) -> dict[str, int]:
    """A quiz done last week (3/3, 2/3, 1/3), one overdue nobody took, one due next week."""
    done = assign(app, world, NOW + timedelta(minutes=5))
    for name, picks in (("member", [True] * 3), ("bob", [True, False, True])):
        take_quiz(app, name, done, picks)
    take_quiz(app, "carol", done, [False, True, False])
    with app.app_context():  # handed in two days ago, due yesterday: on time
        db.session.execute(
            sa.update(Attempt)
            .where(Attempt.assignment_id == done)
            .values(finished_at=NOW - timedelta(days=2))
        )
        db.session.get(Assignment, done).due_at = NOW - timedelta(days=1)
        db.session.commit()
    overdue = assign(app, world, NOW - timedelta(days=2))
    upcoming = assign(app, world, NOW + timedelta(days=7))
    return {"done": done, "overdue": overdue, "upcoming": upcoming}


def cells_of(page: str, name: str) -> list[str]:
    """The data-state of each grade cell in a student's row of the gradebook page."""
    row = page.split(f">{name}</a></th>")[1].split("</tr>")[0]
    return [part.split('"')[0] for part in row.split('data-state="')[1:]]


def test_gradebook_shows_blank_missing_and_scores(
    client: FlaskClient, world: World, book: dict[str, int]
) -> None:
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/gradebook").get_data(as_text=True)
    # Ordered by due date: overdue (2 days ago), done (yesterday), upcoming (next week).
    assert cells_of(page, "member") == ["missing", "scored", "blank"]
    assert "100/100" in page and "66.67/100" in page and "33.33/100" in page
    assert "not due yet" in page
    # Missing work is left out by default: member's total is the one quiz taken.
    row = page.split(">member</a></th>")[1].split("</tr>")[0]
    assert "<strong>100%</strong>" in row


def test_missing_counts_as_zero_when_the_class_says_so(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int]
) -> None:
    with app.app_context():
        db.session.get(Classroom, world.classroom).missing_counts_zero = True
        db.session.commit()
    login_as(client, "teacher")
    _header, *rows = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook.csv"))
    member = next(row for row in rows if row[0] == "member")
    assert member[2:5] == ["0", "100", ""]  # overdue 0, done 100, upcoming blank
    assert member[-1] == "50"


def test_excusing_from_the_dashboard_leaves_the_cell_out(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int]
) -> None:
    with app.app_context():
        db.session.get(Classroom, world.classroom).missing_counts_zero = True
        db.session.commit()
    login_as(client, "teacher")
    member = user_id(app, "member")
    url = f"/teach/classes/{world.classroom}/assignments/{book['overdue']}/students/{member}/excuse"
    back = f"/teach/classes/{world.classroom}/dashboard"
    response = client.post(url, data={"excused": "1", "next": back})
    assert response.status_code == 302 and response.headers["Location"].endswith(back)
    dashboard = client.get(back).get_data(as_text=True)
    assert "grade: excused" in dashboard and "Clear excused" in dashboard
    _header, *rows = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook.csv"))
    row = next(r for r in rows if r[0] == "member")
    assert row[2] == "excused" and row[-1] == "100"
    # Cleared again from the student's page; an outside address for "next" is not followed.
    response = client.post(url, data={"excused": "0", "next": "https://evil.example/"})
    assert response.headers["Location"].endswith(f"/teach/classes/{world.classroom}/gradebook")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Excusal)) == 0
    assert client.post(url, data={"excused": "maybe"}).status_code == 400


def test_excuse_needs_the_csrf_token(app: Flask, world: World, book: dict[str, int]) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login_as(client, "teacher")
    member = user_id(app, "member")
    url = f"/teach/classes/{world.classroom}/assignments/{book['done']}/students/{member}/excuse"
    assert client.post(url, data={"excused": "1"}).status_code == 400
    page = client.get(f"/teach/classes/{world.classroom}/students/{member}").get_data(as_text=True)
    assert 'name="csrf_token"' in page and "Excuse" in page


@pytest.mark.parametrize(
    ("who", "code"),
    [("anonymous", 302), ("member", 403), ("other", 404), ("teacher", 200), ("admin", 200)],
)
@pytest.mark.parametrize(
    "path",
    [
        "gradebook",
        "gradebook/settings",
        "gradebook.csv",
        "gradebook-moodle.csv",
        "gradebook-canvas.csv",
    ],
)
def test_each_role_on_the_gradebook_pages(
    client: FlaskClient, world: World, who: str, code: int, path: str
) -> None:
    if who != "anonymous":
        login_as(client, who)
    response = client.get(f"/teach/classes/{world.classroom}/{path}")
    assert response.status_code == code
    if who == "anonymous":
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("who", "code"), [("anonymous", 302), ("member", 403), ("other", 404), ("admin", 302)]
)
def test_each_role_excusing(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int], who: str, code: int
) -> None:
    if who != "anonymous":
        login_as(client, who)
    member = user_id(app, "member")
    url = f"/teach/classes/{world.classroom}/assignments/{book['done']}/students/{member}/excuse"
    assert client.post(url, data={"excused": "1"}).status_code == code
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Excusal))
    assert count == (1 if who == "admin" else 0)


def test_an_outsider_or_another_class_assignment_is_a_404(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int]
) -> None:
    login_as(client, "teacher")
    outsider = user_id(app, "outsider")
    base = f"/teach/classes/{world.classroom}/assignments"
    assert client.post(f"{base}/{book['done']}/students/{outsider}/excuse").status_code == 404
    assert client.post(f"{base}/999999/students/{world.member}/excuse").status_code == 404


def test_settings_save_weights_points_and_penalties(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int]
) -> None:
    study = assign(app, world, NOW - timedelta(days=3), mode="study")
    login_as(client, "teacher")
    url = f"/teach/classes/{world.classroom}/gradebook/settings"
    page = client.get(url).get_data(as_text=True)
    assert 'name="cat-quiz-name"' in page and 'value="Quizzes"' in page
    form = {
        "late_penalty": "10",
        "cat-quiz-name": "Quizzes",
        "cat-quiz-weight": "70",
        "cat-study-name": "Study",
        "cat-study-weight": "30",
        "cat-new-name": "Homework",
        "cat-new-weight": "0",
        **{f"a-{aid}-category": "quiz" for aid in book.values()},
        f"a-{study}-category": "study",
        f"a-{book['done']}-points": "20",
        f"a-{book['done']}-penalty": "50",
    }
    response = client.post(url, data=form)
    assert response.status_code == 302
    with app.app_context():
        names = db.session.scalars(sa.select(GradeCategory.name).order_by(GradeCategory.id)).all()
        assert names == ["Quizzes", "Study", "Homework"]
        done = db.session.get(Assignment, book["done"])
        assert (done.points, done.late_penalty_pct, done.category_id) == (20, 50, None)
        assert db.session.get(Classroom, world.classroom).late_penalty_pct == 10
    header, *rows = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook.csv"))
    assert "Homework %" in header and any("20 points" in h for h in header)
    member = next(r for r in rows if r[0] == "member")
    assert member[4] == "20"  # the study assignment (due first) is column 2
    # A bad value changes nothing and says which field.
    bad = client.post(url, data={**form, f"a-{book['done']}-points": "-4"})
    assert bad.status_code == 422
    assert "points: give a number from 0 to 10000" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(GradeCategory)) == 3


def test_moodle_and_canvas_layouts(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int]
) -> None:
    login_as(client, "teacher")
    member = user_id(app, "member")
    client.post(
        f"/teach/classes/{world.classroom}/assignments/{book['overdue']}/students/{member}/excuse",
        data={"excused": "1"},
    )
    title = "'=SUM(A1:A9)"  # the set's title, neutralized as a formula
    moodle = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook-moodle.csv"))
    assert moodle[0] == ["Email address", title, title, title]
    by_email = {row[0]: row[1:] for row in moodle[1:]}
    assert by_email["member@example.org"] == ["", "100", ""]
    assert by_email["bob@example.org"] == ["", "66.67", ""]
    canvas = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook-canvas.csv"))
    ids = [book["overdue"], book["done"], book["upcoming"]]
    assert canvas[0] == [
        "Student", "ID", "SIS User ID", "SIS Login ID", "Section",
        *(f"{title} ({aid})" for aid in ids),
    ]  # fmt: skip
    assert canvas[1] == ["Points Possible", "", "", "", "", "100", "100", "100"]
    row = next(r for r in canvas[2:] if r[0] == "member")
    assert row == ["member", "", "", "member@example.org", "Geography 9B", "EX", "100", ""]


def override_carol(app: Flask, count: bool) -> None:
    """carol says "I was right" on one quiz answer; the set's owner counts it or not."""
    with app.app_context():
        carol = db.session.scalar(sa.select(User.id).where(User.username == "carol"))
        wrong = db.session.scalar(
            sa.select(Review).where(
                Review.user_id == carol, Review.correct.is_(False), Review.attempt_id.is_not(None)
            )
        )
        db.session.add(
            ReviewOverride(
                review_id=wrong.id,
                user_id=carol,
                question_id=wrong.question_id,
                rating=3,
                due_after=NOW,
            )
        )
        qset = db.session.get(QuestionSet, db.session.get(Question, wrong.question_id).set_id)
        qset.overrides_count_in_quizzes = count
        db.session.commit()


@pytest.mark.parametrize(("count", "points"), [(True, "66.67"), (False, "33.33")])
def test_overrides_count_when_the_sets_owner_says_so(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int], count: bool, points: str
) -> None:
    override_carol(app, count)
    login_as(client, "teacher")
    _header, *rows = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook.csv"))
    assert next(r for r in rows if r[0] == "carol")[3] == points
    dashboard = client.get(f"/teach/classes/{world.classroom}/dashboard").get_data(as_text=True)
    assert f"grade: {points}/100" in dashboard


def test_every_page_shows_the_same_numbers(
    app: Flask, client: FlaskClient, world: World, book: dict[str, int]
) -> None:
    study = assign(app, world, NOW - timedelta(days=1), mode="study")
    with app.app_context():
        db.session.get(Assignment, study).points = 50
        db.session.get(Classroom, world.classroom).missing_counts_zero = True
        db.session.commit()
    login_as(client, "teacher")
    _header, *rows = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook.csv"))
    total = next(r for r in rows if r[0] == "bob")[-1]
    bob = user_id(app, "bob")
    shown = f"{total}%"
    dashboard = client.get(f"/teach/classes/{world.classroom}/dashboard").get_data(as_text=True)
    assert f"<strong>{shown}</strong>" in dashboard.split(">bob</a></th>")[1].split("</tr>")[0]
    student = client.get(f"/teach/classes/{world.classroom}/students/{bob}")
    assert f"Grades: {shown}" in student.get_data(as_text=True)
    gradebook = client.get(f"/teach/classes/{world.classroom}/gradebook").get_data(as_text=True)
    assert f"<strong>{shown}</strong>" in gradebook.split(">bob</a></th>")[1].split("</tr>")[0]
    home = app.test_client()
    login_as(home, "bob")
    assert f"Your grade so far: <strong>{shown}</strong>" in home.get("/study/").get_data(
        as_text=True
    )
