"""Issue 21, defect 9: who has an account showed in the time "forgot password" took (the mail
was sent inside the request) and in registration's "that e-mail is registered". Against a
real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.auth import mailer
from quiz.extensions import db
from quiz.models import OutgoingMail, User
from quiz.timeutil import now_utc
from tests.conftest import PASSWORD, count_rows
from tests.reliability.figures import report
from tests.reliability.test_defect_password_reset import Inbox, free_port, serve
from tests.study_helpers import T0

SMTP_HOLD_S = 2.0  # how long the slow mail server holds each message


class SlowInbox(Inbox):
    """A mail server that holds each message until released (or SMTP_HOLD_S have passed)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.release.wait(SMTP_HOLD_S)  # blocks the server's own thread, not the app's
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_inbox(app: Flask) -> Iterator[SlowInbox]:
    handler = SlowInbox()
    controller = serve(app, handler)
    yield handler
    handler.release.set()
    mailer.wait_for_senders(15)
    controller.stop()


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    handler = Inbox()
    controller = serve(app, handler)
    yield handler
    mailer.wait_for_senders(15)
    controller.stop()


def register(client: FlaskClient, name: str, email: str) -> Any:
    """Post the registration form."""
    data = {"username": name, "email": email, "password": PASSWORD, "confirm": PASSWORD}
    response = client.post("/auth/register?next=/study/sets", data=data)
    response.close()  # as a server does once it is sent: the mail goes out then
    return response


def test_forgot_password_answers_before_the_mail_server_has_the_mail(
    client: FlaskClient, user_factory: Any, slow_inbox: SlowInbox
) -> None:
    """Causal, not timed: the server holds the message until the test releases it, so an
    answer given while it holds it cannot have waited for it."""
    user_factory("alice")
    started = time.perf_counter()
    response = client.post("/auth/forgot", data={"email": "alice@example.org"})
    answered_s = time.perf_counter() - started
    delivered_before_answer = len(slow_inbox.messages)
    held = not slow_inbox.release.is_set()
    response.close()  # sent: the sender starts now
    slow_inbox.release.set()
    slow_inbox.wait_for(1)  # and the mail still arrives, after the answer
    report(
        "D9-forgot",
        smtp_hold_ms=int(SMTP_HOLD_S * 1000),
        answer_ms=round(answered_s * 1000, 1),
        delivered_before_answer=delivered_before_answer,
        delivered_after=len(slow_inbox.messages),
    )
    assert response.status_code == 200
    assert held and delivered_before_answer == 0
    assert slow_inbox.recipients == [["alice@example.org"]]
    assert "/auth/reset/" in slow_inbox.link()


def test_a_mail_is_kept_until_the_server_accepted_it(
    app: Flask, client: FlaskClient, user_factory: Any, inbox: Inbox
) -> None:
    """A sender that took a mail and crashed: the mail stays queued and is sent later."""
    user_factory("alice")
    with time_machine.travel(T0, tick=False) as clock:
        with app.app_context():
            mailer.queue_mail(db.session, "alice@example.org", "Hello", "Body")
            db.session.commit()
            # What a sender leaves behind when it dies between taking the row and sending.
            db.session.execute(sa.update(OutgoingMail).values(claimed_at=T0))
            db.session.commit()
        runner = app.test_cli_runner()
        assert "0 sent" in runner.invoke(args=["send-mail"]).output  # another sender holds it
        assert count_rows(app, OutgoingMail) == 1
        clock.shift(timedelta(seconds=mailer.CLAIM_S + 1))
        result = runner.invoke(args=["send-mail"])
        assert result.exit_code == 0 and "1 sent" in result.output, result.output
    inbox.wait_for(1)
    assert inbox.recipients == [["alice@example.org"]]
    assert count_rows(app, OutgoingMail) == 0


def test_a_refused_mail_stays_queued(app: Flask, user_factory: Any) -> None:
    """No mail server listening: the mail is not lost, and the command says it failed."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), PUBLIC_URL="https://q.test")
    user_factory("alice")
    app.test_client().post("/auth/forgot", data={"email": "alice"}).close()
    assert mailer.wait_for_senders(15)
    assert count_rows(app, OutgoingMail) == 1
    with time_machine.travel(now_utc() + timedelta(days=1)):  # every claim is stale by then
        result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1 and "1 failed" in result.output
    assert count_rows(app, OutgoingMail) == 1


def test_registering_a_taken_email_answers_as_a_new_one_and_tells_the_owner(
    app: Flask, user_factory: Any, inbox: Inbox
) -> None:
    user_factory("alice")
    fresh = register(app.test_client(), "newbie", "newbie@example.org")
    taken = register(app.test_client(), "someone", "Alice@Example.org")
    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"] == "/study/sets"
    assert "registered" not in taken.get_data(as_text=True)
    with app.app_context():
        names = set(db.session.scalars(sa.select(User.username)))
    assert names == {"alice", "newbie"}  # no account for the taken address
    inbox.wait_for(1)
    assert inbox.settled() == 1  # the owner's note, and nothing to the new account
    assert inbox.recipients == [["alice@example.org"]]
    body = inbox.messages[0].get_payload(decode=True).decode()
    assert "tried to register" in body and "https://quiz.example.org/auth/forgot" in body
    report(
        "D9-register",
        fresh=f"{fresh.status_code} {fresh.headers['Location']}",
        taken=f"{taken.status_code} {taken.headers['Location']}",
        accounts_made_for_taken=len(names) - 2,
        owner_mails=len(inbox.messages),
    )


@pytest.mark.config(PASSWORD_RESET_LIMIT=2, REGISTRATION_LIMIT_PER_ADDRESS=100)
def test_notes_to_the_owner_are_limited(app: Flask, user_factory: Any, inbox: Inbox) -> None:
    user_factory("alice")
    codes = [
        register(app.test_client(), f"try{n}", "alice@example.org").status_code for n in range(4)
    ]
    assert codes == [302] * 4
    assert inbox.settled() == 2
