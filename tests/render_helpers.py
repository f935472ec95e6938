"""Shared helpers for the question rendering tests: one question of each kind, a form scanner."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from flask import render_template_string
from werkzeug.datastructures import MultiDict

from quiz.questions import Question, question_from_dict

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
