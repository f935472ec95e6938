"""Bounded parsing of values that come from a request: integers, and text free of control
characters.

Written by hand because no kept library does both: `int()` refuses more than 4,300 digits with
a ValueError that an `isdigit()` check does not foresee (a 500), and neither Werkzeug nor
WTForms refuses control characters, which PostgreSQL rejects in text (NUL) and no person types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_DIGITS = 18  # enough for any id, position or millisecond timestamp we accept
DB_INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER
# C0 and C1 control characters and DEL; tab, line feed and carriage return are text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def bounded_int(raw: object, low: int = 1, high: int = DB_INT_MAX) -> int | None:
    """The integer written in `raw` if it lies in [low, high]; None for anything else.

    Accepts an int, or ASCII decimal digits with an optional minus sign and surrounding spaces;
    never converts more than MAX_DIGITS digits.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        digits = text[1:] if text.startswith("-") else text
        if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
            return None
        value = int(text)
    else:
        return None
    return value if low <= value <= high else None


def has_control_characters(text: str) -> bool:
    """Whether the text holds a control character other than tab and line breaks."""
    return CONTROL_CHARACTERS.search(text) is not None


def first_with_control(items: Iterable[tuple[str, str]]) -> str | None:
    """The name of the first (name, value) pair whose name or value has a control character."""
    for name, value in items:
        if has_control_characters(name) or has_control_characters(value):
            return name
    return None
