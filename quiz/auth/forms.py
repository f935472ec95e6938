"""Account forms; none of them has a field for role or owner."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from quiz.auth.passwords import password_problem

MIN_PASSWORD = 8


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


MAX_PASSWORD = 256


class EmptyForm(FlaskForm):
    """A POST button that carries a CSRF token and nothing else."""

    submit = SubmitField("Submit")


class LoginForm(FlaskForm):
    """Sign in with a username or email."""

    username = StringField("Username or email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    remember = BooleanField("Keep me signed in on this device")
    next = HiddenField()
    submit = SubmitField("Log in")


def _strong_password(form: FlaskForm, field: PasswordField) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    """Create a student account."""

    username = StringField(
        "Username",
        filters=[_strip],
        validators=[
            DataRequired(),
            Length(min=3, max=40),
            Regexp(
                r"^[\w.\-]+$",
                message="Use letters, digits, dots, dashes and underscores only.",
            ),
        ],
    )
    email = EmailField(
        "Email", filters=[_strip], validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD), _strong_password],
        description=f"At least {MIN_PASSWORD} characters; a passphrase is best.",
    )
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )
    submit = SubmitField("Create account")


class ChangePasswordForm(FlaskForm):
    """Change the password; every other session ends."""

    current = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD), _strong_password],
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", "Passwords differ.")],
    )
    submit = SubmitField("Change password")
