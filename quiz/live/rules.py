"""The rules of a live game that need neither Flask nor the database: points, time, nicknames."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import datetime, timedelta

MAX_POINTS = 1000
# A tap sent as the countdown hits zero still counts: the network takes its time.
GRACE = timedelta(seconds=2)
NICKNAME_MIN, NICKNAME_MAX = 2, 20
# Choice buttons carry a shape as well as a colour, so colour-blind players can tell them apart.
SHAPES = (
    ("triangle", "▲"),
    ("diamond", "◆"),
    ("circle", "●"),
    ("square", "■"),
    ("star", "★"),
    ("hexagon", "⬢"),
)


def new_pin() -> str:
    """A random six-digit game PIN (never starting with 0, so it reads as six digits)."""
    return str(100_000 + secrets.randbelow(900_000))


def points_for(score: float, *, speed: bool, elapsed_s: float, limit_s: int) -> int:
    """Points for one answer: its score, and with speed scoring up to half lost to the clock."""
    score = max(0.0, min(1.0, score))
    if not speed:
        return round(MAX_POINTS * score)
    used = max(0.0, min(1.0, elapsed_s / limit_s)) if limit_s > 0 else 0.0
    return round(MAX_POINTS * score * (1 - used / 2))


def seconds_left(opened_at: datetime | None, limit_s: int, now: datetime) -> int:
    """Whole seconds of the question's time left (0 once it is up)."""
    if opened_at is None:
        return 0
    left = (opened_at + timedelta(seconds=limit_s) - now).total_seconds()
    return max(0, int(left + 0.999))


def is_late(opened_at: datetime | None, limit_s: int, now: datetime) -> bool:
    """Whether an answer arriving now comes after the question closed (grace included)."""
    return opened_at is None or now > opened_at + timedelta(seconds=limit_s) + GRACE


class BadNickname(ValueError):
    """A guest's nickname the game will not show on the wall."""


def clean_nickname(raw: str) -> str:
    """The nickname as shown, or BadNickname saying why it is refused.

    Letters (any script), digits, spaces and . - _ ' only: no markup, no control or
    invisible characters, no right-to-left tricks; spaces squeezed; 2 to 20 characters.
    """
    text = unicodedata.normalize("NFKC", raw or "")
    text = " ".join(text.split())
    if not NICKNAME_MIN <= len(text) <= NICKNAME_MAX:
        raise BadNickname(
            f"A nickname has {NICKNAME_MIN} to {NICKNAME_MAX} characters; yours has {len(text)}."
        )
    for char in text:
        category = unicodedata.category(char)
        if not (category[0] in "LN" or char in " .-_'"):
            raise BadNickname("A nickname may hold letters, digits, spaces and . - _ ' only.")
    if not any(unicodedata.category(c)[0] == "L" for c in text):
        raise BadNickname("A nickname needs at least one letter.")
    return text
