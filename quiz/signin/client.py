"""An Authlib OpenID Connect client for one configured provider: discovery, PKCE, state, nonce.

Authlib keeps state, nonce and the PKCE verifier in the (signed) session under the state's
name, checks the returned state against it, and checks the ID token's signature (the
provider's JWKS), issuer, audience (our client id), expiry and nonce.
"""

from __future__ import annotations

from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.flask_client.integration import FlaskIntegration
from joserfc.errors import JoseError

from quiz.models import OidcProvider

SCOPE = "openid email profile"
# Every way a provider's answer can be refused: a bad state or token, a network failure.
SIGNIN_ERRORS: tuple[type[BaseException], ...] = (
    AuthlibBaseError,
    JoseError,
    requests.RequestException,
    ValueError,
    KeyError,
)


def discovery_url(issuer: str) -> str:
    """The provider's discovery document (an issuer URL, or the document's own URL)."""
    if issuer.endswith("/.well-known/openid-configuration"):
        return issuer
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def client_for(provider: OidcProvider, timeout_s: float = 10) -> FlaskOAuth2App:
    """A client for one provider, built per request so an admin's change applies at once."""
    return FlaskOAuth2App(
        FlaskIntegration(f"oidc-{provider.id}"),
        name=f"oidc-{provider.id}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=discovery_url(provider.issuer),
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": timeout_s},
    )


def verified_claims(client: FlaskOAuth2App, token: dict[str, Any], nonce: str) -> dict[str, Any]:
    """The ID token's claims once signature, issuer, audience, expiry and nonce are checked."""
    return dict(client.parse_id_token(token, nonce=nonce) or {})
