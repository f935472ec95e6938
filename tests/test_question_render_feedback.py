"""Feedback after an answer, and how a stored response is described to the student."""

from __future__ import annotations

from typing import Any

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from quiz.questions import Question
from quiz.study.display import describe_response, unprefixed
from tests.render_helpers import XSS, make


def render_feedback(question: Question, response: Any, **options: Any) -> str:
    """The feedback block for a stored response."""
    return render_template_string(
        '{% from "study/_feedback.html" import feedback %}{{ feedback(q, g, r, **options) }}',
        q=question,
        g=question.grade(response),
        r=describe_response(question, response),
        options=options,
    )


def test_feedback_right(ctx: None) -> None:
    question = make("multiple_choice", paragraph=16)
    html = render_feedback(
        question, 0, source={"title": "Russians sent to Niger"}, next_text="in 3 days"
    )
    assert 'class="card feedback result-ok"' in html and "verdict-ok" in html
    assert '">Right</h2>' in html and 'aria-live="polite"' in html
    assert "Because." in html and "<script" not in html and "alert(1)" not in html
    assert "The junta" in html and "Yes, in March." in html
    assert "Source: Russians sent to Niger, paragraph 16" in html
    assert "Comes back in 3 days." in html


def test_feedback_wrong(ctx: None) -> None:
    question = make(
        "multiple_choice", choices=[{"text": "The junta", "correct": True}, {"text": XSS}]
    )
    html = render_feedback(question, 1)
    assert "result-bad" in html and "verdict-bad" in html and '">Wrong</h2>' in html
    assert "Your answer</dt>" in html and "&lt;script&gt;alert(1)" in html
    assert "Right answer</dt>" in html and "The junta" in html
    assert "<script" not in html and "Comes back" not in html and "Source" not in html


def test_feedback_partly_right_and_paragraph_without_source(ctx: None) -> None:
    html = render_feedback(make("cloze", paragraph=3), ["junta", "1999"])
    assert "Partly right (50%)" in html and "result-bad" in html
    assert '<p class="source">Paragraph 3</p>' in html


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ({"title": "Russians sent to Niger"}, "Source: Russians sent to Niger, paragraph 16"),
        (None, "Paragraph 16"),
    ],
)
def test_a_cited_passage_is_named_once(ctx: None, source: Any, line: str) -> None:
    """One line names the source, then the passage: not "Paragraph 16 / Paragraph 16 / text"."""
    html = render_feedback(
        make("multiple_choice", paragraph=16), 0, source=source, passage="Agadez lies north."
    )
    assert html.count("aragraph 16") == 1
    assert f'<figcaption class="source">{line}</figcaption>' in html
    assert "<blockquote><p>Agadez lies north.</p>" in html


CASES: list[tuple[str, Any, str]] = [
    ("multiple_choice", 0, "The junta"),
    ("multiple_choice", "2", "<b>France</b>"),
    ("multiple_choice", 9, "9"),
    ("multiple_choice", True, "True"),
    ("multiple_select", [0, 1], "Mali; Chad"),
    ("multiple_select", [2, 42], "Spain; 42"),
    ("multiple_select", [], "(no answer)"),
    ("multiple_select", "oops", "oops"),
    ("true_false", True, "True"),
    ("true_false", False, "False"),
    ("true_false", "false", "False"),
    ("true_false", 3, "3"),
    ("short_answer", " Agadez ", "Agadez"),
    ("short_answer", "", "(no answer)"),
    ("short_answer", 12, "12"),
    ("numeric", "460 miles", "460 miles"),
    ("cloze", ["junta", "2023"], "junta / 2023"),
    ("cloze", ["junta", ""], "junta / (blank)"),
    ("cloze", [None, "2023"], "(blank) / 2023"),
    ("cloze", ["", ""], "(no answer)"),
    ("cloze", "junta", "junta"),
    ("matching", [0, 1, 2], "Mali → Bamako; Niger → Niamey; Chad → N'Djamena"),
    ("matching", [1, None], "Mali → Niamey; Niger → (blank); Chad → (blank)"),
    ("matching", [7, "x", 0], "Mali → 7; Niger → x; Chad → Bamako"),
    ("matching", {"a": 1}, "{'a': 1}"),
    ("ordering", [2, 0, 1, 3], "1. Arrival; 2. Coup; 3. Expulsion; 4. Departure"),
    ("ordering", [0, 9], "1. Coup; 2. 9"),
    ("ordering", 5, "5"),
    ("flashcard", "good", "Good"),
    ("flashcard", "again", "Again"),
    ("flashcard", 4, "4"),
    ("flashcard", None, "(no answer)"),
]


@pytest.mark.parametrize(("kind", "response", "expected"), CASES)
def test_describe_response(kind: str, response: Any, expected: str) -> None:
    assert describe_response(make(kind), response) == expected


def test_describe_response_never_raises() -> None:
    """A broken question or an unprintable response still gives a sentence."""

    class Broken:
        kind = "cloze"

        def spec(self) -> dict[str, Any]:
            raise RuntimeError("boom")

    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("boom")

    assert describe_response(Broken(), ["a"]) == "['a']"  # type: ignore[arg-type]
    assert describe_response(make("ordering"), Unprintable()) == "(an answer that cannot be shown)"
    assert describe_response(object(), "x") == "x"  # type: ignore[arg-type]


def test_unprefixed_keeps_only_one_questions_fields() -> None:
    form = MultiDict([("q1-answer", "0"), ("q1-answer", "2"), ("q2-answer", "1"), ("csrf", "t")])
    assert unprefixed(form, "q1-").getlist("answer") == ["0", "2"]
    assert list(unprefixed(form, "q2-").items(multi=True)) == [("answer", "1")]
