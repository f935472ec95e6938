"""Question inputs render every kind without its answer; a filled form grades right."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from quiz.markup import plain_text
from quiz.study.display import unprefixed
from tests.render_helpers import (
    QUESTIONS,
    SEED,
    XSS,
    Scan,
    make,
    render_inputs,
    render_ratings,
    right_form,
)

# The exact fields each kind's parse_form reads.
FIELD_NAMES = {
    "multiple_choice": {"answer"},
    "multiple_select": {"answer"},
    "true_false": {"answer"},
    "short_answer": {"answer"},
    "numeric": {"answer"},
    "cloze": {"gap-0", "gap-1"},
    "matching": {"match-0", "match-1", "match-2"},
    "ordering": {"pos-0", "pos-1", "pos-2", "pos-3"},
    "flashcard": set(),
}
# Text that would give the answer away (besides what each test checks by structure).
SECRETS = {
    "multiple_choice": ["Yes, in March", "no say", "correct"],
    "multiple_select": ["to the east", "Far away", "correct"],
    "true_false": ["Indeed"],
    "short_answer": ["Agadez", "Agades", "Niamey"],
    "numeric": ["750", "25"],
    "cloze": ["junta", "military", "2023", "{{"],
    "matching": [],
    "ordering": [],
    "flashcard": ["Niamey", "river"],
}


@pytest.mark.parametrize("kind", QUESTIONS)
def test_inputs_have_the_parsed_names_and_no_answer(ctx: None, kind: str) -> None:
    """Every kind renders the fields parse_form reads, labelled, and nothing that gives it away."""
    question = make(kind)
    html = render_inputs(question)
    scan = Scan(html)
    assert scan.names() == FIELD_NAMES[kind]
    assert "style=" not in html.lower() and "<script" not in html.lower()
    assert not re.search(r"\son\w+=", html), "no inline event handlers"
    assert " checked" not in html
    for secret in SECRETS[kind]:
        assert secret.lower() not in html.lower(), secret
    assert len(scan.ids) == len(set(scan.ids)), "ids are unique"
    for control in scan.controls:
        assert control["_wrapped"] or scan.labels.get(control["id"]), control
        assert control["_fieldset"], "every input sits in a fieldset"
    if kind != "flashcard":
        assert scan.legends[0] == plain_text(question.prompt)  # Markdown, sanitized
    assert plain_text(question.prompt) in unescape(html)


def test_prompt_and_choice_text_are_sanitized(ctx: None) -> None:
    """Authored text is Markdown with a little HTML: bold stays, a script goes with its text."""
    html = render_inputs(make("multiple_choice"))
    assert "<script" not in html and "alert(1)" not in html
    assert "<b>France</b>" in html


@pytest.mark.parametrize("kind", ["multiple_choice", "multiple_select"])
def test_choices_follow_the_view_order_with_key_hints(ctx: None, kind: str) -> None:
    question = make(kind)
    scan = Scan(render_inputs(question))
    boxes = scan.named("answer")
    assert [c["type"] for c in boxes] == ["checkbox" if kind == "multiple_select" else "radio"] * 3
    assert [int(c["value"]) for c in boxes] == [
        index for index, _ in question.view(SEED)["choices"]
    ]
    assert [c["data-choice-key"] for c in boxes] == ["1", "2", "3"]
    html = render_inputs(question)
    assert ("Select all that apply" in html) == (kind == "multiple_select")
    assert "<kbd" in html


def test_true_false_radios(ctx: None) -> None:
    scan = Scan(render_inputs(make("true_false")))
    radios = scan.named("answer")
    assert [(c["value"], c["data-choice-key"]) for c in radios] == [("true", "1"), ("false", "2")]
    assert [scan.labels[c["id"]] for c in radios] == ["True 1", "False 2"]


def test_text_inputs_are_plain(ctx: None) -> None:
    (short,) = Scan(render_inputs(make("short_answer"))).named("answer")
    assert short["type"] == "text"
    assert (short["autocomplete"], short["autocapitalize"], short["spellcheck"]) == (
        "off",
        "off",
        "false",
    )


def test_numeric_shows_the_unit_or_a_decimal_keypad(ctx: None) -> None:
    html = render_inputs(make("numeric"))
    (field,) = Scan(html).named("answer")
    assert "km" in html and "other units are converted" in html
    assert field["aria-describedby"] == "question-hint"
    html = render_inputs(make("numeric", unit=None))
    (field,) = Scan(html).named("answer")
    assert field["inputmode"] == "decimal"
    assert "other units" not in html and "aria-describedby" not in html


def test_cloze_keeps_the_text_around_the_gaps(ctx: None) -> None:
    html = render_inputs(make("cloze"))
    text = re.sub(r"<label[^>]*>(.*?)</label><input[^>]*>", r"[\1]", html)
    assert "The [Gap 1] took power in [Gap 2]." in text


def test_matching_offers_every_right_after_an_empty_choice(ctx: None) -> None:
    question = make("matching")
    scan = Scan(render_inputs(question))
    rights = [text for _, text in question.view(SEED)["rights"]]
    for index in range(3):
        options = scan.options[f"match-{index}"]
        assert options[0][:2] == ("", "Choose…")
        assert [text for _, text, _ in options[1:]] == rights
        assert not any(selected for *_, selected in options)


def test_ordering_preselects_the_shown_order_which_is_not_the_answer(ctx: None) -> None:
    question = make("ordering")
    scan = Scan(render_inputs(question))
    shown = [index for index, _ in question.view(SEED)["items"]]
    assert [c["name"] for c in scan.controls] == [f"pos-{index}" for index in shown]
    form = MultiDict()
    for place, control in enumerate(scan.controls, start=1):
        (selected,) = [v for v, _, sel in scan.options[control["name"]] if sel]
        assert selected == str(place)
        form.add(control["name"], selected)
    response = question.parse_form(form, SEED)
    assert response == question.display_order(SEED) != list(range(4))
    assert not question.grade(response).correct


@pytest.mark.parametrize("kind", QUESTIONS)
@pytest.mark.parametrize("prefix", ["", "q12-"])
def test_right_answer_round_trip(ctx: None, kind: str, prefix: str) -> None:
    """Filling the rendered fields rightly, the question's own parse_form and grade say right."""
    question = make(kind)
    scan = Scan(render_inputs(question, prefix=prefix))
    assert scan.names() == {prefix + name for name in FIELD_NAMES[kind]}
    assert all(name.startswith(prefix) for name in scan.ids)
    form = right_form(question, scan, prefix)
    assert set(form) <= scan.names() | {prefix + "rating"}
    grade = question.grade(question.parse_form(unprefixed(form, prefix), SEED))
    assert grade.correct, grade.feedback


def test_keys_are_off_on_many_question_pages(ctx: None) -> None:
    question = make("multiple_choice")
    assert "data-choice-key" not in render_inputs(question, prefix="q1-")
    assert "data-choice-key" in render_inputs(question, prefix="q1-", keys=True)
    assert "data-choice-key" not in render_inputs(question, keys=False)


def test_error_is_announced_and_described(ctx: None) -> None:
    html = render_inputs(make("short_answer"), prefix="q3-", error="Enter an answer <now>.")
    assert (
        '<p class="error" role="alert" id="q3-question-error">Enter an answer &lt;now&gt;.</p>'
        in html
    )
    (field,) = Scan(html).named("q3-answer")
    assert field["aria-describedby"] == "q3-question-error"
    assert field["aria-invalid"] == "true"


def test_flashcard_ratings(ctx: None) -> None:
    previews = {"again": "in 10 minutes", "hard": "in 1 day", "good": "in 3 days", "easy": XSS}
    html = render_ratings(previews, prefix="q2-")
    scan = Scan(html)
    buttons = scan.named("q2-rating")
    assert [(c["value"], c["type"]) for c in buttons] == [
        (value, "submit") for value in ("again", "hard", "good", "easy")
    ]
    assert "in 10 minutes" in html and "&lt;script&gt;" in html and "<script" not in html
    assert 'class="ratings"' in html and "data-rating-key" not in html
    keyed = Scan(render_ratings(None)).named("rating")
    assert [c["data-rating-key"] for c in keyed] == ["1", "2", "3", "4"]


def test_form_fields_describe_themselves_only_by_ids_on_the_page(client: Any) -> None:
    """A field without help or error text has no aria-describedby (it once pointed at "None")."""
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'aria-describedby="None"' not in page
    assert 'id="username"' in page
