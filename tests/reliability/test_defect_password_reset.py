"""Defect 7: a way back in: a reset link by e-mail (a real local SMTP server), or from an admin."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from quiz.auth import mailer
from tests.conftest import PASSWORD, AuthActions
from tests.study_helpers import T0

NEW = "a brand new passphrase"
LINK = re.compile(r"https?://\S+/auth/reset/[\w.\-]+")


class Inbox:
    """An aiosmtpd handler that keeps every message it receives (mail is sent after the
    response, so tests wait for it)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.content))
            self.recipients.append(list(envelope.rcpt_tos))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 15) -> None:
        """Wait until `count` messages have arrived."""
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, timeout), (
                f"{len(self.messages)} of {count} messages arrived"
            )

    def settled(self) -> int:
        """The number of messages once every sender this process started has finished."""
        assert mailer.wait_for_senders(15)
        return len(self.messages)

    def link(self) -> str:
        """The reset link in the last message."""
        body = self.messages[-1].get_payload(decode=True).decode()
        match = LINK.search(body)
        assert match, body
        return match.group(0)


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app: Flask, handler: Inbox) -> Controller:
    """Start a real SMTP server with the handler and point the app at it."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_FROM="Quiz <quiz@example.org>",
        PUBLIC_URL="https://quiz.example.org",
    )
    return controller


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1, and the app configured to send through it."""
    handler = Inbox()
    controller = serve(app, handler)
    yield handler
    mailer.wait_for_senders(15)
    controller.stop()


def ask(client: FlaskClient, who: str) -> Any:
    """Post the forgotten-password form (closed, as a server does once it is sent: the mail
    goes out then)."""
    response = client.post("/auth/forgot", data={"email": who})
    response.close()
    return response


def path_of(link: str) -> str:
    return link.split("quiz.example.org", 1)[1]


def set_new(client: FlaskClient, path: str, password: str = NEW) -> Any:
    return client.post(path, data={"password": password, "confirm": password})


def test_reset_by_email_is_signed_single_use_and_ends_sessions(
    app: Flask, client: FlaskClient, user_factory: Any, inbox: Inbox
) -> None:
    user_factory("alice")
    phone = app.test_client()
    assert AuthActions(phone).login().status_code == 302
    # A forged Host header must not end up in the link (reset poisoning).
    response = client.post(
        "/auth/forgot", data={"email": "Alice@Example.org"}, headers={"Host": "evil.example"}
    )
    response.close()
    assert response.status_code == 200
    assert "If an account" in response.get_data(as_text=True)
    inbox.wait_for(1)
    assert inbox.recipients == [["alice@example.org"]]
    link = inbox.link()
    assert link.startswith("https://quiz.example.org/auth/reset/")
    path = path_of(link)
    assert client.get(path).status_code == 200
    assert set_new(client, path, "short").status_code == 200  # the form's errors, nothing changed
    response = set_new(client, path)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert phone.get("/study/").status_code == 302  # other sessions are over
    assert AuthActions(app.test_client()).login(password=PASSWORD).status_code == 200
    assert AuthActions(app.test_client()).login(password=NEW).status_code == 302
    again = set_new(app.test_client(), path, "yet another passphrase")
    assert again.status_code == 400 and "no longer valid" in again.get_data(as_text=True)
    assert client.get(path[:-3] + "xyz").status_code == 400  # a tampered signature


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client: FlaskClient, user_factory: Any, inbox: Inbox
) -> None:
    user_factory("alice")
    known, unknown = ask(client, "alice"), ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", known.get_data(as_text=True)) == strip.sub(
        "", unknown.get_data(as_text=True)
    )
    assert inbox.settled() == 1


def test_reset_link_expires(
    app: Flask, client: FlaskClient, user_factory: Any, inbox: Inbox
) -> None:
    user_factory("alice")
    with time_machine.travel(T0, tick=False) as clock:
        ask(client, "alice@example.org")
        inbox.wait_for(1)
        path = path_of(inbox.link())
        clock.shift(timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE_S"] + 1))
        response = client.get(path)
        assert response.status_code == 400 and "no longer valid" in response.get_data(as_text=True)


@pytest.mark.config(PASSWORD_RESET_LIMIT=2)
def test_reset_mails_are_limited(client: FlaskClient, user_factory: Any, inbox: Inbox) -> None:
    user_factory("alice")
    codes = [ask(client, "alice").status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    assert inbox.settled() == 2


def test_without_smtp_an_admin_makes_the_link(
    app: Flask, client: FlaskClient, user_factory: Any
) -> None:
    alice = user_factory("alice")
    user_factory("root", role="admin")
    page = client.get("/auth/forgot").get_data(as_text=True)
    assert "Ask your teacher or an administrator" in page
    assert ask(client, "alice").status_code == 200  # nothing to send, nothing breaks
    admin = app.test_client()
    AuthActions(admin).login("root")
    assert "Reset link" in admin.get("/auth/admin/users").get_data(as_text=True)
    response = admin.post(f"/auth/admin/users/{alice.id}/reset-link")
    assert response.status_code == 200
    match = re.search(r"(/auth/reset/[\w.\-]+)", response.get_data(as_text=True))
    assert match
    assert set_new(client, match.group(1)).status_code == 302
    assert AuthActions(app.test_client()).login(password=NEW).status_code == 302
    student = app.test_client()
    AuthActions(student).login(password=NEW)
    assert student.post(f"/auth/admin/users/{alice.id}/reset-link").status_code == 403
