"""Property tests of typed-answer grading (issue 8), and bounded work on long adversarial text."""

import contextlib
import time
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quiz.answers.spans import NEGATIONS
from quiz.answers.tokens import tokenise
from quiz.questions import Question, ResponseError, question_from_dict


def question(kind: str, **fields: Any) -> Question:
    """A validated question with placeholder prompt and explanation."""
    return question_from_dict({"kind": kind, "prompt": "Q?", "explanation": "Why.", **fields})


WORD = st.from_regex(r"[A-Za-z][a-z]{2,9}", fullmatch=True)
ANSWER = st.lists(WORD, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(ANSWER, st.sampled_from(["the ", "The ", "a ", "an ", ""]), st.sampled_from([".", "", " ."]))
def test_an_article_or_a_full_stop_keeps_a_right_answer_right(
    answer: str, article: str, stop: str
) -> None:
    item = question("short_answer", answers=[answer])
    assert item.grade(f"{article}{answer}{stop}").correct


def _digit_changed(number: str, position: int, digit: str) -> str:
    """number with the digit at position replaced."""
    return number[:position] + digit + number[position + 1 :]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**7), st.data())
def test_a_number_changed_in_any_digit_is_wrong(value: int, data: st.DataObject) -> None:
    number = str(value)
    position = data.draw(st.integers(min_value=0, max_value=len(number) - 1))
    digit = data.draw(st.sampled_from("0123456789"))
    changed = _digit_changed(number, position, digit)
    assume(int(changed) != value)
    assert not question("numeric", value=value).grade(changed).correct
    route = question("short_answer", answers=[f"Route {number}"])
    assert not route.grade(f"Route {changed}").correct
    if 1 <= value <= 28:  # a day of a month
        day = question("cloze", text=f"On {{{{May {number}}}}}.")
        with contextlib.suppress(ResponseError):  # asked to reword: not marked right either
            assert not day.grade([f"May {changed}"]).correct


NEGATED = [
    "not {}",
    "no {}",
    "non-{}",
    "non{}",
    "un{}",
    "anti-{}",
    "anti{}",
    "never {}",
    "isn't {}",
    "without {}",
    "{}? No",  # "no" after the answer negates it too
]


@settings(max_examples=300, deadline=None)
@given(ANSWER, st.sampled_from(NEGATED))
def test_a_negated_right_answer_is_wrong(answer: str, form: str) -> None:
    assume(not set(tokenise(answer)) & NEGATIONS)
    item = question("short_answer", answers=[answer])
    assert item.grade(answer).correct
    assert not item.grade(form.format(answer)).correct


ADVERSARIAL = [
    "a. " * 170,
    "Lt. " * 130,
    "U.S." * 130,
    "Niamey and Agadez or " * 25,
    "seven " * 90,
    "1 000 " * 90,
    "6/5 " * 130,
    "about " * 90 + "750",
    "(" * 250 + ")" * 250,
    "~" * 500,
    "AAAAA " * 90,
    "un" * 250,
    "x" * 500,
]


def test_a_500_character_adversarial_answer_grades() -> None:
    """Each answer is graded or refused; the slowest time is printed (run with -s), not asserted."""
    items = [
        question(
            "short_answer",
            answers=["Lieutenant Colonel Amadou Abdramane", "Alliance of Sahel States"],
            near_misses=["Niamey", "Agadez"],
        ),
        question("cloze", text="On {{May 6|6 May}}, in {{Niamey}}, the {{AES}}."),
        question("numeric", value=750, tolerance=25, unit="km"),
    ]
    slowest = 0.0
    for text in ADVERSARIAL:
        text = text[:500]
        for item in items:
            response: Any = [text, text, text] if item.kind == "cloze" else text
            started = time.perf_counter()
            try:
                grade = item.grade(response)
                assert not grade.correct
            except ResponseError:
                pass
            slowest = max(slowest, time.perf_counter() - started)
    print(f"\nslowest 500-character answer: {slowest * 1000:.1f} ms")
