"""Teaching: sets and questions, import and export, classes and dashboards."""

from quiz.teach import classes, dashboard, overrides, transfer
from quiz.teach.routes import bp

__all__ = ["bp", "classes", "dashboard", "overrides", "transfer"]
