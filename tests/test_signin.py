"""Sign-in through a real OpenID Connect provider (oidc-provider-mock on 127.0.0.1): accounts
made and linked, and every tampered answer refused with nothing created."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import OidcIdentity, OidcProvider, User
from quiz.signin.client import SIGNIN_ERRORS, client_for, verified_claims
from tests.conftest import PASSWORD, count_rows
from tests.signin_helpers import (
    ONE_HOUR_AGO,
    add_provider,
    id_token_for,
    provider_server,
    set_claims,
    sign_in,
)


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    """One provider for the module's tests (each test uses its own subjects)."""
    with provider_server("--require-nonce") as url:
        yield url


@pytest.fixture(scope="module")
def stale_issuer() -> Iterator[str]:
    """A provider whose ID tokens expired an hour before they were issued."""
    with provider_server(ONE_HOUR_AGO) as url:
        yield url


def logged_in_as(client, app: Flask) -> str | None:
    """The username the client's session is logged in as (from the account page)."""
    page = client.get("/auth/account")
    if page.status_code != 200:
        return None
    with app.app_context():
        for user in db.session.scalars(sa.select(User)):
            if user.username in page.get_data(as_text=True):
                return user.username
    return None


def test_first_sign_in_makes_an_account_and_the_next_finds_it(app, client, issuer):
    add_provider(app, issuer)
    assert "Sign in with School" in client.get("/auth/login").get_data(as_text=True)
    start = client.get("/signin/school")
    location = start.headers["Location"]
    # PKCE with S256, a state and a nonce go out with the request.
    assert "code_challenge_method=S256" in location and "code_challenge=" in location
    assert "state=" in location and "nonce=" in location
    set_claims(issuer, "s-new", email="newbie@school.example", preferred_username="newbie")
    answer = sign_in(client, "school", "s-new")
    # The callback is a GET and writes nothing: the person confirms with a form.
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/signin/link")
    assert count_rows(app, User) == 0
    assert "Create my account" in client.get("/signin/link").get_data(as_text=True)
    made = client.post("/signin/link", data={"action": "new"})
    assert made.status_code == 302 and made.headers["Location"].endswith("/study/")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "newbie@school.example"))
        assert user is not None and user.username == "newbie" and user.role == "student"
    client.post("/auth/logout")
    again = sign_in(client, "school", "s-new")
    assert again.status_code == 302 and again.headers["Location"].endswith("/study/")
    assert count_rows(app, User) == 1 and count_rows(app, OidcIdentity) == 1
    # The account has no password: nobody logs in to it with one.
    client.post("/auth/logout")
    bad = client.post("/auth/login", data={"username": "newbie", "password": "!"})
    assert bad.status_code == 200 and "Wrong username or password" in bad.get_data(as_text=True)


def test_an_existing_email_links_only_with_that_accounts_password(
    app, client, issuer, user_factory
):
    user_factory("alice")  # alice@example.org
    add_provider(app, issuer)
    set_claims(issuer, "s-alice", email="alice@example.org", email_verified=True)
    answer = sign_in(client, "school", "s-alice")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/signin/link")
    assert count_rows(app, OidcIdentity) == 0  # an unverified provider's e-mail proves nothing
    assert client.post("/signin/link", data={"action": "email"}).status_code == 400
    wrong = client.post("/signin/link", data={"username": "alice", "password": "not it"})
    assert wrong.status_code == 200 and "Wrong username or password" in wrong.get_data(as_text=True)
    assert count_rows(app, OidcIdentity) == 0
    right = client.post("/signin/link", data={"username": "alice", "password": PASSWORD})
    assert right.status_code == 302
    assert count_rows(app, OidcIdentity) == 1 and count_rows(app, User) == 1
    client.post("/auth/logout")
    again = sign_in(client, "school", "s-alice")
    assert again.status_code == 302 and again.headers["Location"].endswith("/study/")


def test_a_verified_provider_links_by_email(app, client, issuer, user_factory):
    user_factory("bob")
    add_provider(app, issuer, emails_verified=True)
    set_claims(issuer, "s-bob-unverified", email="bob@example.org", email_verified=False)
    sign_in(client, "school", "s-bob-unverified")
    page = client.get("/signin/link").get_data(as_text=True)
    assert "Continue as" not in page  # the token did not say the address was verified
    assert client.post("/signin/link", data={"action": "email"}).status_code == 400
    set_claims(issuer, "s-bob", email="bob@example.org", email_verified=True)
    sign_in(client, "school", "s-bob")
    assert "Continue as bob" in client.get("/signin/link").get_data(as_text=True)
    answer = client.post("/signin/link", data={"action": "email"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/study/")
    assert count_rows(app, User) == 1
    with app.app_context():
        link = db.session.scalar(sa.select(OidcIdentity))
        assert link is not None and link.subject == "s-bob"


def test_a_wrong_state_is_refused(app, client, issuer):
    add_provider(app, issuer)
    set_claims(issuer, "s-state", email="state@school.example")
    answer = sign_in(client, "school", "s-state", state="forged-state")
    assert answer.status_code == 400
    assert "did not work" in answer.get_data(as_text=True)
    assert count_rows(app, User) == 0 and count_rows(app, OidcIdentity) == 0


def test_a_wrong_nonce_is_refused(app, client, issuer):
    add_provider(app, issuer)
    set_claims(issuer, "s-nonce", email="nonce@school.example")
    answer = sign_in(client, "school", "s-nonce", nonce="some-other-nonce")
    assert answer.status_code == 400
    assert count_rows(app, User) == 0


def test_a_code_for_another_client_is_refused(app, client, issuer):
    add_provider(app, issuer)
    answer = sign_in(client, "school", "s-client", client_id="someone-else")
    assert answer.status_code == 400
    assert count_rows(app, User) == 0


def test_an_id_token_for_another_client_is_refused(app, issuer):
    provider_id = add_provider(app, issuer)
    tokens = id_token_for(issuer, "someone-else", "s-aud", nonce="n-1")
    with app.test_request_context():
        provider = db.session.get(OidcProvider, provider_id)
        client = client_for(provider)
        with pytest.raises(SIGNIN_ERRORS):
            verified_claims(client, tokens, nonce="n-1")
        # The same token checked as its own client's passes: the audience alone refused it.
        provider.client_id = "someone-else"
        assert verified_claims(client_for(provider), tokens, nonce="n-1")["sub"] == "s-aud"


def test_an_expired_id_token_is_refused(app, client, stale_issuer):
    add_provider(app, stale_issuer, slug="stale")
    answer = sign_in(client, "stale", "s-late")
    assert answer.status_code == 400
    assert count_rows(app, User) == 0


def test_an_unknown_provider_is_a_404(client):
    assert client.get("/signin/nosuch").status_code == 404
    assert client.get("/signin/nosuch/callback?code=x&state=y").status_code == 404


def test_the_link_page_without_a_sign_in_sends_to_login(client):
    answer = client.get("/signin/link")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]
