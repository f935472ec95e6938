"""CSV writer: the columns quiz.formats.delimited reads, with formula cells neutralized. Pure.

Every kind has columns of its own, so nothing is lost, except that items listed one per line
in a cell (choices, per-choice feedback, accepted answers, pairs, ordered items) cannot hold
a line break of their own: it is written as a space, with a warning.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from quiz.formats.common import Notice
from quiz.formats.delimited import COLUMNS
from quiz.formats.yaml_bank import QuestionData, SetData
from quiz.questions import question_to_dict

DANGEROUS = re.compile(r"'*[=+\-@\t\r]")
ALWAYS = ("id", "kind", "prompt", "explanation")


def neutralize(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading ' before = + - @ tab CR."""
    return "'" + cell if DANGEROUS.match(cell) else cell


def write_csv(data: SetData) -> tuple[str, list[Notice]]:
    """UTF-8 CSV text (with a byte-order mark, so spreadsheets detect UTF-8) and warnings."""
    notices: list[Notice] = []
    rows = [_row(item, number, notices) for number, item in enumerate(data.questions, start=1)]
    columns = [c for c in COLUMNS if c in ALWAYS or any(row.get(c) for row in rows)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralize(row.get(column, "")) for column in columns])
    return "\ufeff" + out.getvalue(), notices


def _row(item: QuestionData, position: int, notices: list[Notice]) -> dict[str, str]:
    """One question as cells."""

    def one_line(text: str) -> str:
        if "\n" in text or "\r" in text:
            notices.append(
                Notice(
                    0,
                    f"question {position}: a line break in '{text[:30]}' "
                    "written as a space (this cell lists one item per line)",
                )
            )
            return " ".join(text.split())
        return text

    def lines(values: Any) -> str:
        return "\n".join(one_line(value) for value in values)

    fields = question_to_dict(item.question)
    row = {
        "id": item.key,
        "kind": fields["kind"],
        "prompt": fields["prompt"],
        "explanation": fields["explanation"],
        "tags": ", ".join(fields["tags"]),
        "paragraph": "" if fields["paragraph"] is None else str(fields["paragraph"]),
    }
    if "choices" in fields:
        choices = fields["choices"]
        row["choices"] = lines(c["text"] for c in choices)
        row["answer"] = lines(c["text"] for c in choices if c.get("correct"))
        if any(c.get("feedback") for c in choices):
            row["feedback"] = lines(c.get("feedback", "") for c in choices)
        if any("weight" in c for c in choices):
            row["weights"] = "\n".join(_weight(c.get("weight")) for c in choices)
    for flag in ("shuffle", "fuzzy"):
        if fields.get(flag) is False:
            row[flag] = "false"
    kind = fields["kind"]
    if kind == "true_false":
        row["answer"] = "true" if fields["answer"] else "false"
        row["feedback_true"] = fields.get("feedback_true", "")
        row["feedback_false"] = fields.get("feedback_false", "")
    elif kind == "short_answer":
        answers = [a if isinstance(a, dict) else {"text": a} for a in fields["answers"]]
        row["answer"] = lines(a["text"] for a in answers)
        if any("weight" in a for a in answers):
            row["weights"] = "\n".join(_weight(a.get("weight")) for a in answers)
        if any(a.get("feedback") for a in answers):
            row["feedback"] = lines(a.get("feedback", "") for a in answers)
        near = [m if isinstance(m, dict) else {"text": m} for m in fields.get("near_misses", [])]
        row["near_misses"] = lines(m["text"] for m in near)
        if any(m.get("feedback") for m in near):
            notices.append(_lost(position, "the near misses' feedback"))
    elif kind == "numeric":
        if "range" in fields:
            row["range"] = "..".join(_number(v) for v in fields["range"])
        else:
            row["answer"] = _number(fields["value"])
            row["tolerance"] = _number(fields["tolerance"]) if fields.get("tolerance") else ""
        row["unit"] = fields.get("unit") or ""
        row["feedback"] = fields.get("feedback", "")
        if fields.get("partial"):
            notices.append(_lost(position, "the partly right numbers"))
    elif kind == "cloze":
        row["text"] = fields["text"]
    elif kind == "matching":
        row["pairs"] = lines(f"{p['left']} -> {p['right']}" for p in fields["pairs"])
    elif kind == "ordering":
        row["items"] = lines(fields["items"])
    elif kind == "flashcard":
        row["answer"] = fields["back"]
    elif kind == "essay":
        row["answer"] = fields.get("model_answer", "")
        if fields.get("word_limit") or fields.get("rubric"):
            notices.append(_lost(position, "the word limit and rubric"))
    return row


def _weight(value: float | None) -> str:
    """A weight cell line: blank when the answer counts by being right."""
    return "" if value is None else _number(value)


def _lost(position: int, what: str) -> Notice:
    """A warning that CSV has no column for something of a question."""
    return Notice(0, f"question {position}: {what} cannot be written in CSV and are left out")


def _number(value: float) -> str:
    """A number as short as it reads back exactly."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)
