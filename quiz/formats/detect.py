"""Guessing an input's format from its content, and reading any format by name. Pure."""

from __future__ import annotations

import csv
import re

from quiz.formats.aiken import read_aiken
from quiz.formats.common import MAX_QUESTIONS, FormatError, ReadResult, check_text
from quiz.formats.delimited import column_name, read_delimited
from quiz.formats.gift import read_gift
from quiz.formats.moodle.reader import read_moodle_xml
from quiz.formats.yaml_bank import BankError, parse_set

AIKEN_ANSWER = re.compile(r"^\s*ANSWER\s*:\s*[A-Za-z]\s*$", re.MULTILINE)
AIKEN_OPTION = re.compile(r"^\s*[A-Za-z]\s*[.)]\s+\S", re.MULTILINE)
GIFT_SIGNS = re.compile(r"^\s*(::|\$CATEGORY:|//)|\{[^}]*\}", re.MULTILINE)
YAML_START = re.compile(r"^(---\s*\n)?(slug|title|questions)\s*:", re.MULTILINE)
LABELS = {
    "gift": "Moodle GIFT",
    "aiken": "Aiken",
    "csv": "CSV with a header row",
    "tsv": "Tab-separated (Quizlet or Anki text)",
    "yaml": "This app's YAML",
    "moodle-xml": "Moodle XML",
    "quizlet": "Quizlet export (separators below)",
    "apkg": "Anki package (.apkg)",
    "colpkg": "Anki collection (.colpkg)",
    "kahoot": "Kahoot spreadsheet (.xlsx)",
}
XML_START = re.compile(r"(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<quiz[\s>]", re.DOTALL)


def detect(text: str) -> str:
    """The most likely format name: gift, aiken, csv, tsv, yaml or moodle-xml; else FormatError."""
    head = text.lstrip("\ufeff")[:20000]
    if XML_START.match(head.lstrip()) or head.lstrip().startswith("<?xml"):
        return "moodle-xml"
    first = head.split("\n", 1)[0]
    if first.startswith("#") and re.match(r"#(separator|html|columns|tags|notetype|deck)", first):
        return "tsv"
    if YAML_START.match(head.lstrip()) and re.search(r"^questions\s*:", head, re.MULTILINE):
        return "yaml"
    for delimiter, name in ((",", "csv"), (";", "csv"), ("\t", "tsv")):
        header = [column_name(cell) for cell in next(csv.reader([first], delimiter=delimiter))]
        if len(header) > 1 and "prompt" in header and all(header):
            return name
    lines = [line for line in head.split("\n")[:50] if line.strip()]
    if lines and all("\t" in line for line in lines):
        return "tsv"  # before GIFT: a card's text may well hold a brace
    if AIKEN_ANSWER.search(head) and AIKEN_OPTION.search(head):
        return "aiken"
    if GIFT_SIGNS.search(head) and "{" in head:
        return "gift"
    if "\t" in first:
        return "tsv"
    if "," in first or ";" in first:
        return "csv"
    raise FormatError(1, "could not tell the format; choose it in the list")


def read_yaml(text: str) -> ReadResult:
    """Our YAML set file, with its title and the line of each question."""
    check_text(text)
    try:
        data = parse_set(text, "the file")
    except BankError as error:
        found = re.search(r"line (\d+): (.*)", str(error), re.DOTALL)
        if found:
            raise FormatError(int(found.group(1)), found.group(2)) from error
        raise FormatError(1, str(error).removeprefix("the file: ")) from error
    if len(data.questions) > MAX_QUESTIONS:
        raise FormatError(1, f"more than {MAX_QUESTIONS:,} questions in one file; split it")
    lines = _question_lines(text, len(data.questions))
    return ReadResult(data.questions, lines, (), data.title, data.description)


def _question_lines(text: str, count: int) -> tuple[int, ...]:
    """The line of each `- id:` item (best effort, for the preview)."""
    found = [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if re.match(r"\s*-\s+id\s*:", line)
    ]
    return tuple(found[:count]) if len(found) >= count else tuple([1] * count)


def read(text: str, fmt: str = "guess") -> tuple[str, ReadResult]:
    """Read text in a format (guessed when "guess"); the format used and what was read."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FormatError(1, "the file is empty")
    if fmt == "guess":
        fmt = detect(text)
    readers = {
        "gift": read_gift,
        "aiken": read_aiken,
        "csv": lambda t: read_delimited(t, "csv"),
        "tsv": lambda t: read_delimited(t, "tsv"),
        "yaml": read_yaml,
        "moodle-xml": read_moodle_xml,
    }
    if fmt not in readers:
        raise FormatError(1, f"unknown format '{fmt}'")
    return fmt, readers[fmt](text)
