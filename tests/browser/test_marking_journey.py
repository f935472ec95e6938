"""Essays marked by hand, in a real browser: the teacher writes an essay question and assigns
the quiz, two students answer, the teacher marks both with comments on the marking page
(rubric ticked by keyboard for one), releases the marks, and a student reads the comment;
axe-core on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from quiz.extensions import db
from quiz.models import Classroom, Enrollment, Question, QuestionSet, Role, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_class_journey import PASSWORD, log_in, new_page

pytestmark = pytest.mark.browser


def make_class(live_server: LiveServer) -> dict[str, Any]:
    """Teacher tess's class with kim and lee, and her set with one true/false question."""
    with live_server.app.app_context():
        users = {}
        for name, role in (("tess", Role.TEACHER), ("kim", Role.STUDENT), ("lee", Role.STUDENT)):
            user = User(email=f"{name}@example.org", role=role.value)
            user.set_username(name)
            user.set_password(PASSWORD, "pbkdf2:sha256:1000")
            db.session.add(user)
            users[name] = user
        db.session.flush()
        classroom = Classroom(teacher_id=users["tess"].id, name="Civics 11C", join_code="MRKG47")
        qset = QuestionSet(title="Sahel essays", visibility="private", owner_id=users["tess"].id)
        db.session.add_all([classroom, qset])
        db.session.flush()
        for name in ("kim", "lee"):
            db.session.add(Enrollment(classroom_id=classroom.id, user_id=users[name].id))
        db.session.add(
            Question(
                set_id=qset.id,
                key="tf",
                kind="true_false",
                spec={"answer": True},
                prompt="Niamey is the capital of Niger.",
                explanation="It is.",
                position=0,
            )
        )
        db.session.commit()
        return {"class": classroom.id, "set": qset.id}


def answer_quiz(page: Any, base: str, essay: str) -> None:
    """Start the assigned quiz, answer every page (the essay and the true/false), hand in."""
    page.goto(f"{base}/study/")
    page.locator("ul.assignments a").first.click()
    page.click("button:has-text('Start the quiz')")
    page.wait_for_url(re.compile(r"/study/attempts/\d+$"))
    for _ in range(2):
        if page.locator("textarea").count():
            assert "At most 80 words" in page.content()
            page.fill("textarea", essay)
        else:
            page.locator("[data-choice-key='1']").first.check()
        assert_accessible(page)
        with page.expect_navigation():
            page.locator("form button.primary[type=submit]").first.click()
    page.click("button:has-text('Hand in and see results')")
    page.wait_for_url(re.compile(r"/result$"))
    assert "This score is provisional" in page.content()
    assert_accessible(page)


def test_marking_journey(live_server: LiveServer, browser: Any) -> None:
    base = live_server.url
    made = make_class(live_server)
    teacher = new_page(browser)
    log_in(teacher, base, "tess")

    # The essay question, written on the authoring form with a rubric of two criteria.
    teacher.goto(f"{base}/teach/sets/{made['set']}/questions/new?kind=essay")
    assert_accessible(teacher)
    teacher.fill("#prompt", "Why did France leave Air Base 101?")
    teacher.fill("#word_limit", "80")
    teacher.fill("#model_answer", "The 2023 coup ended the partnership.")
    teacher.fill("#rubric-0-criterion", "Names the coup")
    teacher.fill("#rubric-0-points", "2")
    teacher.fill("#rubric-1-criterion", "Dates it")
    teacher.fill("#rubric-1-points", "1")
    teacher.fill("#explanation", "See the article's second part.")
    with teacher.expect_navigation():
        teacher.locator("form button[type=submit].primary").first.click()
    assert "Question added." in teacher.content()

    # Assigned to the class as a quiz.
    teacher.goto(f"{base}/teach/classes/{made['class']}/assignments/new")
    teacher.select_option("#set_id", value=str(made["set"]))
    teacher.select_option("#mode", "quiz")
    teacher.fill("#due_at", "2030-06-01T17:00")
    teacher.click("input[type=submit]")
    teacher.wait_for_url(re.compile(r"/teach/classes/\d+$"))

    # Two students answer.
    kim, lee = new_page(browser), new_page(browser)
    log_in(kim, base, "kim")
    answer_quiz(kim, base, "France left because of the coup in 2023.")
    log_in(lee, base, "lee")
    answer_quiz(lee, base, "Because of money.")

    # The dashboard counts what needs marking and leads to the marking page.
    teacher.goto(f"{base}/teach/classes/{made['class']}/dashboard")
    assert "(2 to mark)" in teacher.content()
    teacher.click("a:has-text('Marking')")
    teacher.wait_for_url(re.compile(r"/marking$"))
    assert "2 answers need marking" in teacher.content()
    assert_accessible(teacher)
    teacher.click("a:has-text('Mark them one after another')")
    teacher.wait_for_url(re.compile(r"/marking/attempts/\d+/questions/\d+$"))
    assert "The 2023 coup ended the partnership." in teacher.content()
    assert_accessible(teacher)

    # The first (kim's): both criteria ticked with the keys 1 and 2, a comment, Ctrl+Enter.
    assert "kim's answer" in teacher.content()
    teacher.locator("h1").click()  # keys act outside the text boxes
    teacher.keyboard.press("1")
    teacher.keyboard.press("2")
    assert teacher.locator("input[name=tick]:checked").count() == 2
    teacher.fill("#comment", "Clear and dated: well done.")
    with teacher.expect_navigation():
        teacher.locator("#comment").press("Control+Enter")
    assert "Mark saved for kim." in teacher.content()

    # The second (lee's): a typed score and a comment, by the button.
    assert "lee's answer" in teacher.content()
    teacher.fill("#score", "20")
    teacher.fill("#comment", "Name the coup and its year.")
    with teacher.expect_navigation():
        teacher.click("button:has-text('Save and next')")
    assert "Mark saved for lee." in teacher.content()
    assert_accessible(teacher)

    # By question: both marks side by side; then the marks are released.
    teacher.goto(teacher.url.split("/marking")[0] + "/marking")
    assert "0 answers need marking" in teacher.content()
    teacher.click("button:has-text('Release marks and comments')")
    assert "Marks and comments released" in teacher.content()
    assert_accessible(teacher)

    # lee reads the comment and the mark on the result page.
    lee.reload()
    text = lee.locator("main").inner_text()
    assert "Name the coup and its year." in text and "marked 20%" in text
    assert "provisional" not in text
    assert_accessible(lee)
    with live_server.app.app_context():
        scores = db.session.scalars(sa.text("SELECT score FROM attempt ORDER BY id")).all()
    assert [round(s, 3) for s in scores] == [1.0, 0.6]
    assert teacher.console_errors == [] and kim.console_errors == [] and lee.console_errors == []
