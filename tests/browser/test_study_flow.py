"""A student in a real browser: register, study with the keyboard, reorder, log out."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import Question
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

PASSWORD = "a browser passphrase"


def register(page: Any, base: str, name: str) -> None:
    """Create an account through the form."""
    page.goto(f"{base}/auth/register")
    page.fill("#username", name)
    page.fill("#email", f"{name}@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/study/$"))


def test_register_study_and_log_out(live_server: LiveServer, page: Any) -> None:
    base = live_server.url
    register(page, base, "bea")
    page.click("text=Start with")
    page.wait_for_url(re.compile(r"/study/next$"))
    # The first questions are answered from the keyboard: a digit picks, Enter checks.
    for _ in range(3):
        page.wait_for_load_state()  # app.js's key handler is set up once the page has loaded
        if page.locator("[data-choice-key='1']").count():
            page.keyboard.press("1")
            assert page.locator("[data-choice-key='1']").is_checked()
            page.locator("button:has-text('Check')").click()
        elif page.locator("a:has-text('Show answer')").count():
            page.click("a:has-text('Show answer')")
            page.keyboard.press("3")  # Good: straight on to the next card
            page.wait_for_url(re.compile(r"/study/next\?last="))
            assert "Last:" in page.content()
            continue
        elif page.locator("fieldset.question select").count():  # matching or ordering
            matches = page.locator("fieldset.question-matching select")
            for index in range(matches.count()):
                matches.nth(index).select_option(index=1)
            page.locator("button:has-text('Check')").click()
        else:  # typed answers: a number where one is asked for, a word elsewhere
            numeric = page.locator("fieldset.question-numeric").count() > 0
            fields = page.locator("fieldset.question input[type=text]")
            for index in range(fields.count()):
                fields.nth(index).fill("60" if numeric else "Niamey")
            page.locator("button:has-text('Check')").click()
        expect(page.locator(".verdict-ok, .verdict-bad").first).to_be_visible()
        if page.locator("[data-rating-key='3']").count():  # right: say how it felt
            assert "Hard" in page.content() and "Easy" in page.content()
            page.keyboard.press("3")  # Good: straight on to the next card
            page.wait_for_url(re.compile(r"/study/next\?last="))
            assert "Last:" in page.content()
            continue
        assert "Comes back" in page.content()
        page.click("text=Next question")
    page.goto(f"{base}/study/progress")
    assert "Streak" in page.content()
    page.click("button:has-text('Log out')")
    page.wait_for_url(re.compile(r"/auth/login"))
    page.goto(f"{base}/study/")
    assert "/auth/login" in page.url
    assert page.console_errors == []


def ordering_question(live_server: LiveServer) -> tuple[int, list[str]]:
    """An ordering question of the starter bank with at least three items."""
    with live_server.app.app_context():
        for question in db.session.scalars(sa.select(Question).where(Question.kind == "ordering")):
            if len(question.spec["items"]) >= 3:
                return question.id, list(question.spec["items"])
    raise AssertionError("the starter bank has no ordering question with 3 items")


def label(row: Any) -> str:
    """An ordering item's visible text (the label also holds a hidden "Place of")."""
    return " ".join(row.locator("label").inner_text().split()).removeprefix("Place of ").strip()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_ordering_question(live_server: LiveServer, browser: Any, javascript: bool) -> None:
    """Up/down buttons with JavaScript, position menus without: both put items in order."""
    question_id, items = ordering_question(live_server)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    register(page, live_server.url, f"order{int(javascript)}")
    page.goto(f"{live_server.url}/study/questions/{question_id}")
    rows = page.locator("ol.ordering li")
    assert [
        rows.nth(i).locator("label").inner_text().removeprefix("Place of ").strip()
        for i in range(rows.count())
    ] != items  # never shown solved
    if javascript:
        for target, text in enumerate(items):
            row = page.locator("ol.ordering li", has_text=text)
            while page.locator("ol.ordering li").nth(target).inner_text() != row.inner_text():
                row.locator("button[aria-label='Move up']").click()
    else:
        assert page.locator("button[aria-label='Move up']").count() == 0
        for index in range(rows.count()):
            position = items.index(label(rows.nth(index))) + 1
            rows.nth(index).locator("select").select_option(str(position))
    page.locator("button:has-text('Check')").click()
    expect(page.locator(".verdict-ok")).to_be_visible()
    context.close()


def test_login_and_study_pages_pass_axe(live_server: LiveServer, page: Any) -> None:
    """The login page, the study home and a question page have no axe-core violation."""
    from tests.browser.axe import assert_accessible

    base = live_server.url
    page.goto(f"{base}/auth/login")
    assert_accessible(page)
    register(page, base, "axel")
    assert_accessible(page)
    page.click("text=Start with")
    page.wait_for_url(re.compile(r"/study/next$"))
    assert_accessible(page)
