"""A teacher imports an Anki package (Basic, reversed and Cloze notes), a Quizlet paste (its
rows shown live as the separators are chosen) and a Kahoot sheet, each through the preview,
with axe-core on every page reached."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.models import Question, QuestionSet
from tests.anki_helpers import BASIC, CLOZE, REVERSED, Deck, NoteSpec, package
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.browser.test_import_journey import log_in
from tests.conftest import make_user
from tests.kahoot_helpers import kahoot_sheet

pytestmark = pytest.mark.browser

DECK = Deck(
    [
        NoteSpec(1, BASIC, ["What is the capital of <b>Niger</b>?", "Niamey"], ["geo"], 10),
        NoteSpec(2, REVERSED, ["chien", "dog"], ["french"], 11),
        NoteSpec(
            3, CLOZE, ["{{c1::Agadez}} hosts {{c2::Air Base 201}}.", "In the desert."], [], 10
        ),
    ],
    {1: "Default", 10: "Sahel", 11: "Sahel::Words"},
)


def questions_of(app: Any, title: str) -> list[tuple[str, str]]:
    """(kind, prompt) of a set's questions, in order."""
    with app.app_context():
        return [
            (row.kind, row.prompt)
            for row in db.session.execute(
                sa.select(Question.kind, Question.prompt)
                .join(QuestionSet, QuestionSet.id == Question.set_id)
                .where(QuestionSet.title == title)
                .order_by(Question.position)
            )
        ]


def preview_and_import(page: Any, count: int) -> None:
    """Press Preview, check the page, then Import."""
    page.click("button:has-text('Preview')")
    expect(page.locator("text=Import preview").first).to_be_visible()
    assert page.locator("table.preview tbody tr").count() == count
    assert_accessible(page)
    page.click(f"button:has-text('Import {count} questions')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+/export$"))
    assert f"{count} created" in page.content()
    assert_accessible(page)


def test_teacher_imports_anki_quizlet_and_kahoot(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    base, app = live_server.url, live_server.app
    make_user(app, "ines", role="teacher")
    teacher = browser.new_context().new_page()
    log_in(teacher, base, "ines")

    deck = tmp_path / "sahel.apkg"
    deck.write_bytes(package(DECK, "anki21b"))
    teacher.goto(f"{base}/teach/import")
    assert_accessible(teacher)
    expect(teacher.locator("text=at most 50 MB").first).to_be_visible()
    teacher.set_input_files("#upload", str(deck))
    teacher.click("button:has-text('Preview')")
    expect(teacher.locator("text=Read as Anki package (.apkg)").first).to_be_visible()
    expect(teacher.locator("th", has_text="Anki note")).to_be_visible()
    expect(teacher.locator("text=several cloze numbers").first).to_be_visible()
    assert_accessible(teacher)
    teacher.click("button:has-text('Import 4 questions')")
    teacher.wait_for_url(re.compile(r"/teach/sets/\d+/export$"))
    assert_accessible(teacher)
    assert questions_of(app, "Sahel") == [
        ("flashcard", "What is the capital of **Niger**?"),
        ("flashcard", "chien"),
        ("flashcard", "dog"),
        ("cloze", "Fill in the gaps."),
    ]

    teacher.goto(f"{base}/teach/import")
    teacher.fill("#text", "chien - dog||chat - cat||oiseau - bird")
    teacher.select_option("#fmt", "quizlet")
    teacher.check("input[name=quizlet_term][value=custom]")
    teacher.fill("#quizlet_term_custom", " - ")
    teacher.check("input[name=quizlet_row][value=custom]")
    teacher.fill("#quizlet_row_custom", "||")
    live = teacher.locator(".quizlet-live tbody tr")
    expect(live).to_have_count(3)  # the rows as read, before any request
    expect(live.nth(2)).to_contain_text("bird")
    assert_accessible(teacher)
    teacher.fill("#title", "French words")
    preview_and_import(teacher, 3)
    assert [prompt for _kind, prompt in questions_of(app, "French words")] == [
        "chien", "chat", "oiseau"
    ]  # fmt: skip

    sheet = tmp_path / "kahoot.xlsx"
    sheet.write_bytes(kahoot_sheet())
    teacher.goto(f"{base}/teach/import")
    teacher.set_input_files("#upload", str(sheet))
    teacher.fill("#title", "Kahoot quiz")
    teacher.click("button:has-text('Preview')")
    expect(teacher.locator("text=suggested quiz time limit").first).to_be_visible()
    assert teacher.locator("table.preview tbody tr").count() == 3
    assert_accessible(teacher)
    teacher.click("button:has-text('Import 3 questions')")
    teacher.wait_for_url(re.compile(r"/teach/sets/\d+/export$"))
    assert [kind for kind, _prompt in questions_of(app, "Kahoot quiz")] == [
        "multiple_choice", "multiple_select", "multiple_choice"
    ]  # fmt: skip
