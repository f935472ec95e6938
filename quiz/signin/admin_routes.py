"""The admin's sign-in page: providers (add, remove) and whether password registration is on."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from quiz.auth.decorators import admin_required
from quiz.auth.forms import EmptyForm
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import OidcProvider
from quiz.signin import bp
from quiz.signin.forms import ProviderForm
from quiz.signin.settings import registration_open, set_registration_open


def _page(form: ProviderForm, status: int = 200) -> Any:
    providers = db.session.scalars(sa.select(OidcProvider).order_by(OidcProvider.label)).all()
    body = render_template(
        "signin/admin.html",
        form=form,
        providers=providers,
        registration=registration_open(db.session),
        callback_base=url_for("signin.start", slug="SLUG", _external=True),
    )
    return body, status


@bp.route("/admin", methods=["GET", "POST"])
@admin_required
def admin() -> Any:
    form = ProviderForm()
    action = request.form.get("action")
    if request.method == "POST" and action in ("delete", "registration"):
        if not EmptyForm().validate_on_submit():
            abort(400)
        if action == "registration":
            wanted = request.form.get("open")
            if wanted not in ("0", "1"):
                abort(400)
            set_registration_open(db.session, wanted == "1")
            db.session.commit()
            flash(f"Registration with a password is {'on' if wanted == '1' else 'off'}.", "success")
            return redirect(url_for("signin.admin"))
        provider_id = bounded_int(request.form.get("provider_id", ""), 1, 2**31 - 1)
        provider = db.session.get(OidcProvider, provider_id) if provider_id else None
        if provider is None:
            abort(404)
        db.session.delete(provider)  # its links go with it (ON DELETE CASCADE)
        db.session.commit()
        flash(f"{provider.label} removed; its accounts stay, with their other ways in.", "success")
        return redirect(url_for("signin.admin"))
    if form.validate_on_submit():
        provider = OidcProvider(
            slug=form.slug.data,
            label=form.label.data,
            issuer=form.issuer.data,
            client_id=form.client_id.data,
            client_secret=form.client_secret.data,
            emails_verified=bool(form.emails_verified.data),
        )
        db.session.add(provider)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            form.slug.errors.append("Another provider has that short name.")
            return _page(form)
        flash(f"{provider.label} added: its button is on the login page.", "success")
        return redirect(url_for("signin.admin"))
    return _page(form)
