"""The class dashboard, a student's answers, item analysis, forecast and the CSV exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz import scheduling
from quiz.extensions import db
from quiz.models import Assignment, Card, Enrollment, Question, QuestionSet, User
from quiz.quizzes import attempts
from quiz.reports.csvcells import safe_cell
from quiz.study.answers import card_state, load_question
from tests.classes_helpers import World, login_as, make_world
from tests.conftest import make_user
from tests.progress_helpers import make_set

# Three students answer three true/false questions (all true). Totals 3, 2, 1: with 27% of
# three attempts (one) the upper group is "member" and the lower group is "carol".
ANSWERS = {
    "member": [True, True, True],
    "bob": [True, False, True],
    "carol": [False, True, False],
}


def take_quiz(app: Flask, username: str, assignment_id: int, picks: list[bool]) -> int:
    """A whole assigned quiz through the attempts module, each answer taking 4.2 seconds."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        assignment = db.session.get(Assignment, assignment_id)
        qset = db.session.get(QuestionSet, assignment.set_id)
        attempt = attempts.start_attempt(
            db.session,
            user,
            qset,
            one_page=False,
            time_limit_s=None,
            now=datetime.now(UTC),
            assignment_id=assignment_id,
            shuffle=False,
        )
        for question_id, pick in zip(attempt.question_order, picks, strict=True):
            question = db.session.get(Question, question_id)
            grade = load_question(question).grade(pick)
            judged = attempts.Judged(question, pick, grade, 4200)
            attempts.save_answer(db.session, user, attempt.id, judged, fuzzing=False)
        attempts.close_attempt(db.session, attempt.id, fuzzing=False)  # reviews made at hand-in
        return attempt.id


@pytest.fixture
def world(app: Flask) -> World:
    world = make_world(app)
    qset, _questions = make_set(app, 3, title="=SUM(A1:A9)", owner_id=world.teacher)
    world.set_id = qset
    for name in ("bob", "carol"):
        user_id = make_user(app, name).id
        with app.app_context():
            db.session.add(Enrollment(classroom_id=world.classroom, user_id=user_id))
            db.session.commit()
    return world


@pytest.fixture
def quiz_id(app: Flask, world: World) -> int:
    with app.app_context():
        assignment = Assignment(
            classroom_id=world.classroom,
            set_id=world.set_id,
            mode="quiz",
            due_at=datetime.now(UTC) + timedelta(days=2),
        )
        db.session.add(assignment)
        db.session.commit()
        aid = assignment.id
    for name, picks in ANSWERS.items():
        take_quiz(app, name, aid, picks)
    return aid


def test_dashboard_shows_each_students_scores(
    client: FlaskClient, world: World, quiz_id: int
) -> None:
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/dashboard").get_data(as_text=True)
    assert "best 100% · latest 100%" in page  # member
    assert "best 67%" in page and "best 33%" in page
    assert page.count("status-done") == 3
    # Sorted by the quiz column, best first: member, bob, carol.
    ranked = client.get(
        f"/teach/classes/{world.classroom}/dashboard?sort=a{quiz_id}&dir=desc"
    ).get_data(as_text=True)
    body = ranked.split("<tbody>")[1]
    assert body.index(">member<") < body.index(">bob<") < body.index(">carol<")
    ascending = client.get(f"/teach/classes/{world.classroom}/dashboard?sort=a{quiz_id}")
    body = ascending.get_data(as_text=True).split("<tbody>")[1]
    assert body.index(">carol<") < body.index(">bob<") < body.index(">member<")
    # Median per week, in the chart and as text.
    assert "Median quiz score per week" in page and '<td class="num">67%</td>' in page


def test_behind_filter(app: Flask, client: FlaskClient, world: World, quiz_id: int) -> None:
    with app.app_context():  # carol's cards all fell due a day ago
        carol = db.session.scalar(sa.select(User.id).where(User.username == "carol"))
        for card in db.session.scalars(sa.select(Card).where(Card.user_id == carol)):
            card.due = datetime.now(UTC) - timedelta(days=1)
        db.session.commit()
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/dashboard?behind=1&days=7")
    body = page.get_data(as_text=True).split("<tbody>")[1]
    assert ">carol<" in body and ">bob<" not in body and ">member<" not in body


def test_student_answers_page(client: FlaskClient, world: World, quiz_id: int) -> None:
    login_as(client, "teacher")
    page = client.get(
        f"/teach/classes/{world.classroom}/students/{world.member}?set={world.set_id}"
    ).get_data(as_text=True)
    assert page.count("verdict-ok") == 3 and "4.2 s" in page and "quiz" in page
    bob = client.get(f"/teach/classes/{world.classroom}/dashboard").get_data(as_text=True)
    assert "/students/" in bob
    # A set not assigned to this class is a 404 even for the owner.
    assert (
        client.get(
            f"/teach/classes/{world.classroom}/students/{world.member}?set=99999"
        ).status_code
        == 404
    )


def test_item_analysis_numbers_and_flag(client: FlaskClient, world: World, quiz_id: int) -> None:
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/sets/{world.set_id}/items").get_data(
        as_text=True
    )
    assert "<strong>3</strong> attempts" in page
    assert page.count("67%") >= 3  # facility 2/3 for each question
    assert page.count(">1.00<") == 2 and page.count(">0.00<") == 1
    # Three attempts are under the default minimum of 20: nothing is flagged, and it says so.
    assert page.count("Worth a second look") == 0
    assert page.count("Too few attempts (3 of 20)") == 3 and 'value="20"' in page
    assert "True: 2" in page and "False: 1" in page
    assert page.count("21%–94%") == 3  # facility 2/3 of 3: its 95% Wilson interval
    flagged = client.get(
        f"/teach/classes/{world.classroom}/sets/{world.set_id}/items?min=3"
    ).get_data(as_text=True)
    assert flagged.count("Worth a second look") == 1  # question 2: discrimination 0
    assert "Back to the default (20)" in flagged
    # Nonsense in ?min= falls back to the default, never a 500.
    odd = client.get(f"/teach/classes/{world.classroom}/sets/{world.set_id}/items?min=-4x")
    assert odd.status_code == 200 and 'value="20"' in odd.get_data(as_text=True)


def test_item_analysis_only_for_a_set_assigned_as_a_quiz(
    client: FlaskClient, world: World, quiz_id: int, app: Flask
) -> None:
    other, _ = make_set(app, 2, title="Not assigned", owner_id=world.teacher)
    login_as(client, "teacher")
    assert client.get(f"/teach/classes/{world.classroom}/sets/{other}/items").status_code == 404


def test_forecast_equals_fsrs_retrievability(
    app: Flask, client: FlaskClient, world: World, quiz_id: int
) -> None:
    exam = (datetime.now(UTC) + timedelta(days=20)).date()
    login_as(client, "teacher")
    page = client.get(
        f"/teach/classes/{world.classroom}/forecast?exam={exam.isoformat()}"
    ).get_data(as_text=True)
    when = datetime.combine(exam, datetime.min.time(), tzinfo=UTC).replace(hour=9)
    with app.app_context():
        cards = db.session.scalars(sa.select(Card).where(Card.user_id == world.member)).all()
        expected = [scheduling.retrievability(card_state(card), when) for card in cards]
    assert len(expected) == 3
    for value in expected:
        assert f"{round(value * 100)}%" in page
    assert "Study these before the exam" in page and "Class average" in page


def test_student_sees_forecast_for_their_due_dates(app: Flask, world: World, quiz_id: int) -> None:
    student = app.test_client()
    login_as(student, "carol")
    page = student.get("/study/progress").get_data(as_text=True)
    assert "Your assignments' due dates" in page and "=SUM(A1:A9)" in page
    with app.app_context():
        due = db.session.get(Assignment, quiz_id).due_at
        carol = db.session.scalar(sa.select(User.id).where(User.username == "carol"))
        recalls = {
            card.question_id: scheduling.retrievability(card_state(card), due)
            for card in db.session.scalars(sa.select(Card).where(Card.user_id == carol))
        }
    low = sorted(value for value in recalls.values() if value < 0.9)
    assert low, "carol's wrong answers should be forecast below 90%"
    section = page.split("Study these before the due date")[1].split("</ul>")[0]
    assert section.count("<li>") == len(low)
    for value in low:
        assert f"— {round(value * 100)}%" in section
    mean = sum(recalls.values()) / 3
    assert f"Recall on that date: <strong>{round(mean * 100)}%</strong>" in page


def rows_of(response) -> list[list[str]]:
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_gradebook_csv(app: Flask, client: FlaskClient, world: World, quiz_id: int) -> None:
    login_as(client, "teacher")
    rows = rows_of(client.get(f"/teach/classes/{world.classroom}/gradebook.csv"))
    header, *students = rows
    assert header[:2] == ["Student", "Email"]
    assert header[2].startswith("'=SUM(A1:A9) (quiz, due ") and header[2].endswith("100 points)")
    assert header[3:] == ["Quizzes %", "Study %", "Missing", "Excused", "Late", "Total %"]
    by_name = {row[0]: row for row in students}
    assert by_name["member"][1:] == ["member@example.org", "100", "100", "", "0", "0", "0", "100"]
    assert by_name["carol"][2] == "33.33" and by_name["carol"][-1] == "33.3"


def test_answers_csv_has_a_row_per_answer(
    app: Flask, client: FlaskClient, world: World, quiz_id: int
) -> None:
    login_as(client, "teacher")
    header, *rows = rows_of(client.get(f"/teach/classes/{world.classroom}/answers.csv"))
    assert header[:2] == ["Student", "Set"]
    assert len(rows) == 9
    assert {row[1] for row in rows} == {"'=SUM(A1:A9)"}
    assert sorted(row[5] for row in rows).count("no") == 3
    assert all(row[7] == "4.2" for row in rows)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (-1.5, -1.5),
        (None, ""),
    ],
)
def test_formula_like_cells_are_neutralized(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_a_student_in_two_classes_is_seen_only_through_each_teachers_sets(
    app: Flask, client: FlaskClient, world: World, quiz_id: int
) -> None:
    """The other teacher's class holds member too, but has assigned nothing of this set."""
    from quiz.models import Classroom

    with app.app_context():
        theirs = Classroom(teacher_id=world.other_teacher, name="Other", join_code="HJK4MN")
        db.session.add(theirs)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=theirs.id, user_id=world.member))
        db.session.commit()
        their_class = theirs.id
    other = app.test_client()
    login_as(other, "other")
    page = other.get(f"/teach/classes/{their_class}/students/{world.member}").get_data(as_text=True)
    assert "No answers on this class" in page
    _header, *rows = rows_of(other.get(f"/teach/classes/{their_class}/answers.csv"))
    assert rows == []
    assert other.get(f"/teach/classes/{their_class}/gradebook.csv").status_code == 200
    assert other.get(f"/teach/classes/{world.classroom}/dashboard").status_code == 404


def test_overrides_show_on_the_student_page_and_in_the_csv(
    app: Flask, client: FlaskClient, world: World, quiz_id: int
) -> None:
    from quiz.models import Review, ReviewOverride

    with app.app_context():
        carol = db.session.scalar(sa.select(User.id).where(User.username == "carol"))
        wrong = db.session.scalar(
            sa.select(Review).where(Review.user_id == carol, Review.correct.is_(False))
        )
        db.session.add(
            ReviewOverride(
                review_id=wrong.id,
                user_id=carol,
                question_id=wrong.question_id,
                rating=3,
                due_after=datetime.now(UTC),
            )
        )
        db.session.commit()
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/students/{carol}").get_data(as_text=True)
    assert page.count("student said it was right") == 1
    _header, *rows = rows_of(client.get(f"/teach/classes/{world.classroom}/answers.csv"))
    assert [row[10] for row in rows].count("student said it was right") == 1


def test_unanswered_questions_of_an_attempt_score_zero(
    app: Flask, client: FlaskClient, world: World, quiz_id: int
) -> None:
    """A fourth student answers only the first question, then ends the quiz."""
    dan = make_user(app, "dan").id
    with app.app_context():
        db.session.add(Enrollment(classroom_id=world.classroom, user_id=dan))
        db.session.commit()
    student = app.test_client()
    login_as(student, "dan")
    location = student.post(f"/study/assignments/{quiz_id}/quiz").location
    attempt_id = int(location.split("/")[-1])
    with app.app_context():
        first = db.session.get(attempts.Attempt, attempt_id).question_order[0]
    student.post(
        f"/study/attempts/{attempt_id}/answer", data={"question_id": first, "answer": "true"}
    )
    student.post(f"/study/attempts/{attempt_id}/finish")
    login_as(client, "teacher")
    page = client.get(f"/teach/classes/{world.classroom}/sets/{world.set_id}/items").get_data(
        as_text=True
    )
    assert "<strong>4</strong> attempts" in page
    # Questions 2 and 3: right for two of the three earlier students, left blank by dan.
    assert page.count(">50%<") == 2 and page.count(">75%<") == 1


def test_forecast_arranged_and_never_studied_named(
    client: FlaskClient, world: World, quiz_id: int
) -> None:
    """Issue 20: the study lists ended in "— —"; the matrix could not be narrowed or grouped."""
    with client.application.app_context():  # a question nobody has met yet
        db.session.add(
            Question(
                set_id=world.set_id, key="late", kind="true_false", prompt="Late addition?",
                spec={"answer": True}, explanation="Because.", position=999,
            )
        )  # fmt: skip
        db.session.commit()
    login_as(client, "teacher")
    url = f"/teach/classes/{world.classroom}/forecast?exam=2030-01-01"
    page = client.get(url).get_data(as_text=True)
    assert "— never studied</li>" in page and "— —" not in page
    assert page.count('class="col-tip"') >= 3 and "<svg" in page
    grouped = client.get(url + "&group=tag&sort=average").get_data(as_text=True)
    assert "Students (rows) by tags (columns)" in grouped
    assert 'aria-current="true">Average' in grouped
    none = client.get(url + "&student=nobody-like-this").get_data(as_text=True)
    assert "No student or question matches that search." in none
