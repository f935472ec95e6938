"""Class join codes: short, case-insensitive, without characters that look alike."""

from __future__ import annotations

import base64
import hashlib
import hmac
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


def link_token(code: str, secret: str | bytes) -> str:
    """The short signature a teacher's join link carries beside its code.

    A page that names a class for a code would tell a guesser which codes exist; with this
    token only links made by the app (the class page, the projector, the QR code) name it,
    and a typed code still goes through the guessing limit.
    """
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, f"join-link:{code}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:5]).decode("ascii").lower()  # 8 characters, 40 bits


def link_token_matches(code: str, token: str, secret: str | bytes) -> bool:
    """Whether `token` is the join link's signature of `code` (in constant time)."""
    if not token.isascii():  # compare_digest refuses other strings (a 500, not a 'no')
        return False
    return hmac.compare_digest(link_token(code, secret), token.lower()[:16])
