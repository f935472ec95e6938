"""Partial credit in Chromium (issue 22): a student takes a quiz on a set with weighted answers,
gives the 25% "Bethlehem" and the 50% choice, and the result page shows each as partly right
with that answer's own feedback; every page passes axe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.student_helpers import check_everywhere, register
from tests.study_helpers import load_set
from tests.test_quiz_partial_credit import WEIGHTED_SET

pytestmark = pytest.mark.browser


def answer_partly(page: Any) -> None:
    """Give the partly right answer to whichever question is shown."""
    question = page.locator("fieldset.question").first
    if question.locator("input[type=radio]").count():
        question.locator("label", has_text="Judea").click()
    else:
        question.locator("input[type=text]").first.fill("Bethlehem")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_partly_right_answers_show_as_partly_right_in_the_quiz_result(
    live_server: LiveServer, browser: Any, javascript: bool
) -> None:
    base = live_server.url
    load_set(live_server.app, WEIGHTED_SET)  # idempotent: the bank code matches by slug
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    register(page, base, f"partial{int(javascript)}")
    page.locator("article.card", has_text="Hometown").locator(
        "a:has-text('Take as a quiz')"
    ).click()
    page.wait_for_url(re.compile(r"/quiz$"))
    page.fill("#count", "2")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/attempts/\d+$"))
    for _ in range(2):
        answer_partly(page)
        with page.expect_navigation():
            page.click("button[name=go][value=next]")
    page.wait_for_url(re.compile(r"/review$"))
    with page.expect_navigation():
        page.click("button:has-text('Hand in')")
    page.wait_for_url(re.compile(r"/result$"))
    main = page.locator("main").inner_text()
    assert "38%" in main  # (25% + 50%) / 2, in whole percents
    assert "Partly right (25%)" in main and "He was born here, but not raised here." in main
    assert "Partly right (50%)" in main and "Half: his birthplace is there." in main
    assert "Nazareth (partly right: Nazereth 75%, Bethlehem 25%)" in main
    assert page.locator("article.result-item h3.verdict-ok").count() == 0
    check_everywhere(page, javascript)
    context.close()
