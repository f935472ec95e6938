"""Dates in typed answers: month names and abbreviations, and day-month in any common order."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from quiz.answers.numbers import ordinal_value

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_SHORT = {name[:3]: name for name in MONTHS} | {"sept": "september"}
MONTH_NUMBER = {name: number for number, name in enumerate(MONTHS, start=1)}
DATE_PREFIX = "date:"  # a date token: "date:5:6" is the sixth of May, compared exactly
# How "06/05" is read: True day first (most of the world), False month first (the US), None
# refused as ambiguous. The student's setting, set around grading by the views (reading_dates).
_DAY_FIRST: ContextVar[bool | None] = ContextVar("day_first", default=True)


def day_first() -> bool | None:
    """The date order numeric dates are read in now (see reading_dates)."""
    return _DAY_FIRST.get()


def set_day_first(first: bool | None) -> None:
    """Read numeric dates in this order from now on in this context (one web request)."""
    _DAY_FIRST.set(first)


@contextmanager
def reading_dates(first: bool | None) -> Iterator[None]:
    """Read numeric dates day first (True), month first (False) or not at all (None) inside."""
    token = _DAY_FIRST.set(first)
    try:
        yield
    finally:
        _DAY_FIRST.reset(token)


def month_name(token: str, dotted: bool) -> str | None:
    """The month a token names: "March", "Mar", "Mar." or, with a dot, "Febr."; else None."""
    if token in MONTH_NUMBER:
        return token
    if token in _SHORT:
        return _SHORT[token]
    if (dotted and len(token) >= 3) or len(token) >= 4:  # "Febr.", "Sept", "Dece"
        for name in MONTHS:
            if name.startswith(token):
                return name
    return None


def day_value(token: str) -> int | None:
    """A day of the month from "6", "06", "6th" or "sixth" (already read as digits)."""
    value = int(token) if token.isdigit() and len(token) <= 2 else ordinal_value(token)
    return value if value is not None and 1 <= value <= 31 else None


def date_token(month: int, day: int) -> str:
    """The token standing for a day of a month."""
    return f"{DATE_PREFIX}{month}:{day}"


def valid_date(month: int, day: int) -> bool:
    """Whether a month and day number can be a date."""
    return 1 <= month <= 12 and 1 <= day <= 31


def numeric_readings(first: int, second: int) -> list[str]:
    """The valid dates "first/second" can mean: day/month (most of the world) or month/day (US)."""
    readings = []
    for day, month in ((first, second), (second, first)):
        if 1 <= month <= 12 and 1 <= day <= 31:
            token = date_token(month, day)
            if token not in readings:
                readings.append(token)
    return readings


def join_dates(tokens: Sequence[str]) -> list[str]:
    """Tokens with each "6 May", "6 of May", "May 6", "May the 6th" written as one date token.

    Months must already be full names and day numbers digits (see quiz.answers.tokens).
    """
    out: list[str] = []
    index = 0
    while index < len(tokens):
        month = MONTH_NUMBER.get(tokens[index])
        day = day_value(tokens[index])
        after = _skip_links(tokens, index + 1)
        if month is not None and after < len(tokens) and day_value(tokens[after]) is not None:
            out.append(date_token(month, day_value(tokens[after]) or 0))  # "May 6"
            index = after + 1
            continue
        if day is not None and after < len(tokens) and tokens[after] in MONTH_NUMBER:
            out.append(date_token(MONTH_NUMBER[tokens[after]], day))  # "6 May", "6th of May"
            index = after + 1
            continue
        out.append(tokens[index])
        index += 1
    return out


def _skip_links(tokens: Sequence[str], index: int) -> int:
    """The index after "of" or "the" between a day and its month ("6th of May", "May the 6th")."""
    while index < len(tokens) - 1 and tokens[index] in ("of", "the"):
        index += 1
    return index
