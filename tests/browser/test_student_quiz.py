"""A 10-question quiz in Chromium: random draw, flags, the map, the review page, the result."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.student_helpers import check_everywhere, register

pytestmark = pytest.mark.browser


def answer_what_is_shown(page: Any) -> None:
    """Give some answer to the question on the page, whatever its kind."""
    question = page.locator("fieldset.question").first
    for kind in ("radio", "checkbox"):
        boxes = question.locator(f"input[type={kind}]")
        if boxes.count():
            boxes.first.check()
            return
    texts = question.locator("input[type=text]")
    for index in range(texts.count()):
        texts.nth(index).fill("1")
    selects = question.locator(".pairs select")
    for index in range(selects.count()):
        selects.nth(index).select_option(index=1)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_ten_question_quiz_with_flag_and_review(
    live_server: LiveServer, browser: Any, javascript: bool
) -> None:
    base = live_server.url
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    register(page, base, f"quiz{int(javascript)}")
    page.locator("article.card").first.locator("a:has-text('Take as a quiz')").click()
    page.wait_for_url(re.compile(r"/quiz$"))
    check_everywhere(page, javascript)
    page.fill("#count", "10")
    page.fill("#time_limit_min", "30")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    assert "Question 1 of 10" in page.content()
    assert "30 seconds after still count" in page.content()
    check_everywhere(page, javascript)
    for number in range(1, 11):
        assert f"Question {number} of 10" in page.locator("header.page").inner_text()
        answer_what_is_shown(page)
        if number == 2:
            page.check("input[name=flag]")
        if number == 4:  # back one, then on again with the map
            with page.expect_navigation():
                page.click("button[name=go][value=prev]")
            assert "Question 3 of 10" in page.content()
            assert page.locator(".map-answered").count() == 4
            assert page.locator(".map-flagged").count() == 1
            check_everywhere(page, javascript)
            with page.expect_navigation():
                page.click("button[name=go][value='5']")
            continue
        with page.expect_navigation():
            page.click("button[name=go][value=next]")
    page.wait_for_url(re.compile(r"/review$"))
    text = page.locator("main").inner_text()
    assert "1 flagged" in text and "Flagged" in text
    check_everywhere(page, javascript)
    with page.expect_navigation():
        page.click("button:has-text('Hand in')")
    page.wait_for_url(re.compile(r"/result$"))
    text = page.locator("main").inner_text()
    assert "Score" in text and "By kind of question" in text
    assert page.locator("article.result-item").count() == 10
    check_everywhere(page, javascript)
    wrong = page.locator("article.result-item h3.verdict-bad").count()
    with page.expect_navigation():
        page.click("text=Show only wrong answers")
    assert page.locator("article.result-item").count() == wrong
    assert page.locator("article.result-item h3.verdict-ok").count() == 0
    check_everywhere(page, javascript)
    context.close()
