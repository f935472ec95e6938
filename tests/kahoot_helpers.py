"""Kahoot's quiz spreadsheet template, written with openpyxl as Kahoot lays it out: a title
block, the header row on row 8, questions from row 9 (column A holds the question number)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

HEADER = [
    "",
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
]
ROWS: list[list[Any]] = [
    ["Which country hosts Air Base 101?", "Niger", "Chad", "Mali", "", 20, 1],
    ["Which are cities of Niger?", "Agadez", "Lagos", "Niamey", "Zinder", 30, "1,3,4"],
    ["Is Niamey on the Niger river?", "True", "False", "", "", 10, 1],
]


def kahoot_sheet(rows: list[list[Any]] | None = None) -> bytes:
    """The template's .xlsx bytes with these rows (question, four answers, time, correct)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet["B2"] = "Quiz template"
    sheet["B3"] = "Add questions, at least two answers, a time limit and the correct answers."
    for column, value in enumerate(HEADER, start=1):
        sheet.cell(row=8, column=column, value=value)
    for number, row in enumerate(ROWS if rows is None else rows, start=1):
        sheet.cell(row=8 + number, column=1, value=number)
        for column, value in enumerate(row, start=2):
            sheet.cell(row=8 + number, column=column, value=value if value != "" else None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
