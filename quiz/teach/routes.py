"""Teacher views."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from quiz.auth.decorators import teacher_required

bp = Blueprint("teach", __name__, url_prefix="/teach")


@bp.route("/")
@teacher_required
def index() -> Any:
    return render_template("teach/index.html")
