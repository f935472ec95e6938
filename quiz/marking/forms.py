"""The marking forms: a mark on one answer, and releasing an assignment's marks."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


class MarkForm(FlaskForm):
    """Score, comment and reason; the rubric's ticks are read from the form's `tick` list."""

    score = StringField("Score (%)")
    comment = TextAreaField("Comment for the student")
    reason = StringField("Reason for changing the automatic mark")
    go = HiddenField(default="next")  # "next": on to the next answer to mark; "stay": here


class ReleaseForm(FlaskForm):
    """Release (1) or withdraw (0) the assignment's marks and comments."""

    release = HiddenField(default="1")
