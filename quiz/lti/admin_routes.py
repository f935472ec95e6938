"""Admin: register the platforms (LMSs) this tool trusts, and read the tool's URLs to give them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from quiz.auth.decorators import admin_required
from quiz.auth.forms import EmptyForm
from quiz.extensions import db
from quiz.lti import bp, keys
from quiz.lti.forms import PlatformForm, parse_jwks
from quiz.models import LtiPlatform


def tool_urls() -> dict[str, str]:
    """What an LMS asks for when the tool is registered."""
    return {
        "OIDC login initiation URL": url_for("lti.login", _external=True),
        "Target link / redirect URI (launch)": url_for("lti.launch", _external=True),
        "Deep linking URL": url_for("lti.launch", _external=True),
        "Public keyset (JWKS) URL": url_for("lti.jwks", _external=True),
    }


def _fill(form: PlatformForm, platform: LtiPlatform) -> None:
    """Copy the form into the platform row."""
    platform.name = form.name.data.strip()
    platform.issuer = form.issuer.data.strip()
    platform.client_id = form.client_id.data.strip()
    platform.deployment_ids = "\n".join(
        line.strip() for line in form.deployment_ids.data.splitlines() if line.strip()
    )
    platform.auth_login_url = form.auth_login_url.data.strip()
    platform.auth_token_url = form.auth_token_url.data.strip()
    platform.auth_audience = (form.auth_audience.data or "").strip() or None
    platform.key_set_url = (form.key_set_url.data or "").strip() or None
    pasted = (form.key_set.data or "").strip()
    platform.key_set = parse_jwks(pasted) if pasted else None


def _save(form: PlatformForm, platform: LtiPlatform) -> bool:
    """Store the form; False (with the form's message) when the issuer and client id are taken."""
    # The tool's key exists before any LMS fetches the JWKS (which only reads); made before the
    # form's values reach the session, whose autoflush would otherwise hit a taken client id.
    keys.current_key(db.session, current_app.config["SECRET_KEY"])
    _fill(form, platform)
    db.session.add(platform)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        taken = "This issuer and client ID are registered already."
        form.client_id.errors = [*form.client_id.errors, taken]
        return False
    return True


@bp.route("/admin", methods=["GET", "POST"])
@admin_required
def platforms() -> Any:
    form = PlatformForm()
    if form.validate_on_submit() and _save(form, LtiPlatform()):
        flash("Platform registered.", "success")
        return redirect(url_for(".platforms"))
    rows = list(db.session.scalars(sa.select(LtiPlatform).order_by(LtiPlatform.name)))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "lti/platforms.html", platforms=rows, form=form, urls=tool_urls(), delete=EmptyForm()
    ), status


@bp.route("/admin/platforms/<int:platform_id>", methods=["GET", "POST"])
@admin_required
def edit_platform(platform_id: int) -> Any:
    platform = db.session.get(LtiPlatform, platform_id) or abort(404)
    form = PlatformForm(obj=platform)
    if request.method == "GET":
        form.key_set.data = "" if not platform.key_set else _json(platform.key_set)
    if form.validate_on_submit() and _save(form, platform):
        flash("Platform saved.", "success")
        return redirect(url_for(".platforms"))
    status = 422 if request.method == "POST" else 200
    return render_template("lti/platform_form.html", form=form, platform=platform), status


@bp.route("/admin/platforms/<int:platform_id>/delete", methods=["POST"])
@admin_required
def delete_platform(platform_id: int) -> Any:
    platform = db.session.get(LtiPlatform, platform_id) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(platform)
    db.session.commit()
    flash("Platform removed; its launches are refused from now on.", "success")
    return redirect(url_for(".platforms"))


def _json(value: Any) -> str:
    import json

    return json.dumps(value, indent=2)
