"""Forms for classes and assignments."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from quiz.form_fields import BoundedIntegerField
from quiz.models import Mode, ShowAnswers
from quiz.timeutil import now_utc

EARLIEST_DUE = datetime(2000, 1, 1)  # naive: compared with the local wall-clock time typed
MAX_DUE_AHEAD = timedelta(days=10 * 366)  # a due date 68 years ahead overflowed a time limit


class ClassForm(FlaskForm):
    """A class's name and the time zone its due dates are given in."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    timezone = StringField(
        "Time zone",
        validators=[DataRequired(), Length(max=64)],
        default="UTC",
        description="Due dates are entered and shown in this zone, e.g. Africa/Niamey.",
    )
    student_sharing = BooleanField(
        "Students may share their own sets with this class",
        default=True,
        description="You see the sets they share on this class's page and can copy them.",
    )
    submit = SubmitField("Save")

    def validate_timezone(self, field: StringField) -> None:
        """Only IANA zone names."""
        if field.data not in available_timezones():
            raise ValidationError("Use a time zone name such as Africa/Niamey or Europe/London.")


class JoinForm(FlaskForm):
    """A student's box for a class code."""

    code = StringField(
        "Class code",
        validators=[DataRequired(message="Type the code your teacher gave you."), Length(max=32)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField("Join")


SHOW_CHOICES = [
    SelectChoice(ShowAnswers.AFTER_ATTEMPT.value, "After each attempt"),
    SelectChoice(ShowAnswers.AFTER_DUE.value, "After the due date"),
    SelectChoice(ShowAnswers.NEVER.value, "Never"),
]


class AssignmentForm(FlaskForm):
    """A set given to a class, due at a local date and time, to study or to take as a quiz."""

    set_id = SelectField("Question set", coerce=int, validators=[DataRequired()])
    mode = SelectField(
        "Mode",
        choices=[
            SelectChoice(Mode.QUIZ.value, "Quiz: a scored attempt"),
            SelectChoice(Mode.STUDY.value, "Study: the set joins each student's queue"),
        ],
        default=Mode.QUIZ.value,
        description=(
            "A set given to students only as a quiz stays out of their study, flashcards and "
            "practice until its answers are released: after the due date, or once a student has "
            "used every attempt allowed, as “Show the right answers” says (never with “Never”). "
            "Assigning the set to study as well, or a public set, lets students study it and see "
            "its answers at any time."
        ),
    )
    due_at = DateTimeLocalField(
        "Due", format="%Y-%m-%dT%H:%M", validators=[DataRequired(message="Give a due date.")]
    )
    target_percent = BoundedIntegerField(
        "Study target: predicted recall on the due date (%)",
        default=90,
        validators=[NumberRange(min=50, max=99)],
    )
    max_attempts = BoundedIntegerField(
        "Quiz attempts allowed (empty for unlimited)",
        validators=[Optional(), NumberRange(min=1, max=100)],
    )
    time_limit_min = BoundedIntegerField(
        "Quiz time limit in minutes (0 for none)",
        default=0,
        validators=[NumberRange(min=0, max=600)],
    )
    question_count = BoundedIntegerField(
        "Questions drawn at random for each attempt (empty for the whole set)",
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    shuffle = BooleanField("Shuffle the questions", default=True)
    show_answers = SelectField(
        "Show the right answers", choices=SHOW_CHOICES, default=ShowAnswers.AFTER_ATTEMPT.value
    )
    allow_late = BooleanField("Accept late work", default=True)
    submit = SubmitField("Save the assignment")

    def validate_due_at(self, field: DateTimeLocalField) -> None:
        """A due date from 2000 to ten years ahead (a day's slack either side for the zone)."""
        latest = now_utc().replace(tzinfo=None) + MAX_DUE_AHEAD
        if field.data is not None and not EARLIEST_DUE <= field.data <= latest:
            raise ValidationError(f"Give a due date within ten years (before {latest.year}).")
