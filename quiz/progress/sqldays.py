"""Local calendar days and the forgetting curve as SQL expressions, for the progress pages.

The progress page counts reviews per local day over a year and predicts recall over every
card. Loading a year of timestamps (or every card) into Python made the page grow with the
student's history; these expressions let the database return one row per day instead.

Neither database knows the student's zone in a portable way (SQLite has no time zones), so
the zone becomes its UTC offsets over the period asked about (a zone changes offset a few
times a year) and the database adds the offset before taking the date. The forgetting curve
is the fsrs library's own: its factor and decay are read from the library's scheduler.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from quiz import scheduling

ONE_DAY = timedelta(days=1)
RESOLUTION = timedelta(microseconds=1)


def _offset(zone: ZoneInfo, moment: datetime) -> int:
    """The zone's UTC offset at a moment, in seconds."""
    delta = moment.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


def offset_pieces(zone: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """(from when, offset in seconds) for each stretch of constant offset in [start, end]."""
    pieces = [(start, _offset(zone, start))]
    moment = start
    while moment < end:
        later = min(moment + ONE_DAY, end)  # offsets never change twice in a day
        if _offset(zone, later) != pieces[-1][1]:
            low, high = moment, later
            while high - low > RESOLUTION:
                middle = low + (high - low) / 2
                if _offset(zone, middle) == pieces[-1][1]:
                    low = middle
                else:
                    high = middle
            pieces.append((high, _offset(zone, high)))
        moment = later
    return pieces


def local_day(
    column: Any, pieces: list[tuple[datetime, int]], dialect: str
) -> sa.ColumnElement[str]:
    """The local date of a UTC timestamp column as 'YYYY-MM-DD' text."""
    if len(pieces) == 1:
        offset: Any = sa.literal(pieces[0][1])
    else:
        whens = [(column < pieces[i + 1][0], pieces[i][1]) for i in range(len(pieces) - 1)]
        offset = sa.case(*whens, else_=pieces[-1][1])
    if dialect == "postgresql":
        second = sa.literal_column("interval '1 second'")
        shifted = sa.func.timezone("UTC", column) + offset * second
        return sa.func.to_char(shifted, "YYYY-MM-DD")
    return sa.func.date(column, sa.cast(offset, sa.String) + " seconds")


def elapsed_days(column: Any, now: Any, dialect: str) -> sa.ColumnElement[int]:
    """Whole days from a timestamp column to `now` (a datetime or a timestamp expression, such
    as an assignment's due date), never negative (as fsrs counts them)."""
    moment = sa.literal(now, column.type) if isinstance(now, datetime) else now
    if dialect == "postgresql":
        seconds = sa.func.extract("epoch", moment - column)
        return sa.func.greatest(0, sa.func.floor(seconds / 86400))
    days = sa.func.julianday(moment) - sa.func.julianday(column)
    # CAST truncates toward zero, which is the floor once negatives are cut to 0.
    return sa.func.max(0, sa.cast(days, sa.Integer))


def recall(stability: Any, last_review: Any, now: Any, dialect: str) -> sa.ColumnElement[float]:
    """The predicted recall at `now` (a datetime or a timestamp expression) of a card; NULL when
    it was never reviewed."""
    scheduler = scheduling.make_scheduler(fuzzing=False)
    factor, decay = float(scheduler._FACTOR), float(scheduler._DECAY)  # the library's own curve
    days = elapsed_days(last_review, now, dialect)
    base = 1 + factor * days / stability
    power = sa.func.power(base, decay) if dialect == "postgresql" else sa.func.pow(base, decay)
    reviewed = sa.and_(last_review.is_not(None), stability.is_not(None), stability > 0)
    return sa.case((reviewed, power), else_=None)
