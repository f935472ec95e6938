"""The sign-in forms: prove an existing account's password, and the admin's provider form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from quiz.auth.forms import MAX_PASSWORD


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _web_url(form: FlaskForm, field: StringField) -> None:
    if not (field.data or "").startswith(("https://", "http://")):
        raise ValidationError("Give the issuer's URL, starting with https://.")


class LinkForm(FlaskForm):
    """Link a provider's sign-in to an account here by giving that account's password."""

    username = StringField("Username or email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    submit = SubmitField("Link and sign in")


class ProviderForm(FlaskForm):
    """An OpenID Connect provider: where it is and this site's client registration there."""

    label = StringField(
        "Name on the button", filters=[_strip], validators=[DataRequired(), Length(max=80)]
    )
    slug = StringField(
        "Short name in URLs",
        filters=[_strip],
        validators=[
            DataRequired(),
            Length(min=2, max=40),
            Regexp(r"^[a-z0-9-]+$", message="Use lower-case letters, digits and dashes only."),
        ],
    )

    def validate_slug(self, field: StringField) -> None:
        """`admin` and `link` are pages of their own under /signin/."""
        if field.data in ("admin", "link"):
            raise ValidationError("That short name is taken by a page: choose another.")

    issuer = StringField(
        "Issuer (or discovery) URL",
        filters=[_strip],
        validators=[DataRequired(), Length(max=500), _web_url],
    )
    client_id = StringField(
        "Client id", filters=[_strip], validators=[DataRequired(), Length(max=200)]
    )
    client_secret = PasswordField("Client secret", validators=[DataRequired(), Length(max=500)])
    emails_verified = BooleanField("Its e-mail addresses are verified (link by e-mail)")
    submit = SubmitField("Add provider")
