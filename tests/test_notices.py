"""Reminders, released-mark notes and digests: written once per (user, kind, subject), mailed
once through a real SMTP server (aiosmtpd on 127.0.0.1), shown at home and dismissible."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import MailState, Notice, NoticeOptOut, OutgoingMail
from quiz.notices import notify_marks_released, run_once
from quiz.notices.collect import collect
from quiz.notices.mailing import queue_pending, unsubscribe_token
from quiz.timeutil import now_utc
from tests.conftest import AuthActions, count_rows
from tests.notices_helpers import make_class
from tests.reliability.test_defect_password_reset import Inbox, serve


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1, and the app configured to send through it."""
    handler = Inbox()
    controller = serve(app, handler)
    yield handler
    controller.stop()


def send_notices(app: Flask) -> str:
    """Run the command as cron would; what it printed."""
    result = app.test_cli_runner().invoke(args=["send-notices"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def to(inbox: Inbox, address: str) -> list:
    """The messages that reached one address."""
    return [m for m, rcpt in zip(inbox.messages, inbox.recipients, strict=True) if address in rcpt]


def test_send_notices_twice_reminds_the_student_behind_once(app, inbox):
    world = make_class(app)
    first = send_notices(app)
    second = send_notices(app)
    assert first == "2 new notices, 2 e-mails queued, 2 sent, 0 failed"
    assert second == "0 new notices, 0 e-mails queued, 0 sent, 0 failed"
    reminders = to(inbox, "behind@example.org")
    assert len(reminders) == 1 and "Due soon: Capitals of Africa" in reminders[0]["Subject"]
    assert to(inbox, "done@example.org") == []
    digest = to(inbox, "teacher@example.org")
    assert len(digest) == 1
    text = digest[0].get_payload(decode=True).decode()
    assert "1 not finished: behind" in text and "done" not in text.split("not finished")[1]
    # One-click unsubscribe (RFC 8058), signed, on every notice.
    assert reminders[0]["List-Unsubscribe"].startswith("<https://quiz.example.org/notices/")
    assert reminders[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert world.assignment  # the reminder is about this quiz
    assert count_rows(app, OutgoingMail) == 0


def test_a_run_after_a_crash_sends_each_once(app, inbox):
    make_class(app)
    with app.app_context():
        # A run that died after writing the notices, before any e-mail was queued ...
        collect(db.session, timedelta(hours=24))
        db.session.commit()
        # ... and one that died after queueing them, before the mail server took them.
        queue_pending(db.session, app.config, now_utc())
    assert count_rows(app, OutgoingMail) == 2
    assert send_notices(app) == "0 new notices, 0 e-mails queued, 2 sent, 0 failed"
    assert send_notices(app) == "0 new notices, 0 e-mails queued, 0 sent, 0 failed"
    assert len(to(inbox, "behind@example.org")) == 1


def test_a_quiz_not_due_soon_reminds_nobody(app, inbox):
    make_class(app, due_in=timedelta(days=3))
    app.config["NOTICE_REMINDER_BEFORE_H"] = 24
    send_notices(app)
    assert to(inbox, "behind@example.org") == []


def test_turned_off_kinds_are_not_mailed_but_shown(app, client, inbox):
    make_class(app)
    AuthActions(client).login("behind")
    assert client.post("/notices/settings", data={"on": ["released"]}).status_code == 302
    send_notices(app)
    assert to(inbox, "behind@example.org") == []
    with app.app_context():
        notice = db.session.scalar(sa.select(Notice).where(Notice.kind == "reminder"))
        assert notice is not None and notice.mail == MailState.OFF.value
    assert "Due soon: Capitals of Africa" in client.get("/study/").get_data(as_text=True)


def test_the_unsubscribe_link_turns_one_kind_off_without_a_login(app, client):
    world = make_class(app)
    token = unsubscribe_token(app.config["SECRET_KEY"], world.behind, "reminder")
    assert "Stop e-mail with reminders" in client.get(f"/notices/unsubscribe/{token}").get_data(
        as_text=True
    )
    assert client.post(f"/notices/unsubscribe/{token}").status_code == 200
    assert client.post(f"/notices/unsubscribe/{token}").status_code == 200  # twice is once
    assert count_rows(app, NoticeOptOut) == 1
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/notices/unsubscribe/{forged}").status_code == 400
    assert client.get("/notices/unsubscribe/not-a-token").status_code == 400
    assert count_rows(app, NoticeOptOut) == 1


def test_released_marks_reach_those_who_handed_in_once(app, inbox):
    world = make_class(app)
    with app.app_context():
        assert notify_marks_released(world.assignment) == 1
        assert notify_marks_released(world.assignment) == 0
        db.session.commit()
    send_notices(app)
    marked = [m for m in to(inbox, "done@example.org") if "Marked:" in m["Subject"]]
    assert len(marked) == 1
    assert [m for m in to(inbox, "behind@example.org") if "Marked:" in m["Subject"]] == []


def test_notices_show_at_home_and_dismiss_without_script(app, client):
    world = make_class(app)
    send_notices(app)  # no mail server: written for the app only
    auth = AuthActions(client)
    auth.login("behind")
    home = client.get("/study/").get_data(as_text=True)
    assert "Due soon: Capitals of Africa" in home and "Dismiss" in home
    with app.app_context():
        mine = db.session.scalar(sa.select(Notice.id).where(Notice.user_id == world.behind))
        theirs = db.session.scalar(sa.select(Notice.id).where(Notice.user_id == world.teacher))
    assert client.post("/notices/dismiss", data={"notice_id": theirs}).status_code == 404
    assert client.post("/notices/dismiss", data={"notice_id": "x"}).status_code == 400
    done = client.post("/notices/dismiss", data={"notice_id": mine, "next": "/study/"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/study/")
    assert "Due soon" not in client.get("/study/").get_data(as_text=True)
    auth.logout()
    auth.login("teacher")
    assert "students behind" in client.get("/teach/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["done", "teacher"])
def test_the_settings_page_for_each_role(app, client, who):
    make_class(app)
    AuthActions(client).login(who)
    page = client.get("/notices/settings").get_data(as_text=True)
    assert "reminders before a due date" in page
    assert ("weekly digest" in page) is (who == "teacher")


def test_the_settings_page_needs_a_login(client):
    answer = client.get("/notices/settings")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_two_runs_at_once_send_each_once(app, inbox):
    make_class(app)
    start = threading.Barrier(2)
    outputs: list[tuple[int, int, int, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                start.wait(10)
                outputs.append(run_once())
                db.session.remove()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(made for made, *_ in outputs) == 2  # each notice written by one run only
    assert sum(queued for _, queued, *_ in outputs) == 2
    assert sum(sent for _, _, sent, _ in outputs) == 2
    assert len(to(inbox, "behind@example.org")) == 1
    assert len(to(inbox, "teacher@example.org")) == 1
