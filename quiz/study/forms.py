"""Study forms: the student's settings."""

from __future__ import annotations

import math
from decimal import Decimal
from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    NumberRange,
    StopValidation,
    ValidationError,
)

from quiz.form_fields import BoundedIntegerField
from quiz.scheduling import MAX_RETENTION, MIN_RETENTION


def _finite(form: FlaskForm, field: DecimalField) -> None:
    """Refuse NaN and infinities, which Decimal accepts and the range check chokes on."""
    # A POST without the field keeps the stored float (from obj=), not a Decimal.
    value = field.data
    if value is None:
        return
    if not (value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)):
        raise StopValidation("Enter a number between 0.70 and 0.97.")


class SettingsForm(FlaskForm):
    """How hard the scheduler works for the student, and where their day begins."""

    desired_retention = DecimalField(
        "Desired retention",
        places=2,
        validators=[
            DataRequired(),
            _finite,
            NumberRange(min=MIN_RETENTION, max=MAX_RETENTION),
        ],
        render_kw={"step": "0.01", "min": MIN_RETENTION, "max": MAX_RETENTION},
        description="The chance of remembering a card when it comes back (0.70 to 0.97). "
        "Higher means more reviews.",
    )
    new_per_day = BoundedIntegerField(
        "New questions per day", validators=[NumberRange(min=0, max=500)], default=20
    )
    timezone = StringField("Time zone", validators=[DataRequired()], default="UTC")
    date_order = SelectField(
        "Dates typed in numbers",
        choices=[
            SelectChoice("day_first", "Day first: 06/05 is 6 May"),
            SelectChoice("month_first", "Month first: 06/05 is June 5"),
        ],
        default="day_first",
        description="How your typed answers are read when a date such as 06/05 could be either.",
    )
    submit = SubmitField("Save")

    def validate_timezone(self, field: StringField) -> None:
        """Only IANA zone names, such as Africa/Niamey or Europe/London."""
        if field.data not in available_timezones():
            raise ValidationError("Use a time zone name such as Africa/Niamey or Europe/London.")
