"""CSV for spreadsheets: cells that a spreadsheet would run as formulas are neutralized.

OWASP's CSV-injection advice: a text cell starting with =, +, -, @, a tab or a carriage
return is prefixed with a single quote, so Excel, LibreOffice and Sheets show it as text.
Numbers are written as numbers (a negative score is not an injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet will read it safely."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Each row as one CSV line (CRLF, as RFC 4180 has it), every cell neutralized."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
