"""Malformed files in every format: the error names the right line and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from quiz.formats.common import FormatError
from quiz.formats.detect import read
from quiz.models import Question, QuestionSet
from tests.conftest import count_rows, make_user

ONE = "slug: s\ntitle: T\nquestions:\n  - id: q\n    kind: flashcard\n    prompt: P\n"
MANY_GIFT = "".join(f"Q{n}? {{T}}\n\n" for n in range(5001))

# (format, text, expected line, words expected in the message)
CASES = [
    ("gift", "Q? {=a ~b\n", 1, "could not find a '}'"),
    ("gift", "::a:: Q {\n=a\n~b\n\n::b:: R {T}\n", 3, "begun on line 1"),
    ("gift", "::a:: ok {T}\n\nQ {=a\n{~b}\n", 4, "begun on line 3"),
    ("gift", "Q } {T}\n", 1, "'}' without its '{'"),
    ("gift", "::title Q {T}\n", 1, "'::' closing the title"),
    ("gift", "Q {~%x%a =b}\n", 1, "weight"),
    ("gift", "Q {~%150%a =b}\n", 1, "not between -100 and 100"),
    ("gift", "Q {a =b}\n", 1, "text before the first"),
    ("gift", "Q {= ~b}\n", 1, "an answer is empty"),
    ("gift", "// c\nQ {~a ~b}\n", 2, "no right answer"),
    ("gift", "Q {#abc}\n", 1, "'abc' is not a number"),
    ("gift", "Q {#10..x}\n", 1, "'x' is not a number"),
    ("gift", "Q {# =%50%3}\n", 1, "needs a 100% answer"),
    ("gift", "Q {=a -> b =c}\n", 1, "left -> right"),
    ("gift", "Q {=a -> b =c -> d}\n", 1, "needs at least 3 pairs"),
    ("gift", "::dup:: Q {=a ~a}\n", 1, "repeats"),
    ("gift", "// @quiz {bad}\nQ {T}\n", 1, "JSON"),
    ("gift", '// @quiz {"colour": 1}\nQ {T}\n', 1, "does not know 'colour'"),
    ("gift", "A {=a ~b} and {=c}\n", 1, "several answer blocks"),
    ("gift", "{=a ~b}\n", 1, "prompt"),
    ("gift", "::a:: ok {T}\n\n\n\n::b:: bad {~x ~y}\n", 5, "no right answer"),
    ("gift", "// @quiz {}\n\nQ {T}\n", 1, "inside a question's block"),
    ("gift", "Q {T}\n" + "x" * 100_001 + "\n", 2, "longer than 100,000"),
    ("gift", '// @quiz {"unit": "m**(9**9)"}\nQ {#5}\n', 2, "unit"),
    ("gift", MANY_GIFT, 10001, "more than 5,000 questions"),
    ("aiken", "Q?\nA. a\nB. b\n", 1, "no 'ANSWER:' line"),
    ("aiken", "Q?\nA. a\nB. b\nANSWER: D\n", 4, "names no option"),
    ("aiken", "Q?\nA. a\nC. c\nANSWER: A\n", 3, "option C where B"),
    ("aiken", "Q?\nANSWER: A\n", 2, "before any option"),
    ("aiken", "Q?\nA. a\n\nB. b\nANSWER: A\n", 3, "no 'ANSWER:' line"),
    ("aiken", "Q?\nA. a\nB. b\nsomething\nANSWER: A\n", 4, "expected the next option"),
    ("aiken", "Ok?\nA. a\nB. b\nANSWER: A\n\nQ?\nA. a\nB. a\nANSWER: A\n", 6, "repeats"),
    ("csv", "a,b\n1,2\n", 1, "header row"),
    ("csv", "prompt,kind\nQ,calculated\n", 2, "unknown kind 'calculated'"),
    ("csv", "prompt,answer\nQ,a,b\n", 2, "3 cells"),
    ("csv", 'prompt,answer\nQ,"open\nmore\n', 2, "never closed"),
    ("csv", 'kind,prompt,choices,answer\nmultiple_choice,Q,"a\nb",c\n', 2, "'c' is not one"),
    ("csv", "kind,prompt,answer,tolerance\nnumeric,Q,750,lots\n", 2, "'lots' is not a number"),
    ("csv", "id,prompt,answer\nBad Id,Q,A\n", 2, "lower-case"),
    ("csv", "prompt,prompt\nQ,Q\n", 1, "appears twice"),
    ("csv", "kind,prompt,answer\ntrue_false,Q,maybe\n", 2, "neither true nor false"),
    ("csv", 'prompt,answer\n"Q\nQ",a\nZ,b\n,c\n', 5, "prompt"),
    ("tsv", "a\tb\nc\n", 2, "no tab"),
    ("tsv", "#separator:weird\na b\n", 1, "unknown #separator"),
    ("tsv", "#separator:tab\n", 1, "no notes"),
    ("tsv", "#separator:tab\nfront only\n", 2, "front and a back"),
    ("yaml", "slug: x\ntitle: y\nquestions:\n  - id: a\n    kind: [\n", 6, ""),
    ("yaml", ONE + "    back: B\n    explanation: E\n    colour: red\n", 4, "unknown field"),
]
IDS = [f"{fmt}-{n}" for n, (fmt, *_rest) in enumerate(CASES)]


@pytest.mark.parametrize(("fmt", "text", "line", "words"), CASES, ids=IDS)
def test_reader_names_the_line(fmt: str, text: str, line: int, words: str) -> None:
    with pytest.raises(FormatError) as caught:
        read(text, fmt)
    assert caught.value.line == line, str(caught.value)
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"line {line}")


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize(("fmt", "text", "line", "words"), CASES, ids=IDS)
def test_cli_writes_nothing(
    app: Flask, tmp_path: Path, fmt: str, text: str, line: int, words: str
) -> None:
    make_user(app, "tess", role="teacher")
    path = tmp_path / f"bad.{fmt}"
    path.write_text(text, encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["import", str(path), "--owner", "tess", "--format", fmt]
    )
    assert result.exit_code != 0
    assert f"line {line}" in result.output
    assert count_rows(app, Question) == 0
    assert count_rows(app, QuestionSet) == 0
