"""Account forms; none of them has a field for role or owner."""

from __future__ import annotations

import re

import email_validator
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Regexp, ValidationError

from quiz.auth.passwords import password_problem
from quiz.models import normalize_name

MIN_PASSWORD = 8
USERNAME_KEY_MAX = 40  # user.username_key
EMAIL_MAX = 254  # user.email
NAME_CHARACTERS = re.compile(r"^[\w.\-]+$")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


MAX_PASSWORD = 256


def username_problem(name: str) -> str | None:
    """Why a username cannot be stored (judged on its standardized form), or None."""
    if not NAME_CHARACTERS.match(name.strip()):
        return "Use letters, digits, dots, dashes and underscores only."
    key = normalize_name(name)
    if not 3 <= len(key) <= USERNAME_KEY_MAX:
        return (
            f"Once its characters are standardized this username has {len(key)} "
            f"characters; it must have between 3 and {USERNAME_KEY_MAX}."
        )
    if not NAME_CHARACTERS.match(key):
        return (
            "Some of these characters stand for spaces or symbols; "
            "use letters, digits, dots, dashes and underscores only."
        )
    return None


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
                NAME_CHARACTERS,
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

    # What is stored and compared is the normalized form (NFKC + casefold), which can be longer
    # than what was typed ("ﷺ" becomes 18 characters, with spaces): check that form too.
    def validate_username(self, field: StringField) -> None:
        if field.errors:
            return
        problem = username_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_email(self, field: EmailField) -> None:
        if field.errors:
            return
        key = normalize_name(field.data)
        if len(key) > EMAIL_MAX:
            raise ValidationError(
                f"Once its characters are standardized this address has {len(key)} "
                f"characters; it must have at most {EMAIL_MAX}."
            )
        try:
            email_validator.validate_email(key, check_deliverability=False)
        except email_validator.EmailNotValidError:
            raise ValidationError(
                "Once its characters are standardized this is not a valid email address."
            ) from None


class ChangePasswordForm(FlaskForm):
    """Change the password; every other session ends."""

    current = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD)]
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD), _strong_password],
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", "Passwords differ.")],
    )
    submit = SubmitField("Change password")


class ForgotForm(FlaskForm):
    """Ask for a password reset link."""

    email = StringField(
        "Username or email", filters=[_strip], validators=[DataRequired(), Length(max=254)]
    )
    submit = SubmitField("Send me a link")


class ResetForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD), _strong_password],
        description=f"At least {MIN_PASSWORD} characters; a passphrase is best.",
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", "Passwords differ.")],
    )
    submit = SubmitField("Set the new password")


class DeleteAccountForm(FlaskForm):
    """Delete one's own account: the password, and DELETE typed out."""

    password = PasswordField("Your password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    confirm = StringField(
        "Type DELETE to confirm",
        filters=[_strip],
        validators=[
            DataRequired(),
            Regexp(r"^DELETE$", message="Type DELETE in capitals to confirm."),
        ],
    )
    submit = SubmitField("Delete my account")
