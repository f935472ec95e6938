"""Password policy: length and a list of passwords attackers try first (ASVS 6.2.4)."""

from __future__ import annotations

COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "12345678",
        "123456789",
        "1234567890",
        "11111111",
        "00000000",
        "qwertyuiop",
        "qwerty123",
        "qwertyui",
        "1q2w3e4r",
        "1qaz2wsx",
        "abcd1234",
        "abc12345",
        "iloveyou",
        "sunshine1",
        "princess1",
        "football",
        "baseball",
        "welcome1",
        "letmein1",
        "trustno1",
        "dragon123",
        "monkey123",
        "superman",
        "starwars",
        "whatever",
        "computer",
        "internet",
        "michelle",
        "jennifer",
        "87654321",
        "12341234",
        "aaaaaaaa",
        "changeme",
        "admin123",
        "administrator",
        "student1",
        "teacher1",
        "password!",
        "p@ssw0rd",
    }
)


def password_problem(password: str) -> str | None:
    """Why the password is unacceptable, or None when it is fine."""
    if password.casefold() in COMMON_PASSWORDS:
        return "This password is one of the most common ones; choose another."
    if len(set(password)) < 4:
        return "Use a password with more different characters."
    return None
