"""Teaching: sets and questions, import and export, classes and dashboards."""

from quiz.teach import classes, dashboard, overrides, questions, sets, transfer
from quiz.teach.routes import bp

__all__ = ["bp", "classes", "dashboard", "overrides", "questions", "sets", "transfer"]
