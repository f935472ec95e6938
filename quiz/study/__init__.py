"""Studying: the due queue, quiz attempts and progress."""

from quiz.study import (
    browse_routes,
    classes,
    custom_routes,
    override_routes,
    progress_routes,
    quiz_routes,
    rating_routes,
    shortcuts,
    undo_routes,
)
from quiz.study.routes import bp

__all__ = [
    "bp",
    "browse_routes",
    "classes",
    "custom_routes",
    "override_routes",
    "progress_routes",
    "quiz_routes",
    "rating_routes",
    "shortcuts",
    "undo_routes",
]
