"""The quiz start form: layout, time limit, how many questions, which kinds and topics."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    SelectMultipleField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    NumberRange,
    Optional,
)
from wtforms.widgets import CheckboxInput, ListWidget

from quiz.form_fields import BoundedIntegerField


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: choose any number (none means all)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuizStartForm(FlaskForm):
    """How to take a set as a quiz."""

    layout = SelectField(
        "Layout",
        choices=[
            SelectChoice("paged", "One question per page"),
            SelectChoice("one_page", "All questions on one page"),
        ],
        default="paged",
    )
    time_limit_min = BoundedIntegerField(
        "Time limit in minutes (0 for none)", default=0, validators=[NumberRange(min=0, max=300)]
    )
    count = BoundedIntegerField(
        "Number of questions",
        validators=[Optional(), NumberRange(min=1, max=500)],
        description="Drawn at random from the set. Leave empty for all of them.",
    )
    kinds = MultiCheckboxField("Only these kinds", validate_choice=False)
    tags = MultiCheckboxField("Only these topics", validate_choice=False)
    submit = SubmitField("Start the quiz")
