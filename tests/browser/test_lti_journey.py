"""LTI in a real browser: the admin registers an LMS on its page, then a teacher comes from
that LMS (lti1p3platform over HTTP), picks what the link opens and returns to the LMS with it;
axe-core on every page of the tool on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from quiz.extensions import db
from quiz.models import Role, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_class_journey import PASSWORD, log_in, new_page
from tests.lti_helpers import TEACHER
from tests.lti_platform import CLIENT_ID, DEPLOYMENT, ISSUER, Platform, serve

pytestmark = pytest.mark.browser


@pytest.fixture
def lms(live_server: LiveServer) -> Iterator[Platform]:
    """The LMS, launching into the live server."""
    yield from serve(live_server.url)


def make_admin(live_server: LiveServer) -> None:
    with live_server.app.app_context():
        user = User(email="ada@example.org", role=Role.ADMIN.value)
        user.set_username("ada")
        user.set_password(PASSWORD, "pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()


def register_in_browser(page: Any, base: str, lms: Platform) -> None:
    """The admin reads the tool's URLs and fills in the LMS's."""
    page.goto(f"{base}/lti/admin")
    assert f"{base}/lti/jwks" in page.content()
    assert_accessible(page)
    for name, value in lms.platform_fields().items():
        page.fill(f"#{name}", value)
    page.click("input[type=submit][value='Save platform']")
    page.wait_for_selector("text=Platform registered.")
    assert page.locator("table.data >> text=Test LMS").count() == 1
    assert_accessible(page)


def test_an_lms_teacher_adds_a_quiz_link(
    browser: Any, live_server: LiveServer, lms: Platform
) -> None:
    base = live_server.url
    make_admin(live_server)
    admin = new_page(browser)
    log_in(admin, base, "ada")
    register_in_browser(admin, base, lms)
    lms.conf.registration.set_tool_key_set(requests.get(f"{base}/lti/jwks", timeout=10).json())

    lms.people[TEACHER.sub] = TEACHER
    lms.launch_options = {"deep_link": True, "link": None}
    page = new_page(browser)
    login = {
        "iss": ISSUER,
        "login_hint": TEACHER.sub,
        "target_link_uri": f"{base}/lti/launch",
        "client_id": CLIENT_ID,
        "lti_deployment_id": DEPLOYMENT,
    }
    page.goto(f"{base}/lti/login?{urlencode(login)}")  # the LMS's "add activity" starts here
    page.click("text=Open the tool")  # the LMS's launch form
    page.wait_for_selector("text=open in a new window")
    assert_accessible(page)
    page.click("a.button")
    page.wait_for_url(re.compile(r"/lti/deep-link$"))
    assert "Choose what the LMS link opens" in page.content()
    assert_accessible(page)
    page.locator("input[name=choice][value^='set:']").first.check()
    page.click("text=Add this link to the LMS")
    page.wait_for_selector("text=Return to the LMS")
    assert_accessible(page)
    page.click("text=Return to the LMS")
    page.wait_for_selector("text=Link added.")
    assert len(lms.deep_link_items) == 1
    assert lms.deep_link_items[0]["custom"]["assignment_id"].isdigit()

    page.goto(f"{base}/lti/courses")
    assert "Course course-1" in page.content()
    assert_accessible(page)
    assert page.console_errors == []
