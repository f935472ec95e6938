"""GIFT syntax: escapes, brace blocks and their answers, with the place of every character.

Pure. Used by quiz.formats.gift, which turns what is parsed here into question fields.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from quiz.formats.common import FormatError
from quiz.formats.latex import tex_to_dollars

TRUE_FALSE = re.compile(r"(T|TRUE|F|FALSE)\s*(#|$)", re.IGNORECASE)
WEIGHT = re.compile(r"%(-?\d+(?:\.\d+)?)%")
_ESCAPES = {"n": "\n", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def find(text: str, target: str, start: int = 0, stop: int | None = None) -> int:
    """The first occurrence of target not escaped by a backslash, or -1."""
    stop = len(text) if stop is None else stop
    index = start
    while True:
        found = text.find(target, index, stop)
        if found < 0:
            return -1
        slashes = 0
        while found - slashes > 0 and text[found - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2 == 0:
            return found
        index = found + 1


def unescape(text: str) -> str:
    """GIFT text as written to plain text: escapes resolved, unknown ones kept; formulas in
    `\\(...\\)` / `\\[...\\]` as the app's `$...$` / `$$...$$` (quiz.formats.latex)."""
    return tex_to_dollars(_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), text))


@dataclass
class Block:
    """One question's text with its comment lines removed, and where each character was."""

    text: str
    starts: list[int]  # offset of each kept line in text
    numbers: list[int]  # its line number in the file

    def where(self, offset: int) -> tuple[int, int]:
        """(line, column) of an offset, both counted from 1."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.numbers[index], offset - self.starts[index] + 1

    def error(self, offset: int, problem: str) -> FormatError:
        """A FormatError at an offset."""
        line, column = self.where(offset)
        return FormatError(line, problem, column)

    @property
    def line(self) -> int:
        """The block's first line."""
        return self.numbers[0]


@dataclass
class Answer:
    """One `=` or `~` answer of a brace block."""

    mark: str
    weight: float | None
    text: str
    feedback: str
    offset: int

    @property
    def credit(self) -> float:
        """The weight in percent; `=` alone is 100, `~` alone 0."""
        if self.weight is not None:
            return self.weight
        return 100.0 if self.mark == "=" else 0.0


@dataclass
class Parsed:
    """A brace block read: its sort, answers or numbers, and the general feedback."""

    sort: str  # essay, true_false, numeric, matching, short, choice
    answers: list[Answer] = field(default_factory=list)
    truth: bool = False
    feedbacks: tuple[str, str] = ("", "")  # true/false: (if answered wrongly, if rightly)
    general: str = ""


def split_blocks(block: Block, index: int) -> tuple[list[str], list[tuple[int, int]]]:
    """The text segments around the brace blocks, and each block's (start, end) offsets."""
    text = block.text
    segments: list[str] = []
    braces: list[tuple[int, int]] = []
    position = index
    while True:
        opening = find(text, "{", position)
        closing = find(text, "}", position)
        if closing >= 0 and (opening < 0 or closing < opening):
            raise block.error(closing, "a '}' without its '{'; write \\} for a literal brace")
        if opening < 0:
            segments.append(text[position:])
            return segments, braces
        segments.append(text[position:opening])
        closing = find(text, "}", opening + 1)
        inner = find(text, "{", opening + 1)
        if closing < 0 or 0 <= inner < closing:
            begun = block.where(opening)[0]
            line = block.numbers[-1] if closing < 0 else block.where(inner)[0]
            raise FormatError(
                line, f"could not find a '}}' closing the answers begun on line {begun}"
            )
        braces.append((opening + 1, closing))
        position = closing + 1


def parse_braces(block: Block, start: int, end: int) -> Parsed:
    """One brace block's content."""
    text = block.text
    general_at = find(text, "####", start, end)
    general = ""
    if general_at >= 0:
        general = unescape(text[general_at + 4 : end]).strip()
        end = general_at
    body = text[start:end]
    lead = len(body) - len(body.lstrip())
    content = body.strip()
    offset = start + lead
    if not content:
        return Parsed("essay", general=general)
    if content.startswith("#"):
        return Parsed(
            "numeric", _numeric_answers(block, offset + 1, offset + len(content)), general=general
        )
    truth = TRUE_FALSE.match(content)
    if truth:
        feedbacks = [unescape(p).strip() for p in _split_unescaped(content, "#")[1:3]]
        feedbacks += [""] * (2 - len(feedbacks))
        return Parsed(
            "true_false",
            truth=truth.group(1).upper().startswith("T"),
            feedbacks=(feedbacks[0], feedbacks[1]),
            general=general,
        )
    answers = _answers(block, offset, offset + len(content))
    if all(answer.mark == "=" for answer in answers):
        arrows = [find(answer.text, "->") >= 0 for answer in answers]
        if any(arrows):
            if not all(arrows):
                missing = answers[arrows.index(False)]
                raise block.error(
                    missing.offset, "every answer of a matching question needs 'left -> right'"
                )
            return Parsed("matching", answers, general=general)
        return Parsed("short", answers, general=general)
    return Parsed("choice", answers, general=general)


def _split_unescaped(text: str, separator: str) -> list[str]:
    """Text split at each unescaped separator."""
    parts, position = [], 0
    while True:
        found = find(text, separator, position)
        if found < 0:
            parts.append(text[position:])
            return parts
        parts.append(text[position:found])
        position = found + len(separator)


def _answers(block: Block, start: int, end: int) -> list[Answer]:
    """The `=`/`~` answers between two offsets, each with weight and feedback."""
    text = block.text
    marks = [i for i in range(start, end) if text[i] in "=~" and find(text, text[i], i, i + 1) == i]
    if not marks or text[start : marks[0]].strip():
        raise block.error(
            start, "answers start with = (right) or ~ (wrong); found text before the first one"
        )
    answers = []
    for number, mark_at in enumerate(marks):
        stop = marks[number + 1] if number + 1 < len(marks) else end
        body_start = mark_at + 1
        weight = None
        if text.startswith("%", body_start):
            match = WEIGHT.match(text, body_start, stop)
            if not match:
                raise block.error(body_start, "a weight is written %50% or %-100%")
            weight = float(match.group(1))
            if not -100 <= weight <= 100:
                raise block.error(
                    body_start, f"the weight {match.group(1)}% is not between -100 and 100"
                )
            body_start = match.end()
        raw = text[body_start:stop]
        hash_at = find(raw, "#")
        body, feedback = (raw, "") if hash_at < 0 else (raw[:hash_at], raw[hash_at + 1 :])
        answers.append(
            Answer(
                text[mark_at], weight, unescape(body).strip(), unescape(feedback).strip(), mark_at
            )
        )
        if not answers[-1].text:
            raise block.error(mark_at, "an answer is empty")
    return answers


def _numeric_answers(block: Block, start: int, end: int) -> list[Answer]:
    """A numerical block after its '#': one answer, or several `=` weighted ones."""
    text = block.text
    body = text[start:end]
    if body.strip().startswith("="):
        lead = start + len(body) - len(body.lstrip())
        return _answers(block, lead, end)
    hash_at = find(body, "#")
    spec, feedback = (body, "") if hash_at < 0 else (body[:hash_at], body[hash_at + 1 :])
    return [Answer("=", None, spec.strip(), unescape(feedback).strip(), start)]
