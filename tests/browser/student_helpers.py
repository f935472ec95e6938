"""Helpers for the students' browser journeys: accounts, sets, and axe at every size and scheme."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.study_helpers import flashcard_yaml, load_set

PASSWORD = "a browser passphrase"
SIZES = (("phone", 390, 844), ("desktop", 1280, 900))
SCHEMES = ("light", "dark")


def check_everywhere(page: Any, javascript: bool = True) -> None:
    """axe-core finds nothing at phone and desktop width, light and dark; nothing overflows.

    axe-core is a script, so a page reached with JavaScript off is checked as the same GET in
    a sibling context that shares the session but runs scripts (the markup is the server's).
    """
    if not javascript:
        sibling = page.context.browser.new_context(storage_state=page.context.storage_state())
        try:
            twin = sibling.new_page()
            twin.set_default_timeout(10_000)
            twin.goto(page.url)
            check_everywhere(twin)
        finally:
            sibling.close()
        return
    original = page.viewport_size or {"width": 1280, "height": 900}
    try:
        for name, width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{page.url} is {overflow}px wider than the {name} screen"
            for scheme in SCHEMES:
                page.emulate_media(color_scheme=scheme)
                assert_accessible(page)
    finally:
        page.set_viewport_size(original)
        page.emulate_media(color_scheme="light")


def register(page: Any, base: str, name: str) -> None:
    """Create an account through the form; it lands on the study page."""
    page.goto(f"{base}/register")  # the short path redirects
    page.fill("#username", name)
    page.fill("#email", f"{name}@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/study/$"))


def flashcard_set(live_server: LiveServer, slug: str, count: int = 3) -> str:
    """A public set of `count` flashcards; returns its title."""
    title = f"Cards {slug}"
    load_set(live_server.app, flashcard_yaml(slug, count, title))
    return title


def study_set(page: Any, base: str, title: str) -> None:
    """Add a set to the student's studies from the study page."""
    page.goto(f"{base}/study/")
    page.locator("article.card", has_text=title).locator(
        "button:has-text('Study this set')"
    ).click()
    page.wait_for_url(re.compile(r"/study/$"))
