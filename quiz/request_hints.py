"""What the login loader learned about the user in its one statement, kept for one request.

Every study page asked the database twice more whether the student had an open quiz attempt
or a right answer waiting for its rating; almost always neither. The loader now asks both
with the user row (EXISTS subqueries), and the queue skips those reads when the answer was no.
Hints live in the request's session `info`, so they end with the session at teardown, and
whoever creates an attempt or holds an answer forgets them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

HINTS = "quiz_request_hints"


@dataclass(frozen=True)
class RequestHints:
    """Facts about the logged-in user read when the request began."""

    user_id: int
    open_attempt: bool
    held_answers: bool


def remember(session: Session, hints: RequestHints) -> None:
    """Keep the hints for the rest of this session (the request)."""
    session.info[HINTS] = hints


def hints_for(session: Session, user_id: int) -> RequestHints | None:
    """The hints about this user, if the loader left any and nothing made them stale."""
    hints = session.info.get(HINTS)
    return hints if hints is not None and hints.user_id == user_id else None


def forget(session: Session) -> None:
    """Drop the hints: something this request wrote made them untrue."""
    session.info.pop(HINTS, None)
