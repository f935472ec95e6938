"""Class join codes: short, case-insensitive, without characters that look alike."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: a code read off a projector or typed in lower case still
# means one thing.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
LENGTH = 6


def new_code() -> str:
    """A random code (25**6, about 244 million possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """The code as stored, from what a student typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if not ch.isspace() and ch != "-")


def looks_valid(code: str) -> bool:
    """Whether a normalized code could be one we issued (cheap check before the database)."""
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def spaced(code: str) -> str:
    """'ACD EFG': easier to read aloud and off a screen."""
    return f"{code[:3]} {code[3:]}"
