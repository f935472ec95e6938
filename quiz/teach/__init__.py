"""Teaching: sets and questions, import and export, classes and dashboards."""

from quiz.teach import questions, sets  # noqa: F401 - importing registers their views
from quiz.teach.routes import bp

__all__ = ["bp"]
