"""Kahoot's quiz spreadsheet template (.xlsx) as multiple-choice questions. Pure.

The template has a header row (Question, Answer 1 to Answer 4, Time limit, Correct answer(s))
somewhere near the top and one question per row below it; the header is found by its names.
One correct answer number makes a multiple-choice question, several ("1,3") a multiple-select
one. The time limits (seconds per question) add up to a suggested quiz time limit. The file is
checked as a zip (quiz.formats.archive) before openpyxl reads it; a bad row is named.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import replace
from typing import Any

from quiz.formats.archive import PackageError, open_zip
from quiz.formats.common import Collector, FormatError, ReadResult
from quiz.formats.html_text import escape_markdown

MAX_ROWS = 5_000
MAX_SCANNED = 10_000  # rows read, blank ones included
MAX_UNPACKED = 64 * 1024 * 1024  # a quiz sheet is small; its XML is parsed whole
# With openpyxl's InvalidFileException added on use: openpyxl is imported only to read a sheet
# (it costs a second at start-up, and a web worker rarely needs it).
UNREADABLE = (
    zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError,
    AttributeError, OSError, SyntaxError,  # xml.etree's ParseError is a SyntaxError
)  # fmt: skip
HEADER_ROWS = 30  # the header is within the first rows of the template
KAHOOT_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)


def _column(name: str) -> str:
    """A header cell as the column it names: question, answer1..4, time or correct."""
    text = " ".join(name.lower().split())
    if text.startswith("question"):
        return "question"
    found = re.match(r"answer\s*([1-4])", text)
    if found:
        return f"answer{found.group(1)}"
    if text.startswith("time limit"):
        return "time"
    if text.startswith("correct answer"):
        return "correct"
    return ""


def _cell(value: Any) -> str:
    """A cell as text ("" when empty); whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(sheet: Any) -> tuple[int, dict[str, int]]:
    """The header row's number and each named column's index."""
    for number, row in enumerate(sheet.iter_rows(max_row=HEADER_ROWS, values_only=True), 1):
        columns = {}
        for index, value in enumerate(row):
            name = _column(_cell(value)) if isinstance(value, str) else ""
            if name and name not in columns:
                columns[name] = index
        if {"question", "answer1", "answer2", "correct"} <= columns.keys():
            return number, columns
    raise FormatError(
        1,
        "no header row with Question, Answer 1, Answer 2 and Correct answer(s): is this "
        "Kahoot's quiz template?",
    )


def _correct(raw: str, answers: list[str], row: int) -> list[int]:
    """The correct answers' numbers (1-4) as indexes; FormatError naming the row."""
    parts = [part for part in re.split(r"[,;\s]+", raw) if part]
    if not parts:
        raise FormatError(row, "no correct answer number (1 to 4)", unit="row")
    numbers = []
    for part in parts:
        if not part.isdigit() or not 1 <= int(part) <= 4:
            raise FormatError(
                row, f"correct answer '{part}' is not a number from 1 to 4", unit="row"
            )
        if not answers[int(part) - 1]:
            raise FormatError(row, f"correct answer {part} names an empty answer", unit="row")
        numbers.append(int(part) - 1)
    return sorted(set(numbers))


def _time(raw: str, row: int) -> int:
    """A time limit in seconds (0 when empty); FormatError when not a positive number."""
    if not raw:
        return 0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or not 0 < seconds <= 3600:
        raise FormatError(row, f"time limit '{raw}' is not a number of seconds", unit="row")
    return math.ceil(seconds)


def read_kahoot(data: bytes) -> ReadResult:
    """Kahoot's spreadsheet as questions, with a suggested quiz time limit."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    open_zip(data, max_unpacked=MAX_UNPACKED)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            collector, times = _read_sheet(book.worksheets[0])
        finally:
            book.close()
    except FormatError:
        raise
    except (
        InvalidFileException,
        *UNREADABLE,
    ) as error:  # openpyxl on a damaged or hostile file: never a 500
        raise PackageError(f"not a spreadsheet openpyxl can read ({error})") from error
    result = collector.result()
    total = sum(times)
    description = ""
    if total:
        description = (
            f"From Kahoot: {len(times)} questions, {_span(times)} each, {total} seconds in all; "
            f"a suggested quiz time limit of {_minutes(suggested_minutes(total))}."
        )
    return replace(result, unit="row", description=description, time_limit_s=total)


def _read_sheet(sheet: Any) -> tuple[Collector, list[int]]:
    """The sheet's questions and their time limits; FormatError naming a bad row."""
    start, columns = _header(sheet)
    collector, times = Collector(limit=MAX_ROWS), []
    rows = sheet.iter_rows(min_row=start + 1, values_only=True)
    for number, values in enumerate(rows, start + 1):
        if number > start + MAX_SCANNED:
            problem = f"more than {MAX_SCANNED:,} rows; split the sheet"
            raise FormatError(number, problem, unit="row")
        cells = [_cell(value) for value in values]
        row = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
        seconds = _row(row, number, collector)
        if seconds is not None:
            times.append(seconds)
    return collector, times


def _row(row: dict[str, str], number: int, collector: Collector) -> int | None:
    """Add one row's question; its time limit, or None for an empty row."""
    answers = [row.get(f"answer{n}", "") for n in range(1, 5)]
    question = row.get("question", "")
    if not question and not any(answers):
        return None
    if not question:
        raise FormatError(number, "the question is empty", unit="row")
    if sum(1 for answer in answers if answer) < 2:
        raise FormatError(number, "fewer than two answers", unit="row")
    right = _correct(row.get("correct", ""), answers, number)
    seconds = _time(row.get("time", ""), number)
    if seconds and seconds not in KAHOOT_LIMITS:
        collector.warn(number, f"time limit {seconds} s is not one of Kahoot's")
    choices = [
        {"text": escape_markdown(answer), "correct": index in right}
        for index, answer in enumerate(answers)
        if answer
    ]
    kind = "multiple_select" if len(right) > 1 else "multiple_choice"
    try:
        collector.add(
            number, {"kind": kind, "prompt": escape_markdown(question), "choices": choices}
        )
    except FormatError as error:
        raise FormatError(number, error.problem, unit="row") from error
    return seconds


def suggested_minutes(seconds: int) -> int:
    """Kahoot's time limits added up, in whole minutes (at least one)."""
    return max(1, math.ceil(seconds / 60))


def _span(times: list[int]) -> str:
    """'20 s' or '10 to 30 s'."""
    given = [time for time in times if time]
    low, high = min(given), max(given)
    return f"{low} s" if low == high else f"{low} to {high} s"


def _minutes(count: int) -> str:
    """'1 minute', '3 minutes'."""
    return f"{count} minute{'' if count == 1 else 's'}"
