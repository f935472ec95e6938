"""Teaching: sets and questions, import and export, classes and dashboards."""

from quiz.teach import overrides, transfer
from quiz.teach.routes import bp

__all__ = ["bp", "overrides", "transfer"]
