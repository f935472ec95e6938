"""Students in Chromium: a flashcard session by keyboard with undo, two tabs, custom study,
browsing and suspending; with and without JavaScript, axe-checked at two widths and schemes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import LiveServer
from tests.browser.student_helpers import check_everywhere, flashcard_set, register, study_set

pytestmark = pytest.mark.browser
MODES = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def new_page(browser: Any, javascript: bool) -> tuple[Any, Any]:
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return context, page


def flip_and_rate_good(page: Any, javascript: bool) -> None:
    """Show the answer and rate Good with the keyboard alone (Space with JS, Enter without)."""
    front_url = page.url
    if javascript:
        page.locator("[data-flip-url][data-ready]").wait_for(state="attached")
        page.keyboard.press("Space")  # the back was fetched while the front was read: no request
        page.locator(".flashcard.back").wait_for()
        assert page.url == front_url
        assert page.evaluate("document.activeElement.id") == "card"
        with page.expect_navigation():
            page.keyboard.press("Space")  # Good
    else:
        page.locator("a[data-flip-url]:focus").wait_for()  # autofocus lands after the load
        with page.expect_navigation():
            page.keyboard.press("Enter")  # "Show answer" is focused: a plain request
        assert "/study/flip/" in page.url
        page.locator("[data-default-rating]:focus").wait_for()
        with page.expect_navigation():
            page.keyboard.press("Enter")  # Good is focused
    assert re.search(r"/study/(custom/)?next", page.url), page.url


@MODES
def test_flashcard_session_by_keyboard_with_undo(
    live_server: LiveServer, browser: Any, javascript: bool
) -> None:
    base = live_server.url
    title = flashcard_set(live_server, f"kb{int(javascript)}", 3)
    context, page = new_page(browser, javascript)
    register(page, base, f"keys{int(javascript)}")
    study_set(page, base, title)
    page.goto(f"{base}/study/next")
    check_everywhere(page, javascript)
    first = page.locator(".flashcard.prompt").inner_text()
    if javascript:
        page.locator("[data-flip-url][data-ready]").wait_for(state="attached")
        page.keyboard.press("1")  # the digit of no button: it neither flips nor rates
        assert page.locator(".flashcard.back").count() == 0
        page.keyboard.press("Space")
        page.locator(".flashcard.back").wait_for()
        check_everywhere(page, javascript)  # the back, swapped in
        with page.expect_navigation():
            page.keyboard.press("Space")
    else:
        page.locator("a[data-flip-url]:focus").wait_for()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/study/flip/" in page.url
        check_everywhere(page, javascript)
        page.locator("[data-default-rating]:focus").wait_for()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "/study/next?last=" in page.url
    assert "Last:" in page.content() and first in page.locator(".last-answer").inner_text()
    check_everywhere(page, javascript)
    # Undo from the keyboard: the button sits just before the focused "Show answer".
    page.locator("a[data-flip-url]:focus").wait_for()
    page.keyboard.press("Shift+Tab")
    assert "Undo" in page.evaluate("document.activeElement.textContent")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Undone" in page.content()
    assert page.locator(".flashcard.prompt").inner_text() == first  # the card is back
    check_everywhere(page, javascript)
    for _ in range(3):
        flip_and_rate_good(page, javascript)
    assert "All done for now" in page.content()
    text = page.locator("main").inner_text()
    assert "3\nanswers" in text or "3 answers" in text
    assert "What comes back when" in text
    check_everywhere(page, javascript)
    assert page.console_errors == []
    context.close()


@MODES
def test_second_tab_is_told_its_answer_is_stale(
    live_server: LiveServer, browser: Any, javascript: bool
) -> None:
    base = live_server.url
    title = flashcard_set(live_server, f"tabs{int(javascript)}", 2)
    context, tab1 = new_page(browser, javascript)
    register(tab1, base, f"tabs{int(javascript)}")
    study_set(tab1, base, title)
    tab2 = context.new_page()
    for tab in (tab1, tab2):
        tab.goto(f"{base}/study/next")
    assert (
        tab1.locator(".flashcard.prompt").inner_text()
        == tab2.locator(".flashcard.prompt").inner_text()
    )
    tab1.bring_to_front()
    flip_and_rate_good(tab1, javascript)
    tab2.bring_to_front()
    flip_and_rate_good(tab2, javascript)
    flash = tab2.locator(".flash-error").inner_text()
    assert re.search(r"answered in another tab at \d\d:\d\d", flash), flash
    check_everywhere(tab2, javascript)
    context.close()


@MODES
def test_custom_study_cram_leaves_the_schedule(
    live_server: LiveServer, browser: Any, javascript: bool
) -> None:
    base = live_server.url
    title = flashcard_set(live_server, f"cram{int(javascript)}", 2)
    context, page = new_page(browser, javascript)
    register(page, base, f"cram{int(javascript)}")
    page.goto(f"{base}/custom")
    page.wait_for_url(re.compile(r"/study/custom$"))
    check_everywhere(page, javascript)
    page.select_option("#set_id", label=title)
    page.click("button:has-text('Cram this set')")
    page.wait_for_url(re.compile(r"/study/custom/next"))
    assert "practice, your schedule does not change" in page.content()
    check_everywhere(page, javascript)
    for _ in range(2):
        flip_and_rate_good(page, javascript)
    assert "done" in page.locator("h1").inner_text()
    assert "your schedule did not change" in page.content()
    check_everywhere(page, javascript)
    page.goto(f"{base}/study/cards")
    assert "No cards match" in page.content()  # cramming made no card
    context.close()


@MODES
def test_browse_and_suspend(live_server: LiveServer, browser: Any, javascript: bool) -> None:
    base = live_server.url
    title = flashcard_set(live_server, f"br{int(javascript)}", 2)
    context, page = new_page(browser, javascript)
    register(page, base, f"browse{int(javascript)}")
    study_set(page, base, title)
    page.goto(f"{base}/study/next")
    flip_and_rate_good(page, javascript)
    flip_and_rate_good(page, javascript)
    page.click("nav[aria-label=Main] >> text=My cards")
    page.wait_for_url(re.compile(r"/study/cards"))
    assert page.locator("nav[aria-label=Main] [aria-current=page]").inner_text() == "My cards"
    check_everywhere(page, javascript)
    page.fill("#q", f"Front br{int(javascript)} 1")
    page.click("button:has-text('Search')")
    page.wait_for_url(re.compile(r"q=Front"))
    rows = page.locator("table.browse tbody tr")
    assert rows.count() == 1
    rows.first.locator("input[type=checkbox]").check()
    with page.expect_navigation():
        page.click("button:has-text('Suspend')")
    assert "Suspended 1 card" in page.content()
    assert "suspended" in page.locator("table.browse tbody tr").first.inner_text()
    check_everywhere(page, javascript)
    page.select_option("#state", "suspended")
    page.fill("#q", "")
    page.click("button:has-text('Search')")
    page.wait_for_url(re.compile(r"state=suspended"))
    assert page.locator("table.browse tbody tr").count() == 1
    context.close()
