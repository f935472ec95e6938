"""Binary uploads through the two-step import: Anki packages and Kahoot sheets preview and
confirm exactly as previewed (the kept bytes), the limits (50 MB binary, 2 MB text) are said
and kept, hostile zips are refused with their reason and write nothing, and the preview
statement count does not grow with the package (the confirm's, only by its inserts)."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quiz.extensions import db
from quiz.models import Question, QuestionSet
from quiz.models.transfer import PendingImport
from tests.anki_helpers import BASIC, Deck, NoteSpec, package, sample_deck, zip_bomb
from tests.conftest import count_rows
from tests.kahoot_helpers import kahoot_sheet
from tests.media_helpers import picture
from tests.test_query_counts import counting
from tests.transfer_helpers import client_for, confirm_fields, make_roles


@pytest.fixture
def roles(app: Flask) -> dict:
    return make_roles(app)


def upload(client: FlaskClient, data: bytes, filename: str, **fields: str) -> Any:
    """Step one with a file of these bytes."""
    form: dict[str, Any] = {
        "upload": FileStorage(io.BytesIO(data), filename=filename),
        "fmt": "guess",
        "target": "new",
        "visibility": "private",
        **fields,
    }
    boundary, body = encode_multipart(form)
    return client.post(
        "/teach/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def stored(app: Flask) -> list[tuple[str, str, str, list[str]]]:
    """Every question as (set title, kind, prompt, tags), in order."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(QuestionSet.title, Question.kind, Question.prompt, Question.tags)
            .join(QuestionSet, QuestionSet.id == Question.set_id)
            .order_by(QuestionSet.id, Question.position)
        ).all()
    return [(r.title, r.kind, r.prompt, list(r.tags or [])) for r in rows]


def test_an_anki_package_previews_then_confirms_exactly(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    data = package(sample_deck(), "anki21b", {"flag.png": picture()})
    page = upload(client, data, "sahel.apkg")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:500]
    assert "Read as Anki package (.apkg): 8 questions" in html
    assert '<th scope="col">Anki note</th>' in html
    assert "several cloze numbers" in html
    assert "each checked (1):\n      <code>flag.png</code>" in html  # the flag comes along
    assert "3 Anki decks: make them" in html  # the choice of tags or sets
    assert count_rows(app, Question) == 0
    with app.app_context():
        kept = db.session.scalar(sa.select(PendingImport.content))
    assert kept == data  # the bytes as sent
    done = client.post("/teach/import/confirm", data=confirm_fields(html))
    assert done.status_code == 302
    rows = stored(app)
    assert [row[1] for row in rows].count("flashcard") == 6
    assert rows[0] == ("Sahel", "flashcard", "What is the capital of **Niger**?", ["geo"])
    assert rows[4][1:] == ("cloze", "Fill in the gaps.", ["places", "cities"])


def test_one_set_per_subdeck_when_chosen(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    html = upload(client, package(sample_deck(), "anki21"), "sahel.apkg").get_data(as_text=True)
    fields = {**confirm_fields(html), "grouping": "sets"}
    assert client.post("/teach/import/confirm", data=fields).status_code == 302
    rows = stored(app)
    assert sorted({row[0] for row in rows}) == [
        "Sahel", "Sahel::Languages", "Sahel::Places::Cities"
    ]  # fmt: skip
    cloze = next(row for row in rows if row[1] == "cloze")
    assert cloze[0] == "Sahel::Places::Cities" and cloze[3] == []  # the set says it, not tags


def test_a_package_over_the_old_2_mb_limit_imports(app: Flask, roles: dict) -> None:
    media = {"big.jpg": os.urandom(3 * 1024 * 1024)}  # incompressible: a 3 MB package
    data = package(sample_deck(), "anki21b", media)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    client = client_for(app, "tina")
    page = upload(client, data, "big.apkg")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    fields = confirm_fields(page.get_data(as_text=True))
    assert client.post("/teach/import/confirm", data=fields).status_code == 302
    assert count_rows(app, Question) == 8


def test_text_over_2_mb_is_refused_with_the_limit(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    text = ("::q::Is this text? {T}\n\n" * 100_000).encode()
    assert len(text) > 2 * 1024 * 1024
    page = upload(client, text, "big.gift")
    assert page.status_code == 422
    assert "text may be at most 2 MB" in page.get_data(as_text=True)
    assert count_rows(app, PendingImport) == 0


def test_the_page_says_the_limits(app: Flask, roles: dict) -> None:
    html = client_for(app, "tina").get("/teach/import").get_data(as_text=True)
    assert "at most 2 MB" in html and "at most 50 MB" in html
    assert ".apkg,.colpkg,.xlsx" in html


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (zip_bomb("collection.anki2", 600), "would unpack to 600 MB; at most 512 MB"),
        (b"PK\x03\x04garbage", "the zip file is damaged"),
    ],
)
def test_hostile_packages_are_refused_and_write_nothing(
    app: Flask, roles: dict, data: bytes, problem: str
) -> None:
    page = upload(client_for(app, "tina"), data, "deck.apkg")
    assert page.status_code == 422
    assert problem in page.get_data(as_text=True)
    assert count_rows(app, PendingImport) == 0 and count_rows(app, Question) == 0


def test_a_malformed_note_names_its_id(app: Flask, roles: dict) -> None:
    deck = sample_deck()
    deck.notes.append(NoteSpec(4242, BASIC, ["one field only"]))
    page = upload(client_for(app, "tina"), package(deck, "anki21b"), "deck.apkg")
    assert page.status_code == 422
    assert "note 4242: it has 1 fields" in page.get_data(as_text=True)
    assert count_rows(app, QuestionSet) == 0


def test_a_kahoot_sheet_imports_with_its_time_limit(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = upload(client, kahoot_sheet(), "kahoot.xlsx")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:400]
    assert "Read as Kahoot spreadsheet (.xlsx): 3 questions" in html
    assert "suggested quiz time limit of" in html and "<strong>1 minute</strong>" in html
    assert client.post("/teach/import/confirm", data=confirm_fields(html)).status_code == 302
    with app.app_context():
        qset = db.session.scalar(sa.select(QuestionSet))
        assert "a suggested quiz time limit of 1 minute" in qset.description
    assert [row[1] for row in stored(app)] == [
        "multiple_choice", "multiple_select", "multiple_choice"
    ]  # fmt: skip


def test_a_bad_kahoot_row_is_named(app: Flask, roles: dict) -> None:
    sheet = kahoot_sheet(
        [["Fine?", "Yes", "No", "", "", 20, 1], ["Bad?", "Yes", "No", "", "", 20, 3]]
    )
    page = upload(client_for(app, "tina"), sheet, "kahoot.xlsx")
    assert page.status_code == 422
    assert "row 10: correct answer 3 names an empty answer" in page.get_data(as_text=True)


def deck_of(count: int) -> bytes:
    """A package of `count` Basic notes."""
    notes = [NoteSpec(n, BASIC, [f"Front {n}", f"Back {n}"]) for n in range(1, count + 1)]
    return package(Deck(notes, {1: "Default"}), "anki21b")


def test_preview_and_confirm_statements_do_not_grow_with_the_package(
    app: Flask, roles: dict
) -> None:
    client = client_for(app, "tina")
    costs = []
    for count in (10, 200):
        data = deck_of(count)
        with counting(app) as seen:
            page = upload(client, data, f"d{count}.apkg")
        assert page.status_code == 200
        with counting(app) as confirmed:
            done = client.post(
                "/teach/import/confirm", data=confirm_fields(page.get_data(as_text=True))
            )
        assert done.status_code == 302
        costs.append((len(seen), len(confirmed)))
    assert costs[0][0] == costs[1][0]  # the preview reads the package, never row by row
    # The confirm writes each question and its first version (the ORM's unit of work inserts
    # them one by one on SQLite); nothing else grows with the package.
    assert costs[1][1] - costs[0][1] <= 2 * 190, costs
