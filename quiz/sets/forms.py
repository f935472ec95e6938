"""Forms of the teachers' pages: a set's details; the one-click buttons use EmptyForm."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from quiz.models import Visibility
from quiz.models.content import split_paragraphs

MAX_SOURCE_TEXT = 200_000
VISIBILITY_CHOICES = [
    SelectChoice(Visibility.PRIVATE.value, "Private: only me"),
    SelectChoice(Visibility.CLASS.value, "My classes: students of the classes I assign it to"),
    SelectChoice(Visibility.PUBLIC.value, "Public: everyone with an account"),
]


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def parse_tags(raw: str | None) -> list[str]:
    """Comma-separated tags, trimmed, without blanks or repeats."""
    tags: list[str] = []
    for tag in (raw or "").split(","):
        tag = tag.strip()[:60]
        if tag and tag not in tags:
            tags.append(tag)
    return tags


class SetForm(FlaskForm):
    """A set's title, description, tags, visibility and source text."""

    title = StringField("Title", filters=[_strip], validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        "Description",
        filters=[_strip],
        validators=[Length(max=5000)],
        description="One or two sentences shown in the lists of sets.",
    )
    tags = StringField(
        "Tags", filters=[_strip], validators=[Length(max=1000)], description="Separated by commas."
    )
    visibility = RadioField(
        "Who can see it", choices=VISIBILITY_CHOICES, default=Visibility.PRIVATE.value
    )
    source_text = TextAreaField(
        "Source text (optional)",
        validators=[Length(max=MAX_SOURCE_TEXT)],
        description=(
            "Paste the article or notes the questions come from. Blank lines separate the "
            "paragraphs, numbered from 1; a question can cite one, and students see it in the "
            "feedback. Markdown is allowed."
        ),
    )
    submit = SubmitField("Save set")

    # The highest paragraph a question of the set cites (set by the view): the text must keep it.
    highest_cited = 0

    def validate_source_text(self, field: TextAreaField) -> None:
        count = len(split_paragraphs(field.data or ""))
        if count and count < self.highest_cited:
            raise ValidationError(
                f"This text has {count} paragraphs, but a question cites paragraph "
                f"{self.highest_cited}. Change that question first, or keep the paragraphs."
            )
