"""Pure: the gradebook as CSV rows in three layouts (the app's own, Moodle's and Canvas's).

- The app's own: every number the gradebook page shows, for a spreadsheet.
- Moodle (Grades > Import > CSV file): a header row, one row per student; the teacher maps
  the "Email address" column to the user's email address and each other column to a grade
  item (or a new one). Grades are points on the item's scale; an empty cell changes nothing.
- Canvas (Grades > Import): "Student", "ID", "SIS User ID", "SIS Login ID", "Section", then one
  column per assignment headed "Title (id)", a "Points Possible" row under the header, and "EX"
  for excused work. Canvas matches students by its ID, SIS User ID or SIS Login ID: we leave
  the first two empty (the app does not know them) and put the e-mail in SIS Login ID.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quiz.gradebook import compute


@dataclass(frozen=True)
class Student:
    """A row's person."""

    id: int
    name: str
    email: str


@dataclass(frozen=True)
class Column:
    """An assignment as a column."""

    id: int
    title: str
    mode: str
    due: str  # in the class's zone, already formatted ("" for none)


def number(value: float | None) -> Any:
    """A number rounded for a spreadsheet, or '' for nothing."""
    if value is None:
        return ""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def percent(value: float | None) -> Any:
    """A 0..1 value as a percent with one decimal, or ''."""
    return "" if value is None else number(round(value * 100, 1))


def own_rows(
    students: Sequence[Student],
    columns: Sequence[Column],
    book_categories: Sequence[compute.Category],
    items: Sequence[compute.Item],
    rows: dict[int, compute.Row],
) -> list[list[Any]]:
    """The app's CSV: points or state per assignment, each category's percent, the total."""
    header = ["Student", "Email"]
    header += [
        f"{c.title} ({c.mode}{', due ' + c.due if c.due else ''}; {number(i.points)} points)"
        for c, i in zip(columns, items, strict=True)
    ]
    header += [f"{c.name} %" for c in book_categories]
    header += ["Missing", "Excused", "Late", "Total %"]
    lines: list[list[Any]] = [header]
    for student in students:
        row = rows[student.id]
        cells = row.cells
        lines.append(
            [
                student.name,
                student.email,
                *(own_cell(cell) for cell in cells),
                *(percent(row.categories.get(c.key)) for c in book_categories),
                sum(1 for c in cells if c.state == compute.MISSING),
                sum(1 for c in cells if c.state == compute.EXCUSED),
                sum(1 for c in cells if c.late),
                percent(row.total),
            ]
        )
    return lines


def own_cell(cell: compute.Cell) -> Any:
    """Points earned, or the state in words when nothing is earned."""
    if cell.state == compute.SCORED or (cell.state == compute.MISSING and cell.counted):
        return number(cell.points)
    return "" if cell.state == compute.BLANK else cell.state


def lms_points(cell: compute.Cell) -> Any:
    """What an LMS import should set: points when the cell counts, else nothing."""
    return number(cell.points) if cell.counted else ""


def moodle_rows(
    students: Sequence[Student],
    columns: Sequence[Column],
    rows: dict[int, compute.Row],
) -> list[list[Any]]:
    """Moodle's grade import: "Email address" and one column per grade item, in points."""
    lines: list[list[Any]] = [["Email address", *(c.title for c in columns)]]
    for student in students:
        lines.append([student.email, *(lms_points(cell) for cell in rows[student.id].cells)])
    return lines


CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def canvas_rows(
    students: Sequence[Student],
    columns: Sequence[Column],
    items: Sequence[compute.Item],
    rows: dict[int, compute.Row],
    section: str,
) -> list[list[Any]]:
    """Canvas's gradebook import: the fixed columns, "Title (id)" per assignment, Points
    Possible under the header, "EX" for excused."""
    lines: list[list[Any]] = [
        [*CANVAS_FIXED, *(f"{c.title} ({c.id})" for c in columns)],
        ["Points Possible", "", "", "", "", *(number(i.points) for i in items)],
    ]
    for student in students:
        cells = rows[student.id].cells
        lines.append(
            [
                student.name,
                "",
                "",
                student.email,
                section,
                *("EX" if c.state == compute.EXCUSED else lms_points(c) for c in cells),
            ]
        )
    return lines
