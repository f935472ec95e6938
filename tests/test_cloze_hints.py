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


WEIGHTED = "{{Paris|%50%Lyon}} and {{Niamey|%25%Agadez}} and {{Zinder}}."


def weighted() -> object:
    """A cloze whose gaps have partly right answers."""
    return question_from_dict(
        {"kind": "cloze", "prompt": "Fill in the gaps.", "text": WEIGHTED, "explanation": "Geo."}
    )


def test_gap_weights_give_partial_credit_never_rounded_up() -> None:
    cloze = weighted()
    assert cloze.gaps() == [("Paris",), ("Niamey",), ("Zinder",)]
    score, said = cloze.score(["Lyon", "Agadez", "Zinder"])
    assert score == (0.5 + 0.25 + 1) / 3
    assert "1.75 of 3 gaps right" in said and "'Lyon' is partly right (50%)" in said
    assert cloze.score(["Paris", "Niamey", "Zinder"])[0] == 1.0
    assert cloze.score(["", "Agadezz", ""])[0] == 0.25 / 3  # a typo of a partial answer counts
    assert cloze.answer_text() == "Paris and Niamey and Zinder."


def test_gap_weights_are_checked() -> None:
    import pytest

    from quiz.questions import QuestionError

    for text, words in (
        ("{{%50%Lyon}}", "no fully right answer"),
        ("{{Paris|%150%Lyon}}", "between 0 and 100%"),
        ("{{Paris|%50% }}", "empty answer"),
    ):
        with pytest.raises(QuestionError, match=words):
            question_from_dict(
                {"kind": "cloze", "prompt": "Fill.", "text": text, "explanation": "e"}
            )


def test_gap_weights_survive_moodle_xml_and_gift() -> None:
    from quiz.formats.gift import read_gift
    from quiz.formats.moodle.writer import write_moodle_xml

    data = set_of([QuestionData("w", weighted())])
    xml, _ = write_moodle_xml(data)
    assert "{1:SHORTANSWER:=Paris~%50%Lyon}" in xml  # what Moodle itself grades
    assert read_upload(xml.encode(), "moodle-xml")[1].questions[0].question.text == WEIGHTED
    gift, _ = write_gift(data)
    assert "=%50%Lyon" in gift
    assert read_gift(gift).questions  # GIFT reads the file back
