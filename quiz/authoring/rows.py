"""The rows editor's table: one row per card, read from the form and judged row by row. Pure.

A row is a term and a definition, with an optional hint (shown under the term, before the
answer), tags and a picture or sound of the set. For a flashcard the term is the front and the
definition the back; for a short answer the term is the question and the definition its
accepted answers, alternatives separated by "|". Blank rows are ignored; every other row must
make a valid question by the same rules as the forms and the YAML loader (quiz.questions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quiz.questions import QuestionError, question_from_dict, question_to_dict

MAX_ROWS = 200  # one save: 200 rows of 5 fields stay well under the form's size limits
FIRST_ROWS = 5  # blank rows of a new table, and how many "Add 5 rows" adds
ROW_KINDS = {"flashcard": ("Term", "Definition"), "short_answer": ("Question", "Answer")}
COLUMNS = ("term", "definition", "hint", "tags", "media")
MAX_CELL = 5_000
MAX_PASTE = 200_000


@dataclass
class CardRow:
    """One row of the table, as typed."""

    term: str = ""
    definition: str = ""
    hint: str = ""
    tags: str = ""
    media: str = ""  # the name of one of the set's files, or ""

    @property
    def blank(self) -> bool:
        """Nothing typed or chosen in it."""
        return not any(getattr(self, name).strip() for name in COLUMNS)


def rows_from_form(form: Mapping[str, Any]) -> list[CardRow]:
    """The posted rows (`rows-<n>-<column>` for n = 0, 1, ... while present), as typed."""
    rows = []
    for index in range(MAX_ROWS):
        names = [f"rows-{index}-{column}" for column in COLUMNS]
        if all(form.get(name) is None for name in names):
            break
        cells = {c: str(form.get(f"rows-{index}-{c}") or "")[:MAX_CELL] for c in COLUMNS}
        rows.append(CardRow(**cells))
    return rows


def padded(rows: list[CardRow], blank: int = FIRST_ROWS) -> list[CardRow]:
    """The rows followed by `blank` empty ones (within MAX_ROWS)."""
    room = max(0, min(blank, MAX_ROWS - len(rows)))
    return rows + [CardRow() for _ in range(room)]


def split_paste(text: str) -> list[CardRow]:
    """A pasted list as rows, as Quizlet splits it: rows by line (or by semicolon when it is one
    line), term and definition by the first tab (or, with no tab anywhere, the first comma)."""
    text = text[:MAX_PASTE].replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return []
    lines = text.split("\n") if "\n" in text else text.split(";")
    separator = "\t" if "\t" in text else ","
    rows = []
    for line in lines:
        if not line.strip():
            continue
        term, _, definition = line.partition(separator)
        rows.append(CardRow(term=term.strip()[:MAX_CELL], definition=definition.strip()[:MAX_CELL]))
    return rows[:MAX_ROWS]


def parse_tags(raw: str) -> list[str]:
    """Comma-separated tags, trimmed, without blanks or repeats."""
    tags: list[str] = []
    for tag in raw.split(","):
        tag = tag.strip()[:60]
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def row_dict(kind: str, row: CardRow, snippets: Mapping[str, str]) -> dict[str, Any]:
    """The question dict a row stands for; `snippets` maps a file name to its Markdown."""
    prompt = row.term.strip()
    if row.hint.strip():
        prompt += f"\n\n*Hint: {row.hint.strip()}*"
    if row.media and row.media in snippets:
        prompt += "\n\n" + snippets[row.media]
    data: dict[str, Any] = {"kind": kind, "prompt": prompt}
    if kind == "flashcard":
        data["back"] = row.definition.strip()
    else:
        data["answers"] = [part.strip() for part in row.definition.split("|") if part.strip()]
    tags = parse_tags(row.tags)
    if tags:
        data["tags"] = tags
    return data


def _row_error(kind: str, row: CardRow, snippets: Mapping[str, str]) -> str | None:
    """What is wrong with a filled row, in the table's words; None when it is a question."""
    term, definition = ROW_KINDS[kind]
    if not row.term.strip():
        return f"Write the {term.lower()}."
    if not row.definition.strip():
        return f"Write the {definition.lower()}."
    if row.media and row.media not in snippets:
        return "That picture or sound is no longer in the set: choose another."
    try:
        question_from_dict(row_dict(kind, row, snippets))
    except QuestionError as error:
        path, _, problem = str(error).partition(": ")
        where = definition if path.startswith(("back", "answers")) else term
        return f"{where}: {problem or path}."
    return None


def check_rows(
    kind: str, rows: list[CardRow], snippets: Mapping[str, str]
) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """The valid question dicts of the filled rows, and the errors by row index (from 0)."""
    questions, errors = [], {}
    for index, row in enumerate(rows):
        if row.blank:
            continue
        problem = _row_error(kind, row, snippets)
        if problem:
            errors[index] = problem
        else:
            questions.append(question_to_dict(question_from_dict(row_dict(kind, row, snippets))))
    return questions, errors


def media_snippet(name: str, alt: str, decorative: bool) -> str:
    """A file's Markdown: a picture with its alt text, a sound by its name."""
    label = "" if decorative else re.sub(r"[\[\]\n]", " ", alt).strip()
    return f"![{label}](media:{name})"
