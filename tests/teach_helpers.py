"""Shared helpers for the authoring tests: a valid form for each kind, sets made in the DB."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Question, QuestionSet
from quiz.questions import KINDS

SOURCE_TEXT = "Niamey is the capital of Niger.\n\nAgadez lies about 750 km to the northeast."
COMMON = {"explanation": "Because the notes say so.", "tags": "places, niger", "paragraph": "2"}

# One valid posted form per kind, and the spec it must be stored as.
VALID: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "multiple_choice": (
        {
            "prompt": "Which city is Niger's capital?",
            "choices-0-text": "Niamey",
            "choices-0-feedback": "Yes.",
            "choices-1-text": "Agadez",
            "choices-1-feedback": "No, that is the drone-base city.",
            "choices-2-text": "Dosso",
            "correct": "0",
            "shuffle": "y",
        },
        {
            "choices": [
                {"text": "Niamey", "correct": True, "feedback": "Yes."},
                {"text": "Agadez", "feedback": "No, that is the drone-base city."},
                {"text": "Dosso"},
            ]
        },
    ),
    "multiple_select": (
        {
            "prompt": "Which formed the Alliance of Sahel States?",
            "choices-0-text": "Mali",
            "choices-0-correct": "y",
            "choices-1-text": "Chad",
            "choices-1-feedback": "Chad stayed out.",
            "choices-2-text": "Niger",
            "choices-2-correct": "y",
        },
        {
            "choices": [
                {"text": "Mali", "correct": True},
                {"text": "Chad", "feedback": "Chad stayed out."},
                {"text": "Niger", "correct": True},
            ],
            "shuffle": False,
        },
    ),
    "true_false": (
        {
            "prompt": "Agadez is northeast of Niamey.",
            "answer": "true",
            "feedback_true": "Right, about 750 km away.",
            "feedback_false": "It is northeast.",
        },
        {
            "answer": True,
            "feedback_true": "Right, about 750 km away.",
            "feedback_false": "It is northeast.",
        },
    ),
    "short_answer": (
        {
            "prompt": "Which city hosts the main US drone base?",
            "answers": "Agadez\r\nAgades\r\n",
            "near_misses": "Niamey",
            "fuzzy": "y",
        },
        {"answers": ["Agadez", "Agades"], "near_misses": ["Niamey"]},
    ),
    "numeric": (
        {
            "prompt": "How far is Agadez from Niamey?",
            "mode": "value",
            "value": "750",
            "tolerance": "25",
            "unit": "km",
            "low": "",
            "high": "",
        },
        {"value": 750, "tolerance": 25, "unit": "km"},
    ),
    "cloze": (
        {
            "prompt": "Fill in the distance.",
            "text": "Agadez is {{750|seven hundred fifty}} km away.",
        },
        {"text": "Agadez is {{750|seven hundred fifty}} km away."},
    ),
    "matching": (
        {
            "prompt": "Match each place with what it is.",
            "pairs-0-left": "Niamey",
            "pairs-0-right": "Capital",
            "pairs-1-left": "Agadez",
            "pairs-1-right": "Drone base city",
            "pairs-2-left": "Air Base 101",
            "pairs-2-right": "Base at the airport",
        },
        {
            "pairs": [
                {"left": "Niamey", "right": "Capital"},
                {"left": "Agadez", "right": "Drone base city"},
                {"left": "Air Base 101", "right": "Base at the airport"},
            ]
        },
    ),
    "ordering": (
        {
            "prompt": "Put these in order.",
            "items-0-text": "Coup",
            "items-1-text": "Expulsion order",
            "items-2-text": "Russian trainers arrive",
        },
        {"items": ["Coup", "Expulsion order", "Russian trainers arrive"]},
    ),
    "flashcard": (
        {"prompt": "Lloyd Austin", "back": "US Defense Secretary"},
        {"back": "US Defense Secretary"},
    ),
    "essay": (
        {
            "prompt": "Why did the United States leave Agadez?",
            "word_limit": "150",
            "model_answer": "The junta ended the agreement.",
            "rubric-0-criterion": "Names the junta",
            "rubric-0-points": "2",
            "rubric-1-criterion": "",
            "rubric-1-points": "",
        },
        {
            "word_limit": 150,
            "model_answer": "The junta ended the agreement.",
            "rubric": [{"criterion": "Names the junta", "points": 2.0}],
        },
    ),
}
assert set(VALID) == set(KINDS)


def valid_form(kind: str, **changes: str) -> dict[str, Any]:
    """The valid form of a kind with the common fields, some of them changed."""
    return {**COMMON, **VALID[kind][0], **changes}


def make_set(
    app: Flask,
    owner_id: int | None,
    *,
    questions: int = 0,
    title: str = "Sahel notes",
    visibility: str = "private",
    source_text: str = SOURCE_TEXT,
) -> int:
    """A set owned by `owner_id` with some short-answer questions; returns its id."""
    with app.app_context():
        qset = QuestionSet(
            owner_id=owner_id, title=title, visibility=visibility, source_text=source_text
        )
        for number in range(questions):
            qset.questions.append(
                Question(
                    key=f"q{number}",
                    kind="short_answer",
                    prompt=f"Question {number}?",
                    spec={"answers": [f"answer {number}"]},
                    explanation="Because.",
                    tags=[],
                    paragraph=1,
                    position=number,
                )
            )
        db.session.add(qset)
        db.session.commit()
        return qset.id


def question_ids(app: Flask, set_id: int) -> list[int]:
    """The live questions of a set, in order."""
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(Question.id)
                .where(Question.set_id == set_id, Question.retired.is_(False))
                .order_by(Question.position, Question.id)
            )
        )


def error_next_to(html: str, key: str) -> str | None:
    """The error message shown for a field, if the field points at it (aria-describedby)."""
    message = re.search(rf'<p class="error" id="err-{re.escape(key)}">([^<]*)</p>', html)
    pointed = re.search(rf'id="{re.escape(key)}"[^>]*aria-describedby="[^"]*err-{key}', html)
    return message.group(1) if message and pointed else None
