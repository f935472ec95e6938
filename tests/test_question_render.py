"""Question inputs render every kind without its answer; a filled form grades right; feedback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask, render_template_string
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from quiz.questions import Question, question_from_dict
from quiz.study.display import describe_response, unprefixed

XSS = "<script>alert(1)</script>"
SEED = 7

QUESTIONS: dict[str, dict[str, Any]] = {
    "multiple_choice": {
        "prompt": f"Who ordered US troops out? {XSS}",
        "choices": [
            {"text": "The junta", "correct": True, "feedback": "Yes, in March."},
            {"text": "The UN", "feedback": "No, the UN had no say."},
            {"text": "<b>France</b>"},
        ],
    },
    "multiple_select": {
        "prompt": "Which border Niger?",
        "choices": [
            {"text": "Mali", "correct": True},
            {"text": "Chad", "correct": True, "feedback": "Yes, to the east."},
            {"text": "Spain", "feedback": "Far away."},
        ],
    },
    "true_false": {
        "prompt": "Niamey is the capital.",
        "answer": True,
        "feedback_true": "Indeed it is.",
    },
    "short_answer": {
        "prompt": "Which city hosts Air Base 201?",
        "answers": ["Agadez", "Agades"],
        "near_misses": ["Niamey"],
    },
    "numeric": {"prompt": "How far is it?", "value": 750, "tolerance": 25, "unit": "km"},
    "cloze": {
        "prompt": "Fill in the gaps.",
        "text": "The {{junta|military}} took power in {{2023}}.",
    },
    "matching": {
        "prompt": "Match each country with its capital.",
        "pairs": [
            {"left": "Mali", "right": "Bamako"},
            {"left": "Niger", "right": "Niamey"},
            {"left": "Chad", "right": "N'Djamena"},
        ],
    },
    "ordering": {"prompt": "Put in order.", "items": ["Coup", "Expulsion", "Arrival", "Departure"]},
    "flashcard": {"prompt": "Capital of Niger?", "back": "Niamey, on the Niger river"},
}
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


def make(kind: str, **changes: Any) -> Question:
    """A question of the kind from the examples above."""
    return question_from_dict(
        {"kind": kind, "explanation": f"Because. {XSS}", **QUESTIONS[kind], **changes}
    )


class Scan(HTMLParser):
    """The form controls, labels, legends and ids of a rendered fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, Any]] = []  # input/select/button attributes, in page order
        self.options: dict[str, list[tuple[str, str, bool]]] = {}  # select name -> options
        self.labels: dict[str, str] = {}  # label for= -> its text
        self.ids: list[str] = []
        self.legends: list[str] = []
        self._labels: list[dict[str, Any]] = []  # open labels
        self._fieldsets = 0
        self._text: list[str] | None = None  # text of the open legend or option
        self._select: str | None = None
        self._option: dict[str, Any] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record controls with the label and fieldset they sit in."""
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.append(str(attr["id"]))
        if tag == "fieldset":
            self._fieldsets += 1
        elif tag == "label":
            self._labels.append({"for": attr.get("for"), "text": []})
        elif tag in ("legend", "option"):
            self._text = []
            if tag == "option":
                self._option = {"value": attr.get("value"), "selected": "selected" in attr}
        if tag in ("input", "select", "button"):
            control = {"tag": tag, **attr, "_wrapped": bool(self._labels)}
            control["_fieldset"] = self._fieldsets > 0
            self.controls.append(control)
            if tag == "select":
                self._select = str(attr["name"])
                self.options[self._select] = []

    def handle_endtag(self, tag: str) -> None:
        """Close labels, legends, options and fieldsets."""
        if tag == "fieldset":
            self._fieldsets -= 1
        elif tag == "label" and self._labels:
            label = self._labels.pop()
            if label["for"]:
                self.labels[label["for"]] = " ".join("".join(label["text"]).split())
        elif tag == "legend" and self._text is not None:
            self.legends.append("".join(self._text).strip())
            self._text = None
        elif tag == "option" and self._option is not None and self._select:
            text = "".join(self._text or []).strip()
            self.options[self._select].append(
                (self._option["value"], text, self._option["selected"])
            )
            self._option, self._text = None, None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        """Collect text for the open label, legend or option."""
        for label in self._labels:
            label["text"].append(data)
        if self._text is not None:
            self._text.append(data)

    def names(self) -> set[str]:
        """The names of the fields a submission would carry."""
        return {c["name"] for c in self.controls if c.get("name")}

    def named(self, name: str) -> list[dict[str, Any]]:
        """The controls with one name."""
        return [c for c in self.controls if c.get("name") == name]


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """A request context, so templates can be rendered."""
    with app.test_request_context():
        yield


def render_inputs(question: Question, **options: Any) -> str:
    """question_inputs for the question, as a page would call it."""
    return render_template_string(
        '{% from "study/_question.html" import question_inputs %}'
        "{{ question_inputs(q, v, **options) }}",
        q=question,
        v=question.view(SEED),
        options=options,
    )


def render_ratings(previews: dict[str, str] | None, prefix: str = "") -> str:
    """The four flashcard buttons."""
    return render_template_string(
        '{% from "study/_question.html" import flashcard_ratings %}'
        "{{ flashcard_ratings(previews, prefix=prefix) }}",
        previews=previews,
        prefix=prefix,
    )


def right_form(question: Question, scan: Scan, prefix: str) -> MultiDict[str, str]:
    """Fill the rendered fields with the right answer, finding values the way a student would."""
    spec, form = question.spec(), MultiDict()
    kind = question.kind
    if kind in ("multiple_choice", "multiple_select"):
        for choice in spec["choices"]:
            if choice.get("correct"):
                (radio,) = [
                    c
                    for c in scan.named(prefix + "answer")
                    if scan.labels[c["id"]].startswith(choice["text"])
                ]
                form.add(radio["name"], radio["value"])
    elif kind == "true_false":
        form.add(prefix + "answer", "true" if spec["answer"] else "false")
    elif kind == "short_answer":
        form.add(prefix + "answer", spec["answers"][0].upper())  # case must not matter
    elif kind == "numeric":
        form.add(prefix + "answer", "466 miles")  # 750 km, converted
    elif kind == "cloze":
        form.add(prefix + "gap-0", "Junta")
        form.add(prefix + "gap-1", "2023")
    elif kind == "matching":
        rights = {pair["left"]: pair["right"] for pair in spec["pairs"]}
        for control in scan.controls:
            want = rights[scan.labels[control["id"]]]
            (value,) = [v for v, text, _ in scan.options[control["name"]] if text == want]
            form.add(control["name"], value)
    elif kind == "ordering":
        for control in scan.controls:
            item = scan.labels[control["id"]].removeprefix("Place of ")
            form.add(control["name"], str(spec["items"].index(item) + 1))
    elif kind == "flashcard":
        (good,) = [c for c in Scan(render_ratings({}, prefix)).controls if c["value"] == "good"]
        form.add(good["name"], good["value"])
    return form


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
        assert scan.legends[0] == question.prompt
    assert str(escape(question.prompt)) in html


def test_prompt_and_choice_text_are_escaped(ctx: None) -> None:
    html = render_inputs(make("multiple_choice"))
    assert "&lt;script&gt;" in html and "&lt;b&gt;France&lt;/b&gt;" in html


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


def test_confidence_defaults_to_normal(ctx: None) -> None:
    html = render_template_string(
        '{% from "study/_question.html" import confidence %}{{ confidence(prefix="q4-") }}'
    )
    scan = Scan(html)
    radios = scan.named("q4-self_rating")
    assert [(c["value"], "checked" in c) for c in radios] == [
        ("hard", False),
        ("good", True),
        ("easy", False),
    ]
    assert [scan.labels[c["id"]] for c in radios] == ["Hard", "Normal", "Easy"]
    assert scan.legends[0].startswith("If you get it right, how did it feel?")


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
    assert "Because. &lt;script&gt;" in html and "<script" not in html
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
