"""In Chromium: a student is marked wrong, says "I was right", and the teacher accepts it."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from quiz.extensions import db
from quiz.models import Question, ReviewOverride, Role
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.conftest import PASSWORD, make_user
from tests.test_override import make_set

pytestmark = pytest.mark.browser


def log_in(page: Any, base: str, name: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/auth/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/(study|teach)/$"))


def test_student_overrides_and_teacher_accepts(live_server: LiveServer, page: Any) -> None:
    base, app = live_server.url, live_server.app
    make_user(app, "stella")
    teacher = make_user(app, "tariq", role=Role.TEACHER)
    _set_id, ids = make_set(app, teacher.id)

    log_in(page, base, "stella")
    page.goto(f"{base}/study/questions/{ids['base']}")
    assert_accessible(page)
    page.fill("fieldset.question input[type=text]", "Tillia")
    page.locator("button:has-text('Check')").click()
    page.wait_for_url(re.compile(r"/study/reviews/\d+$"))
    assert page.locator(".verdict-bad").inner_text() == "Wrong"
    assert_accessible(page)
    page.click("button:has-text('I was right')")
    page.wait_for_url(re.compile(r"/study/reviews/\d+$"))
    assert "you said you were right" in page.locator(".override-note").inner_text()
    assert "The original grade is kept" in page.locator(".flashes").inner_text()
    assert page.locator(".verdict-bad").inner_text() == "Wrong"  # the grade stays visible
    assert page.locator("button:has-text('I was right')").count() == 0
    assert_accessible(page)
    # A cloze answered with a name the author may accept (issue 23's synonyms).
    page.goto(f"{base}/study/questions/{ids['cloze']}")
    page.fill("[name='gap-0']", "American")
    page.fill("[name='gap-1']", "Air Base 101")
    page.locator("button:has-text('Check')").click()
    page.wait_for_url(re.compile(r"/study/reviews/\d+$"))
    # The date order numeric dates are read in, in the study settings.
    page.goto(f"{base}/study/settings")
    page.select_option("#date_order", "month_first")
    page.click("input[type=submit][value=Save]")
    page.wait_for_url(re.compile(r"/study/settings$"))
    assert page.locator("#date_order").input_value() == "month_first"
    assert_accessible(page)
    page.click("button:has-text('Log out')")
    page.wait_for_url(re.compile(r"/auth/login"))

    log_in(page, base, "tariq")
    page.goto(f"{base}/teach/")
    page.click("text=Answers your students said were right")
    page.wait_for_url(re.compile(r"/teach/overrides$"))
    row = page.locator("table.overrides tbody tr")
    assert row.count() == 1 and "Tillia" in row.inner_text() and "stella" in row.inner_text()
    assert_accessible(page)
    page.click("button:has-text('Accept this answer')")
    page.wait_for_url(re.compile(r"/teach/overrides$"))
    assert "grades right for everyone" in page.locator(".flashes").inner_text()
    assert page.locator("button:has-text('Accept this answer')").count() == 0
    assert_accessible(page)
    page.click("text=Niger and the Sahel")
    page.wait_for_url(re.compile(r"/teach/sets/\d+/overrides$"))
    page.check("#count_in_quizzes")
    page.click("input[type=submit][value=Save]")
    page.wait_for_url(re.compile(r"/teach/sets/\d+/overrides$"))
    assert page.locator("#count_in_quizzes").is_checked()
    assert_accessible(page)
    # The wrong answers students typed most often, under Teach, with one-click Accept this.
    page.goto(f"{base}/teach/sets/{_set_id}")
    page.click("a:has-text('Wrong answers to question 3')")
    page.wait_for_url(re.compile(r"/teach/questions/\d+/wrong-answers$"))
    assert "American" in page.locator("table.data tbody").inner_text()
    assert_accessible(page)
    page.click("button:has-text('Accept this')")
    page.wait_for_url(re.compile(r"/teach/questions/\d+/wrong-answers$"))
    assert "now accepted" in page.locator(".flashes").inner_text()
    assert_accessible(page)
    assert page.console_errors == []

    with app.app_context():
        assert "Tillia" in db.session.get(Question, ids["base"]).spec["answers"]
        assert "{{US|American}}" in db.session.get(Question, ids["cloze"]).spec["text"]
        accepted = db.session.scalar(sa.select(ReviewOverride.accepted_at))
        assert accepted is not None


def test_override_on_a_quiz_result(live_server: LiveServer, page: Any) -> None:
    """One-page quiz: a typed answer marked wrong is overridden from the result page."""
    base, app = live_server.url, live_server.app
    make_user(app, "quinn")
    teacher = make_user(app, "tilda", role=Role.TEACHER)
    set_id, ids = make_set(app, teacher.id, title="Quiz set")
    log_in(page, base, "quinn")
    page.goto(f"{base}/study/sets/{set_id}/quiz")
    page.select_option("#layout", "one_page")
    page.click("input[type=submit][value='Start the quiz'], form.card input[type=submit]")
    page.wait_for_url(re.compile(r"/study/attempts/\d+$"))
    page.fill(f"[name='q{ids['base']}-answer']", "Tillia")
    page.click("button:has-text('Finish and see results')")
    page.wait_for_url(re.compile(r"/study/attempts/\d+/result$"))
    score = page.locator("p.lead strong").inner_text()
    assert page.locator("button:has-text('I was right')").count() == 1
    assert_accessible(page)
    page.click("button:has-text('I was right')")
    page.wait_for_url(re.compile(r"/study/attempts/\d+/result#q\d+$"))
    note = page.locator(f"#q{ids['base']} + section .override-note").inner_text()
    assert "Marked wrong; you said you were right." in note
    assert "keeps the original grade" in note
    assert page.locator("p.lead strong").inner_text() == score  # default: not counted
    assert_accessible(page)
    assert page.console_errors == []
