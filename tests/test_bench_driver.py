"""The benchmark's simulated student answers every kind the starter bank has, right when it
means to and wrong when it does not, from the page as the app renders it (issue 27)."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from bench.build import STUDY_KINDS, _question
from bench.drive import Form, fill, forms
from quiz.questions import COMMON_FIELDS, question_from_dict
from tests.render_helpers import SEED, render_inputs

pytestmark = pytest.mark.usefixtures("ctx")
TYPED = sorted(set(STUDY_KINDS) - {"flashcard"})


def generated(kind: str) -> Any:
    """The question the benchmark's build writes for `kind`."""
    row = _question(1, 1, 3, kind)
    return question_from_dict({**{k: row[k] for k in COMMON_FIELDS if k in row}, **row["spec"]})


def page_form(question: Any, prefix: str = "") -> Form:
    """The question's inputs inside a form, as the driver reads a page."""
    html = f'<form action="/study/answer">{render_inputs(question, prefix=prefix)}</form>'
    return forms(html)[0]


def as_form(data: dict[str, Any], prefix: str = "") -> MultiDict:
    """The driver's answer as the app's form parser gets it (prefix removed)."""
    pairs = []
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            pairs.append((name.removeprefix(prefix), one))
    return MultiDict(pairs)


def test_every_starter_kind_is_generated() -> None:
    assert set(STUDY_KINDS) == {
        "true_false",
        "short_answer",
        "flashcard",
        "multiple_choice",
        "multiple_select",
        "numeric",
        "cloze",
        "matching",
        "ordering",
    }


@pytest.mark.parametrize("prefix", ["", "q7-"])
@pytest.mark.parametrize("kind", TYPED)
def test_driver_answers_right_and_wrong(kind: str, prefix: str) -> None:
    question = generated(kind)
    form = page_form(question, prefix)
    for right in (True, False):
        response = question.parse_form(as_form(fill(form, right), prefix), SEED)
        score, _feedback = question.score(response)
        assert (score == 1.0) is right, (kind, right, response, score)
