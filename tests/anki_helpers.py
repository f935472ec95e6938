"""Anki packages built from Anki's documented schemas, in every layout, for the reader's tests.

Legacy collections (schema 11: note types and decks as JSON in `col`) go into `.apkg` files as
`collection.anki2` or `collection.anki21`; newer ones (schema 18: `notetypes`, `fields`,
`templates`, `decks` tables, protobuf configs, deck names split by \\x1f) go in zstd-compressed
as `collection.anki21b`, beside the decoy `collection.anki2` Anki 2.1.50+ writes, with a
zstd-compressed protobuf `media` list. A `.colpkg` holds the same files.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import zstandard

from quiz.formats.anki.protobuf import encode

LEGACY_SCHEMA = """
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
"""
NEW_SCHEMA = """
CREATE TABLE notetypes (id integer not null primary key, name text not null,
  mtime_secs integer not null, usn integer not null, config blob not null);
CREATE TABLE fields (ntid integer not null, ord integer not null, name text not null,
  config blob not null, primary key (ntid, ord)) without rowid;
CREATE TABLE templates (ntid integer not null, ord integer not null, name text not null,
  mtime_secs integer not null, usn integer not null, config blob not null,
  primary key (ntid, ord)) without rowid;
CREATE TABLE decks (id integer primary key not null, name text not null,
  mtime_secs integer not null, usn integer not null, common blob not null, kind blob not null);
CREATE TABLE tags (tag text not null primary key collate unicase, usn integer not null,
  collapsed boolean not null, config blob null) without rowid;
CREATE TABLE config (KEY text not null primary key, usn integer not null,
  mtime_secs integer not null, val blob not null) without rowid;
"""


@dataclass(frozen=True)
class Model:
    """A note type: id, name, cloze or not, field names, templates as (name, qfmt, afmt)."""

    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]
    cloze: bool = False


BASIC = Model(
    1001,
    "Basic",
    ("Front", "Back"),
    (("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),),
)
REVERSED = Model(
    1002,
    "Basic (and reversed card)",
    ("Front", "Back"),
    (
        ("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
        ("Card 2", "{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
    ),
)
OPTIONAL_REVERSED = Model(
    1005,
    "Basic (optional reversed card)",
    ("Front", "Back", "Add Reverse"),
    (
        ("Card 1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
        (
            "Card 2",
            "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
            "{{FrontSide}}<hr id=answer>{{Front}}",
        ),
    ),
)
TYPED = Model(
    1003,
    "Basic (type in the answer)",
    ("Front", "Back"),
    (("Card 1", "{{Front}}\n\n{{type:Back}}", "{{Front}}<hr id=answer>{{type:Back}}"),),
)
CLOZE = Model(
    1004,
    "Cloze",
    ("Text", "Back Extra"),
    (("Cloze", "{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}"),),
    True,
)
VOCAB = Model(
    1006,
    "Vocabulary",
    ("Word", "Meaning", "Example", "Audio"),
    (("Recognise", "{{Word}}<br>{{Audio}}", "{{FrontSide}}<hr>{{Meaning}}<br>{{Example}}"),),
)
MODELS = (BASIC, REVERSED, OPTIONAL_REVERSED, TYPED, CLOZE, VOCAB)


@dataclass
class NoteSpec:
    """A note to write: its model, fields, tags, deck id; cards are made as Anki would."""

    id: int
    model: Model
    fields: list[str]
    tags: list[str] = field(default_factory=list)
    deck: int = 1
    guid: str = ""


@dataclass
class Deck:
    """What goes into a collection."""

    notes: list[NoteSpec]
    decks: dict[int, str] = field(default_factory=lambda: {1: "Default"})  # id -> "A::B"
    models: tuple[Model, ...] = MODELS
    revlog: list[tuple[int, int, int, int]] = field(default_factory=list)  # id, cid, ease, type


def _cards(note: NoteSpec) -> list[int]:
    """The card ords Anki makes for a note (cloze: one per cloze number)."""
    if note.model.cloze:
        import re

        return sorted({int(n) - 1 for n in re.findall(r"\{\{c(\d+)::", note.fields[0])}) or [0]
    if note.model is OPTIONAL_REVERSED and not note.fields[2]:
        return [0]
    return list(range(len(note.model.templates)))


def _sqlite(build: Callable[[sqlite3.Connection], None]) -> bytes:
    """A new SQLite file made by build(connection), as bytes."""
    handle, path = tempfile.mkstemp(suffix=".anki")
    os.close(handle)
    try:
        db = sqlite3.connect(path)
        db.create_collation(
            "unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower())
        )
        build(db)
        db.commit()
        db.close()
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def _notes_and_cards(db: sqlite3.Connection, deck: Deck) -> None:
    """Write notes, their cards and the review log."""
    for note in deck.notes:
        db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, 0, -1, ?, ?, ?, 0, 0, '')",
            (
                note.id,
                note.guid or f"g{note.id}",
                note.model.id,
                f" {' '.join(note.tags)} " if note.tags else "",
                "\x1f".join(note.fields),
                note.fields[0],
            ),
        )
        for ord_ in _cards(note):
            db.execute(
                "INSERT INTO cards VALUES (?, ?, ?, ?, 0, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
                (note.id * 10 + ord_, note.id, note.deck, ord_, note.id),
            )
    for rid, cid, ease, kind in deck.revlog:
        db.execute(
            "INSERT INTO revlog VALUES (?, ?, -1, ?, 1, 0, 2500, 6000, ?)", (rid, cid, ease, kind)
        )


def legacy_collection(deck: Deck) -> bytes:
    """A schema-11 collection (note types and decks as JSON in `col`)."""
    models = {
        str(m.id): {
            "id": m.id,
            "name": m.name,
            "type": 1 if m.cloze else 0,
            "css": "",
            "flds": [{"name": name, "ord": i} for i, name in enumerate(m.fields)],
            "tmpls": [
                {"name": t[0], "ord": i, "qfmt": t[1], "afmt": t[2]}
                for i, t in enumerate(m.templates)
            ],
        }
        for m in deck.models
    }
    decks = {str(did): {"id": did, "name": name} for did, name in deck.decks.items()}

    def build(db: sqlite3.Connection) -> None:
        db.executescript(LEGACY_SCHEMA)
        db.execute(
            "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?, ?, '{}', '{}')",
            (json.dumps(models), json.dumps(decks)),
        )
        _notes_and_cards(db, deck)

    return _sqlite(build)


def new_collection(deck: Deck) -> bytes:
    """A schema-18 collection (note types, fields, templates and decks in their own tables)."""

    def build(db: sqlite3.Connection) -> None:
        db.executescript(LEGACY_SCHEMA)
        db.executescript(NEW_SCHEMA)
        db.execute("INSERT INTO col VALUES (1, 0, 0, 0, 18, 0, 0, 0, '', '', '', '', '')")
        for m in deck.models:
            db.execute(
                "INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)",
                (m.id, m.name, encode([(1, 1 if m.cloze else 0), (3, ".card {}")])),
            )
            for i, name in enumerate(m.fields):
                db.execute("INSERT INTO fields VALUES (?, ?, ?, ?)", (m.id, i, name, b""))
            for i, (name, qfmt, afmt) in enumerate(m.templates):
                db.execute(
                    "INSERT INTO templates VALUES (?, ?, ?, 0, 0, ?)",
                    (m.id, i, name, encode([(1, qfmt), (2, afmt)])),
                )
        for did, name in deck.decks.items():
            db.execute(
                "INSERT INTO decks VALUES (?, ?, 0, 0, ?, ?)",
                (did, name.replace("::", "\x1f"), b"", b""),
            )
        for tag in sorted({t for n in deck.notes for t in n.tags}):
            db.execute("INSERT INTO tags VALUES (?, 0, 0, NULL)", (tag,))
        _notes_and_cards(db, deck)

    return _sqlite(build)


DECOY = Deck(
    [
        NoteSpec(
            1,
            BASIC,
            [
                "Please update to the latest Anki version, then import the .colpkg/.apkg file "
                "again.",
                "",
            ],
        )
    ]
)


def package(deck: Deck, layout: str = "anki21b", media: dict[str, bytes] | None = None) -> bytes:
    """An .apkg (or .colpkg: the same files) in a layout: anki2, anki21 or anki21b."""
    media = media or {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if layout == "anki21b":
            archive.writestr("collection.anki2", legacy_collection(DECOY))
            archive.writestr(
                "collection.anki21b", zstandard.ZstdCompressor().compress(new_collection(deck))
            )
            entries = b"".join(
                encode([(1, encode([(1, name), (2, len(data))]))]) for name, data in media.items()
            )
            archive.writestr("media", zstandard.ZstdCompressor().compress(entries))
            archive.writestr("meta", encode([(1, 3)]))
            for number, data in enumerate(media.values()):
                archive.writestr(str(number), zstandard.ZstdCompressor().compress(data))
        else:
            archive.writestr(f"collection.{layout}", legacy_collection(deck))
            archive.writestr("media", json.dumps({str(i): name for i, name in enumerate(media)}))
            for number, data in enumerate(media.values()):
                archive.writestr(str(number), data)
    return out.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    """A zip of named entries, exactly as given (names unchecked)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def sample_deck() -> Deck:
    """Basic, reversed, typed, cloze and an unknown note type, in a deck with subdecks."""
    return Deck(
        [
            NoteSpec(101, BASIC, ["What is the capital of <b>Niger</b>?", "Niamey"], ["geo"], 10),
            NoteSpec(102, REVERSED, ["chien", "dog"], ["french", "animals"], 11),
            NoteSpec(103, TYPED, ["Capital of Chad?", "N&#x27;Djamena"], [], 10),
            NoteSpec(
                104,
                CLOZE,
                ["{{c1::Agadez}} is in {{c2::central::region}} Niger.", "Extra <i>info</i>"],
                [],
                12,
            ),
            NoteSpec(
                105,
                VOCAB,
                ["maison", "house", "La maison est grande.", "[sound:maison.mp3]"],
                [],
                11,
            ),
            NoteSpec(106, OPTIONAL_REVERSED, ["chat", "cat", ""], [], 11),
            NoteSpec(107, BASIC, ['A flag <img src="flag.png">', "Orange, white, green"], [], 10),
        ],
        {1: "Default", 10: "Sahel", 11: "Sahel::Languages", 12: "Sahel::Places::Cities"},
    )


def zip_bomb(name: str = "collection.anki2", megabytes: int = 600) -> bytes:
    """A real zip bomb: one deflated entry of `megabytes` MB of zeros in about 0.1% of that
    (a flushed deflate block repeated, so the test does not spend seconds compressing)."""
    import struct
    import zlib

    encoder = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * (1 << 20)
    block = encoder.compress(chunk) + encoder.flush(zlib.Z_FULL_FLUSH)
    stream = block * megabytes + encoder.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    size, raw_name = megabytes << 20, name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), size, len(raw_name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(stream), size, len(raw_name), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    directory = central + raw_name
    end = struct.pack(
        "<IHHHHIIH",
        0x06054B50,
        0,
        0,
        1,
        1,
        len(directory),
        len(local) + len(raw_name) + len(stream),
        0,
    )
    return local + raw_name + stream + directory + end


def forged_zstd(data: bytes, declared: int) -> bytes:
    """A zstd frame of `data` whose header declares `declared` bytes instead (4-byte field)."""
    frame = bytearray(zstandard.ZstdCompressor().compress(data))
    descriptor = frame[4]
    assert descriptor >> 6 == 2, "expects a 4-byte content size field"
    single = descriptor & 0x20
    offset = 5 + (0 if single else 1) + [0, 1, 2, 4][descriptor & 3]
    frame[offset : offset + 4] = declared.to_bytes(4, "little")
    return bytes(frame)
