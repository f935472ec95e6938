"""What every reader shares: the result and error types, limits, keys and question building.

Pure: no Flask, no database. Readers return `ReadResult` (questions as the YAML reader's
`QuestionData`, built through `question_from_dict` so one set of rules validates every format)
or raise `FormatError` with a line (and a column where one is known); they never half-succeed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from quiz.formats.yaml_bank import QuestionData
from quiz.questions import QuestionError, question_from_dict

MAX_QUESTIONS = 5000
MAX_LINE = 100_000
KEY_LENGTH = 80  # the question.key column
FORMATS = (
    "gift",
    "aiken",
    "csv",
    "tsv",
    "yaml",
    "moodle-xml",
    "quizlet",
    "apkg",
    "colpkg",
    "kahoot",
)
BINARY_FORMATS = ("apkg", "colpkg", "kahoot")


class FormatError(ValueError):
    """An input that cannot be imported: the line (and column), and what is wrong."""

    def __init__(
        self, line: int, problem: str, column: int | None = None, unit: str = "line"
    ) -> None:
        self.line = line
        self.column = column
        self.problem = problem
        where = f"{unit} {line}" + (f", column {column}" if column else "")
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Notice:
    """A warning about the input that does not stop the import."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass(frozen=True)
class MediaBlob:
    """A picture or sound a reader found: the name its questions use (`media:NAME`), its bytes,
    and where it was found for a message (`<file name="a.png">`, `media entry "3"`)."""

    name: str
    data: bytes
    where: str
    line: int = 0  # its line in a text format, 0 in a package
    checked: Any = None  # quiz.media.checks.Checked, once quiz.formats.media_files checked it


@dataclass(frozen=True)
class ReadResult:
    """Everything a reader found: questions in file order, their lines, warnings, a title."""

    questions: tuple[QuestionData, ...]
    lines: tuple[int, ...]
    warnings: tuple[Notice, ...] = ()
    title: str = ""  # a suggested set title ($CATEGORY, YAML title), "" when none
    description: str = ""  # a YAML set's description, for a new set
    groups: tuple[str, ...] = ()  # per question: its category or deck ("" none), when known
    unit: str = "line"  # what `lines` count: line, note (Anki's note id) or row
    time_limit_s: int = 0  # a suggested quiz time limit (Kahoot's limits added up), 0 none
    media: tuple[MediaBlob, ...] = ()  # the pictures and sounds the questions use

    def counts(self) -> dict[str, int]:
        """How many questions of each kind, in first-seen order."""
        out: dict[str, int] = {}
        for item in self.questions:
            out[item.question.kind] = out.get(item.question.kind, 0) + 1
        return out


def check_text(text: str) -> list[str]:
    """The input's lines, after refusing over-long lines and stray NUL characters."""
    # Only LF, CRLF and CR end lines: splitlines() would also break at U+2028 and friends,
    # which are text inside a question.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            raise FormatError(
                number, f"the line is longer than {MAX_LINE:,} characters; split it up"
            )
        if "\x00" in line:
            raise FormatError(number, "contains a NUL character; is this a text file?")
    return lines


def slugify(text: str, limit: int = 60) -> str:
    """Lower-case letters, digits and hyphens from any text, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


def key_for_text(text: str) -> str:
    """A stable key from a question's text: its first words and a short hash of all of it."""
    digest = hashlib.sha1(" ".join(text.split()).encode(), usedforsecurity=False).hexdigest()
    words = slugify(text, limit=50)
    return f"{words}-{digest[:8]}" if words else f"q-{digest[:8]}"


def key_for_title(title: str) -> str:
    """A key from a GIFT title or an id column, or "" when it has no letters or digits."""
    return slugify(title, limit=KEY_LENGTH)


@dataclass
class Collector:
    """Builds questions one by one, keeping keys unique, counting and warning."""

    questions: list[QuestionData] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    first_line: dict[str, int] = field(default_factory=dict)
    no_explanation: list[int] = field(default_factory=list)
    suffixes: dict[str, int] = field(default_factory=dict)  # next number to try per key
    repeats: list[tuple[int, int, str]] = field(default_factory=list)  # line, first line, key
    limit: int = MAX_QUESTIONS

    def warn(self, line: int, message: str) -> None:
        """Keep a warning."""
        self.warnings.append(Notice(line, message))

    def add(self, line: int, data: Mapping[str, Any], key: str = "", label: str = "") -> None:
        """Validate one question's fields and keep it under a unique key."""
        if len(self.questions) >= self.limit:
            raise FormatError(
                line, f"more than {self.limit:,} questions in one file; split it into parts"
            )
        # Empty optional fields are absent, as in YAML (the validators refuse "").
        fields = {name: value for name, value in data.items() if value not in ("", None, [])}
        explained = bool(str(fields.get("explanation") or "").strip())
        if not explained:
            fields["explanation"] = "(to be replaced)"
        try:
            question = question_from_dict(fields)
        except QuestionError as error:
            prefix = f"question '{label}': " if label else ""
            raise FormatError(line, f"{prefix}{error}") from error
        if not explained:
            # Every question of ours explains its answer; imported ones without general
            # feedback get the right answer as their explanation (warned about once).
            question = replace(question, explanation=f"The answer: {question.answer_text()}")
            self.no_explanation.append(line)
        key = key or key_for_text(_identity(question))
        if key in self.first_line:
            base, number = key, self.suffixes.get(key, 2)
            while f"{base[: KEY_LENGTH - 7]}-{number}" in self.first_line:
                number += 1
            self.suffixes[base] = number + 1
            key = f"{base[: KEY_LENGTH - 7]}-{number}"
            self.repeats.append((line, self.first_line[base], key))
        self.first_line[key] = line
        self.questions.append(QuestionData(key=key, question=question))
        self.lines.append(line)

    def result(self, title: str = "") -> ReadResult:
        """The questions read, with a summary warning for missing explanations."""
        if not self.questions:
            raise FormatError(1, "no questions found")
        warnings = group_notices([*self.warnings, *repeat_notices(self.repeats)])
        if self.no_explanation:
            count = len(self.no_explanation)
            warnings.append(
                Notice(
                    self.no_explanation[0],
                    f"{count} question{'s' if count != 1 else ''} had no explanation (such as GIFT "
                    "feedback); the right answer is shown instead",
                )
            )
        return ReadResult(tuple(self.questions), tuple(self.lines), tuple(warnings), title)


LINES_SHOWN = 12  # a grouped warning names this many lines, then how many more


def line_list(lines: list[int]) -> str:
    """'3, 7 and 9', or '3, 7, ... (and 40 more)' past LINES_SHOWN."""
    shown = [str(line) for line in lines[:LINES_SHOWN]]
    if len(lines) > LINES_SHOWN:
        return f"{', '.join(shown)} and {len(lines) - LINES_SHOWN} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def repeat_notices(repeats: list[tuple[int, int, str]]) -> list[Notice]:
    """Questions whose title or text an earlier one has: each said alone when it is the only
    one, else one notice for them all (a long file's preview said it 30 times)."""
    if len(repeats) == 1:
        line, first, key = repeats[0]
        return [Notice(line, f"same title or text as line {first}; kept as '{key}'")]
    if not repeats:
        return []
    lines = [line for line, _first, _key in repeats]
    return [
        Notice(
            lines[0],
            f"{len(repeats)} questions share a title or text with an earlier one (lines "
            f"{line_list(lines)}); each is kept under a numbered key, such as "
            f"'{repeats[0][2]}'",
        )
    ]


def group_notices(notices: list[Notice]) -> list[Notice]:
    """The same message on several lines, said once with its lines; order of first sight."""
    lines: dict[str, list[int]] = {}
    for notice in notices:
        lines.setdefault(notice.message, []).append(notice.line)
    grouped = []
    for message, where in lines.items():
        if len(where) == 1 or not all(where):
            grouped.extend(Notice(line, message) for line in where)
        else:
            also = where[1:]
            grouped.append(
                Notice(
                    where[0],
                    f"{message} (also line{'s' if len(also) > 1 else ''} {line_list(also)})",
                )
            )
    return grouped


def _identity(question: Any) -> str:
    """The text that names a question: a cloze's sentence, otherwise its prompt."""
    return str(getattr(question, "text", "") or question.prompt)


def plain_label(question: Any, answer: bool = False, limit: int = 140) -> str:
    """A question (or its answer) in short, as plain text: for previews and lists."""
    from quiz.markup import plain_text  # pure too; imported here to keep readers light

    if answer:
        text = question.answer_text()
    elif question.kind == "cloze":
        text = re.sub(r"\{\{.*?\}\}", "___", question.text)
    else:
        text = question.prompt
    flat = " ".join(plain_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
