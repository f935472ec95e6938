"""A real OpenID Connect provider (oidc-provider-mock) on 127.0.0.1, and the steps of a sign-in."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests
from flask import Flask

from quiz.extensions import db
from quiz.models import OidcProvider


@contextmanager
def provider_server(*options: str) -> Iterator[str]:
    """Run the provider on 127.0.0.1 in a process of its own (its own warnings, its own
    threads); yields its issuer URL once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        else:
            raise RuntimeError("the OpenID provider did not start")
        yield issuer
    finally:
        process.terminate()
        process.wait(10)


def add_provider(app: Flask, issuer: str, slug: str = "school", **extra: Any) -> int:
    """Configure a provider in the app's database; its id."""
    with app.app_context():
        provider = OidcProvider(
            slug=slug,
            label=extra.pop("label", "School"),
            issuer=issuer,
            client_id=extra.pop("client_id", "quiz-app"),
            client_secret="s3cret",
            **extra,
        )
        db.session.add(provider)
        db.session.commit()
        return provider.id


def set_claims(issuer: str, sub: str, **claims: Any) -> None:
    """What the provider will say about a person."""
    answer = requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10)
    assert answer.status_code == 204, answer.text


def with_params(url: str, **changes: str) -> str:
    """The URL with some query parameters replaced."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def consent(authorize_url: str, sub: str) -> str:
    """The person at the provider picks `sub`; the URL the provider sends the browser back to."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def local(url: str) -> str:
    """The path and query of a URL of the app, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def sign_in(client: Any, slug: str, sub: str, **changes: str) -> Any:
    """The whole round trip; `changes` alter the authorization request on the way out."""
    start = client.get(f"/signin/{slug}")
    assert start.status_code == 302, start.get_data(as_text=True)
    back = consent(with_params(start.headers["Location"], **changes), sub)
    return client.get(local(back))


def id_token_for(issuer: str, client_id: str, sub: str, nonce: str) -> dict[str, Any]:
    """Tokens the provider issues to another client (the test plays that client)."""
    redirect = "http://127.0.0.1/elsewhere"
    query = urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid email",
            "redirect_uri": redirect,
            "nonce": nonce,
            "state": "x",
        }
    )
    back = consent(f"{issuer}/oauth2/authorize?{query}", sub)
    code = parse_qs(urlsplit(back).query)["code"][0]
    answer = requests.post(
        f"{issuer}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": client_id,
            "client_secret": "other",
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


ONE_HOUR_AGO = "--token-max-age=-3600"  # ID tokens that expired before they were issued
