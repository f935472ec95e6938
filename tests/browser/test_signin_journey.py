"""A student signs in through the school's OpenID Connect provider (oidc-provider-mock, a real
server on 127.0.0.1) without a password, sees a reminder on the study page and dismisses it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa

from quiz.extensions import db
from quiz.models import Assignment, Classroom, Enrollment, QuestionSet, Role, User
from quiz.timeutil import now_utc
from tests.browser.axe import assert_accessible
from tests.conftest import make_user
from tests.signin_helpers import add_provider, provider_server, set_claims


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    """The school's provider for this module."""
    with provider_server("--require-nonce") as url:
        yield url


def give_a_quiz_due_soon(app, username: str) -> None:
    """A teacher's class with the student in it and a quiz due in two hours."""
    teacher = make_user(app, "journeyteacher", role=Role.TEACHER.value).id
    with app.app_context():
        student = db.session.scalar(sa.select(User.id).where(User.username == username))
        qset = QuestionSet(owner_id=teacher, title="Rivers of Europe")
        classroom = Classroom(teacher_id=teacher, name="Geography 8A", join_code="RIVERS")
        db.session.add_all([qset, classroom])
        db.session.flush()
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=student))
        db.session.add(
            Assignment(
                classroom_id=classroom.id, set_id=qset.id, due_at=now_utc() + timedelta(hours=2)
            )
        )
        db.session.commit()


def test_a_student_signs_in_with_the_school_and_dismisses_a_reminder(live_server, page, issuer):
    app = live_server.app
    add_provider(app, issuer, label="Northfield School")
    set_claims(issuer, "maya-1", email="maya@northfield.example", preferred_username="maya")

    page.goto(f"{live_server.url}/auth/login")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in with Northfield School").click()
    # At the provider: the person picks who they are there.
    page.fill("input[name=sub]", "maya-1")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{live_server.url}/signin/link")
    # The provider's own page asks a CDN for its style sheet (offline here): not ours.
    page.console_errors.clear()
    assert_accessible(page)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live_server.url}/study/")

    give_a_quiz_due_soon(app, "maya")
    result = app.test_cli_runner().invoke(args=["send-notices"])
    assert result.exit_code == 0 and result.output.startswith("2 new notices"), result.output

    page.reload()
    notices = page.get_by_role("region", name="Notices")
    assert "Due soon: Rivers of Europe" in notices.inner_text()
    assert_accessible(page)
    notices.get_by_role("button", name="Dismiss").click()
    page.wait_for_url(f"{live_server.url}/study/")
    assert page.get_by_text("Due soon: Rivers of Europe").count() == 0
    assert not page.console_errors
