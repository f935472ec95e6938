"""A class in a real browser: a teacher sets it up, two students join and work, reports show it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import Role, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

PASSWORD = "a browser passphrase"
QUIZ_ANSWERS = 4


def make_teacher(live_server: LiveServer, name: str) -> None:
    """A teacher account (teachers are appointed, not self-registered)."""
    with live_server.app.app_context():
        user = User(email=f"{name}@example.org", role=Role.TEACHER.value)
        user.set_username(name)
        user.set_password(PASSWORD, "pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()


def new_page(browser: Any) -> Any:
    """A page in its own context (its own cookies), collecting console errors."""
    page = browser.new_context().new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return page


def log_in(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/(study|teach)/$"))


def fill_registration(page: Any, name: str) -> None:
    page.fill("#username", name)
    page.fill("#email", f"{name}@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("input[type=submit]")


def answer_on_page(page: Any) -> None:
    """Give some answer to the question on screen, whatever its kind."""
    if page.locator("[data-choice-key='1']").count():
        page.locator("[data-choice-key='1']").first.check()
    elif page.locator("fieldset.question-matching select").count():
        menus = page.locator("fieldset.question-matching select")
        for index in range(menus.count()):
            menus.nth(index).select_option(index=1)
    elif page.locator("fieldset.question input[type=text]").count():
        numeric = page.locator("fieldset.question-numeric").count() > 0
        fields = page.locator("fieldset.question input[type=text]")
        for index in range(fields.count()):
            fields.nth(index).fill("2" if numeric else "Niamey")


def study_a_little(page: Any, base: str) -> None:
    """Answer three questions in study mode (flashcards flip in place, ratings go straight on)."""
    page.goto(f"{base}/study/next")
    for _ in range(3):
        if page.locator("a:has-text('Show answer')").count():
            page.click("a:has-text('Show answer')")
            expect(page.locator("button[value='good']")).to_be_visible()
            with page.expect_navigation():
                page.click("button[value='good']")
            continue
        answer_on_page(page)
        with page.expect_navigation():
            page.locator("button:has-text('Check')").click()
        expect(page.locator(".verdict").first).to_be_visible()
        if page.locator("[data-rating-key='3']").count():  # right: Hard / Good / Easy
            with page.expect_navigation():
                page.locator("[data-rating-key='3']").click()
        else:  # wrong: the feedback page
            with page.expect_navigation():
                page.locator("a:has-text('Next question'), a:has-text('Continue')").first.click()
    assert "/study/" in page.url


def test_class_journey(live_server: LiveServer, browser: Any) -> None:
    base = live_server.url
    make_teacher(live_server, "tess")
    teacher = new_page(browser)
    log_in(teacher, base, "tess")
    teacher.goto(f"{base}/teach/")
    teacher.click("text=Your classes")
    assert_accessible(teacher)
    teacher.click("text=New class")
    assert_accessible(teacher)
    teacher.fill("#name", "Geography 9B")
    teacher.fill("#timezone", "Africa/Niamey")
    teacher.click("input[type=submit]")
    teacher.wait_for_url(re.compile(r"/teach/classes/\d+$"))
    assert_accessible(teacher)
    class_url = teacher.url
    code = teacher.locator(".join-code").inner_text().replace(" ", "")
    assert len(code) == 6
    teacher.click("text=Show on a projector")
    assert code[:3] in teacher.locator(".projector-code").inner_text()
    # The QR code is an SVG the app serves: the image loads and has a size.
    teacher.wait_for_function("document.querySelector('.projector-qr').naturalWidth > 0")
    assert_accessible(teacher)

    # Two students: one types the code on their home page, one follows the link.
    amy = new_page(browser)
    amy.goto(f"{base}/auth/register")
    fill_registration(amy, "amy")
    amy.wait_for_url(re.compile(r"/(study|teach)/$"))
    amy.fill("#join-code", "WRONG1")
    amy.click(".join-box button")
    assert "No class has that code" in amy.content()
    assert_accessible(amy)
    assert amy.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (UNPROCESSABLE ENTITY)"
    ]
    amy.console_errors.clear()  # the 422 of the wrong code was the point
    amy.fill("#code", code.lower())
    amy.click("input[type=submit]")
    amy.wait_for_url(re.compile(r"/(study|teach)/$"))
    assert "You joined" in amy.content() and "Geography 9B" in amy.content()
    assert_accessible(amy)

    # The link the class page shares is signed: it names the class and its teacher.
    teacher.goto(class_url)
    link = teacher.locator("a[href*='/study/join/']").get_attribute("href")
    assert re.search(rf"/study/join/{code}\?k=[a-z2-7]{{8}}$", link)
    ben = new_page(browser)
    ben.goto(link)
    invitation = "You are invited to the class Geography 9B, taught by tess."
    assert invitation in ben.locator("main").inner_text()
    assert_accessible(ben)
    ben.click("a.button:has-text('Create an account')")
    fill_registration(ben, "ben")
    ben.wait_for_url(re.compile(rf"/study/join/{code}\?k="))
    assert invitation in ben.locator("main").inner_text()
    assert_accessible(ben)
    ben.click("input[type=submit]")
    ben.wait_for_url(re.compile(r"/(study|teach)/$"))
    assert "Geography 9B" in ben.content()

    # The teacher assigns the starter set as a quiz and as study.
    for mode in ("quiz", "study"):
        teacher.goto(class_url)
        teacher.click("text=Assign a set")
        assert_accessible(teacher)
        # Each set is named with its owner, size and last edit (issue 20).
        starter = teacher.locator("#set_id option", has_text="Niger, Air Base 101 and the Sahel")
        assert re.fullmatch(
            r"Niger, Air Base 101 and the Sahel \(starter bank, \d+ questions, edited [\d-]+\)",
            starter.inner_text(),
        )
        teacher.select_option("#set_id", value=starter.get_attribute("value"))
        teacher.select_option("#mode", mode)
        # Only the chosen mode's settings show, in the app's own frame (not the grey groove).
        shown, hidden = ("#max_attempts", "#target_percent")[:: 1 if mode == "quiz" else -1]
        expect(teacher.locator(shown)).to_be_visible()
        expect(teacher.locator(hidden)).to_be_hidden()
        style = teacher.eval_on_selector(
            ".mode-settings:not([hidden])", "f => getComputedStyle(f).borderTopStyle"
        )
        assert style == "solid"
        assert_accessible(teacher)
        teacher.fill("#due_at", "2030-06-01T17:00")
        teacher.click("input[type=submit]")
        teacher.wait_for_url(re.compile(r"/teach/classes/\d+$"))
    assert teacher.locator("text=2030-06-01 17:00").count() == 2

    # The students work.
    for student in (amy, ben):
        student.goto(f"{base}/study/")
        assert "to do" in student.content()
        assert_accessible(student)
        student.locator("ul.assignments a").first.click()
        student.click("button:has-text('Start the quiz')")
        student.wait_for_url(re.compile(r"/study/attempts/\d+$"))
        assert_accessible(student)
        for _ in range(QUIZ_ANSWERS):
            answer_on_page(student)
            with student.expect_navigation():
                student.locator("form button.primary[type=submit]").first.click()
        # Hand in early, as in Moodle: the review page, then "Hand in".
        with student.expect_navigation():
            student.click("button[name=go][value=review]")
        assert_accessible(student)
        student.click("button:has-text('Hand in and see results')")
        student.wait_for_url(re.compile(r"/result$"))
        assert_accessible(student)
        study_a_little(student, base)
        student.goto(f"{base}/study/progress")
        assert "due dates" in student.content()
        assert_accessible(student)

    # What the teacher sees.
    teacher.goto(class_url)
    teacher.click("text=Dashboard")
    body = teacher.locator("table.dashboard tbody").inner_text()
    assert "amy" in body and "ben" in body and body.count("done") >= 2 and "best" in body
    assert_accessible(teacher)
    teacher.click("table.dashboard thead a:has-text('Item analysis')")
    assert "2</strong> attempts" in teacher.content()
    assert_accessible(teacher)
    teacher.goto(class_url)
    teacher.click("text=Retention forecast")
    assert "Study these before the exam" in teacher.content()
    assert teacher.locator("table.heat tbody tr").count() == 2
    # The heat map sits above the table; a column's question shows on keyboard focus and hover.
    assert teacher.locator("figure.forecast-map svg rect").count() >= 2
    first = teacher.locator("table.heat thead a.col-head").first
    tip = first.locator(".col-tip")
    first.focus()
    assert tip.bounding_box()["width"] > 40 and tip.inner_text().strip()
    assert_accessible(teacher)
    teacher.mouse.move(0, 0)
    teacher.locator("table.heat thead a.col-head").nth(1).hover()
    assert teacher.locator("table.heat thead .col-tip").nth(1).bounding_box()["width"] > 40
    # Grouped by tag, sorted weakest first, narrowed to one student.
    teacher.select_option("#group", "tag")
    teacher.fill("#student", "amy")
    teacher.click("button:has-text('Forecast')")
    assert teacher.locator("table.heat tbody tr").count() == 1
    assert "niger" in teacher.locator("table.heat thead").inner_text()
    assert_accessible(teacher)
    teacher.goto(class_url)
    teacher.click("table a:has-text('amy')")
    assert teacher.locator("table.data tbody tr").count() >= QUIZ_ANSWERS
    assert_accessible(teacher)
    teacher.goto(class_url)
    teacher.click("ul.stats a:has-text('Gradebook')")
    assert_accessible(teacher)
    with teacher.expect_download() as info:
        teacher.click("text=this gradebook (CSV)")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("Student,") and "amy" in text and "ben" in text
    for person in (teacher, amy, ben):
        assert person.console_errors == []
        person.context.close()


def test_new_class_and_registration_start_in_the_browsers_zone(
    live_server: LiveServer, browser: Any
) -> None:
    """Issue 20: classes and students defaulted to UTC; the browser's zone now fills the new
    class form (editable) and a registration, and a student's page names it."""
    base = live_server.url
    make_teacher(live_server, "tokio")  # made by hand: the account's own zone is UTC
    context = browser.new_context(timezone_id="Asia/Tokyo")
    teacher = context.new_page()
    log_in(teacher, base, "tokio")
    teacher.goto(f"{base}/teach/classes/new")
    expect(teacher.locator("#timezone")).to_have_value("Asia/Tokyo")
    assert_accessible(teacher)
    teacher.fill("#name", "Tokyo 7A")
    teacher.fill("#timezone", "Asia/Seoul")  # editable: the teacher's choice wins
    teacher.click("input[type=submit]")
    teacher.wait_for_url(re.compile(r"/teach/classes/\d+$"))
    teacher.goto(teacher.url + "/edit")
    expect(teacher.locator("#timezone")).to_have_value("Asia/Seoul")  # not overwritten
    context.close()
    student_context = browser.new_context(timezone_id="America/Lima")
    student = student_context.new_page()
    student.goto(f"{base}/auth/register")
    fill_registration(student, "lima")
    student.wait_for_url(re.compile(r"/study/$"))
    with live_server.app.app_context():
        zone = db.session.scalar(sa.select(User.timezone).where(User.username == "lima"))
    assert zone == "America/Lima"
    student_context.close()
