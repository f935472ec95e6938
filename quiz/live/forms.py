"""The forms of live games: starting one from a set, and joining one by PIN."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, NumberRange, Optional, Regexp

from quiz.form_fields import BoundedIntegerField
from quiz.quizzes.forms import MultiCheckboxField


class StartForm(FlaskForm):
    """How a teacher runs a set live."""

    count = BoundedIntegerField(
        "Number of questions",
        validators=[Optional(), NumberRange(min=1, max=200)],
        description="Drawn at random from the set. Leave empty for all of them.",
    )
    kinds = MultiCheckboxField("Only these kinds", validate_choice=False)
    tags = MultiCheckboxField("Only these topics", validate_choice=False)
    pacing = SelectField(
        "Pace",
        choices=[
            SelectChoice("teacher", "Teacher-paced: everyone on the same question"),
            SelectChoice("student", "Student-paced: each at their own pace"),
        ],
        default="teacher",
    )
    seconds = BoundedIntegerField(
        "Seconds per question", default=20, validators=[NumberRange(min=5, max=600)]
    )
    scoring = SelectField(
        "Points",
        choices=[
            SelectChoice("speed", "For accuracy and speed"),
            SelectChoice("accuracy", "For accuracy only"),
        ],
        default="speed",
    )
    leaderboard = SelectField(
        "Leaderboard",
        choices=[
            SelectChoice("on", "On, with nicknames"),
            SelectChoice("anonymous", "On, without names"),
            SelectChoice("off", "Off"),
        ],
        default="on",
    )
    guests = BooleanField("Guests may join without an account (by nickname)", default=False)
    submit = SubmitField("Create the game")


class JoinForm(FlaskForm):
    """A game PIN, and a nickname for a guest."""

    pin = StringField(
        "Game PIN",
        validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$", message="A game PIN has 6 digits.")],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    nickname = StringField("Nickname", render_kw={"autocomplete": "nickname", "maxlength": 40})
    submit = SubmitField("Join")
