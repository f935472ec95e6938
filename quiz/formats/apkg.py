"""Anki package (.apkg) writer, made with genanki. Pure (no Flask, no database).

Ids are fixed so that importing a newer export into Anki updates notes instead of adding
copies: the two models' ids are constants, a set's deck id is derived from the set, and each
note's GUID is genanki.guid_for(set identity, question key). Flashcards become Basic notes,
cloze questions Cloze notes (our gap `{{answer|other}}` becomes `{{c1::answer}}`), and other
kinds a Basic note with the question and its options in front and the answer, the explanation
and the source passage on the back. Fields are HTML rendered and sanitized by quiz.markup.
The set's files a note uses go into the package as Anki keeps media: numbered entries and a
`media` map ({"0": "map.png"}); a picture is `<img src="map.png">`, a sound `[sound:x.mp3]`.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import zipfile
from collections.abc import Mapping

import genanki

from quiz.formats.common import Notice
from quiz.formats.latex import tex_html as _tex_html  # formulas as \(...\) for Anki
from quiz.formats.latex import tex_inline_html as _tex_inline_html
from quiz.formats.media_files import export_markdown, is_audio_name, media_markdown, names_used
from quiz.formats.yaml_bank import QuestionData, SetData
from quiz.questions import (
    Cloze,
    Flashcard,
    Matching,
    Numeric,
    Ordering,
    TrueFalse,
    question_to_dict,
)
from quiz.questions.base import shuffled
from quiz.questions.choice import _ChoiceQuestion
from quiz.textmatch import cloze_hints, split_cloze

BASIC_MODEL_ID = 1_710_482_301  # never change: Anki matches note types by id
CLOZE_MODEL_ID = 1_710_482_302
DECK_ID_BASE = 1_710_000_000_000  # deck ids are this plus a number derived from the set
CSS = ".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n"
CSS += ".explanation { font-size: 16px; } .source { font-size: 14px; color: #555; }\n"

BASIC_MODEL = genanki.Model(
    BASIC_MODEL_ID,
    "Quiz Basic",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
        }
    ],
    css=CSS,
)
CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "Quiz Cloze",
    fields=[{"name": "Text"}, {"name": "Back Extra"}],
    templates=[
        {"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}<br>{{Back Extra}}"}
    ],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)
FIXED_TIME = 1_700_000_000.0  # the package's timestamps, so the same set gives the same file
ZIP_TIME = (2023, 11, 14, 22, 13, 20)  # the media entries' (FIXED_TIME in UTC)


ROOTED = 'src="/@@anki@@/'  # a picture's path while the sanitizer looks (it keeps paths only)


def _anki_media(alt: str, name: str) -> str:
    """`![alt](media:NAME)` as Anki writes media: a picture by its name, a sound as [sound:]."""
    if is_audio_name(name):
        return f"[sound:{name}]"
    return media_markdown(alt, name).replace(f"(media:{name})", f"(/@@anki@@/{name})")


def render_html(text: str) -> str:
    """Markdown as a field's HTML, the set's files as Anki names them."""
    return _tex_html(export_markdown(text, _anki_media)).replace(ROOTED, 'src="')


def render_inline_html(text: str) -> str:
    """One line of Markdown as a field's HTML, the set's files as Anki names them."""
    return _tex_inline_html(export_markdown(text, _anki_media)).replace(ROOTED, 'src="')


def deck_id(identity: str) -> int:
    """A deck id that stays the same for a set across exports."""
    digest = hashlib.sha256(identity.encode()).digest()
    return DECK_ID_BASE + int.from_bytes(digest[:4], "big")


def note_guid(identity: str, key: str) -> str:
    """A note's GUID from the set and the question's key."""
    return str(genanki.guid_for(identity, key))


def write_apkg(
    data: SetData,
    identity: str,
    passages: Mapping[int, str] | None = None,
    media: Mapping[str, bytes] | None = None,
) -> tuple[bytes, list[Notice]]:
    """The .apkg file's bytes for a set; `identity` names the set (its slug or "set-<id>");
    `media` (name -> bytes) are the set's files, packed when a note uses them."""
    deck = genanki.Deck(deck_id(identity), data.title)
    notices: list[Notice] = []
    converted: dict[str, int] = {}
    for item in data.questions:
        deck.add_note(_note(item, identity, passages or {}))
        if item.question.kind not in ("flashcard", "cloze"):
            converted[item.question.kind] = converted.get(item.question.kind, 0) + 1
    for kind, count in converted.items():
        notices.append(
            Notice(
                0,
                f"{count} {kind} question(s) written as Basic notes: the question and "
                "its options in front, the answer on the back (Anki does not grade them)",
            )
        )
    out = io.BytesIO()
    genanki.Package(deck).write_to_file(out, timestamp=FIXED_TIME)
    used = [name for name in names_used(_texts(deck)) if name in (media or {})]
    if not used or media is None:
        return out.getvalue(), notices
    return _with_media(out.getvalue(), {name: media[name] for name in used}), notices


def _texts(deck: genanki.Deck) -> list[str]:
    """The notes' fields, whose `@quiz` comments name every file the questions use."""
    return [field for note in deck.notes for field in note.fields]


def _with_media(package: bytes, media: Mapping[str, bytes]) -> bytes:
    """genanki's package with the files added as Anki numbers them, and their `media` map."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "media":
                target.writestr(info, source.read(info))
        listed = {str(number): name for number, name in enumerate(media)}
        target.writestr("media", json.dumps(listed))
        for number, data in enumerate(media.values()):
            target.writestr(
                zipfile.ZipInfo(str(number), date_time=(2023, 11, 14, 22, 13, 20)), data
            )
    return out.getvalue()


def _tags(item: QuestionData) -> list[str]:
    """Anki tags cannot hold spaces."""
    return ["_".join(tag.split()) for tag in item.question.tags]


def _back(item: QuestionData, passages: Mapping[int, str], answer: str) -> str:
    """The answer, the explanation and the cited passage, as HTML."""
    question = item.question
    parts = [f"<p><b>{answer}</b></p>"] if answer else []
    parts.append(f'<div class="explanation">{render_html(question.explanation)}</div>')
    if question.paragraph is not None:
        passage = passages.get(question.paragraph, "")
        cited = f" {render_inline_html(passage)}" if passage else ""
        parts.append(f'<p class="source">Paragraph {question.paragraph}.{cited}</p>')
    return "".join(parts)


def _meta(item: QuestionData, front: str) -> str:
    """The question itself in an HTML comment Anki never shows, so this app reads the note back
    equal (quiz.formats.anki.read); it keeps a hash of the front to notice edits made in Anki."""
    from quiz.formats.anki.read import front_hash  # the reader owns the format of the comment

    data = {"key": item.key, "q": question_to_dict(item.question), "front": front_hash(front)}
    body = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace(">", "\\u003e")
    return f"<!-- @quiz {body} -->"


def _note(item: QuestionData, identity: str, passages: Mapping[int, str]) -> genanki.Note:
    """One note of the right model, its question kept in a comment on the back."""
    note = _plain_note(item, identity, passages)
    note.fields[-1] += _meta(item, note.fields[0])
    return note


def _plain_note(item: QuestionData, identity: str, passages: Mapping[int, str]) -> genanki.Note:
    """One note of the right model."""
    question = item.question
    guid = note_guid(identity, item.key)
    if isinstance(question, Cloze):
        text, number, hints = [], 0, cloze_hints(question.text)
        for part in split_cloze(question.text):
            if isinstance(part, str):
                text.append(part)
            else:
                hint = f"::{hints[number]}" if hints[number] else ""
                number += 1
                text.append(f"{{{{c{number}::{part[0]}{hint}}}}}")
        fields = [
            render_html("".join(text)),
            _back(item, passages, ""),
        ]
        return genanki.Note(CLOZE_MODEL, fields, tags=_tags(item), guid=guid)
    if isinstance(question, Flashcard):
        front = render_html(question.prompt)
        back = render_html(question.back) + _back(item, passages, "")
    else:
        front = render_html(question.prompt) + _options(question)
        back = _back(item, passages, html.escape(question.answer_text()))
    return genanki.Note(BASIC_MODEL, [front, back], tags=_tags(item), guid=guid)


def _options(question: object) -> str:
    """What a student chooses from, as HTML (never the answer)."""
    if isinstance(question, _ChoiceQuestion):
        items = "".join(f"<li>{render_inline_html(c.text)}</li>" for c in question.choices)
        hint = "Select all that apply." if question.kind == "multiple_select" else ""
        return f'<ol type="A">{items}</ol>' + (f"<p>{hint}</p>" if hint else "")
    if isinstance(question, TrueFalse):
        return "<p>True or false?</p>"
    if isinstance(question, Numeric) and question.unit:
        return f"<p>Answer in {html.escape(question.unit)}.</p>"
    if isinstance(question, Matching):
        lefts = "".join(f"<li>{render_inline_html(left)}</li>" for left, _ in question.pairs)
        rights = sorted(right for _, right in question.pairs)
        options = "".join(f"<li>{render_inline_html(right)}</li>" for right in rights)
        return f"<p>Match:</p><ol>{lefts}</ol><p>with:</p><ul>{options}</ul>"
    if isinstance(question, Ordering):
        order = shuffled(len(question.items), len(question.items), avoid_identity=True)
        items = "".join(f"<li>{render_inline_html(question.items[i])}</li>" for i in order)
        return f"<p>Put in order:</p><ul>{items}</ul>"
    return ""
