"""Studying: the due queue, quiz attempts and progress."""

from quiz.study import override_routes, progress_routes, quiz_routes, rating_routes
from quiz.study.routes import bp

__all__ = ["bp", "override_routes", "progress_routes", "quiz_routes", "rating_routes"]
