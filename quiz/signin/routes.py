"""Sign-in views: start at a provider, come back with a code, link to an existing account."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from sqlalchemy.exc import IntegrityError

from quiz.auth import limiter
from quiz.auth.forms import EmptyForm
from quiz.auth.routes import check_password, find_user, home_url, too_many
from quiz.extensions import db
from quiz.models import OidcProvider, User
from quiz.signin import accounts, bp
from quiz.signin.client import SIGNIN_ERRORS, client_for
from quiz.signin.forms import LinkForm

log = logging.getLogger(__name__)
PENDING = "signin_pending"  # the identity waiting for an account's password


def provider_or_404(slug: str) -> OidcProvider:
    """The configured provider with this short name."""
    provider = db.session.scalar(sa.select(OidcProvider).where(OidcProvider.slug == slug))
    if provider is None:
        abort(404)
    return provider


def refused(provider: OidcProvider, why: str) -> Any:
    """The login page again with a 400 saying the provider's answer was refused."""
    message = f"Sign-in with {provider.label} did not work ({why}). Try again."
    body = render_template(
        "signin/refused.html", message=message, slug=provider.slug, label=provider.label
    )
    return body, 400


def signed_in(user: User) -> Any:
    """Log the user in, with nothing of the session from before (session fixation)."""
    session.clear()
    login_user(user)
    return redirect(home_url(user))


@bp.route("/<slug>", methods=["GET"])
def start(slug: str) -> Any:
    provider = provider_or_404(slug)
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    client = client_for(provider)
    try:
        # PKCE (S256), state and nonce are made and kept in the session by Authlib.
        return client.authorize_redirect(url_for("signin.callback", slug=slug, _external=True))
    except SIGNIN_ERRORS:
        log.exception("could not reach the provider %s", provider.slug)
        flash(f"{provider.label} cannot be reached just now. Try again later.", "error")
        return redirect(url_for("auth.login"))


@bp.route("/<slug>/callback", methods=["GET"])
def callback(slug: str) -> Any:
    provider = provider_or_404(slug)
    client = client_for(provider)
    try:
        # Checks the state, swaps the code (with the PKCE verifier) for tokens, and checks the
        # ID token: signature, issuer, audience, expiry and the nonce sent.
        token = client.authorize_access_token()
        claims = token.get("userinfo")
        if not claims:
            raise ValueError("no ID token")
        identity = accounts.identity_from(provider, dict(claims))
    except SIGNIN_ERRORS as error:
        log.warning("sign-in with %s refused: %s", provider.slug, error)
        return refused(provider, getattr(error, "error", None) or type(error).__name__)
    user = accounts.linked_user(db.session, identity)
    if user is not None:
        if not user.active:
            return refused(provider, "this account is deactivated")
        return signed_in(user)
    # Anything else writes (a new account, a link), which a GET must not: the person confirms
    # on the link page, with a form.
    session[PENDING] = identity.as_session()
    return redirect(url_for("signin.link"))


def _write(make: Any) -> Any:
    """Run a link or account creation and log in; a second tab that won the race has linked
    this identity already, so the person signs in again."""
    try:
        user = make()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("This sign-in is linked already: use its button again.", "info")
        return redirect(url_for("auth.login"))
    return signed_in(user)


@bp.route("/link", methods=["GET", "POST"])
def link() -> Any:
    """An account has the provider's e-mail: its password links the two, or a new one is made."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    identity = accounts.identity_from_session(session.get(PENDING))
    provider = db.session.get(OidcProvider, identity.provider_id) if identity else None
    if identity is None or provider is None:
        flash("Start again with the sign-in button.", "info")
        return redirect(url_for("auth.login"))
    owner = accounts.same_email_user(db.session, identity)
    by_email = owner is not None and owner.active and accounts.may_link_by_email(provider, identity)
    form = LinkForm()
    if request.method == "GET":
        form.username.data = identity.email if owner is not None else ""
    action = request.form.get("action") if request.method == "POST" else None
    if action in ("new", "email"):
        if not EmptyForm().validate_on_submit():
            abort(400)
        if action == "email":
            if not by_email:
                abort(400)  # the e-mail proves nothing here: the password form does
            return _write(lambda: _linked(identity, owner))
        return _write(lambda: accounts.create_user(db.session, identity))
    if form.validate_on_submit():
        user = find_user(form.username.data)
        key = limiter.account_key(user.id if user is not None else None, form.username.data)
        right, wait = check_password(user, key, form.password.data)
        if wait:
            return too_many(
                "signin/link.html", wait, form=form, provider=provider, owner=owner, by_email=False
            )
        if right and user is not None and user.active:
            flash(f"Linked: sign in with {provider.label} from now on.", "success")
            return _write(lambda: _linked(identity, user))
        form.password.errors.append("Wrong username or password.")
    return render_template(
        "signin/link.html",
        form=form,
        provider=provider,
        owner=owner,
        by_email=by_email,
        limited=None,
    )


def _linked(identity: accounts.Identity, user: User) -> User:
    """Link the identity to the account; the account."""
    accounts.link(db.session, identity, user)
    return user
