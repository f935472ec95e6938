"""Pictures and sounds in exports and back (issue 24): Anki's media map (JSON and the newer
zstd protobuf), Moodle XML's base64 `<file>` with `@@PLUGINFILE@@`, the YAML zip bundle; each
file checked as an upload is; a forged one refuses the whole import and stores nothing."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from typing import Any

import defusedxml.ElementTree as SafeET
import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.formats.apkg import write_apkg
from quiz.formats.archive import PackageError
from quiz.formats.common import FormatError
from quiz.formats.media_files import write_bundle
from quiz.formats.moodle.writer import write_moodle_xml
from quiz.formats.upload import read_upload
from quiz.formats.yaml_bank import QuestionData, dump_set
from quiz.media.checks import check_upload
from quiz.media.store import add_file
from quiz.models import MediaFile, PendingImport, Question, QuestionSet, SetMedia
from quiz.questions import question_from_dict
from tests import media_helpers as files
from tests.anki_helpers import BASIC, CLOZE, Deck, NoteSpec, package
from tests.conftest import count_rows
from tests.test_transfer_binary_web import upload
from tests.transfer_helpers import client_for, confirm_fields, make_roles, set_of

MIB = 1024 * 1024
PNG = check_upload(files.picture("PNG"), 5 * MIB, 20 * MIB).data  # already normalized
MP3 = files.mp3()


def sha(data: bytes) -> str:
    """A file's SHA-256, as the store names it."""
    return hashlib.sha256(data).hexdigest()


def sample() -> Any:
    """A set whose questions use a picture and a sound, in a choice, a prompt and a card."""
    mcq = question_from_dict(
        {
            "kind": "multiple_choice",
            "prompt": "Which flag is this? ![A red flag](media:flag.png)",
            "choices": [{"text": "![A red flag](media:flag.png) Red", "correct": True},
                        {"text": "Blue"}],
            "explanation": "It is red.",
        }
    )  # fmt: skip
    card = question_from_dict(
        {
            "kind": "flashcard",
            "prompt": "Listen: ![the word](media:word.mp3)",
            "back": "maison",
            "explanation": "A house.",
        }
    )
    plain = question_from_dict(
        {"kind": "short_answer", "prompt": "Capital of Niger?", "answers": ["Niamey"],
         "explanation": "Niamey."}
    )  # fmt: skip
    return set_of([QuestionData("mcq", mcq), QuestionData("card", card), QuestionData("q", plain)])


MEDIA = {"flag.png": PNG, "word.mp3": MP3}


def hashes(result: Any) -> dict[str, str]:
    """The media a read brought, name -> hash."""
    return {blob.name: sha(blob.data) for blob in result.media}


def test_moodle_xml_embeds_each_file_beside_the_text_that_uses_it() -> None:
    text, _ = write_moodle_xml(sample(), MEDIA)
    root = SafeET.fromstring(text)
    mcq, card, plain = root.findall("question")
    questiontext = mcq.find("questiontext")
    assert 'src="@@PLUGINFILE@@/flag.png"' in questiontext.findtext("text")
    (embedded,) = questiontext.findall("file")
    assert embedded.get("name") == "flag.png" and embedded.get("encoding") == "base64"
    assert base64.b64decode(embedded.text) == PNG
    # The choice that shows the flag has its own copy, as Moodle keeps files per text.
    assert [f.get("name") for f in mcq.find("answer").findall("file")] == ["flag.png"]
    sound = card.find("questiontext")
    assert 'href="@@PLUGINFILE@@/word.mp3"' in sound.findtext("text")
    assert [f.get("name") for f in sound.findall("file")] == ["word.mp3"]
    assert plain.find(".//file") is None
    fmt, back = read_upload(text.encode(), "guess", "set.xml")
    assert fmt == "moodle-xml"
    assert [item.question for item in back.questions] == [i.question for i in sample().questions]
    assert hashes(back) == {name: sha(data) for name, data in MEDIA.items()}


def test_an_anki_package_carries_the_media_map_and_numbered_files() -> None:
    data, _ = write_apkg(sample(), "s", media={**MEDIA, "unused.png": PNG})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        listed = json.loads(archive.read("media"))
        assert listed == {"0": "flag.png", "1": "word.mp3"}  # only what a note uses
        assert archive.read("0") == PNG and archive.read("1") == MP3
        (collection,) = [n for n in archive.namelist() if n.startswith("collection")]
        fields = collection_fields(archive.read(collection))
    assert any('<img src="flag.png" alt="A red flag"' in f for f in fields)
    assert any("[sound:word.mp3]" in f for f in fields)
    fmt, back = read_upload(data, "guess", "set.apkg")
    assert fmt == "apkg"
    assert [item.question for item in back.questions] == [i.question for i in sample().questions]
    assert hashes(back) == {name: sha(data) for name, data in MEDIA.items()}


def collection_fields(sqlite_bytes: bytes) -> list[str]:
    """Every note field of an SQLite collection."""
    import sqlite3
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".anki2") as handle:
        handle.write(sqlite_bytes)
        handle.flush()
        with sqlite3.connect(handle.name) as conn:
            rows = conn.execute("select flds from notes").fetchall()
    return [field for (flds,) in rows for field in flds.split("\x1f")]


@pytest.mark.parametrize("layout", ["anki2", "anki21", "anki21b"])
def test_anki_notes_images_and_sounds_become_media_references(layout: str) -> None:
    deck = Deck(
        [
            NoteSpec(1, BASIC, ['Where? <img src="my map.png" alt="Map">', "Here [sound:mot.mp3]"]),
            NoteSpec(2, CLOZE, ['{{c1::Niamey}} <img src="my%20map.png">', ""]),
            NoteSpec(3, BASIC, ['<img src="gone.png"> lost', "back"]),
        ],
        {1: "Default"},
    )
    result = read_upload(package(deck, layout, {"my map.png": PNG, "mot.mp3": MP3}), "apkg")[1]
    first, cloze, lost = (item.question for item in result.questions)
    assert first.prompt == "Where? ![Map](media:my-map.png)"
    assert first.back == "Here ![](media:mot.mp3)"
    assert cloze.text == "{{Niamey}} ![](media:my-map.png)"  # one file, however it is written
    assert lost.prompt == "lost"
    assert hashes(result) == {"my-map.png": sha(PNG), "mot.mp3": sha(MP3)}
    assert any("gone.png" in str(w) for w in result.warnings)


def test_a_yaml_export_with_media_is_a_zip_bundle_that_reads_back() -> None:
    bundle = write_bundle(dump_set(sample()), MEDIA)
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        assert sorted(archive.namelist()) == ["media/flag.png", "media/word.mp3", "set.yaml"]
    fmt, back = read_upload(bundle, "guess", "set.zip")
    assert fmt == "yaml"
    assert [item.question for item in back.questions] == [i.question for i in sample().questions]
    assert hashes(back) == {name: sha(data) for name, data in MEDIA.items()}


def test_a_picture_named_for_another_type_is_renamed_with_its_references() -> None:
    deck = Deck([NoteSpec(1, BASIC, ['<img src="photo.jpg">', "back"])], {1: "Default"})
    result = read_upload(package(deck, "anki21", {"photo.jpg": PNG}), "apkg")[1]
    assert result.questions[0].question.prompt == "![](media:photo.png)"
    assert [(blob.name, blob.checked.mime) for blob in result.media] == [("photo.png", "image/png")]


def moodle_with(name: str, data: bytes) -> bytes:
    """A Moodle XML file whose question shows an embedded file (line 7)."""
    encoded = base64.b64encode(data).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="shortanswer">
    <name><text>Flag</text></name>
    <questiontext format="html"><text><![CDATA[<p><img src="@@PLUGINFILE@@/{name}"> Whose?</p>]]>
</text>
<file name="{name}" path="/" encoding="base64">{encoded}</file>
    </questiontext>
    <answer fraction="100"><text>Niger</text></answer>
  </question>
</quiz>
""".encode()


def bundle_with(name: str, data: bytes) -> bytes:
    """A YAML bundle whose only question uses a file."""
    card = question_from_dict(
        {"kind": "flashcard", "prompt": f"![A flag](media:{name})", "back": "Niger",
         "explanation": "It is."}
    )  # fmt: skip
    return write_bundle(dump_set(set_of([QuestionData("f", card)])), {name: data})


FORGED = [
    # (what, the upload, its file name, words of the message)
    (
        "a PHP script named .png in an Anki package",
        package(
            Deck([NoteSpec(7, BASIC, ['<img src="flag.png">', "b"])], {1: "D"}),
            "anki21b",
            {"flag.png": files.PHP},
        ),
        "deck.apkg",
        ["note 7", "'flag.png'", 'zip entry "0"', "HTML or another text document"],
    ),
    (
        "an SVG with a script in Moodle XML",
        moodle_with("flag.svg", files.SVG),
        "bank.xml",
        ["line 7", "'flag.svg' of question 1", "SVG"],
    ),
    (
        "a zip named .mp3 in a YAML bundle",
        bundle_with("song.mp3", files.zip_file()),
        "set.zip",
        ["line", "'media/song.mp3'", "zip archive"],
    ),
    (
        "a PNG claiming 60,000 pixels in Moodle XML",
        moodle_with("huge.png", files.png_with_huge_header()),
        "bank.xml",
        ["line 7", "huge.png", "too many pixels"],
    ),
]


@pytest.mark.parametrize(("what", "data", "filename", "words"), FORGED, ids=[f[0] for f in FORGED])
def test_a_forged_file_refuses_the_whole_read_naming_it(
    what: str, data: bytes, filename: str, words: list[str]
) -> None:
    with pytest.raises(FormatError) as refused:
        read_upload(data, "guess", filename)
    message = str(refused.value)
    assert all(word in message for word in words), message
    assert isinstance(refused.value, PackageError) == filename.endswith(".apkg")


def test_a_file_over_the_picture_limit_is_refused() -> None:
    with pytest.raises(FormatError, match="Pictures may be at most"):
        read_upload(moodle_with("flag.png", PNG), "guess", "b.xml", media_limits=(100, MIB))


# --- Through the pages, in the database ------------------------------------------------------


@pytest.fixture
def roles(app: Flask) -> dict:
    return make_roles(app)


def set_with_media(app: Flask, owner_id: int) -> int:
    """A set of the owner's with the sample questions and their two files uploaded."""
    with app.app_context():
        qset = QuestionSet(owner_id=owner_id, title="Flags and words", visibility="private")
        db.session.add(qset)
        db.session.flush()
        for name, data in MEDIA.items():
            add_file(
                db.session,
                set_id=qset.id,
                user_id=owner_id,
                checked=check_upload(data, 5 * MIB, 20 * MIB),
                filename=name,
                alt="A red flag" if name.endswith(".png") else "",
                transcript="",
                decorative=False,
                quota=200 * MIB,
            )
        from quiz.formats.common import ReadResult
        from quiz.transfer.imports import write_import

        items = sample().questions
        write_import(db.session, qset, ReadResult(items, tuple(range(1, len(items) + 1))))
        db.session.commit()
        return qset.id


def placed(app: Flask, set_id: int) -> dict[str, str]:
    """A set's files, name -> hash."""
    with app.app_context():
        rows = db.session.execute(sa.select(SetMedia.name, SetMedia.sha256).where(
            SetMedia.set_id == set_id))  # fmt: skip
        return {name: digest for name, digest in rows}


def imported_set(app: Flask, before: set[int]) -> int:
    """The one set an import created."""
    with app.app_context():
        (new,) = set(db.session.scalars(sa.select(QuestionSet.id))) - before
        return new


def set_ids(app: Flask) -> set[int]:
    """Every set's id."""
    with app.app_context():
        return set(db.session.scalars(sa.select(QuestionSet.id)))


@pytest.mark.parametrize(("fmt", "filename"), [("apkg", "s.apkg"), ("moodle-xml", "s.xml"),
                                               ("yaml", "s.zip")])  # fmt: skip
def test_export_then_import_through_the_pages_brings_the_same_files(
    app: Flask, roles: dict, fmt: str, filename: str
) -> None:
    source = set_with_media(app, roles["owner"].id)
    client = client_for(app, "tina")
    assert "a media/ folder" in client.get(f"/teach/sets/{source}/export").get_data(as_text=True)
    exported = client.get(f"/teach/sets/{source}/export/{fmt}")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].endswith(filename.rsplit(".", 1)[1])
    before = set_ids(app)
    preview = upload(client, exported.data, filename)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    html = preview.get_data(as_text=True)
    assert (
        "Pictures and sounds that come along, each checked (2)" in html
        and "<code>flag.png</code>" in html
    )
    done = client.post("/teach/import/confirm", data=confirm_fields(html))
    assert done.status_code == 302
    copy = imported_set(app, before)
    assert placed(app, copy) == placed(app, source) == {n: sha(d) for n, d in MEDIA.items()}
    with app.app_context():
        prompts = db.session.scalars(
            sa.select(Question.prompt).where(Question.set_id == copy).order_by(Question.position)
        ).all()
    assert prompts[:2] == [
        "Which flag is this? ![A red flag](media:flag.png)",
        "Listen: ![the word](media:word.mp3)",
    ]
    assert count_rows(app, MediaFile) == 2  # the same bytes, stored once


def test_a_forged_file_in_an_upload_stores_nothing(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    counts = [count_rows(app, model) for model in (Question, SetMedia, MediaFile, PendingImport)]
    _what, data, filename, _words = FORGED[0]
    page = upload(client, data, filename)
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "flag.png" in text and "HTML or another text document" in text
    assert [count_rows(app, m) for m in (Question, SetMedia, MediaFile, PendingImport)] == counts


@pytest.mark.config(MEDIA_QUOTA_BYTES=len(PNG) + 10)
def test_a_file_over_the_quota_at_confirmation_writes_nothing(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = upload(client, write_bundle(dump_set(sample()), MEDIA), "set.zip")
    assert page.status_code == 200
    counts = [count_rows(app, model) for model in (QuestionSet, Question, SetMedia, MediaFile)]
    refused = client.post("/teach/import/confirm", data=confirm_fields(page.get_data(as_text=True)))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Nothing was imported" in text and "word.mp3" in text and "quota" in text
    assert [count_rows(app, m) for m in (QuestionSet, Question, SetMedia, MediaFile)] == counts


def test_a_name_the_set_uses_for_another_file_is_renamed(app: Flask, roles: dict) -> None:
    target = set_with_media(app, roles["owner"].id)
    other = check_upload(files.picture("PNG", size=(10, 10)), 5 * MIB, 20 * MIB).data
    client = client_for(app, "tina")
    incoming = moodle_with("flag.png", other)
    page = upload(client, incoming, "b.xml", target=str(target))
    assert page.status_code == 200
    assert (
        client.post(
            "/teach/import/confirm", data=confirm_fields(page.get_data(as_text=True))
        ).status_code
        == 302
    )
    assert placed(app, target) == {
        **{n: sha(d) for n, d in MEDIA.items()},
        "flag-2.png": sha(other),
    }
    with app.app_context():
        prompt = db.session.scalar(
            sa.select(Question.prompt).where(Question.set_id == target, Question.key == "flag")
        )
    assert prompt == "![](media:flag-2.png) Whose?"


def test_the_cli_exports_a_bundle_and_imports_it_with_its_files(
    app: Flask, roles: dict, tmp_path: Any
) -> None:
    source = set_with_media(app, roles["owner"].id)
    out = tmp_path / "flags.zip"
    runner = app.test_cli_runner()
    done = runner.invoke(args=["export", str(source), "--format", "yaml", "--output", str(out)])
    assert done.exit_code == 0, done.output
    assert zipfile.is_zipfile(out)
    before = set_ids(app)
    done = runner.invoke(args=["import", str(out), "--owner", "otto"])
    assert done.exit_code == 0, done.output
    assert placed(app, imported_set(app, before)) == {n: sha(d) for n, d in MEDIA.items()}
    # A forged file: the command fails naming it, and nothing is written.
    forged = tmp_path / "forged.zip"
    forged.write_bytes(bundle_with("song.mp3", files.zip_file()))
    counts = [count_rows(app, model) for model in (QuestionSet, SetMedia, MediaFile)]
    done = runner.invoke(args=["import", str(forged), "--owner", "otto"])
    assert done.exit_code != 0 and "media/song.mp3" in done.output and "zip archive" in done.output
    assert [count_rows(app, m) for m in (QuestionSet, SetMedia, MediaFile)] == counts
