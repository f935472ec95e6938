"""Accounts: register, log in, log out, change password; role decorators."""

from quiz.auth.routes import bp

__all__ = ["bp"]
