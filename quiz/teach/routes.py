"""The teach blueprint; its views live in sets.py and questions.py (and their neighbours)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("teach", __name__, url_prefix="/teach")
