"""Dates in typed answers: month names and abbreviations, and day-month in any common order."""

from collections.abc import Sequence

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


def month_name(token: str, dotted: bool) -> str | None:
    """The month a token names: "March", "Mar", "Mar." or, with a dot, "Febr."; else None."""
    if token in MONTH_NUMBER:
        return token
    if token in _SHORT:
        return _SHORT[token]
    if dotted and len(token) >= 3:
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
    """Tokens with each "6 May", "6 of May", "May 6" written as one date token.

    Months must already be full names and day numbers digits (see quiz.answers.tokens).
    """
    out: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        month = MONTH_NUMBER.get(token)
        day = day_value(token)
        after = tokens[index + 1] if index + 1 < len(tokens) else ""
        if month is not None and day_value(after) is not None:  # "May 6"
            out.append(date_token(month, day_value(after) or 0))
            index += 2
            continue
        if day is not None:
            skip = 2 if after == "of" and index + 2 < len(tokens) else 1
            following = (
                MONTH_NUMBER.get(tokens[index + skip]) if index + skip < len(tokens) else None
            )
            if following is not None:  # "6 May", "6 of May"
                out.append(date_token(following, day))
                index += skip + 1
                continue
        out.append(token)
        index += 1
    return out
