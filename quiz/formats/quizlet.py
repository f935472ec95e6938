"""Quizlet's export (terms and definitions with chosen separators) as flashcards. Pure.

Quizlet's "Export" box offers, between term and definition, Tab, Comma or a custom string, and
between rows, a new line, a semicolon or a custom string; the same choices are asked here, so
the text reads exactly as Quizlet wrote it. A row is split at its first separator; a row
without one, or with an empty term or definition, is refused with its row number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from quiz.formats.common import Collector, FormatError, ReadResult
from quiz.formats.html_text import escape_markdown

TERM_SEPARATORS = {"tab": "\t", "comma": ","}
ROW_SEPARATORS = {"newline": "\n", "semicolon": ";"}
MAX_SEPARATOR = 20


@dataclass(frozen=True)
class Separators:
    """Between term and definition, and between rows, as chosen."""

    term: str = "\t"
    row: str = "\n"


def separators(term: str, row: str, term_custom: str = "", row_custom: str = "") -> Separators:
    """The separators named on the form ("tab", "comma", "custom"...); ValueError if unusable."""
    term_sep = TERM_SEPARATORS.get(term, term_custom if term == "custom" else "")
    row_sep = ROW_SEPARATORS.get(row, row_custom if row == "custom" else "")
    # A custom separator written as \t or \n means the character, as Quizlet's help writes it.
    term_sep = term_sep.replace("\\t", "\t").replace("\\n", "\n")
    row_sep = row_sep.replace("\\t", "\t").replace("\\n", "\n")
    if not term_sep or not row_sep:
        raise ValueError("choose or type both separators")
    if len(term_sep) > MAX_SEPARATOR or len(row_sep) > MAX_SEPARATOR:
        raise ValueError(f"a separator of at most {MAX_SEPARATOR} characters")
    if term_sep == row_sep or term_sep in row_sep or row_sep in term_sep:
        raise ValueError("the two separators must differ (and not contain each other)")
    return Separators(term_sep, row_sep)


def rows(text: str, seps: Separators) -> list[tuple[int, str, str]]:
    """Each non-empty row as (row number, term, definition); FormatError naming a bad row."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    out = []
    for number, row in enumerate(text.split(seps.row), start=1):
        if not row.strip():
            continue
        if "\x00" in row:
            raise FormatError(number, "contains a NUL character", unit="row")
        if seps.term not in row:
            shown = {"\t": "a tab", ",": "a comma"}.get(seps.term, f"'{seps.term}'")
            raise FormatError(
                number, f"no separator ({shown}) between term and definition", unit="row"
            )
        term, definition = (part.strip() for part in row.split(seps.term, 1))
        if not term or not definition:
            raise FormatError(number, "the term or the definition is empty", unit="row")
        out.append((number, term, definition))
    return out


def read_quizlet(text: str, seps: Separators | None = None) -> ReadResult:
    """Quizlet's export as flashcards (term in front, definition behind)."""
    collector = Collector()
    for number, term, definition in rows(text, seps or Separators()):
        fields = {"kind": "flashcard", "prompt": _markdown(term), "back": _markdown(definition)}
        try:
            collector.add(number, {**fields, "explanation": fields["back"]})
        except FormatError as error:
            raise FormatError(number, error.problem, unit="row") from error
    return replace(collector.result(), unit="row")


def _markdown(text: str) -> str:
    """Plain text shown as written, its line breaks kept."""
    lines = [escape_markdown(line.strip()) for line in text.split("\n") if line.strip()]
    return "\\\n".join(lines)
