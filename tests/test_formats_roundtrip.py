"""Export then import gives equal questions: generated sets and the whole starter bank, through
GIFT, CSV and YAML; and the Anki package opened as the zip and SQLite database it is."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quiz.formats.apkg import BASIC_MODEL_ID, CLOZE_MODEL_ID, note_guid, write_apkg
from quiz.formats.delimited_writer import write_csv
from quiz.formats.detect import read
from quiz.formats.gift_writer import write_gift
from quiz.formats.yaml_bank import QuestionData, SetData, dump_set, load_bank
from quiz.questions import QuestionError, question_from_dict
from tests.transfer_helpers import set_of, without_groups

ROOT = Path(__file__).resolve().parent.parent
# Letters, digits and the characters each format treats specially (GIFT's ~=#{}:\ and %, CSV's
# quotes, commas and formula starters), but no '|' (gap alternatives) or '>' ('->' pairs).
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éüñ中 .,;:!?'\"~=#{}\\%@+-*_()/&"
)
WORD = (
    st.text(ALPHABET, min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda s: any(c.isalnum() for c in s) and "{{" not in s and "}}" not in s)
)
TEXT = st.lists(WORD, min_size=1, max_size=3).map("\n".join)  # prompts may span lines
KEY = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
TAGS = st.lists(st.from_regex(r"[a-z]{2,8}", fullmatch=True), max_size=2, unique=True)
NUMBER = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))


def _choices(draw: Any, multiple: bool) -> list[dict[str, Any]]:
    texts = draw(st.lists(WORD, min_size=2, max_size=5, unique_by=str.casefold))
    right = draw(st.sets(st.integers(0, len(texts) - 1), min_size=1)) if multiple else {0}
    feedback = draw(
        st.lists(st.one_of(st.just(""), WORD), min_size=len(texts), max_size=len(texts))
    )
    return [
        {"text": text, "correct": index in right, "feedback": fb}
        for index, (text, fb) in enumerate(zip(texts, feedback, strict=True))
    ]


@st.composite
def question(draw: Any) -> dict[str, Any]:
    """A question's fields, of any kind."""
    kind = draw(st.sampled_from(
        ["multiple_choice", "multiple_select", "true_false", "short_answer", "numeric",
         "cloze", "matching", "ordering", "flashcard"]
    ))  # fmt: skip
    out: dict[str, Any] = {"kind": kind, "prompt": draw(TEXT), "explanation": draw(TEXT)}
    out["tags"] = draw(TAGS)
    if draw(st.booleans()):
        out["paragraph"] = draw(st.integers(1, 40))
    if kind in ("multiple_choice", "multiple_select"):
        out["choices"] = _choices(draw, kind == "multiple_select")
        out["shuffle"] = draw(st.booleans())
    elif kind == "true_false":
        out.update(answer=draw(st.booleans()), feedback_true=draw(st.one_of(st.just(""), WORD)))
        out["feedback_false"] = draw(st.one_of(st.just(""), WORD))
    elif kind == "short_answer":
        words = draw(st.lists(WORD, min_size=1, max_size=4, unique_by=str.casefold))
        cut = draw(st.integers(1, len(words)))
        out.update(answers=words[:cut], near_misses=words[cut:], fuzzy=draw(st.booleans()))
    elif kind == "numeric":
        if draw(st.booleans()):
            low, high = sorted([draw(NUMBER), draw(NUMBER)])
            out["range"] = [low, high]
        else:
            out.update(value=draw(NUMBER), tolerance=abs(draw(NUMBER)))
        out["unit"] = draw(st.sampled_from(["", "km", "kg"]))
    elif kind == "cloze":
        parts = draw(
            st.lists(
                st.tuples(WORD, st.lists(WORD, min_size=1, max_size=2)), min_size=1, max_size=3
            )
        )
        tail = draw(st.one_of(st.just(""), WORD))
        out["text"] = "".join(f"{text} {{{{{'|'.join(gap)}}}}} " for text, gap in parts) + tail
        out["text"] = out["text"].strip()
    elif kind == "matching":
        lefts = draw(st.lists(WORD, min_size=3, max_size=4, unique_by=str.casefold))
        rights = draw(
            st.lists(WORD, min_size=len(lefts), max_size=len(lefts), unique_by=str.casefold)
        )
        out["pairs"] = [{"left": a, "right": b} for a, b in zip(lefts, rights, strict=True)]
    elif kind == "ordering":
        out["items"] = draw(st.lists(WORD, min_size=3, max_size=5, unique_by=str.casefold))
    else:
        out["back"] = draw(TEXT)
    return {k: v for k, v in out.items() if v not in ("", None)}


@st.composite
def question_set(draw: Any) -> SetData:
    """A valid set of 1 to 6 questions with distinct keys."""
    items = draw(
        st.lists(st.tuples(KEY, question()), min_size=1, max_size=6, unique_by=lambda t: t[0])
    )
    built = []
    for key, fields in items:
        try:
            built.append(QuestionData(key, question_from_dict(fields)))
        except QuestionError:
            assume(False)
    return set_of(built, "generated", "Generated set")


def export_text(data: SetData, fmt: str) -> str:
    """The set written in a text format."""
    if fmt == "gift":
        return write_gift(data)[0]
    if fmt == "csv":
        return write_csv(data)[0]
    return dump_set(data)


@pytest.mark.parametrize("fmt", ["gift", "csv", "yaml"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=question_set())
def test_generated_sets_round_trip(fmt: str, data: SetData) -> None:
    text = export_text(data, fmt)
    used, result = read(text)  # the guesser must recognise our own exports too
    assert used == fmt
    assert result.questions == data.questions


BANK = load_bank(ROOT / "questions")


@pytest.mark.parametrize("fmt", ["gift", "csv", "yaml"])
@pytest.mark.parametrize("data", BANK, ids=[s.slug for s in BANK])
def test_starter_bank_round_trips(fmt: str, data: SetData) -> None:
    _, result = read(export_text(data, fmt), fmt)
    expected = data.questions if fmt == "yaml" else without_groups(data.questions)
    assert result.questions == expected
    assert not result.warnings


def test_starter_bank_has_every_kind() -> None:
    kinds = {item.question.kind for data in BANK for item in data.questions}
    assert len(kinds) == 9


def _open_apkg(content: bytes, tmp_path: Path) -> sqlite3.Connection:
    """The collection database inside a package."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert "collection.anki2" in archive.namelist()
    path = tmp_path / "collection.anki2"
    path.write_bytes(archive.read("collection.anki2"))
    return sqlite3.connect(path)


def test_apkg_notes_fields_and_stable_guids(tmp_path: Path) -> None:
    data = BANK[0]
    content, notices = write_apkg(data, data.slug)
    with _open_apkg(content, tmp_path) as db:
        rows = db.execute("SELECT guid, mid, flds, tags FROM notes").fetchall()
    assert len(rows) == len(data.questions)
    by_guid = {guid: (mid, flds.split("\x1f"), tags) for guid, mid, flds, tags in rows}
    for item in data.questions:
        mid, fields, tags = by_guid[note_guid(data.slug, item.key)]
        question = item.question
        if question.kind == "cloze":
            assert mid == CLOZE_MODEL_ID
            assert "{{c1::" in fields[0]
        else:
            assert mid == BASIC_MODEL_ID
        if question.kind == "multiple_choice":
            assert all(choice.text.split()[0] in fields[0] for choice in question.choices)
            right = next(c.text for c in question.choices if c.correct)
            assert right.split()[0] in fields[1]
        for tag in question.tags:
            assert tag in tags.split()
    assert any("Basic notes" in str(notice) for notice in notices)
    again, _ = write_apkg(data, data.slug)
    with _open_apkg(again, tmp_path) as db:
        guids = {row[0] for row in db.execute("SELECT guid FROM notes")}
    assert guids == set(by_guid)


def test_apkg_flashcards_are_basic_notes_with_their_back(tmp_path: Path) -> None:
    data = BANK[1]
    content, notices = write_apkg(data, data.slug)
    with _open_apkg(content, tmp_path) as db:
        rows = db.execute("SELECT mid, flds FROM notes").fetchall()
        models = db.execute("SELECT models FROM col").fetchone()[0]
    assert {mid for mid, _ in rows} == {BASIC_MODEL_ID}
    assert str(BASIC_MODEL_ID) in models
    backs = [flds.split("\x1f")[1] for _, flds in rows]
    first = data.questions[0].question
    assert any(first.back.split(",")[0] in back for back in backs)
    assert notices == []
