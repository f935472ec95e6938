"""An Anki package's collection as plain data: note types, decks, notes, cards, reviews. Pure.

Layouts read: `.apkg` from Anki 2.1.50+ (`collection.anki21b`, a zstd frame, beside a decoy
`collection.anki2` whose one note asks to upgrade Anki), older `.apkg` (`collection.anki21` or
`collection.anki2`, plain SQLite) and `.colpkg` (a whole profile, the same files). The SQLite
file is written to a temporary file and opened read-only with the standard library. Both
schemas: the legacy one (note types and decks as JSON in `col`) and the newer one (the
`notetypes`, `fields`, `templates` and `decks` tables, with protobuf configs).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import Any

from quiz.formats.anki import protobuf
from quiz.formats.archive import ZSTD_MAGIC, PackageError, open_zip, read_entry, unzstd

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
KIND_CLOZE = 1


@dataclass(frozen=True)
class Template:
    """A card template: its name and its front and back formats."""

    name: str
    qfmt: str
    afmt: str


@dataclass(frozen=True)
class NoteType:
    """A note type (Anki's model)."""

    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[Template, ...]


@dataclass(frozen=True)
class Note:
    """A note: its fields (HTML), tags, note type and the decks of its cards (by ord)."""

    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    decks: dict[int, int] = field(default_factory=dict)  # card ord -> deck id


@dataclass(frozen=True)
class Review:
    """One revlog row: when (ms since the epoch), the card, the button (1-4, 0 for a manual
    change), the type (0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled) and
    the interval set (0 after "Forget")."""

    id: int
    card_id: int
    ease: int
    type: int
    interval: int = 0


@dataclass
class Collection:
    """What a package holds, with the entry it was read from and the media it names."""

    source: str
    notetypes: dict[int, NoteType]
    decks: dict[int, list[str]]  # deck id -> its path, one name per level
    notes: list[Note]
    reviews: list[Review]
    media: list[str]
    # card id -> (note id, ord): which question a revlog row's card became.
    cards: dict[int, tuple[int, int]] = field(default_factory=dict)
    # The media by name: its zip entry, and whether that entry is zstd-compressed (2.1.50+).
    media_entries: dict[str, tuple[str, bool]] = field(default_factory=dict)
    archive: zipfile.ZipFile | None = None

    def media_bytes(self, name: str) -> bytes | None:
        """A media file's bytes by its name in the notes, or None when the package lacks it."""
        found = self.media_entries.get(name)
        if found is None or self.archive is None:
            return None
        entry, compressed = found
        if entry not in self.archive.namelist():
            raise PackageError(f"the media file '{name}' is listed but missing", f'entry "{entry}"')
        raw = read_entry(self.archive, entry)
        return unzstd(raw, entry) if compressed and raw[:4] == ZSTD_MAGIC else raw


def read_package(data: bytes, max_entries: int | None = None) -> Collection:
    """Open a package (checked as a zip first) and read its newest collection."""
    archive = open_zip(data) if max_entries is None else open_zip(data, max_entries=max_entries)
    names = set(archive.namelist())
    source = next((name for name in COLLECTIONS if name in names), "")
    if not source:
        raise PackageError("no Anki collection inside (collection.anki21b, .anki21 or .anki2)")
    raw = read_entry(archive, source)
    if source.endswith("b"):
        raw = unzstd(raw, source)
    media = _media_names(read_entry(archive, "media")) if "media" in names else {}
    collection = read_sqlite(raw, source)
    collection.media = list(media)
    collection.media_entries = media
    collection.archive = archive
    return collection


def _media_names(raw: bytes) -> dict[str, tuple[str, bool]]:
    """The media files by name -> (zip entry, zstd-compressed): JSON {"0": "a.jpg"} in old
    packages; in new ones a zstd protobuf list whose n-th name is entry "n", itself zstd."""
    if raw[:4] == ZSTD_MAGIC:
        message = unzstd(raw, "media")
        try:
            entries = [v for n, v in protobuf.fields(message) if n == 1 and isinstance(v, bytes)]
            names = [protobuf.text(entry, 1) for entry in entries]
        except protobuf.ProtobufError as error:
            raise PackageError(f"the media list is damaged ({error})", "media") from error
        return {name: (str(index), True) for index, name in enumerate(names)}
    try:
        listed = json.loads(raw.decode() or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError("the media list is not JSON", "media") from error
    if not isinstance(listed, dict):
        return {}
    return {str(name): (str(entry), False) for entry, name in listed.items()}


def read_sqlite(raw: bytes, source: str = "collection") -> Collection:
    """A collection's SQLite bytes as plain data."""
    if not raw.startswith(b"SQLite format 3\x00"):
        raise PackageError("is not an SQLite database", source)
    handle, path = tempfile.mkstemp(suffix=".anki")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(raw)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        # Anki's own collation (its tags table uses it); without it such statements fail.
        db.create_collation("unicase", _unicase)
        try:
            return _read(db, source)
        except sqlite3.DatabaseError as error:
            raise PackageError(f"the collection cannot be read ({error})", source) from error
        finally:
            db.close()
    finally:
        os.unlink(path)


def _unicase(left: str, right: str) -> int:
    """Anki's case-insensitive collation."""
    a, b = left.casefold(), right.casefold()
    return (a > b) - (a < b)


def _tables(db: sqlite3.Connection) -> set[str]:
    """The collection's table names."""
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _read(db: sqlite3.Connection, source: str) -> Collection:
    """Note types, decks, notes with their cards' decks, and reviews."""
    tables = _tables(db)
    if "notetypes" in tables:
        notetypes, decks = _new_schema(db)
    else:
        notetypes, decks = _legacy_schema(db, source)
    card_decks: dict[int, dict[int, int]] = {}
    cards: dict[int, tuple[int, int]] = {}
    for cid, nid, ord_, did in db.execute("SELECT id, nid, ord, did FROM cards ORDER BY nid, ord"):
        card_decks.setdefault(nid, {})[ord_] = did
        cards[int(cid)] = (int(nid), int(ord_))
    notes = []
    for nid, guid, mid, tags, flds in db.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        if not isinstance(flds, str):
            raise PackageError("its fields are not text", f"note {nid}")
        notes.append(
            Note(
                int(nid),
                str(guid),
                int(mid),
                tuple(flds.split("\x1f")),
                tuple(str(tags or "").split()),
                card_decks.get(nid, {}),
            )
        )
    reviews = []
    if "revlog" in tables:
        reviews = [
            Review(int(rid), int(cid), int(ease), int(kind), int(ivl))
            for rid, cid, ease, kind, ivl in db.execute(
                "SELECT id, cid, ease, type, ivl FROM revlog ORDER BY cid, id"
            )
        ]
    return Collection(source, notetypes, decks, notes, reviews, [], cards)


def _legacy_schema(
    db: sqlite3.Connection, source: str
) -> tuple[dict[int, NoteType], dict[int, list[str]]]:
    """Note types and decks from the JSON in the `col` row."""
    row = db.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise PackageError("the collection has no 'col' row", source)
    try:
        models: dict[str, Any] = json.loads(row[0] or "{}")
        decks: dict[str, Any] = json.loads(row[1] or "{}")
    except json.JSONDecodeError as error:
        raise PackageError("its note types or decks are not JSON", source) from error
    notetypes = {}
    for mid, model in models.items():
        try:
            fields = sorted(model["flds"], key=lambda f: f["ord"])
            templates = sorted(model["tmpls"], key=lambda t: t["ord"])
            notetypes[int(mid)] = NoteType(
                int(mid),
                str(model.get("name", "")),
                model.get("type", 0) == KIND_CLOZE,
                tuple(str(f["name"]) for f in fields),
                tuple(Template(str(t["name"]), str(t["qfmt"]), str(t["afmt"])) for t in templates),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise PackageError(f"note type {mid} is damaged ({error})", source) from error
    paths = {int(did): str(deck.get("name", "")).split("::") for did, deck in decks.items()}
    return notetypes, paths


def _new_schema(db: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, list[str]]]:
    """Note types and decks from their own tables (Anki 2.1.28+ schemas)."""
    fields: dict[int, list[str]] = {}
    for ntid, name in db.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(ntid, []).append(str(name))
    templates: dict[int, list[Template]] = {}
    for ntid, name, config in db.execute(
        "SELECT ntid, name, config FROM templates ORDER BY ntid, ord"
    ):
        try:
            qfmt, afmt = protobuf.text(config, 1), protobuf.text(config, 2)
        except protobuf.ProtobufError as error:
            raise PackageError(f"template '{name}' is damaged ({error})") from error
        templates.setdefault(ntid, []).append(Template(str(name), qfmt, afmt))
    notetypes = {}
    for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        try:
            kind = protobuf.first(config or b"", 1, 0)
        except protobuf.ProtobufError as error:
            raise PackageError(f"note type '{name}' is damaged ({error})") from error
        notetypes[int(ntid)] = NoteType(
            int(ntid),
            str(name),
            kind == KIND_CLOZE,
            tuple(fields.get(ntid, ())),
            tuple(templates.get(ntid, ())),
        )
    decks = {
        int(did): str(name).split("\x1f") for did, name in db.execute("SELECT id, name FROM decks")
    }
    return notetypes, decks
