"""Accounts in a real browser: a forgotten password reset through an admin's link, the data
download, account deletion; axe-core on every page reached."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.student_helpers import check_everywhere
from tests.conftest import make_user

pytestmark = pytest.mark.browser

OLD = "an old browser passphrase"
NEW = "a fresh browser passphrase"


def log_in(page: Any, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("input[type=submit]")


def test_reset_by_admin_link_download_and_delete(live_server: LiveServer, browser: Any) -> None:
    base = live_server.url
    make_user(live_server.app, "dora", password=OLD)
    make_user(live_server.app, "chief", role="admin", password=OLD)
    student = browser.new_context(accept_downloads=True).new_page()
    # Forgotten: no e-mail on this site, so the page says whom to ask.
    student.goto(f"{base}/auth/login")
    student.click("text=Forgot your password?")
    student.wait_for_selector("text=Ask your teacher or an administrator")
    assert_accessible(student)
    # The admin makes the link on the users page.
    admin = browser.new_context().new_page()
    log_in(admin, base, "chief", OLD)
    admin.goto(f"{base}/auth/admin/users")
    assert_accessible(admin)
    admin.locator("tr", has_text="dora").locator("button", has_text="Reset link").click()
    link = admin.locator("#reset-link").input_value()
    assert "/auth/reset/" in link
    assert_accessible(admin)
    # The student follows it and chooses a new password.
    student.goto(link)
    assert_accessible(student)
    student.fill("#password", NEW)
    student.fill("#confirm", NEW)
    student.click("input[type=submit]")
    student.wait_for_url(re.compile(r"/auth/login$"))
    log_in(student, base, "dora", NEW)
    student.wait_for_url(re.compile(r"/study/$"))
    # Everything about me, then goodbye.
    student.goto(f"{base}/auth/account")
    assert_accessible(student)
    with student.expect_download() as download:
        student.click("text=Download all your data")
    assert download.value.suggested_filename == "quiz-data-dora.json"
    student.click("text=Delete your account")
    assert_accessible(student)
    student.fill("#password", NEW)
    student.fill("#confirm", "DELETE")
    student.click("input[type=submit]")
    student.wait_for_url(re.compile(r"/auth/login$"))
    student.wait_for_selector("text=Your account is deleted")
    log_in(student, base, "dora", NEW)
    student.wait_for_selector("text=Wrong username or password")  # after the page reloads


def test_nothing_overflows_a_phone(live_server: LiveServer, browser: Any) -> None:
    """Issue 20: at 390 px a long invalid number's error line ran off the page, and the admin's
    Users table was 587 px wide; now the line wraps and the table stacks, axe-checked."""
    base = live_server.url
    make_user(live_server.app, "chief2", role="admin", password=OLD)
    make_user(live_server.app, "a" * 40, password=OLD)  # a long name, a long e-mail
    with live_server.app.app_context():
        from quiz.extensions import db
        from quiz.models import Question

        numeric = db.session.query(Question.id).filter_by(kind="numeric").first()[0]
    admin = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    log_in(admin, base, "chief2", OLD)
    admin.goto(f"{base}/auth/admin/users")
    check_everywhere(admin)
    admin.goto(f"{base}/study/questions/{numeric}")
    admin.fill("input[name=answer]", "7" * 120 + " furlongs per fortnight")
    admin.locator("button:has-text('Check')").click()
    admin.wait_for_selector("p.error")
    check_everywhere(admin)
