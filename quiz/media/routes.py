"""The media URLs: upload to and remove from a set (its owner), and each file by its hash."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from quiz.auth.forms import EmptyForm
from quiz.blueprints import media_pages as bp
from quiz.extensions import db
from quiz.media import store
from quiz.media.access import may_see_set
from quiz.media.checks import MediaRefused, check_upload
from quiz.media.forms import UploadForm
from quiz.models import QuestionSet, SetMedia
from quiz.sets.access import owned_set_or_404

YEAR_S = 365 * 24 * 3600
# The multipart envelope around the file: boundaries, the CSRF token, alt text and transcript.
FORM_OVERHEAD = 256 * 1024


def upload_limit() -> int:
    """The largest body the upload URL takes: the larger file limit and the form around it."""
    config = current_app.config
    return max(config["MEDIA_IMAGE_MAX_BYTES"], config["MEDIA_AUDIO_MAX_BYTES"]) + FORM_OVERHEAD


@bp.url_value_preprocessor
def _larger_body_for_uploads(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Raise the body limit for the upload URL alone, before any hook reads the form (URL
    value preprocessors run before the app's before_request functions)."""
    if endpoint != "media.upload" or not current_user.is_authenticated:
        return
    if not current_user.is_teacher:  # a student, only to a set of their own
        set_id = (values or {}).get("set_id")
        owner = db.session.scalar(sa.select(QuestionSet.owner_id).where(QuestionSet.id == set_id))
        if owner != current_user.id:
            return
    request.max_content_length = upload_limit()


def _back(set_id: int) -> Any:
    """To the page the upload came from (an authoring form of the set), else the set's media
    section. Only a path of the teacher's pages, so the field cannot send anyone elsewhere."""
    back = request.form.get("back", "") if request.method == "POST" else ""
    if back.startswith("/teach/") and "//" not in back and "\\" not in back and len(back) < 300:
        return redirect(back)
    return redirect(url_for("teach.set_page", set_id=set_id, _anchor="media"))


@bp.route("/sets/<int:set_id>/upload", methods=["POST"])
@login_required
def upload(set_id: int) -> Any:
    """Check an uploaded file from its bytes and place it in the set, or say why not."""
    try:
        return _upload(set_id)
    finally:
        for part in request.files.values():
            part.close()  # a large upload is spooled to a temporary file: close it now


def _upload(set_id: int) -> Any:
    """The upload view's body: the form, the checks, the store."""
    config = current_app.config
    image_limit, audio_limit = config["MEDIA_IMAGE_MAX_BYTES"], config["MEDIA_AUDIO_MAX_BYTES"]
    qset = owned_set_or_404(set_id)
    form = UploadForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(f"Not uploaded: {error}", "error")
        return _back(qset.id)
    data = form.file.data.read()
    try:
        checked = check_upload(data, image_limit, audio_limit)
        if checked.is_image and not form.decorative.data and not (form.alt.data or "").strip():
            raise MediaRefused(
                "A picture needs alt text saying what it shows, unless you tick “decorative”."
            )
        link = store.add_file(
            db.session,
            set_id=qset.id,
            user_id=current_user.id,
            checked=checked,
            filename=form.file.data.filename or "",
            alt=form.alt.data or "",
            transcript=form.transcript.data or "",
            decorative=bool(form.decorative.data) and checked.is_image,
            quota=config["MEDIA_QUOTA_BYTES"],
        )
    except MediaRefused as refusal:
        db.session.rollback()
        flash(f"Not uploaded: {refusal}", "error")
        return _back(qset.id)
    db.session.commit()
    flash(f"Uploaded as {link.name}. Place it with ![…](media:{link.name}).", "success")
    return _back(qset.id)


@bp.route("/sets/<int:set_id>/files/<int:link_id>/delete", methods=["POST"])
@login_required
def delete(set_id: int, link_id: int) -> Any:
    """Take a file out of the set (questions naming it then show its name instead)."""
    qset = owned_set_or_404(set_id)
    link = db.session.get(SetMedia, link_id)
    if link is None or link.set_id != qset.id or not EmptyForm().validate_on_submit():
        abort(404)
    name = link.name
    store.remove_file(db.session, link)
    db.session.commit()
    flash(f"Removed {name}.", "success")
    return _back(qset.id)


@bp.route("/<int:set_id>/<sha256>")
@login_required
def file(set_id: int, sha256: str) -> Any:
    """A file by its hash, to who may see the set it is placed in; a 404 to anyone else."""
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        abort(404)
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not may_see_set(qset):
        abort(404)
    stored = db.session.scalar(store.served_file(set_id, sha256))
    if stored is None:
        abort(404)
    response = current_app.response_class(stored.data, mimetype=stored.mime)
    response.headers["Cache-Control"] = f"private, max-age={YEAR_S}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["ETag"] = f'"{stored.sha256}"'
    if not stored.mime.startswith(("image/", "audio/")):
        response.headers["Content-Disposition"] = f'attachment; filename="{stored.sha256}"'
    return response
