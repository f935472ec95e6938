"""A live game in Chromium: one projector, three phones (390 px; one a guest, one without
JavaScript) through a five-question game, the results, then the missed question in study."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from quiz.bank import sync_sets
from quiz.extensions import db
from quiz.formats.yaml_bank import parse_set
from quiz.models import Card, LiveAnswer, LivePlayer, Question, QuestionSet, Role, User
from quiz.timeutil import now_utc
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.live_helpers import LIVE_SET

pytestmark = pytest.mark.browser

PASSWORD = "a browser passphrase"
PHONE = {"width": 390, "height": 844}
# Five questions: the live set without its second number question.
GAME_SET = re.sub(r"  - id: unused\n(    .*\n)+?(?=  - id:)", "", LIVE_SET).replace(
    "slug: live-set", "slug: live-journey"
)


def make_user(live_server: LiveServer, name: str, role: str) -> None:
    with live_server.app.app_context():
        user = User(email=f"{name}@example.org", role=role)
        user.set_username(name)
        user.set_password(PASSWORD, "pbkdf2:sha256:1000")
        db.session.add(user)
        db.session.commit()


def new_page(browser: Any, **options: Any) -> Any:
    page = browser.new_context(**options).new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return page


def log_in(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/(study|teach)/$"))


def answer(page: Any, right: bool) -> None:
    """Answer the question on the phone: the first choice, or a typed answer (right or not)."""
    if page.locator("button.live-choice").count():
        with page.expect_navigation():
            page.locator("button.live-choice").first.click()
        return
    if page.locator(".live-check input").count():
        page.locator(".live-check input").first.check()
    elif page.locator("fieldset.question-numeric").count():
        page.fill("fieldset.question input[type=text]", "1000" if right else "1")
    else:
        page.fill("fieldset.question input[type=text]", "Tiani" if right else "Bazoum")
    with page.expect_navigation():
        page.click("button:has-text('Send')")


def test_live_game_journey(live_server: LiveServer, browser: Any) -> None:
    base, app = live_server.url, live_server.app
    make_user(live_server, "tess", Role.TEACHER.value)
    make_user(live_server, "sam", Role.STUDENT.value)
    make_user(live_server, "ann", Role.STUDENT.value)
    with app.app_context():
        sync_sets(db.session, [parse_set(GAME_SET, "journey.yaml")])
        db.session.commit()
        set_id = db.session.scalar(
            sa.select(QuestionSet.id).where(QuestionSet.slug == "live-journey")
        )

    teacher = new_page(browser, viewport={"width": 1280, "height": 800})
    log_in(teacher, base, "tess")
    teacher.goto(f"{base}/live/sets/{set_id}/start")
    assert_accessible(teacher)
    teacher.fill("#seconds", "300")  # time enough on a busy machine: the teacher closes each
    teacher.check("#guests")
    with teacher.expect_navigation():
        teacher.click("input[type=submit]")
    assert "/screen" in teacher.url
    pin = teacher.locator(".live-pin").inner_text()
    assert re.fullmatch(r"\d{6}", pin)
    # A real projector page: no app menu, no user name; the PIN never broken; a QR code.
    assert teacher.locator("header.site").count() == 0 and "tess" not in teacher.content()
    assert teacher.locator(".live-pin").evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    expect(teacher.locator(".live-qr-box svg")).to_be_visible()
    assert_accessible(teacher)

    sam = new_page(browser, viewport=PHONE)
    ann = new_page(browser, viewport=PHONE, java_script_enabled=False)
    guest = new_page(browser, viewport=PHONE)
    for page, name in ((sam, "sam"), (ann, "ann")):
        log_in(page, base, name)
        page.goto(f"{base}/live/join?pin={pin}")
        with page.expect_navigation():
            page.click("input[type=submit]")
    guest.goto(f"{base}/live/join?pin={pin}")
    assert_accessible(guest)
    guest.fill("#nickname", "<b>Zed</b>")
    guest.click("input[type=submit]")
    expect(guest.locator("#nick-error")).to_contain_text("letters, digits")
    guest.console_errors.clear()  # the refused nickname's 422 was the point
    guest.fill("#nickname", "Zed")
    with guest.expect_navigation():
        guest.click("input[type=submit]")
    expect(guest.locator(".live-wait")).to_contain_text("Wait for the teacher")
    assert_accessible(guest)
    expect(teacher.locator(".live-nicks")).to_contain_text("Zed")  # the projector polled

    phones = (sam, ann, guest)
    for number in range(1, 6):
        teacher.keyboard.press("Space")  # next question
        expect(teacher.locator(".live-progress")).to_have_text(f"Question {number} of 5")
        for phone in phones:  # JS phones poll; the one without JS reloads itself
            expect(phone.locator(".live-progress")).to_have_text(
                f"Question {number} of 5", timeout=15_000
            )
        if number == 1:
            assert_accessible(sam)
            assert_accessible(teacher)
        answer(sam, right=False)
        answer(ann, right=True)
        answer(guest, right=True)
        expect(teacher.locator(".live-count")).to_contain_text("3 of 3 answered")
        teacher.keyboard.press("Space")  # close the answers: chart and leaderboard
        expect(teacher.locator(".live-bars .right-mark").first).to_be_visible()
        expect(teacher.locator(".live-leaders")).to_contain_text("Zed")
        for phone in phones:
            expect(phone.locator(".live-verdict")).to_be_visible(timeout=15_000)
        if number == 1:
            assert_accessible(teacher)
            assert_accessible(sam)
    teacher.keyboard.press("Space")  # after the last question: the game is over
    expect(teacher.locator(".live-title")).to_have_text("Game over")
    expect(sam.locator("h2")).to_have_text("Game over", timeout=15_000)
    assert_accessible(sam)

    teacher.click("text=Control view")
    expect(teacher.locator("h1")).to_contain_text("Live game")
    assert teacher.locator("button[value=next]").count() == 0  # a finished game is read-only
    assert_accessible(teacher)
    teacher.click("text=Results")
    expect(teacher.locator("table").first).to_contain_text("Zed")
    assert_accessible(teacher)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LivePlayer)) == 3
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LiveAnswer)) == 15
        sam_id = db.session.scalar(sa.select(User.id).where(User.username == "sam"))
        missed = db.session.scalars(
            sa.select(Question.prompt)
            .join(Card, Card.question_id == Question.id)
            .where(Card.user_id == sam_id, Card.lapses > 0)
        ).all()
        assert "Who leads the junta?" in missed
        # The minute of the learning step passes: the cards' times move back two minutes.
        for card in db.session.scalars(sa.select(Card).where(Card.user_id == sam_id)):
            card.due -= timedelta(minutes=2)
            card.last_review -= timedelta(minutes=2)
        db.session.commit()
        assert all(
            due <= now_utc()
            for due in db.session.scalars(
                sa.select(Card.due).where(Card.user_id == sam_id, Card.lapses > 0)
            )
        )
    sam.goto(f"{base}/live/")
    expect(sam.locator("table")).to_contain_text("Live set")
    assert_accessible(sam)
    sam.goto(f"{base}/study/next")
    prompt = sam.locator(".prompt").first.inner_text()
    assert prompt in missed, (prompt, missed)
    for page in (teacher, sam, guest):
        assert page.console_errors == [], page.console_errors
