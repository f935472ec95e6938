"""Studying: the due queue, quiz attempts and progress."""

from quiz.study.routes import bp

__all__ = ["bp"]
