"""The upload form of a set's media section."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

MAX_TRANSCRIPT = 20_000


class UploadForm(FlaskForm):
    """One file with its alt text (pictures) or transcript (sound)."""

    file = FileField("Picture or sound file", validators=[FileRequired("Choose a file.")])
    alt = StringField(
        "Alt text (what the picture shows, for screen readers)",
        validators=[Optional(), Length(max=500)],
    )
    decorative = BooleanField("Decorative: the picture adds nothing a reader would miss")
    transcript = TextAreaField(
        "Transcript (for a sound)", validators=[Optional(), Length(max=MAX_TRANSCRIPT)]
    )
    submit = SubmitField("Upload")
