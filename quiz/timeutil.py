"""UTC time helpers: the one place the app reads the clock."""

from datetime import UTC, datetime


def now_utc() -> datetime:
    """The current time, UTC-aware (tests freeze it with time-machine)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Normalize an aware datetime to UTC; naive datetimes are a bug, so refuse them."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: use UTC-aware datetimes")
    return value.astimezone(UTC)
