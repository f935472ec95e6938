"""A right answer in Chromium: the rating page (its due count, its buttons), then the next
card with the last answer above it; the layout's files all load; axe-checked (issue 12)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa

from quiz.extensions import db
from quiz.models import Question, QuestionSet, User
from quiz.timeutil import now_utc
from tests.browser.conftest import LiveServer
from tests.browser.student_helpers import check_everywhere, register, study_set
from tests.study_helpers import add_overdue_cards, load_set

pytestmark = pytest.mark.browser


def overdue(live_server: LiveServer, username: str, keys: tuple[str, ...]) -> None:
    """Make the named questions of the small set overdue cards of the student."""
    with live_server.app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        ids = db.session.scalars(
            sa.select(Question.id)
            .join(QuestionSet, QuestionSet.id == Question.set_id)
            .where(QuestionSet.slug == "sahel-basics", Question.key.in_(keys))
            .order_by(Question.position)
        ).all()
    add_overdue_cards(live_server.app, user_id, ids, now_utc())


def layout_files_loaded(page: Any) -> int:
    """How many of the layout's style sheets the browser loaded with rules in them."""
    return page.evaluate(
        "[...document.styleSheets].filter(s => s.href && s.cssRules.length > 0).length"
    )


def test_rating_page_then_the_next_card(live_server: LiveServer, page: Any) -> None:
    base = live_server.url
    load_set(live_server.app)
    register(page, base, "rosa")
    study_set(page, base, "Sahel basics")
    page.goto(f"{base}/study/next")
    assert page.locator("h1.context").inner_text() == "Sahel basics"
    assert re.match(r"0 due · \d+ new left today", page.locator("header.page p").inner_text())
    page.fill("input[name=answer]", "Niamey")
    page.locator("button:has-text('Check')").click()
    page.wait_for_url(re.compile(r"/study/answers/[0-9a-f]{32}$"))
    overdue(live_server, "rosa", ("austin", "langley"))
    page.reload()
    assert page.locator("header.page p.muted").inner_text() == "2 due"
    assert "Niamey is the capital" in page.locator("main").inner_text()
    buttons = page.locator("button[name=rating]")
    assert [b.get_attribute("value") for b in buttons.all()] == ["hard", "good", "easy"]
    assert layout_files_loaded(page) == 4
    check_everywhere(page)
    page.keyboard.press("3")  # Good, by its key
    page.wait_for_url(re.compile(r"/study/next\?last=\d+$"))
    assert "Which city is Niger's capital?" in page.locator(".last-answer").inner_text()
    assert page.locator("header.page p.muted").inner_text().startswith("2 due")
    assert layout_files_loaded(page) == 4
    check_everywhere(page)


def test_back_and_another_answer_is_told(live_server: LiveServer, page: Any) -> None:
    """Issue 20: Back from the rating page, another answer: the rating page comes back and says
    the first answer is kept, the new one not recorded."""
    base = live_server.url
    load_set(live_server.app)
    register(page, base, "tomas")
    study_set(page, base, "Sahel basics")
    page.goto(f"{base}/study/next")
    page.fill("input[name=answer]", "Niamey")
    page.locator("button:has-text('Check')").click()
    page.wait_for_url(re.compile(r"/study/answers/[0-9a-f]{32}$"))
    rating_url = page.url
    page.go_back()
    page.fill("input[name=answer]", "Agadez")
    page.locator("button:has-text('Check')").click()
    page.wait_for_url(rating_url)
    text = page.locator("main").inner_text()
    assert "that first answer is kept" in text and "Your new answer was not recorded" in text
    check_everywhere(page)
