"""The Anki reader against packages built in every layout from Anki's documented schemas:
note types, decks, tags, media, the decoy collection, malformed notes, hostile zips and zstd
frames; and the app's own .apkg export read back equal."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.formats.anki.collection import read_package
from quiz.formats.anki.read import read_apkg
from quiz.formats.apkg import write_apkg
from quiz.formats.archive import MAX_ENTRIES, PackageError, unzstd
from quiz.formats.upload import read_upload
from quiz.formats.yaml_bank import QuestionData, load_bank
from quiz.questions import QuestionError, question_from_dict
from tests.anki_helpers import (
    BASIC,
    CLOZE,
    DECOY,
    Deck,
    NoteSpec,
    forged_zstd,
    legacy_collection,
    new_collection,
    package,
    sample_deck,
    zip_bomb,
    zip_of,
)
from tests.media_helpers import mp3, picture
from tests.test_formats_roundtrip import question
from tests.transfer_helpers import set_of

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ("anki2", "anki21", "anki21b")
MEDIA = {"flag.png": picture(), "maison.mp3": mp3()}
SAMPLE = read_package(package(sample_deck(), "anki21"))


def texts(result: object) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Each question as (kind, prompt or cloze text, answer, tags)."""
    return [
        (
            item.question.kind,
            getattr(item.question, "text", item.question.prompt),
            item.question.answer_text(),
            item.question.tags,
        )
        for item in result.questions  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_every_standard_note_type(layout: str) -> None:
    result = read_apkg(package(sample_deck(), layout, MEDIA))
    assert result.title == "Sahel"  # the top deck every note shares
    assert result.unit == "note"
    assert texts(result) == [
        ("flashcard", "What is the capital of **Niger**?", "Niamey", ("geo",)),
        ("flashcard", "chien", "dog", ("french", "animals", "languages")),
        ("flashcard", "dog", "chien", ("french", "animals", "languages")),  # the reverse card
        ("short_answer", "Capital of Chad?", "N'Djamena", ()),
        ("cloze", "{{Agadez}} is in {{central::region}} Niger.", "Agadez is in central Niger.",
         ("places", "cities")),
        ("flashcard", "maison", "house", ("languages",)),  # another type: first two fields
        ("flashcard", "chat", "cat", ("languages",)),  # optional reverse left empty: one card
        ("flashcard", "A flag ![](media:flag.png)", "Orange, white, green", ()),
    ]  # fmt: skip
    assert result.lines == (101, 102, 102, 103, 104, 105, 106, 107)
    # The picture a card shows comes along; the sound of an unshown field does not.
    assert [(blob.name, blob.data) for blob in result.media] == [("flag.png", picture())]
    assert result.groups[:2] == ("Sahel", "Sahel::Languages")
    cloze = result.questions[4].question
    assert cloze.explanation == "Extra *info*"  # Back Extra, sanitized
    warnings = [str(w) for w in result.warnings]
    assert cloze.gaps() == [("Agadez",), ("central",)]  # the hint is shown, never an answer
    assert cloze.view(0)["hints"] == ["", "region"]
    assert not any("hint" in w for w in warnings)
    assert any("several cloze numbers" in w and "(note 104)" in w for w in warnings)
    assert any("'Vocabulary' is not one of Anki's standard types" in w for w in warnings)
    assert not any("images and sounds" in w for w in warnings)


def test_the_newest_collection_wins_over_the_decoy() -> None:
    data = package(sample_deck(), "anki21b")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {"collection.anki2", "collection.anki21b", "media", "meta"} <= set(
            archive.namelist()
        )
        decoy = archive.read("collection.anki2")
    assert b"Please update to the latest Anki version" in decoy
    assert len(read_apkg(data).questions) == 8
    # The decoy alone (a newer Anki's package whose collection went missing) is said so.
    only_decoy = zip_of({"collection.anki2": legacy_collection(DECOY)})
    with pytest.raises(PackageError, match="only the placeholder collection"):
        read_apkg(only_decoy)


def test_a_colpkg_reads_like_an_apkg_and_guessing_tells_them_apart() -> None:
    data = package(sample_deck(), "anki21b", MEDIA)
    fmt, result = read_upload(data, "guess", "profile.colpkg")
    assert fmt == "colpkg" and len(result.questions) == 8
    assert read_upload(data, "guess", "deck.apkg")[0] == "apkg"
    assert read_upload(data, "colpkg")[1] == result


def test_html_is_sanitized_like_moodles() -> None:
    deck = Deck(
        [NoteSpec(1, BASIC, ['<script>alert(1)</script>Hi <a href="javascript:x">there</a>',
                             "<b>bold</b> &lt;tag&gt; {{braces}}"])]
    )  # fmt: skip
    card = read_apkg(package(deck, "anki21")).questions[0].question
    assert "script" not in card.prompt and "javascript" not in card.prompt
    assert card.back == "**bold** \\<tag\\> \\{\\{braces\\}\\}"


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        (NoteSpec(7, BASIC, ["only one field"]), "note 7: it has 1 fields but its note type"),
        (NoteSpec(8, CLOZE, ["no cloze here", ""]), "note 8: a cloze note without any"),
        (NoteSpec(9, CLOZE, ["{{c1::<br>}} gap", ""]), "note 9: cloze c1 has an empty answer"),
    ],
)
@pytest.mark.parametrize("layout", ["anki2", "anki21b"])
def test_a_malformed_note_is_named_and_nothing_is_read(
    layout: str, note: NoteSpec, problem: str
) -> None:
    deck = sample_deck()
    deck.notes.insert(2, note)
    with pytest.raises(PackageError) as error:
        read_apkg(package(deck, layout))
    assert str(error.value).startswith(problem)


def test_a_note_of_a_missing_note_type_is_named() -> None:
    deck = sample_deck()
    deck.models = tuple(m for m in deck.models if m.id != CLOZE.id)
    with pytest.raises(PackageError, match=r"^note 104: its note type 1004 is missing"):
        read_apkg(package(deck, "anki21"))


def test_a_zip_bomb_is_refused_before_it_is_read() -> None:
    bomb = zip_bomb("collection.anki2", 600)
    assert len(bomb) < 1_000_000
    with pytest.raises(PackageError, match="would unpack to 600 MB; at most 512 MB"):
        read_upload(bomb, "apkg")


def test_too_many_entries_are_refused() -> None:
    entries = {f"{n}": b"" for n in range(MAX_ENTRIES + 1)}
    entries["collection.anki21"] = new_collection(sample_deck())
    with pytest.raises(PackageError, match=f"has {MAX_ENTRIES + 2:,} entries; at most"):
        read_apkg(zip_of(entries))


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../../etc/cron.d/evil", "climbs out of its folder"),
        ("media/../../x", "climbs out of its folder"),
        ("/etc/passwd", "has an absolute path"),
        ("C:\\Windows\\x", "has an absolute path"),
    ],
)
def test_a_path_traversal_name_is_refused(name: str, problem: str) -> None:
    data = zip_of({"collection.anki21": legacy_collection(sample_deck()), name: b"x"})
    with pytest.raises(PackageError, match=re.escape(problem)):
        read_apkg(data)


def test_a_truncated_zstd_frame_is_refused() -> None:
    frame = zstandard.ZstdCompressor().compress(new_collection(sample_deck()))
    data = zip_of({"collection.anki21b": frame[: len(frame) // 2]})
    with pytest.raises(PackageError, match=r"'collection.anki21b': the zstd frame declares"):
        read_apkg(data)
    unsized = zstandard.ZstdCompressor(write_content_size=False).compress(b"x" * 50_000)
    with pytest.raises(PackageError, match="the zstd frame is truncated"):
        unzstd(unsized[:-4], "media")


def test_a_zstd_frame_that_lies_about_its_size_is_refused() -> None:
    with pytest.raises(PackageError, match=r"declares 5,000 bytes but holds more"):
        unzstd(forged_zstd(b"x" * 100_000, 5_000), "collection.anki21b")
    with pytest.raises(PackageError, match=r"declares 572 MB; at most 256 MB"):
        unzstd(forged_zstd(b"x" * 100_000, 600_000_000), "collection.anki21b")
    with pytest.raises(PackageError, match="unpacks to more than 1,000 bytes"):
        unzstd(zstandard.ZstdCompressor(write_content_size=False).compress(b"y" * 5000), "m", 1000)


def test_damaged_bytes_are_refused_with_a_message() -> None:
    for data, problem in (
        (b"PK\x03\x04 not really", "the zip file is damaged"),
        (b"just text", "not a zip file"),
        (zip_of({"collection.anki2": b"not sqlite"}), "collection.anki2: is not an SQLite"),
        (zip_of({"notes.txt": b"x"}), "no Anki collection inside"),
    ):
        with pytest.raises(PackageError, match=re.escape(problem)):
            read_apkg(data)


def test_the_starter_bank_exported_as_apkg_reads_back_equal() -> None:
    for data in load_bank(ROOT / "questions"):
        package_bytes, _notices = write_apkg(data, data.slug)
        result = read_apkg(package_bytes)
        assert result.questions == data.questions
        assert result.title == data.title


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(question(), min_size=1, max_size=6))
def test_every_kind_exported_as_apkg_reads_back_equal(fields: list) -> None:
    items = []
    for number, item in enumerate(fields):
        try:
            items.append(QuestionData(f"q{number}", question_from_dict(item)))
        except QuestionError:
            continue
    if not items:
        return
    data = set_of(items)
    result = read_apkg(write_apkg(data, "set-1")[0])
    assert result.questions == data.questions


def test_a_note_edited_in_anki_is_read_from_its_fields() -> None:
    data = set_of([QuestionData("q1", question_from_dict(
        {"kind": "flashcard", "prompt": "Front", "back": "Back", "explanation": "Why."}
    ))])  # fmt: skip
    exported = write_apkg(data, "set-1")[0]
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        raw = archive.read("collection.anki2")
    path = Path(__import__("tempfile").mkdtemp()) / "c.anki2"
    path.write_bytes(raw)
    db = sqlite3.connect(path)
    db.execute("UPDATE notes SET flds = replace(flds, 'Front', 'Edited front')")
    db.commit()
    db.close()
    result = read_apkg(zip_of({"collection.anki2": path.read_bytes()}))
    card = result.questions[0].question
    assert card.prompt == "Edited front" and card.back.startswith("Back")
    assert any("edited in Anki since this app exported it" in str(w) for w in result.warnings)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_the_plain_text_shortcut_gives_what_the_html_reader_gives(text: str) -> None:
    from quiz.formats.anki.read import SOUND, Reader
    from quiz.formats.html_text import html_to_markdown

    reader = Reader(SAMPLE)
    assert reader.markdown(text) == html_to_markdown(SOUND.sub(" ", text)).text
