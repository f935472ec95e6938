"""A teacher imports a GIFT file through the page, a student studies one of its questions, and
the teacher downloads the GIFT export, which reads back to the same questions."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from quiz.extensions import db
from quiz.formats.detect import read
from quiz.models import Question, QuestionSet
from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.conftest import PASSWORD, make_user
from tests.transfer_helpers import big_gift

pytestmark = pytest.mark.browser

GIFT = """// Questions a teacher brings from Moodle.
::drone-city::Which city has the main US drone base in Niger? {
=Agadez#Right: it is in central Niger.
~Niamey#No: Niamey is the capital.
~Zinder
####Most US troops are said to be at the drone base in Agadez.
}

::junta-order:: Niger's junta ordered US troops to leave. {TRUE####It did, in March.}
"""


def log_in(page: Any, base: str, name: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/auth/login")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit], button[type=submit] >> nth=-1")
    page.wait_for_url(re.compile(r"/(study|teach)/$"))  # teachers land on Teach (issue 20)


def test_teacher_imports_student_studies_teacher_exports(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    base = live_server.url
    make_user(live_server.app, "ines", role="teacher")
    make_user(live_server.app, "sami")
    source = tmp_path / "sahel.gift"
    source.write_text(GIFT, encoding="utf-8")

    teacher = browser.new_context(accept_downloads=True).new_page()
    log_in(teacher, base, "ines")
    teacher.goto(f"{base}/teach/")
    teacher.click("text=Import questions")
    teacher.wait_for_url(re.compile(r"/teach/import$"))
    assert_accessible(teacher)
    teacher.set_input_files("#upload", str(source))
    teacher.fill("#title", "Sahel bases")
    teacher.select_option("#visibility", "public")
    teacher.click("button:has-text('Preview')")
    expect(teacher.locator("text=Import preview").first).to_be_visible()
    assert "2 questions" in teacher.content()
    assert teacher.locator("table.preview tbody tr").count() == 2
    assert_accessible(teacher)
    teacher.click("button:has-text('Import 2 questions')")
    teacher.wait_for_url(re.compile(r"/teach/sets/\d+/export$"))
    assert "2 created, 0 updated" in teacher.content()
    assert_accessible(teacher)
    set_id = int(re.search(r"/sets/(\d+)/", teacher.url).group(1))

    student = browser.new_context().new_page()
    log_in(student, base, "sami")
    student.goto(f"{base}/study/")
    card = student.locator("article.card", has_text="Sahel bases")
    card.locator("button:has-text('Study this set')").click()
    student.click("text=Study now")
    student.wait_for_url(re.compile(r"/study/next$"))
    assert_accessible(student)
    prompt = student.locator("fieldset.question").inner_text()
    assert "drone base" in prompt or "junta" in prompt
    student.locator("fieldset.question input[type=radio]").first.check()
    student.locator("button:has-text('Check')").click()
    expect(student.locator(".verdict-ok, .verdict-bad").first).to_be_visible()
    assert_accessible(student)

    teacher.goto(f"{base}/teach/sets/{set_id}/print")
    assert_accessible(teacher)
    teacher.goto(f"{base}/teach/sets/{set_id}/export")
    with teacher.expect_download() as info:
        teacher.click("a:has-text('GIFT (Moodle)')")
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    assert info.value.suggested_filename == "sahel-bases.gift"
    assert read(exported)[1].questions == read(GIFT)[1].questions


def test_a_large_file_is_confirmed_once(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    """A 1.5 MB GIFT file (once refused as too large at the confirmation) previews and imports;
    pressing the preview's Import again afterwards writes nothing and says why."""
    base = live_server.url
    make_user(live_server.app, "ivy", role="teacher")
    text = big_gift(1_500_000)
    count = len(read(text)[1].questions)
    source = tmp_path / "big.gift"
    source.write_text(text, encoding="utf-8")

    teacher = browser.new_context().new_page()
    log_in(teacher, base, "ivy")
    teacher.goto(f"{base}/teach/import")
    teacher.set_input_files("#upload", str(source))
    teacher.fill("#title", "Big bases")
    teacher.click("button:has-text('Preview')")
    expect(teacher.locator("text=Import preview").first).to_be_visible()
    expect(teacher.locator("code.checksum")).to_have_text(hashlib.sha256(text.encode()).hexdigest())
    hidden = teacher.eval_on_selector_all(
        "form[action$='/import/confirm'] input[type=hidden]",
        "inputs => Object.fromEntries(inputs.map(i => [i.name, i.value]))",
    )
    assert set(hidden) == {"csrf_token", "token", "sha256"}
    teacher.click(f"button:has-text('Import {count} questions')")
    teacher.wait_for_url(re.compile(r"/teach/sets/\d+/export$"))
    assert f"{count} created, 0 updated" in teacher.content()

    # The same preview's Import pressed again (a second tab, a double click): refused, told.
    teacher.evaluate(
        """fields => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/teach/import/confirm';
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        hidden,
    )
    teacher.wait_for_url(re.compile(r"/teach/import/confirm$"))
    expect(teacher.locator("[role=alert]")).to_contain_text("already imported")
    expect(teacher.locator("[role=alert]")).to_contain_text("upload the file again")
    assert_accessible(teacher)
    with live_server.app.app_context():
        sets = db.session.scalars(
            sa.select(QuestionSet.id).where(QuestionSet.title == "Big bases")
        ).all()
        questions = db.session.scalar(
            sa.select(sa.func.count()).select_from(Question).where(Question.set_id.in_(sets))
        )
    assert len(sets) == 1 and questions == count


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Sahel</text></category></question>
  <question type="multichoice"><name><text>Drone city</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which city has the <b>drone base</b>?</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text>Agadez.</text></generalfeedback>
    <single>true</single>
    <answer fraction="100"><text>Agadez</text></answer>
    <answer fraction="50"><text>Niamey</text></answer>
    <answer fraction="0"><text>Zinder</text></answer>
  </question>
  <question type="description"><name><text>Why</text></name>
    <questiontext format="html"><text>Explain.</text></questiontext></question>
</quiz>
"""


def test_teacher_imports_and_exports_moodle_xml(
    live_server: LiveServer, browser: Any, tmp_path: Path
) -> None:
    base = live_server.url
    make_user(live_server.app, "moira", role="teacher")
    source = tmp_path / "sahel.xml"
    source.write_text(MOODLE_XML, encoding="utf-8")
    teacher = browser.new_context(accept_downloads=True).new_page()
    log_in(teacher, base, "moira")
    teacher.goto(f"{base}/teach/import")
    teacher.set_input_files("#upload", str(source))
    teacher.click("button:has-text('Preview')")
    expect(teacher.locator("text=Import preview").first).to_be_visible()
    content = teacher.content()
    assert "Moodle XML" in content and "partly right: Niamey 50%" in content  # issue 22
    assert "'Why': skipped" in content
    assert_accessible(teacher)
    teacher.click("button:has-text('Import 1 question')")
    teacher.wait_for_url(re.compile(r"/teach/sets/\d+/export$"))
    assert "1 created" in teacher.content()
    assert_accessible(teacher)
    with teacher.expect_download() as info:
        teacher.click("a:has-text('Moodle XML')")
    assert info.value.suggested_filename == "sahel.xml"
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    assert read(exported)[1].questions == read(MOODLE_XML)[1].questions
