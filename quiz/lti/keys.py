"""The tool's RSA keys: made on first use, kept encrypted in the database, published as JWKS."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pylti1p3.registration import Registration
from sqlalchemy.orm import Session

from quiz.models import LtiKey
from quiz.timeutil import now_utc

# A retired key stays in the JWKS this long, so platforms that cached it still verify what it
# signed (deep-link responses, service tokens) and have time to fetch the new one.
RETIRED_KEY_PUBLISHED = timedelta(days=7)
KEY_BITS = 2048


class KeyUnreadable(RuntimeError):
    """The stored private key does not decrypt: SECRET_KEY changed since it was made."""


def fernet(secret: str | bytes) -> Fernet:
    """The cipher for private keys, derived from the app's SECRET_KEY (HKDF, own label)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"quiz lti tool key v1"
    ).derive(raw)
    return Fernet(base64.urlsafe_b64encode(derived))


def new_key(secret: str | bytes) -> LtiKey:
    """A fresh RSA key, its private half encrypted; kid is the RFC 7638 thumbprint."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return LtiKey(
        kid=Registration.get_jwk(public_pem)["kid"],
        private_encrypted=fernet(secret).encrypt(private_pem).decode(),
        public_pem=public_pem,
    )


def current_key(session: Session, secret: str | bytes) -> LtiKey:
    """The key that signs now; the first call makes one (flushed, the caller commits)."""
    key = session.scalar(
        sa.select(LtiKey).where(LtiKey.retired_at.is_(None)).order_by(LtiKey.id.desc()).limit(1)
    )
    if key is None:
        key = new_key(secret)
        session.add(key)
        session.flush()
    return key


def private_pem(key: LtiKey, secret: str | bytes) -> str:
    """The decrypted private key."""
    try:
        return fernet(secret).decrypt(key.private_encrypted.encode()).decode()
    except InvalidToken as error:
        raise KeyUnreadable("the LTI key was encrypted under another SECRET_KEY") from error


def published_keys(session: Session) -> list[LtiKey]:
    """The signing key and the keys retired recently enough to stay published."""
    cutoff = now_utc() - RETIRED_KEY_PUBLISHED
    return list(
        session.scalars(
            sa.select(LtiKey)
            .where(sa.or_(LtiKey.retired_at.is_(None), LtiKey.retired_at > cutoff))
            .order_by(LtiKey.id)
        )
    )


def jwks(session: Session) -> dict[str, Any]:
    """The JWKS document: every published public key with its kid, alg and use.

    Only reads: the first key is made by the first platform's registration (or launch)."""
    return {"keys": [dict(Registration.get_jwk(k.public_pem)) for k in published_keys(session)]}


def rotate(session: Session, secret: str | bytes) -> tuple[LtiKey, list[LtiKey]]:
    """Retire the signing key(s) and make a new one; returns the new key and those retired."""
    now = now_utc()
    old = list(session.scalars(sa.select(LtiKey).where(LtiKey.retired_at.is_(None))))
    for key in old:
        key.retired_at = now
    fresh = new_key(secret)
    session.add(fresh)
    session.flush()
    return fresh, old
