"""Anki packages (.apkg, .colpkg) read as questions. Pure (the writer is apkg.py).

Note types are recognised by their templates, not their (translated) names: a template whose
front shows one field and whose back adds another is a card (Basic; Basic and reversed gives
two cards, so two flashcards); `{{type:Field}}` on the front makes a short answer; a Cloze note
type makes one cloze question per note, every `{{cN::answer::hint}}` a gap. Any other note type
gives flashcards from its first two fields, with a warning. Fields are HTML, sanitized into
Markdown as Moodle's are (quiz.formats.html_text); `<img src>` and `[sound:x.mp3]` naming a
file of the package become `![alt](media:NAME)` with the file among the import's media.
The top deck shared by every note is the set's suggested title; the levels below become tags
(and the preview can make one set per deck). A note this app exported carries its question
in an HTML comment (`<!-- @quiz {...} -->`), so the app's own export reads back equal.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote

from quiz.formats.anki.collection import Collection, Note, NoteType, read_package
from quiz.formats.archive import PackageError
from quiz.formats.common import (
    Collector,
    FormatError,
    MediaBlob,
    Notice,
    ReadResult,
    key_for_title,
    line_list,
)
from quiz.formats.html_text import escape_markdown, html_to_markdown
from quiz.formats.media_files import Names, names_used, rename_text

MAX_NOTES = 50_000  # real decks are large; each note gives one to two questions
META = re.compile(r"<!--\s*@quiz\s+(\{.*?\})\s*-->", re.DOTALL)
CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
SOUND = re.compile(r"\[sound:([^\]]*)\]")
MEDIA_TAG = re.compile(r"<img\b|\[sound:", re.IGNORECASE)
REF = re.compile(r"\{\{([#^/]?)\s*([^{}]+?)\s*\}\}")
SPECIAL_REFS = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "Type", "CardFlag"}
GAP = "\x02"
SOUND_LINK = "anki-sound:"  # a [sound:x] handed to the HTML reader as a link to x
# What only the HTML parser reads right: tags, entities, sounds and control characters.
PLAIN_UNSAFE = re.compile(r"[<&\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\[sound:")


def front_hash(front: str) -> str:
    """What the meta comment remembers of the front field, to notice an edit made in Anki."""
    return hashlib.sha256(front.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Card:
    """What one template of a standard note type asks: front and back fields, and whether
    the back is typed."""

    front: int
    back: int
    typed: bool
    needs: tuple[int, ...] = ()  # fields that must be non-empty for Anki to make the card


def base_key(note: Note) -> str:
    """The key of a note's first question (its other cards' are `KEY-2`, `KEY-3`...)."""
    return f"anki-{hashlib.sha1(note.guid.encode(), usedforsecurity=False).hexdigest()[:12]}"


def meta_key(note: Note) -> str | None:
    """The key a note this app exported carries in its `@quiz` comment, if it reads."""
    found = next((META.search(value) for value in note.fields if META.search(value)), None)
    if found is None:
        return None
    try:
        meta = json.loads(found.group(1))
        key, check = str(meta["key"]), str(meta["front"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
    # Edited in Anki since: read_meta reads it from its fields, under its base keys.
    return key if check == front_hash(META.sub("", note.fields[0])) else None


def _field_of(ref: str) -> str:
    """`text:Front` -> Front."""
    return ref.rsplit(":", 1)[-1].strip()


def card_layout(notetype: NoteType) -> list[Card] | None:
    """Each template's front and back fields, or None when a template is not one of Anki's
    standard shapes (or the type has more than three fields)."""
    if notetype.cloze or len(notetype.fields) > 3 or not notetype.templates:
        return None
    index = {name: number for number, name in enumerate(notetype.fields)}
    cards = []
    for template in notetype.templates:
        front, typed, needs = None, None, []
        for prefix, ref in REF.findall(template.qfmt):
            name = _field_of(ref)
            if name not in index:
                continue
            if prefix == "#":
                needs.append(index[name])
            elif not prefix and ref.startswith("type:"):
                typed = index[name]
            elif not prefix and front is None:
                front = index[name]
        back = typed
        if back is None:
            for prefix, ref in REF.findall(template.afmt):
                name = _field_of(ref)
                if not prefix and name in index and index[name] != front:
                    back = index[name]
                    break
        if front is None or back is None:
            return None
        cards.append(Card(front, back, typed is not None, tuple(needs)))
    return cards


@dataclass
class Reader:
    """Turns a collection's notes into questions, collecting what was dropped."""

    collection: Collection
    collector: Collector = field(default_factory=lambda: Collector(limit=MAX_NOTES))
    groups: list[str] = field(default_factory=list)
    dropped_media: list[str] = field(default_factory=list)
    names: Names = field(default_factory=Names)
    blobs: dict[str, MediaBlob] = field(default_factory=dict)  # media name -> its file
    issues: dict[str, list[int]] = field(default_factory=dict)  # warning -> note ids
    root: str = ""
    layouts: dict[int, list[Card] | None] = field(default_factory=dict)  # per note type
    deck_tags: dict[int | None, tuple[list[str], str]] = field(default_factory=dict)

    def note_issue(self, message: str, note: Note) -> None:
        """A warning about a note, said once with every note it concerns."""
        self.issues.setdefault(message, []).append(note.id)

    def markdown(self, value: str) -> str:
        """A field's HTML as Markdown, its package's pictures and sounds as `media:` names."""
        if not PLAIN_UNSAFE.search(value):
            # Plain text (most fields): what html_to_markdown gives it, without the parser.
            return escape_markdown(" ".join(value.split()))
        sounds = SOUND.sub(lambda m: f' <a href="{SOUND_LINK}{html.escape(m[1])}"></a> ', value)
        converted = html_to_markdown(sounds, self.resolve)
        self.dropped_media.extend(src.removeprefix(SOUND_LINK) for src in converted.images)
        self.dropped_media.extend(name for name in SOUND.findall(value) if not self.resolve(name))
        return converted.text

    def resolve(self, src: str) -> str | None:
        """An `<img src>` or a `[sound:...]` as the media name of the package's file, or None
        (left out and named in a warning) when the package does not hold it."""
        original = html.unescape(src.removeprefix(SOUND_LINK))
        if original not in self.collection.media_entries:
            original = unquote(original)
        if original in self.names.by_original:
            return self.names.by_original[original]
        data = self.collection.media_bytes(original)
        if data is None:
            return None
        name = self.names.name_for(original)
        if name not in self.blobs:
            entry = self.collection.media_entries[original][0]
            where = f"the media file '{original}' (zip entry \"{entry}\")"
            self.blobs[name] = MediaBlob(name, data, where)
        return name

    def kept(self, data: dict[str, Any], note: Note) -> dict[str, Any]:
        """A question our export kept in a note's comment, its `media:` names resolved."""
        text = json.dumps(data, ensure_ascii=False)
        renamed = {}
        for name in names_used([text]):
            found = self.resolve(name)
            if found is None:
                raise PackageError(f"'{name}' is used but the package lacks it", f"note {note.id}")
            renamed[name] = found
        if not renamed or all(old == new for old, new in renamed.items()):
            return data
        return dict(json.loads(rename_text(text, renamed)))

    def deck(self, deck_id: int | None) -> tuple[list[str], str]:
        """A deck's levels below the shared top deck as tags, and its full name (cached)."""
        if deck_id not in self.deck_tags:
            path = self.collection.decks.get(deck_id, []) if deck_id is not None else []
            levels = path[1:] if self.root and path[:1] == [self.root] else path
            tags = [key_for_title(level) for level in levels if level != "Default"]
            self.deck_tags[deck_id] = ([tag for tag in tags if tag], "::".join(path))
        return self.deck_tags[deck_id]

    def tags(self, note: Note, deck_id: int | None) -> tuple[list[str], str]:
        """The note's tags and its deck's; the deck's full name."""
        deck_tags, group = self.deck(deck_id)
        return list(dict.fromkeys([*note.tags, *deck_tags])), group

    def add(self, note: Note, data: dict[str, Any], key: str, deck_id: int | None) -> None:
        """Add one question, naming the note when it cannot be imported."""
        tags, group = self.tags(note, deck_id)
        data.setdefault("tags", tags)
        try:
            self.collector.add(note.id, data, key=key)
        except PackageError:
            raise
        except FormatError as error:
            raise PackageError(error.problem, f"note {note.id}") from error
        self.groups.append(group)

    def read_note(self, note: Note) -> None:
        """One note as one or more questions."""
        notetype = self.collection.notetypes.get(note.notetype_id)
        if notetype is None:
            raise PackageError(f"its note type {note.notetype_id} is missing", f"note {note.id}")
        if len(note.fields) != len(notetype.fields):
            raise PackageError(
                f"it has {len(note.fields)} fields but its note type '{notetype.name}' has "
                f"{len(notetype.fields)}",
                f"note {note.id}",
            )
        base = base_key(note)
        first_deck = note.decks[min(note.decks)] if note.decks else None
        if self.read_meta(note, first_deck):
            return
        if notetype.cloze:
            self.read_cloze(note, base, first_deck)
            return
        if notetype.id not in self.layouts:
            self.layouts[notetype.id] = card_layout(notetype)
        layout = self.layouts[notetype.id]
        if layout is None:
            names = ", ".join(notetype.fields[:2])
            self.note_issue(
                f"note type '{notetype.name}' is not one of Anki's standard types: its notes "
                f"became flashcards from their first two fields ({names})",
                note,
            )
            layout = [Card(0, 1, False)] if len(notetype.fields) > 1 else None
            if layout is None:
                raise PackageError(f"note type '{notetype.name}' has one field", f"note {note.id}")
        for number, card in enumerate(layout):
            if any(not note.fields[need].strip() for need in card.needs):
                continue  # Anki makes no such card either (an optional reverse left empty)
            front, back = note.fields[card.front], note.fields[card.back]
            if not _shown(front) or not _shown(back):
                self.note_issue("skipped: a card with an empty front or back", note)
                continue
            key = base if number == 0 else f"{base}-{number + 1}"
            deck = note.decks.get(number, first_deck)
            if card.typed:
                data = {"kind": "short_answer", "answers": [_plain(back)]}
                data["prompt"] = self.markdown(front)
            else:
                data = {"kind": "flashcard", "prompt": self.markdown(front)}
                data["back"] = self.markdown(back)
            self.add(note, data, key, deck)

    def read_cloze(self, note: Note, key: str, deck: int | None) -> None:
        """A cloze note: its first field's `{{cN::...}}` become gaps; the second field (Back
        Extra) the explanation."""
        text = note.fields[0]
        gaps: list[str] = []
        numbers: set[str] = set()

        def gap(found: re.Match[str]) -> str:
            answer = _plain(found.group(2)).replace("|", "/").replace("{", "(").replace("}", ")")
            if not answer:
                raise PackageError(
                    f"cloze c{found.group(1)} has an empty answer", f"note {note.id}"
                )
            hint = _plain(found.group(3) or "").replace("{", "(").replace("}", ")")
            numbers.add(found.group(1))
            gaps.append(f"{answer}::{hint}" if hint else answer)  # the hint shown in the gap
            return f"{GAP}{len(gaps) - 1}{GAP}"

        marked = CLOZE.sub(gap, text)
        if not gaps:
            raise PackageError("a cloze note without any {{c1::...}}", f"note {note.id}")
        if len(numbers) > 1:
            self.note_issue(
                "several cloze numbers: Anki asks each number as its own card; here every gap "
                "of the note is asked together, in one cloze question",
                note,
            )
        body = re.sub(
            f"{GAP}(\\d+){GAP}", lambda m: f"{{{{{gaps[int(m[1])]}}}}}", self.markdown(marked)
        )
        extra = self.markdown(note.fields[1]) if len(note.fields) > 1 else ""
        data = {"kind": "cloze", "prompt": "Fill in the gaps.", "text": body, "explanation": extra}
        self.add(note, data, key, deck)

    def read_meta(self, note: Note, deck: int | None) -> bool:
        """A note this app exported, read back from its `@quiz` comment unless edited since."""
        found = next((META.search(value) for value in note.fields if META.search(value)), None)
        if found is None:
            return False
        try:
            meta = json.loads(found.group(1))
            key, data, check = str(meta["key"]), dict(meta["q"]), str(meta["front"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise PackageError("its '@quiz' comment is damaged", f"note {note.id}") from error
        if check != front_hash(META.sub("", note.fields[0])):
            self.note_issue("edited in Anki since this app exported it: read from its fields", note)
            return False
        self.add(note, self.kept(data, note), key, deck)
        return True

    def result(self) -> ReadResult:
        """The questions with their groups and one warning per kind of problem."""
        for message, notes in self.issues.items():
            self.collector.warn(
                0, f"{message} (note{'s' if len(notes) > 1 else ''} {line_list(notes)})"
            )
        dropped = sorted(set(self.dropped_media))
        if dropped:
            more = f" and {len(dropped) - 12} more" if len(dropped) > 12 else ""
            self.collector.warn(
                0,
                f"images and sounds the package does not hold were left out: "
                f"{', '.join(dropped[:12])}{more}",
            )
        unexplained = len(self.collector.no_explanation)
        self.collector.no_explanation = []
        if unexplained:
            self.collector.warn(
                0,
                f"{unexplained} question(s) had no explanation (only a Cloze note's Back Extra "
                "gives one): the right answer is shown instead",
            )
        read = self.collector.result(self.root)
        return replace(
            read, groups=tuple(self.groups), unit="note", media=tuple(self.blobs.values())
        )


def _plain(value: str) -> str:
    """A field as plain text: tags dropped, entities decoded, spaces squeezed."""
    text = re.sub(r"<br\s*/?>|</(p|div|li)>", " ", value, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]*>", "", SOUND.sub("", META.sub("", text))))
    return " ".join(text.split())


def _shown(value: str) -> bool:
    """Whether a field shows anything: text, a picture or a sound (a picture alone asks)."""
    return bool(_plain(value) or MEDIA_TAG.search(value))


def shared_root(collection: Collection) -> str:
    """The top deck every note's cards are in, or "" (several, or only Default)."""
    tops = {
        (collection.decks.get(did) or [""])[0]
        for note in collection.notes
        for did in note.decks.values()
    }
    return tops.pop() if len(tops) == 1 and "Default" not in tops else ""


def read_collection(collection: Collection) -> ReadResult:
    """A collection's notes as questions; PackageError naming the note when one is malformed."""
    if not collection.notes:
        raise PackageError("the package holds no notes")
    if len(collection.notes) > MAX_NOTES:
        raise PackageError(f"more than {MAX_NOTES:,} notes in one package; split the deck")
    if len(collection.notes) == 1 and "update to the latest Anki" in collection.notes[0].fields[0]:
        raise PackageError(
            "only the placeholder collection that asks older Ankis to upgrade is inside (a "
            "newer Anki's package without its collection.anki21b?)"
        )
    reader = Reader(collection, root=shared_root(collection))
    for note in collection.notes:
        reader.read_note(note)
    if not reader.collector.questions:
        raise PackageError("no note gave a question: " + ("; ".join(reader.issues) or "empty"))
    return reader.result()


def read_apkg(data: bytes) -> ReadResult:
    """An .apkg or .colpkg file's notes as questions."""
    return read_collection(read_package(data))


__all__ = ["Notice", "base_key", "front_hash", "meta_key", "read_apkg", "read_collection"]
