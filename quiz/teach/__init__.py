"""Teaching: sets and questions, import and export, classes and dashboards."""

from quiz.teach import transfer
from quiz.teach.routes import bp

__all__ = ["bp", "transfer"]
