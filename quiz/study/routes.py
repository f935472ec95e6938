"""Study views."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("study", __name__, url_prefix="/study")


@bp.route("/")
@login_required
def index() -> Any:
    return render_template("study/index.html")
