"""Anki's cloze hints (`{{c1::answer::hint}}`) kept as `{{answer::hint}}` (issue 22): shown in the
gap to the student, never an accepted answer, and written back to Anki."""

from __future__ import annotations

import io
import re
import zipfile

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.formats.apkg import write_apkg
from quiz.formats.gift_writer import write_gift
from quiz.formats.upload import read_upload
from quiz.formats.yaml_bank import QuestionData
from quiz.models import Question
from quiz.questions import question_from_dict
from tests.anki_helpers import CLOZE, Deck, NoteSpec, package
from tests.test_media_io import collection_fields
from tests.transfer_helpers import client_for, make_roles, set_of

TEXT = "{{Niamey::capital}} is on the {{Niger|Niger river::a river}}."


def hinted() -> object:
    """A cloze with a hint in each gap."""
    return question_from_dict(
        {"kind": "cloze", "prompt": "Fill in the gaps.", "text": TEXT, "explanation": "Geo."}
    )


def test_a_hint_is_never_an_answer() -> None:
    cloze = hinted()
    assert cloze.gaps() == [("Niamey",), ("Niger", "Niger river")]
    assert cloze.view(0)["hints"] == ["capital", "a river"]
    assert cloze.answer_text() == "Niamey is on the Niger."
    assert cloze.score(["Niamey", "Niger river"])[0] == 1.0
    assert cloze.score(["capital", "a river"])[0] == 0.0


def test_anki_hints_come_in_and_go_back_out() -> None:
    deck = Deck([NoteSpec(5, CLOZE, ["{{c1::Niamey::capital}} is big.", ""])], {1: "Default"})
    read = read_upload(package(deck, "anki21b"), "apkg")[1]
    assert read.questions[0].question.text == "{{Niamey::capital}} is big."
    data, _ = write_apkg(set_of([QuestionData("c", hinted())]), "s")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        fields = collection_fields(archive.read("collection.anki2"))
    assert "{{c1::Niamey::capital}}" in fields[0] and "{{c2::Niger::a river}}" in fields[0]
    _, notes = write_gift(set_of([QuestionData("c", hinted())]))
    assert any("hints are left out" in str(note) for note in notes)


def test_the_student_view_shows_the_hint_in_the_gap(app: Flask) -> None:
    roles = make_roles(app)
    with app.app_context():
        from quiz.formats.common import ReadResult
        from quiz.transfer.imports import new_set, write_import

        qset = new_set(db.session, roles["owner"], "Hints", "private")
        write_import(db.session, qset, ReadResult((QuestionData("c", hinted()),), (1,)))
        db.session.commit()
        question_id = db.session.scalar(sa.select(Question.id).where(Question.set_id == qset.id))
    page = client_for(app, "tina").get(f"/teach/questions/{question_id}/preview")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'name="gap-0"[^>]*placeholder="capital"', html)
    assert re.search(r'name="gap-1"[^>]*placeholder="a river"', html)
    assert "Gap 2 (hint: a river)" in html
    assert "Niger river" not in html  # the answers stay hidden
