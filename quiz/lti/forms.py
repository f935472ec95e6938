"""The platform registration form."""

from __future__ import annotations

import json
from typing import Any

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

MAX_JWKS_CHARS = 20_000


def _http_url(_form: Any, field: Any) -> None:
    """An http(s) URL, or empty where the field is optional."""
    value = (field.data or "").strip()
    if value and not value.startswith(("https://", "http://")):
        raise ValidationError("Give a full URL starting with https://.")


def parse_jwks(text: str) -> dict[str, Any] | None:
    """A pasted JWKS as a dict with a list of keys; None when it is not one."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list):
        return None
    if not all(isinstance(k, dict) and k.get("kid") for k in value["keys"]):
        return None
    return value


class PlatformForm(FlaskForm):
    """What an LMS administrator reads off the LMS's tool registration page."""

    name = StringField("Name shown here", validators=[DataRequired(), Length(max=120)])
    issuer = StringField("Issuer (iss)", validators=[DataRequired(), Length(max=255)])
    client_id = StringField("Client ID", validators=[DataRequired(), Length(max=255)])
    deployment_ids = TextAreaField(
        "Deployment IDs, one a line", validators=[DataRequired(), Length(max=5000)]
    )
    auth_login_url = StringField(
        "Authentication (OIDC auth) URL", validators=[DataRequired(), Length(max=500), _http_url]
    )
    auth_token_url = StringField(
        "Access token URL", validators=[DataRequired(), Length(max=500), _http_url]
    )
    auth_audience = StringField(
        "Token audience (if not the token URL)", validators=[Optional(), Length(max=500)]
    )
    key_set_url = StringField(
        "Public keyset URL", validators=[Optional(), Length(max=500), _http_url]
    )
    key_set = TextAreaField(
        "Or the platform's JWKS, pasted", validators=[Optional(), Length(max=MAX_JWKS_CHARS)]
    )
    submit = SubmitField("Save platform")

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' checks, then: a pasted JWKS must parse, and URL or JWKS must be given.

        (Checked here: the key set field's Optional() skips its own checks when it is empty.)"""
        ok = super().validate(extra_validators)
        text = (self.key_set.data or "").strip()
        if text and parse_jwks(text) is None:
            self.key_set.errors = [
                *self.key_set.errors,
                'Paste a JSON Web Key Set: {"keys": [{"kid": ...}, ...]}.',
            ]
            return False
        if not text and not (self.key_set_url.data or "").strip():
            self.key_set.errors = [*self.key_set.errors, "Give the keyset URL or paste the JWKS."]
            return False
        return ok
