"""Partial credit survives every format that can say it (issue 22): generated weighted questions
through GIFT, Moodle XML, YAML and CSV, and what CSV cannot hold is said, not dropped silently."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quiz.formats.delimited_writer import write_csv
from quiz.formats.detect import read
from quiz.formats.gift_writer import write_gift
from quiz.formats.moodle.writer import write_moodle_xml
from quiz.formats.yaml_bank import QuestionData, SetData, dump_set
from quiz.questions import QuestionError, question_from_dict
from tests.test_formats_roundtrip import KEY, TEXT, WORD
from tests.transfer_helpers import set_of

# Moodle accepts only its own grades, so generated weights are among them.
PARTIAL = st.sampled_from([90.0, 83.33333, 75.0, 50.0, 33.33333, 25.0, 12.5, 5.0])
FEEDBACK = st.one_of(st.just(""), WORD)


def _choices(draw: Any) -> list[dict[str, Any]]:
    """Multiple choice: one right choice, some partly right, with feedback."""
    texts = draw(st.lists(WORD, min_size=2, max_size=5, unique_by=str.casefold))
    out = [{"text": texts[0], "correct": True, "feedback": draw(FEEDBACK)}]
    for text in texts[1:]:
        choice = {"text": text, "feedback": draw(FEEDBACK)}
        if draw(st.booleans()):
            choice["weight"] = draw(PARTIAL)
        out.append(choice)
    return out


def _select(draw: Any) -> list[dict[str, Any]]:
    """Multiple select: positive weights adding up to 100, penalties on some wrong ones."""
    texts = draw(st.lists(WORD, min_size=3, max_size=5, unique_by=str.casefold))
    split = draw(st.sampled_from([[100.0], [50.0, 50.0], [75.0, 25.0], [80.0, 20.0]]))
    assume(len(split) < len(texts))
    out = [{"text": t, "weight": w} for t, w in zip(texts, split, strict=False)]
    for text in texts[len(split) :]:
        penalty = draw(st.sampled_from([None, -100.0, -50.0, -33.33333, -25.0]))
        out.append({"text": text} | ({"weight": penalty} if penalty else {}))
    return out


@st.composite
def weighted_question(draw: Any) -> dict[str, Any]:
    """A question of a kind that has weights, with some of them."""
    kind = draw(st.sampled_from(["multiple_choice", "multiple_select", "short_answer", "numeric"]))
    out: dict[str, Any] = {"kind": kind, "prompt": draw(TEXT), "explanation": draw(TEXT)}
    if kind == "multiple_choice":
        out["choices"] = _choices(draw)
    elif kind == "multiple_select":
        out["choices"] = _select(draw)
    elif kind == "short_answer":
        words = draw(st.lists(WORD, min_size=2, max_size=4, unique_by=str.casefold))
        out["answers"] = [{"text": words[0], "feedback": draw(FEEDBACK)}] + [
            {"text": w, "weight": draw(PARTIAL), "feedback": draw(FEEDBACK)} for w in words[1:]
        ]
    else:
        value = draw(st.integers(-1000, 1000))
        out.update(value=value, tolerance=draw(st.integers(0, 3)), feedback=draw(FEEDBACK))
        out["partial"] = [
            {"value": value, "tolerance": 10, "weight": draw(PARTIAL), "feedback": draw(FEEDBACK)}
        ]
        if draw(st.booleans()):
            out["partial"].append({"range": [value - 100, value + 100], "weight": 5})
    return out


def _clean(value: Any) -> Any:
    """Empty feedback left out, as an author would."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v != ""}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


@st.composite
def weighted_set(draw: Any) -> SetData:
    """A valid set of weighted questions with distinct keys."""
    items = draw(
        st.lists(
            st.tuples(KEY, weighted_question()), min_size=1, max_size=5, unique_by=lambda t: t[0]
        )
    )
    built = []
    for key, fields in items:
        try:
            built.append(QuestionData(key, question_from_dict(_clean(fields))))
        except QuestionError:
            assume(False)
    return set_of(built, "weighted", "Weighted set")


WRITERS = {
    "gift": lambda data: write_gift(data)[0],
    "moodle-xml": lambda data: write_moodle_xml(data)[0],
    "yaml": dump_set,
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=weighted_set())
def test_weighted_sets_round_trip(fmt: str, data: SetData) -> None:
    used, result = read(WRITERS[fmt](data))
    assert used == fmt
    assert result.questions == data.questions
    said = [w for w in result.warnings if "weight" in str(w) or "partial" in str(w)]
    assert not said or "ticking every choice scores 100%" in str(said[0])


def _one(fields: dict[str, Any]) -> SetData:
    """A set of one question."""
    return set_of([QuestionData("q", question_from_dict(fields))], "one", "One")


CHOICES = {
    "kind": "multiple_select",
    "prompt": "Who is buried in Grant's tomb?",
    "explanation": "Grant and his wife.",
    "choices": [
        {"text": "No one", "weight": -100, "feedback": "Somebody is."},
        {"text": "Grant", "weight": 50},
        {"text": "Grant's wife", "weight": 50},
        {"text": "Grant's father", "weight": -25},
    ],
}
HOMETOWN = {
    "kind": "short_answer",
    "prompt": "Jesus was from",
    "explanation": "Nazareth.",
    "answers": [
        {"text": "Nazareth", "feedback": "Yes!"},
        {"text": "Bethlehem", "weight": 25, "feedback": "Born there, not raised."},
    ],
    "near_misses": ["Jerusalem"],
}


@pytest.mark.parametrize("fields", [CHOICES, HOMETOWN], ids=["select", "short"])
def test_csv_keeps_weights_in_its_weights_column(fields: dict[str, Any]) -> None:
    data = _one(fields)
    text, notices = write_csv(data)
    assert "weights" in text.splitlines()[0] and not notices
    used, result = read(text)
    assert used == "csv" and result.questions == data.questions


def test_csv_says_what_it_cannot_hold() -> None:
    numeric = {
        "kind": "numeric",
        "prompt": "When was Grant born?",
        "explanation": "1822.",
        "value": 1822,
        "feedback": "Right.",
        "partial": [{"value": 1822, "tolerance": 2, "weight": 50}],
    }
    _text, notices = write_csv(_one(numeric))
    assert [str(n) for n in notices] == [
        "question 1: the partly right numbers cannot be written in CSV and are left out"
    ]
    near = {**HOMETOWN, "near_misses": [{"text": "Jerusalem", "feedback": "Not quite."}]}
    assert "near misses' feedback" in str(write_csv(_one(near))[1][0])


def test_moodle_xml_writes_fractions_and_feedback() -> None:
    text, notices = write_moodle_xml(_one(HOMETOWN))
    assert not notices
    assert '<answer fraction="25" format="moodle_auto_format">' in text
    assert "Born there, not raised." in text and 'fraction="0"' in text


def test_weights_moodle_refuses_are_written_as_the_grade_below_and_said() -> None:
    fields = {**HOMETOWN, "answers": ["Nazareth", {"text": "Bethlehem", "weight": 37}]}
    text, notices = write_moodle_xml(_one(fields))
    assert 'fraction="33.33333"' in text  # never rounded up
    assert "worth 37%, written as 33.33333%" in str(notices[0])


def test_gift_writes_weights_as_moodle_does() -> None:
    text = write_gift(_one(HOMETOWN))[0]
    assert "=Nazareth#Yes!" in text and "=%25%Bethlehem#Born there, not raised." in text
    assert "=%0%Jerusalem" in text
    select = write_gift(_one(CHOICES))[0]
    assert "~%-100%No one#Somebody is." in select and "~%50%Grant" in select
