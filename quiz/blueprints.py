"""The two audiences' blueprints and the feature modules that add their routes to them.

A student's pages live under /study and a teacher's under /teach; the features (the study queue,
quizzes, progress, classes, overrides, sets, transfer, reports) are packages of their own, and
each package's `*routes.py` modules add their views to the blueprint of the audience they serve.
The endpoint names ("study.attempt", "teach.dashboard") therefore say who a page is for, and
stayed the same when the features moved out of `quiz/study/` and `quiz/teach/`.
"""

from __future__ import annotations

from importlib import import_module

from flask import Blueprint, Flask

student_pages = Blueprint("study", __name__, url_prefix="/study")
teacher_pages = Blueprint("teach", __name__, url_prefix="/teach")
# Pictures and sound: uploaded by a set's owner, served by hash to whoever may see the set.
media_pages = Blueprint("media", __name__, url_prefix="/media")
# Live class games: the projector, the phones and the status URL they poll.
live_pages = Blueprint("live", __name__, url_prefix="/live")

# Imported for their routes (and hooks) before the blueprints are registered.
ROUTE_MODULES = (
    "quiz.study.routes",
    "quiz.study.rating_routes",
    "quiz.study.undo_routes",
    "quiz.study.custom_routes",
    "quiz.study.browse_routes",
    "quiz.study.settings_routes",
    "quiz.shortcuts",
    "quiz.quizzes.routes",
    "quiz.progress.routes",
    "quiz.classes.student_routes",
    "quiz.classes.teacher_routes",
    "quiz.overrides.student_routes",
    "quiz.overrides.teacher_routes",
    "quiz.overrides.common_routes",
    "quiz.sets.routes",
    "quiz.sets.question_routes",
    "quiz.transfer.routes",
    "quiz.reports.routes",
    "quiz.reports.export_routes",
    "quiz.gradebook.routes",
    "quiz.media.routes",
    "quiz.mysets.routes",
    "quiz.marking.routes",
    "quiz.authoring.rows_routes",
    "quiz.authoring.bulk_routes",
    "quiz.live.teacher_routes",
    "quiz.live.player_routes",
)


def register(app: Flask) -> None:
    """Load every feature's routes, then attach both blueprints to the app."""
    for name in ROUTE_MODULES:
        import_module(name)
    app.register_blueprint(student_pages)
    app.register_blueprint(teacher_pages)
    app.register_blueprint(media_pages)
    app.register_blueprint(live_pages)
