"""Moodle XML through the import page (preview, then import) and the export page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.formats.detect import read
from quiz.models import Question, QuestionSet
from tests.conftest import count_rows
from tests.transfer_helpers import (
    GIFT,
    client_for,
    confirm_fields,
    make_roles,
    make_set,
    post_import,
)

MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Niger/Cities</text></category></question>
  <question type="multichoice"><name><text>Capital</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which city is the <b>capital</b>?
      <img src="@@PLUGINFILE@@/map.png"></p><script>alert(1)</script>]]></text></questiontext>
    <generalfeedback format="html"><text>Niamey is.</text></generalfeedback>
    <single>true</single>
    <answer fraction="100"><text>Niamey</text></answer>
    <answer fraction="50"><text>Agadez</text></answer>
    <answer fraction="0"><text>Zinder</text></answer>
  </question>
  <question type="description"><name><text>Intro</text></name>
    <questiontext format="html"><text>Write.</text></questiontext></question>
</quiz>
"""


@pytest.fixture
def roles(app: Flask) -> dict:
    return make_roles(app)


def test_moodle_xml_preview_then_import(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = post_import(client, MOODLE, filename="bank.xml")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "Moodle XML" in html and "Which city is the capital?" in html
    assert "partly right: Agadez 50%" in html  # partial credit kept (issue 22)
    assert "Intro" in html and "skipped" in html and "map.png" in html
    assert "<script>alert" not in html
    assert count_rows(app, Question) == 0
    done = client.post("/teach/import/confirm", data=confirm_fields(html))
    assert done.status_code == 302
    with app.app_context():
        qset = db.session.scalar(sa.select(QuestionSet))
        question = db.session.scalar(sa.select(Question))
        assert qset.title == "Cities"
        assert (question.key, question.kind) == ("capital", "multiple_choice")
        assert question.prompt == "Which city is the **capital**?"
        assert question.tags == ["niger", "cities"]
        right = [c["text"] for c in question.spec["choices"] if c.get("correct")]
        assert right == ["Niamey"]


def test_moodle_xml_error_names_line_and_writes_nothing(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    broken = MOODLE.replace('fraction="50"', 'fraction="33"')
    page = post_import(client, broken, filename="bank.xml")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert re.search(r"line 10: &lt;answer fraction=(&#34;|&quot;|\")33", html), html
    assert count_rows(app, QuestionSet) == 0


def test_export_page_offers_moodle_xml_and_it_reads_back(app: Flask, roles: dict) -> None:
    set_id = make_set(app)
    client = client_for(app, "tina")
    page = client.get(f"/teach/sets/{set_id}/export").get_data(as_text=True)
    assert f"/teach/sets/{set_id}/export/moodle-xml" in page and "Moodle XML" in page
    response = client.get(f"/teach/sets/{set_id}/export/moodle-xml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(".xml")
    assert response.mimetype == "application/xml"
    text = response.get_data(as_text=True)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert read(text)[1].questions == read(GIFT)[1].questions
