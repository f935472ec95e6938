"""A student with a backlog past the count cap, in Chromium: the study pages say "100+",
the counts come down to exact numbers as the backlog drops under the cap; axe-checked."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from quiz.extensions import db
from quiz.models import Question, QuestionSet, User
from quiz.study.queue import COUNT_CAP
from quiz.timeutil import now_utc
from tests.browser.conftest import LiveServer
from tests.browser.student_helpers import check_everywhere, flashcard_set, register, study_set
from tests.study_helpers import add_overdue_cards

pytestmark = pytest.mark.browser


def give_backlog(live_server: LiveServer, username: str, slug: str, count: int) -> None:
    """Cards on the set's first `count` questions, all overdue (a student back from a break)."""
    with live_server.app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        ids = db.session.scalars(
            sa.select(Question.id)
            .join(QuestionSet, QuestionSet.id == Question.set_id)
            .where(QuestionSet.slug == slug)
            .order_by(Question.position)
            .limit(count)
        ).all()
    add_overdue_cards(live_server.app, user_id, ids, now_utc() - timedelta(days=1))


def due_shown(page: Any) -> str:
    """The due count the study page's header shows ("100+", "99")."""
    text = page.locator("header.page p.muted").inner_text()
    match = re.match(r"(\S+) due", text)
    assert match, text
    return match.group(1)


def test_backlog_past_the_cap_counts_down(live_server: LiveServer, page: Any) -> None:
    base = live_server.url
    title = flashcard_set(live_server, "backlog", COUNT_CAP + 5)
    register(page, base, "bonnie")
    study_set(page, base, title)
    give_backlog(live_server, "bonnie", "backlog", COUNT_CAP + 2)  # 102 due: past the cap
    page.goto(f"{base}/study/")
    assert page.locator("li", has_text="due now").inner_text().startswith(f"{COUNT_CAP}+")
    check_everywhere(page)
    page.goto(f"{base}/study/next")
    assert due_shown(page) == f"{COUNT_CAP}+"
    check_everywhere(page)
    # Each rating takes one card off: 102 → 101 (still past the cap) → 100 (exact again).
    for expected in (f"{COUNT_CAP}+", str(COUNT_CAP)):
        page.click("a:has-text('Show answer')")
        page.locator("button:has-text('Good')").first.click()
        page.wait_for_url(re.compile(r"/study/next\?last="))
        assert due_shown(page) == expected
    check_everywhere(page)
    assert page.console_errors == []
