"""Words and numbers as the study pages say them: local clock times, percents, stale answers."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from quiz.study import queue
from quiz.study.answers import StaleAnswer


def stale_message(error: StaleAnswer) -> str:
    """What a student is told when their answer came from a page the card has moved on from."""
    if error.answered_at is None:
        return "This card changed in another tab; your answer here was not recorded."
    return (
        f"This card was answered in another tab at {local_time(error.answered_at)}; "
        "your answer here was not recorded."
    )


def local_time(moment: Any) -> str:
    """'21:04' in the student's zone."""
    return f"{moment.astimezone(queue.user_zone(current_user)):%H:%M}"


def percent_text(fraction: float | None) -> str:
    """A score or share as people read it: '45%', rounded half up, one rule for every page."""
    if fraction is None:
        return "–"
    return f"{int(fraction * 100 + 0.5)}%"
