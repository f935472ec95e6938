"""A teacher uploads a picture with alt text and a word said aloud, places them in a question
and a flashcard; a student sees the picture, hears the word (R replays it) and can read the
transcript. axe-core checks every page on the way."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests import media_helpers as files
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_teach_journey import fill_rows, log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def upload(page: Any, name: str, data: bytes, mime: str, **fields: str) -> None:
    """Fill the set page's upload form and send it."""
    page.set_input_files("#file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    for field, value in fields.items():
        page.fill(f"#{field}", value)
    page.click("#media input[type=submit]")
    page.wait_for_url(re.compile(r"/teach/sets/\d+"))


def add_question(
    page: Any, set_url: str, kind: str, fields: dict[str, str], rows: list | None = None
) -> None:
    """Open the form of a kind from the set page, fill it and save it."""
    page.goto(set_url)
    page.select_option("#new-kind", kind)
    page.click("button:has-text('Add question')")
    page.wait_for_url(re.compile(r"/questions/new"))
    if rows:
        fill_rows(page, rows)
    for selector, value in fields.items():
        if value == "check":
            page.check(selector)
        else:
            page.fill(selector, value)
    page.click("button.primary:has-text('Save question')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+"))
    assert "Question added." in page.content(), page.content()[-2000:]


def test_teacher_places_a_picture_and_a_sound_and_a_student_sees_and_hears_them(
    live_server: LiveServer, page: Any, browser: Any
) -> None:
    base = live_server.url
    make_user(live_server.app, "mia", role="teacher")
    log_in(page, base, "mia")
    page.goto(f"{base}/teach/sets/new")
    page.fill("#title", "Media set")
    page.check("input[name='visibility'][value='public']")
    page.click("button:has-text('Save set')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+$"))
    set_url = page.url
    assert_accessible(page)

    # A picture without alt text is refused, and nothing is stored.
    upload(page, "map.png", files.picture(size=(800, 600)), "image/png")
    expect(page.locator(".flash, [role=alert], .error").first).to_contain_text("needs alt text")
    expect(page.locator(".media-list")).to_have_count(0)
    # A PHP file named .png is refused for what it is.
    upload(page, "shell.png", files.PHP, "image/png", alt="x")
    assert "not a picture or a sound" in page.content()
    upload(page, "map.png", files.picture(size=(800, 600)), "image/png", alt="Niger in red")
    upload(page, "hello.wav", files.wav(0.5), "audio/wav", transcript="Bonjour")
    assert_accessible(page)
    snippet = page.input_value(".media-list li:has-text('map.png') .media-snippet")
    assert snippet == "![Niger in red](media:map.png)"

    add_question(
        page,
        set_url,
        "multiple_choice",
        {
            "#prompt": f"Which country is highlighted? {snippet}",
            "[name='correct'][value='0']": "check",
            "#explanation": "The map shows Niger; its area is about $1.27 \\times 10^6$ km².",
        },
        rows=[{"choices-#-text": "Niger"}, {"choices-#-text": "Chad"}],
    )
    add_question(
        page,
        set_url,
        "flashcard",
        {
            "#prompt": "Say hello in French",
            "#back": "![Bonjour said aloud](media:hello.wav)",
            "#explanation": "The usual greeting.",
        },
    )
    expect(page.locator(".question-list img[alt='Niger in red']")).to_have_count(1)
    assert_accessible(page)
    page.click("button:has-text('Log out')")

    student = browser.new_context(viewport={"width": 360, "height": 740})  # a phone
    spage = student.new_page()
    spage.console_errors = []
    make_user(live_server.app, "leo")
    log_in(spage, base, "leo")
    card = spage.locator("article.card", has_text="Media set")
    card.locator("button:has-text('Study this set')").click()
    expect(card.locator("button:has-text('Stop studying')")).to_be_visible()
    seen_picture = heard = False
    for _ in range(4):
        spage.goto(f"{base}/study/next")
        picture = spage.locator("main img[alt='Niger in red']")
        if picture.count():
            expect(picture).to_be_visible()
            # Loaded from the hash URL, and no wider than the phone.
            assert spage.evaluate("document.querySelector('main img').naturalWidth") == 800
            assert picture.bounding_box()["width"] <= 360
            assert_accessible(spage)
            spage.locator("label", has_text="Niger").first.click()
            spage.click("button:has-text('Check')")
            expect(spage.locator(".verdict-ok")).to_be_visible()
            expect(spage.locator("math").first).to_be_attached()  # the formula as MathML
            assert_accessible(spage)
            seen_picture = True
        elif spage.locator("a:has-text('Show answer')").count():
            spage.click("a:has-text('Show answer')")
            sound = spage.locator("audio[data-media]")
            expect(sound).to_have_attribute("aria-label", "Bonjour said aloud")
            spage.locator("details.transcript summary").click()
            expect(spage.locator("details.transcript")).to_contain_text("Bonjour")
            assert_accessible(spage)
            spage.locator("#card").focus()
            spage.keyboard.press("r")  # replays the card's sound
            played = "(() => { const a = document.querySelector('audio[data-media]');"
            played += " return !a.paused || a.currentTime > 0; })()"
            for _wait in range(100):
                if spage.evaluate(played):
                    break
                spage.wait_for_timeout(50)
            assert spage.evaluate(played), spage.console_errors
            heard = True
            spage.click("button[value='good']")
        else:
            break
    assert seen_picture and heard
    student.close()
