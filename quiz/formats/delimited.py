"""Delimited text: our CSV with a header row, Quizlet's term<TAB>definition and Anki's text
files with `#separator:`/`#html:`/`#columns:` header lines. Pure.

The standard `csv` module does the RFC 4180 quoting; the column rules are ours (the import
page lists them, and quiz/formats/delimited_writer.py writes the same columns).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from quiz.formats.common import Collector, FormatError, ReadResult, check_text
from quiz.formats.weights import weighted_answers
from quiz.inputs import bounded_int
from quiz.questions import MAX_PARAGRAPH

csv.field_size_limit(max(csv.field_size_limit(), 4 * 1024 * 1024))  # a cell may be long text

COLUMNS = (
    "id", "kind", "prompt", "text", "choices", "answer", "feedback", "weights", "near_misses",
    "fuzzy",
    "shuffle", "tolerance", "range", "unit", "pairs", "items", "feedback_true",
    "feedback_false", "explanation", "tags", "paragraph",
)  # fmt: skip
ALIASES = {
    "question": "prompt", "front": "prompt", "term": "prompt", "back": "answer",
    "definition": "answer", "answers": "answer", "key": "id", "type": "kind",
}  # fmt: skip
KINDS = (
    "multiple_choice", "multiple_select", "true_false", "short_answer", "numeric", "cloze",
    "matching", "ordering", "flashcard", "essay",
)  # fmt: skip
COLUMN_HELP = {
    "id": "stable key; importing again updates the question with this id",
    "kind": "one of " + ", ".join(KINDS) + " (guessed from the filled columns when empty)",
    "prompt": "the question, or the front of a flashcard (also: question, front, term)",
    "text": "cloze: the sentence with gaps written {{answer}} or {{answer|alternative}}",
    "choices": "multiple choice/select: one choice per line",
    "answer": "the right choice(s) one per line; true or false; accepted answers one per "
    "line; the number; a flashcard's back or an essay's model answer (also: back, definition)",
    "feedback": "multiple choice/select: feedback per choice, one line per choice; short "
    "answer: per accepted answer; numeric: for the right number",
    "weights": "partial credit in percent, one line per choice (multiple select: -100 to "
    "100) or per accepted answer (short answer: below 100 is partly right); blank: by answer",
    "near_misses": "short answer: wrong answers that look right, one per line",
    "fuzzy": "short answer: false to refuse typos",
    "shuffle": "multiple choice/select: false to keep the order",
    "tolerance": "numeric: plus or minus this much",
    "range": "numeric: low..high instead of answer and tolerance",
    "unit": "numeric: a unit such as km",
    "pairs": "matching: one 'left -> right' per line",
    "items": "ordering: one item per line, in the right order",
    "feedback_true": "true/false: shown to those who answered true",
    "feedback_false": "true/false: shown to those who answered false",
    "explanation": "shown after answering",
    "tags": "separated by commas",
    "paragraph": "paragraph number of the source text",
}
SEPARATORS = {
    "tab": "\t", "semicolon": ";", "comma": ",", "space": " ", "pipe": "|", "colon": ":",
    "\t": "\t", ";": ";", ",": ",", "|": "|", ":": ":",
}  # fmt: skip
MAX_COLUMNS = 1000  # far more than any note type has fields
FORMULA = re.compile(r"'+[=+\-@\t\r]")
ANKI_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
TRUE_WORDS = {"true": True, "t": True, "yes": True, "1": True}
FALSE_WORDS = {"false": False, "f": False, "no": False, "0": False}


def restore(cell: str) -> str:
    """Undo the writer's formula guard: "'=x" -> "=x" (and "''=x" -> "'=x")."""
    return cell[1:] if FORMULA.match(cell) else cell


def _records(text: str, delimiter: str, first_line: int = 1) -> Iterator[tuple[int, list[str]]]:
    """Each record of delimited text with the line it begins on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + first_line
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FormatError(
                start, f"{error}; is a quoted cell begun here never closed?"
            ) from error
        yield start, row


def read_delimited(text: str, fmt: str = "csv") -> ReadResult:
    """Read CSV or TSV; FormatError with the line of the first problem."""
    lines = check_text(text)
    text = "\n".join(lines) + "\n"
    if lines and lines[0].startswith("#") and ":" in lines[0]:
        return _read_anki(lines)
    delimiter = "\t" if fmt == "tsv" else ","
    if fmt == "csv" and lines and lines[0].count(";") > lines[0].count(","):
        delimiter = ";"  # spreadsheets in many locales save CSV with semicolons
    header = next(csv.reader([lines[0]], delimiter=delimiter)) if lines else []
    names = [column_name(name) for name in header]
    if names and "prompt" in names and all(names):
        return _read_table(text, delimiter, names)
    if fmt == "tsv" or (lines and "\t" in lines[0]):
        return _read_cards(lines)
    unknown = next((n for n, name in enumerate(names) if not name), 0)
    raise FormatError(
        1,
        "a CSV file needs a header row naming its columns, with at least 'prompt'"
        + (f"; '{header[unknown]}' is not a column" if header and unknown < len(header) else ""),
        unknown + 1,
    )


def column_name(name: str) -> str:
    """A header cell as a column name, or "" when it names none."""
    cleaned = restore(name).strip().lower().replace(" ", "_").replace("-", "_")
    cleaned = ALIASES.get(cleaned, cleaned)
    return cleaned if cleaned in COLUMNS else ""


def _read_table(text: str, delimiter: str, names: list[str]) -> ReadResult:
    """Our CSV: a header row, then one question per record."""
    for index, name in enumerate(names):
        if names.index(name) != index:
            raise FormatError(1, f"column '{name}' appears twice", index + 1)
    collector = Collector()
    records = _records(text, delimiter)
    next(records)
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(names):
            raise FormatError(
                line, f"{len(row)} cells, but the header names {len(names)} columns", len(names) + 1
            )
        cells = {
            # feedback keeps its empty lines: line n is the feedback of choice n
            name: restore(cell) if name in ("feedback", "weights") else restore(cell).strip()
            for name, cell in zip(names, row, strict=False)
        }
        fields = _row_fields(cells, line, names)
        key = cells.get("id", "")
        collector.add(line, fields, key=_key(key, line), label=key or fields.get("prompt", "")[:40])
    return collector.result()


def _key(value: str, line: int) -> str:
    """An id cell, which must already be a key (lower case, digits, hyphens)."""
    if value and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise FormatError(line, f"id '{value}': use lower-case letters, digits and hyphens")
    if len(value) > 80:
        raise FormatError(line, "id: at most 80 characters")
    return value


def _lines(cell: str) -> list[str]:
    """A cell's non-empty lines, stripped."""
    return [part.strip() for part in cell.split("\n") if part.strip()]


def _guess_kind(cells: dict[str, str]) -> str:
    """The kind of a row whose kind cell is empty."""
    if cells.get("choices"):
        return "multiple_select" if len(_lines(cells.get("answer", ""))) > 1 else "multiple_choice"
    for column, kind in (("text", "cloze"), ("pairs", "matching"), ("items", "ordering")):
        if cells.get(column):
            return kind
    if cells.get("range") or cells.get("tolerance"):
        return "numeric"
    return "flashcard"


def _row_fields(cells: dict[str, str], line: int, names: list[str]) -> dict[str, Any]:
    """One record's cells as question fields."""

    def column(name: str) -> int | None:
        return names.index(name) + 1 if name in names else None

    def fail(name: str, problem: str) -> FormatError:
        return FormatError(line, f"{name}: {problem}", column(name))

    raw_kind = cells.get("kind", "").lower().replace(" ", "_").replace("-", "_")
    kind = raw_kind or _guess_kind(cells)
    if kind not in KINDS:
        raise fail("kind", f"unknown kind '{cells['kind']}'; expected one of {', '.join(KINDS)}")
    fields: dict[str, Any] = {"kind": kind, "prompt": cells.get("prompt", "")}
    fields["explanation"] = cells.get("explanation", "")
    fields["tags"] = [t.strip() for t in re.split(r"[,;\n]", cells.get("tags", "")) if t.strip()]
    if cells.get("paragraph"):
        # bounded_int: int() refuses 4,300+ digits, and isdigit() passes "²", with a ValueError.
        paragraph = bounded_int(cells["paragraph"], 1, MAX_PARAGRAPH)
        if paragraph is None:
            raise fail(
                "paragraph",
                f"'{cells['paragraph'][:20]}' is not a whole number from 1 to {MAX_PARAGRAPH}",
            )
        fields["paragraph"] = paragraph
    for flag in ("fuzzy", "shuffle"):
        if cells.get(flag):
            fields[flag] = _truth(cells[flag], lambda p, f=flag: fail(f, p))
    answer = cells.get("answer", "")
    if kind in ("multiple_choice", "multiple_select"):
        fields.update(_choices(cells, fail))
    elif kind == "true_false":
        fields["answer"] = _truth(answer, lambda p: fail("answer", p))
        fields["feedback_true"] = cells.get("feedback_true", "")
        fields["feedback_false"] = cells.get("feedback_false", "")
    elif kind == "short_answer":
        texts = _lines(answer)
        said = _lines_kept(cells.get("feedback", ""), len(texts), lambda p: fail("feedback", p))
        fields["answers"] = weighted_answers(texts, _weights(cells, len(texts), fail), said)
        fields["near_misses"] = _lines(cells.get("near_misses", ""))
    elif kind == "numeric":
        fields.update(_numeric(cells, fail))
        fields["feedback"] = cells.get("feedback", "").strip()
    elif kind == "cloze":
        fields["text"] = cells.get("text", "")
        fields["prompt"] = fields["prompt"] or "Fill in the gaps."
    elif kind == "matching":
        fields["pairs"] = [
            _pair(p, lambda p: fail("pairs", p)) for p in _lines(cells.get("pairs", ""))
        ]
    elif kind == "ordering":
        fields["items"] = _lines(cells.get("items", ""))
    elif kind == "essay":
        fields["model_answer"] = answer.strip()
    else:
        fields["back"] = answer
    return {name: value for name, value in fields.items() if value not in ("", None, [])}


def _truth(value: str, fail: Any) -> bool:
    """true/false (also yes/no, t/f, 1/0)."""
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise fail(f"'{value}' is neither true nor false")


def _number(value: str, fail: Any) -> float:
    """A number cell (a decimal comma is accepted)."""
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        raise fail(f"'{value}' is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise fail(f"'{value}' is not a finite number")
    return number


def _numeric(cells: dict[str, str], fail: Any) -> dict[str, Any]:
    """value, tolerance, range and unit."""
    out: dict[str, Any] = {"unit": cells.get("unit", "")}
    if cells.get("answer"):
        out["value"] = _number(cells["answer"], lambda p: fail("answer", p))
    if cells.get("tolerance"):
        out["tolerance"] = _number(cells["tolerance"], lambda p: fail("tolerance", p))
    if cells.get("range"):
        if ".." not in cells["range"]:
            raise fail("range", f"'{cells['range']}': write low..high, such as 700..800")
        low, high = cells["range"].split("..", 1)
        out["range"] = [
            _number(low, lambda p: fail("range", p)),
            _number(high, lambda p: fail("range", p)),
        ]
    return out


def _choices(cells: dict[str, str], fail: Any) -> dict[str, Any]:
    """Choices, the right one(s) named in answer (by text, or by letter), and feedback."""
    texts = _lines(cells.get("choices", ""))
    rights = _lines(cells.get("answer", ""))
    feedback = [part.strip() for part in cells.get("feedback", "").split("\n")]
    while feedback and not feedback[-1]:
        feedback.pop()
    if len(feedback) > len(texts):
        raise fail("feedback", f"{len(feedback)} lines for {len(texts)} choices")
    chosen: set[int] = set()
    for right in rights:
        if right in texts:
            chosen.add(texts.index(right))
        elif len(right) == 1 and right.isalpha() and ord(right.upper()) - 65 < len(texts):
            chosen.add(ord(right.upper()) - 65)
        else:
            raise fail("answer", f"'{right}' is not one of the choices")
    weights = _weights(cells, len(texts), fail)
    choices = []
    for index, text in enumerate(texts):
        choice: dict[str, Any] = {"text": text, "correct": index in chosen}
        if index < len(feedback) and feedback[index]:
            choice["feedback"] = feedback[index]
        if weights[index] is not None:
            choice["weight"] = weights[index]
        choices.append(choice)
    return {"choices": choices}


def _weights(cells: dict[str, str], count: int, fail: Any) -> list[float | None]:
    """The `weights` cell: one percentage (or blank) per line, line n for item n."""
    raw = _lines_kept(cells.get("weights", ""), count, lambda p: fail("weights", p))
    out = [
        _number(part.rstrip("%"), lambda p: fail("weights", p)) if part else None for part in raw
    ]
    return out + [None] * (count - len(out))


def _lines_kept(cell: str, count: int, fail: Any) -> list[str]:
    """A cell's lines, blank ones kept (line n belongs to item n), at most `count`."""
    lines = [part.strip() for part in cell.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > count:
        raise fail(f"{len(lines)} lines for {count} answers")
    return lines


def _pair(line: str, fail: Any) -> dict[str, str]:
    """'left -> right'."""
    if "->" not in line:
        raise fail(f"'{line}' needs 'left -> right'")
    left, right = line.split("->", 1)
    return {"left": left.strip(), "right": right.strip()}


def _read_cards(lines: list[str]) -> ReadResult:
    """Quizlet's export: term<TAB>definition on each line, as flashcards."""
    collector = Collector()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if "\t" not in line:
            raise FormatError(number, "no tab between the term and its definition")
        term, definition = line.split("\t", 1)
        collector.add(
            number,
            {"kind": "flashcard", "prompt": term.strip(), "back": definition.strip()},
            label=term.strip()[:40],
        )
    return collector.result()


def _read_anki(lines: list[str]) -> ReadResult:
    """Anki's text format: header lines, then one note per record."""
    options: dict[str, str] = {}
    collector = Collector()
    first = 0
    for number, line in enumerate(lines, start=1):
        match = re.match(r"#([a-z ]+):(.*)$", line)
        if not match:
            first = number - 1
            break
        name, value = match.group(1).strip().lower(), match.group(2).strip()
        if name not in ("separator", "html", "columns", "tags", "tags column"):
            collector.warn(number, f"Anki header '#{name}' is ignored")
        options[name] = value
    else:
        raise FormatError(len(lines), "only header lines; no notes follow")
    separator = SEPARATORS.get(options.get("separator", "tab").lower())
    if separator is None:
        raise FormatError(1, f"unknown #separator '{options['separator']}'")
    names = [n.strip().lower() for n in options.get("columns", "").split(separator) if n.strip()]
    tag_column = (bounded_int(options.get("tags column", ""), 1, MAX_COLUMNS) or 0) - 1
    if "tags" in names:
        tag_column = names.index("tags")
    fixed_tags = options.get("tags", "").split()
    body = "\n".join(lines[first:]) + "\n"
    for line, row in _records(body, separator, first_line=first + 1):
        if not row or not any(cell.strip() for cell in row) or row[0].startswith("#"):
            continue
        fields = _anki_note(row, names, tag_column, line)
        tags = fixed_tags + (row[tag_column].split() if 0 <= tag_column < len(row) else [])
        fields["tags"] = list(dict.fromkeys(tags))
        collector.add(line, fields, label=row[0][:40])
    return collector.result()


def _anki_note(row: list[str], names: list[str], tag_column: int, line: int) -> dict[str, Any]:
    """A Basic note (front, back) or a Cloze note (text with {{c1::...}}, extra)."""
    cells = [cell.strip() for index, cell in enumerate(row) if index != tag_column]
    named = {name: row[index].strip() for index, name in enumerate(names) if index < len(row)}
    text = named.get("text", "")
    if text or (not names and ANKI_CLOZE.search(cells[0])):
        text = text or cells[0]
        extra = named.get("back extra", named.get("extra", cells[1] if len(cells) > 1 else ""))
        return {
            "kind": "cloze",
            "prompt": "Fill in the gaps.",
            "text": ANKI_CLOZE.sub(lambda m: "{{" + m.group(1) + "}}", text),
            "explanation": extra,
        }
    front = named.get("front", cells[0])
    back = named.get("back", cells[1] if len(cells) > 1 else "")
    if not back:
        raise FormatError(line, "a note needs a front and a back")
    return {"kind": "flashcard", "prompt": front, "back": back}
