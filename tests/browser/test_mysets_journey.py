"""A student builds a private set of 10 cards with a picture, studies it, and shares it with
their class; the class's teacher sees it on the class page and copies it into their own sets.
axe-core checks every page on the way."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.formats.anki.history import replay_card
from quiz.models import Card, Classroom, Enrollment, Review, User
from tests import media_helpers as files
from tests.anki_helpers import BASIC, Deck, NoteSpec, package
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_teach_journey import log_in
from tests.conftest import make_user
from tests.test_anki_history import HISTORY, rows

LOG = [(r.id, 10, r.ease, r.type) for r in rows(HISTORY, 10)]  # card 10: note 1's first

pytestmark = pytest.mark.browser


def class_with(live_server: LiveServer, teacher: str, student: str) -> int:
    """A teacher's class with the student in it; its id."""
    teacher_id = make_user(live_server.app, teacher, role="teacher").id
    student_id = make_user(live_server.app, student).id
    with live_server.app.app_context():
        classroom = Classroom(teacher_id=teacher_id, name="French 8A", join_code="FRE8AJ")
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=student_id))
        db.session.commit()
        return classroom.id


def test_a_student_builds_studies_and_shares_a_set(
    live_server: LiveServer, page: Any, browser: Any
) -> None:
    base = live_server.url
    class_id = class_with(live_server, "rosa", "noe")
    log_in(page, base, "noe")
    page.click("nav a:has-text('My sets')")
    page.wait_for_url(re.compile(r"/study/my-sets$"))
    assert_accessible(page)
    page.click("a:has-text('New set')")
    page.fill("#title", "French animals")
    assert page.locator("input[name='visibility'][type=radio]").count() == 0  # private, always
    assert_accessible(page)
    page.click("button:has-text('Save set')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+$"))
    set_url = page.url
    expect(page.locator("nav a[aria-current=page]")).to_have_text("My sets")
    assert page.locator("a:has-text('Wrong answers')").count() == 0
    assert_accessible(page)

    # A picture from the set page's upload form, placed on the first card.
    picture = {"name": "chien.png", "mimeType": "image/png", "buffer": files.picture()}
    page.set_input_files("#file", files=[picture])
    page.fill("#alt", "A red dog")
    page.click("#media input[type=submit]")
    page.wait_for_url(re.compile(r"/teach/sets/\d+"))
    snippet = page.input_value(".media-list li:has-text('chien.png') .media-snippet")

    animals = [("chien", "dog"), ("chat", "cat"), ("oiseau", "bird"), ("cheval", "horse"),
               ("vache", "cow"), ("poisson", "fish"), ("lapin", "rabbit"), ("souris", "mouse"),
               ("mouton", "sheep"), ("cochon", "pig")]  # fmt: skip
    page.goto(set_url)
    page.select_option("#new-kind", "flashcard")
    page.click("button:has-text('Add question')")
    page.wait_for_url(re.compile(r"/questions/new"))
    assert_accessible(page)
    for number, (front, back) in enumerate(animals):
        page.fill("#prompt", f"{front} {snippet}" if number == 0 else front)
        page.fill("#back", back)
        page.fill("#explanation", f"{front} is French for {back}.")
        page.click("button:has-text('Save and add another')")
        page.wait_for_url(re.compile(r"/questions/new"))
        assert "Question added." in page.content()
    page.goto(set_url)
    expect(page.locator("ol.question-list > li")).to_have_count(10)

    # Studied in the same queue: the first card shows its picture; rate a few.
    page.goto(f"{base}/study/next")
    expect(page.locator("main img[alt='A red dog']")).to_be_visible()
    assert_accessible(page)
    for _ in range(3):
        page.goto(f"{base}/study/next")
        page.click("a:has-text('Show answer')")
        assert_accessible(page)
        page.click("button[value='good']")
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 3
    page.goto(f"{base}/study/my-sets")
    expect(page.locator("tr", has_text="French animals")).to_contain_text("Stop studying")

    # Shared with the class.
    page.goto(set_url)
    page.check("#sharing input[name=class_id]")
    page.click("#sharing button:has-text('Save sharing')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+"))
    assert "is shared with your teacher" in page.content()
    assert_accessible(page)

    # The teacher sees it on the class page, opens it and copies it.
    teacher = browser.new_page()
    log_in(teacher, base, "rosa")
    teacher.goto(f"{base}/teach/classes/{class_id}")
    shared = teacher.locator("#shared-sets + ul li", has_text="French animals")
    expect(shared).to_contain_text("by noe, 10 questions")
    assert_accessible(teacher)
    shared.locator("a").click()
    teacher.wait_for_url(re.compile(r"/teach/sets/\d+$"))
    expect(teacher.locator("main img[alt='A red dog']").first).to_be_attached()
    assert teacher.locator("a:has-text('Edit details')").count() == 0
    assert_accessible(teacher)
    teacher.click("button:has-text('Copy into my sets')")
    teacher.wait_for_url(re.compile(r"/teach/sets/\d+$"))
    assert teacher.url != set_url
    expect(teacher.locator("h1")).to_have_text("Copy of French animals")
    expect(teacher.locator("ol.question-list > li")).to_have_count(10)
    expect(teacher.locator("a:has-text('Edit details')")).to_be_visible()
    teacher.close()


def test_a_student_imports_their_anki_deck_with_its_history(
    live_server: LiveServer, page: Any
) -> None:
    base = live_server.url
    make_user(live_server.app, "ivo")
    deck = package(Deck([NoteSpec(1, BASIC, ["chien", "dog"])], revlog=LOG), "anki21b")
    log_in(page, base, "ivo")
    page.goto(f"{base}/study/my-sets")
    page.click("a:has-text('Import')")
    page.set_input_files(
        "#upload", files=[{"name": "mine.apkg", "mimeType": "application/zip", "buffer": deck}]
    )
    assert_accessible(page)
    page.click("button:has-text('Preview')")
    expect(page.locator("text=Import preview").first).to_be_visible()
    page.check("#keep_history")
    assert_accessible(page)
    page.click("button:has-text('Import 1 question')")
    expect(page.locator(".flashes")).to_contain_text(
        f"review history kept for 1 card(s), {len(HISTORY)} answer(s)"
    )
    with live_server.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "ivo"))
        card = db.session.scalar(sa.select(Card).where(Card.user_id == user.id))
        expected = replay_card(rows(HISTORY, 10), card_id=card.id, fuzzing=False)
        assert expected is not None and card.due == expected.state.due  # carried on
    page.goto(f"{base}/study/my-sets")
    expect(page.locator("tr", has_text="mine")).to_contain_text("Stop studying")
