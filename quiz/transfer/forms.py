"""Forms of the import page and its confirmation step."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from quiz.formats.detect import LABELS
from quiz.models import Visibility

FORMAT_CHOICES = [
    SelectChoice("guess", "Guess from the content"),
    *(SelectChoice(name, label) for name, label in LABELS.items()),
]
VISIBILITY_CHOICES = [
    SelectChoice(Visibility.PRIVATE.value, "Private: only you"),
    SelectChoice(Visibility.CLASS.value, "My classes: students of classes it is assigned to"),
    SelectChoice(Visibility.PUBLIC.value, "Public: every user"),
]


class ImportForm(FlaskForm):
    """Step one: what to read, in which format, into which set."""

    upload = FileField(
        "A file to import",
        description=(
            "Moodle XML, GIFT, Aiken, CSV, TSV or YAML text (at most 2 MB); an Anki package "
            "(.apkg, .colpkg) or Kahoot's spreadsheet (.xlsx), at most 50 MB."
        ),
    )
    text = TextAreaField(
        "Or paste the questions here",
        validators=[Optional()],
        render_kw={"rows": 10, "spellcheck": "false"},
    )
    quizlet_term = RadioField(
        "Between term and definition",
        choices=[
            SelectChoice("tab", "Tab"),
            SelectChoice("comma", "Comma"),
            SelectChoice("custom", "Custom"),
        ],
        default="tab",
    )
    quizlet_term_custom = StringField(
        "Custom separator between term and definition", validators=[Optional(), Length(max=20)]
    )
    quizlet_row = RadioField(
        "Between rows",
        choices=[
            SelectChoice("newline", "New line"),
            SelectChoice("semicolon", "Semicolon"),
            SelectChoice("custom", "Custom"),
        ],
        default="newline",
    )
    quizlet_row_custom = StringField(
        "Custom separator between rows", validators=[Optional(), Length(max=20)]
    )
    fmt = SelectField("Format", choices=FORMAT_CHOICES, default="guess")
    target = SelectField("Import into", choices=[SelectChoice("new", "A new set")], default="new")
    title = StringField(
        "Title of the new set",
        validators=[Optional(), Length(max=200)],
        description="Left empty: the file's category or title, or the file's name.",
    )
    visibility = SelectField(
        "Who sees the new set", choices=VISIBILITY_CHOICES, default=Visibility.PRIVATE.value
    )
    retire = BooleanField("Retire the set's questions that the file does not contain")
    submit = SubmitField("Preview")


class ConfirmForm(FlaskForm):
    """Step two: names the upload kept at the preview and the checksum the teacher saw."""

    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    grouping = RadioField(
        "Categories and decks become",
        choices=[SelectChoice("tags", "Tags of one set"), SelectChoice("sets", "One new set each")],
        default="tags",
        validators=[Optional()],
    )
    # A student's own Anki deck: its revlog replayed into their cards (quiz/mysets).
    keep_history = BooleanField("Keep my Anki review history, so my due dates carry on")
    submit = SubmitField("Import")


def quizlet_options(form: ImportForm) -> dict[str, str]:
    """The Quizlet separators chosen on the import page."""
    return {
        "term": form.quizlet_term.data or "tab",
        "term_custom": form.quizlet_term_custom.data or "",
        "row": form.quizlet_row.data or "newline",
        "row_custom": form.quizlet_row_custom.data or "",
    }
