"""The retention forecast as a teacher looks at it: filtered by student and question, sorted
on any column, and grouped by tag. Pure: it arranges what quiz.insight.forecast computed.

A class of 30 and a set of 73 questions made a 73-column side-scroller labelled Q1..Q73; here
each column carries its question's text (shown on hover and focus), rows and columns can be
narrowed by a search, and tags gather the questions into a few columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from quiz.insight import Forecast

NO_TAG = "(no tag)"
SORTS = ("name", "average")  # and "col:<key>" for one column


@dataclass(frozen=True)
class View:
    """What the teacher asked for in the query string."""

    student: str = ""  # a part of the names shown
    question: str = ""  # a part of the question texts (or tags) shown
    group: str = "question"  # "question" or "tag"
    sort: str = "name"  # "name", "average" (weakest first) or "col:<key>" (weakest first)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> View:
        """The view from request arguments, anything unknown falling back to the default."""
        group = args.get("group", "question")
        sort = args.get("sort", "name")[:40]
        if sort not in SORTS and not sort.startswith("col:"):
            sort = "name"
        return cls(
            student=args.get("student", "").strip()[:100],
            question=args.get("question", "").strip()[:100],
            group=group if group in ("question", "tag") else "question",
            sort=sort,
        )


@dataclass(frozen=True)
class Column:
    """One column: a question (key "q<id>", short "Q3") or a tag (key "t<name>")."""

    key: str
    short: str
    text: str  # the question's text or the tag, in full (plain text)
    average: float | None


@dataclass(frozen=True)
class Row:
    """One student's forecast across the columns."""

    name: str
    average: float | None
    cells: tuple[float | None, ...]


@dataclass(frozen=True)
class Arranged:
    """The rows and columns to show, in order."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


def _mean(values: Sequence[float | None]) -> float | None:
    """The mean, a never-studied question counting as 0 (as the forecast's averages do)."""
    return sum(v or 0.0 for v in values) / len(values) if values else None


def column_specs(
    question_ids: Sequence[int],
    texts: Mapping[int, str],
    tags: Mapping[int, Sequence[str]],
    view: View,
) -> list[tuple[str, str, str, list[int]]]:
    """Each column as (key, short label, full text, the questions it stands for)."""
    wanted = view.question.casefold()
    # Each column: (key, short label, full text, the questions it stands for).
    columns: list[tuple[str, str, str, list[int]]] = []
    if view.group == "tag":
        groups: dict[str, list[int]] = {}
        for qid in question_ids:
            for tag in tags.get(qid) or (NO_TAG,):
                groups.setdefault(tag, []).append(qid)
        for tag in sorted(groups, key=lambda t: (t == NO_TAG, t.casefold())):
            if wanted in tag.casefold():
                count = len(groups[tag])
                text = f"{tag}: {count} question{'' if count == 1 else 's'}"
                columns.append((f"t{tag}", tag, text, groups[tag]))
    else:
        for number, qid in enumerate(question_ids, start=1):
            if wanted in texts.get(qid, "").casefold():
                columns.append((f"q{qid}", f"Q{number}", texts.get(qid, ""), [qid]))
    return columns


def arrange(
    result: Forecast,
    students: Sequence[tuple[int, str]],
    question_ids: Sequence[int],
    texts: Mapping[int, str],
    tags: Mapping[int, Sequence[str]],
    view: View,
) -> Arranged:
    """The forecast table for `view`: columns per question or per tag, filtered and sorted."""
    columns = column_specs(question_ids, texts, tags, view)
    shown = list(dict.fromkeys(qid for *_label, qids in columns for qid in qids))
    name_part = view.student.casefold()
    rows = []
    for user_id, name in students:
        if name_part not in name.casefold():
            continue
        recall = [[result.cells.get((user_id, qid)) for qid in qids] for *_label, qids in columns]
        # A question's own cell stays None when never studied; a tag's is its mean (0 for those).
        cells = tuple(values[0] if view.group == "question" else _mean(values) for values in recall)
        average = _mean([result.cells.get((user_id, qid)) for qid in shown])
        rows.append(Row(name, average, cells))
    averages = [
        _mean([row.cells[index] for row in rows]) if rows else None for index in range(len(columns))
    ]
    arranged_columns = tuple(
        Column(key, short, text, averages[index])
        for index, (key, short, text, _qids) in enumerate(columns)
    )
    return Arranged(arranged_columns, tuple(_sorted(rows, arranged_columns, view.sort)))


def _sorted(rows: list[Row], columns: Sequence[Column], sort: str) -> list[Row]:
    """Rows by name, or weakest first by their average or one column (never studied first)."""
    by_name = sorted(rows, key=lambda row: row.name.casefold())
    if sort == "average":
        return sorted(by_name, key=lambda row: -1.0 if row.average is None else row.average)
    keys = [column.key for column in columns]
    if sort.startswith("col:") and sort[4:] in keys:
        index = keys.index(sort[4:])
        return sorted(
            by_name, key=lambda row: -1.0 if row.cells[index] is None else row.cells[index]
        )
    return by_name


mean_zero = _mean  # for quiz.reports.forecast_page, which builds its rows from SQL sums
