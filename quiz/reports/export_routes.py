"""The answers download: small classes at once, large ones built into a file in the background.

A download cut short must never look like a complete file: every answer file is served with
its Content-Length (a cut connection is then a failed download), compressed when the browser
accepts gzip. A class with more than STREAM_BELOW answers gets a page that builds the file
outside the request (no worker timeout applies) and says when it is ready.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.blueprints import teacher_pages as bp
from quiz.classes.access import class_or_404, class_zone
from quiz.extensions import db
from quiz.models import ExportJob
from quiz.reports import answer_export as building
from quiz.reports.routes import file_slug
from quiz.timeutil import now_utc

STALE = timedelta(minutes=30)  # a build this old and unfinished died with its worker
CHUNK = 256 * 1024


def accepts_gzip() -> bool:
    """Whether the browser said it takes gzip (Accept-Encoding)."""
    return "gzip" in request.accept_encodings


def csv_response(body: bytes | Iterator[bytes], name: str, size: int, *, gzipped: bool) -> Response:
    """A CSV attachment of known length, gzip-encoded if `gzipped`."""
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Length"] = str(size)
    response.headers["Vary"] = "Accept-Encoding"
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.direct_passthrough = True
    return response


@bp.route("/classes/<int:class_id>/answers.csv")
@teacher_required
def answers_csv(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    if building.count_answers(db.session, classroom) > building.STREAM_BELOW:
        return redirect(url_for("teach.answer_export", class_id=classroom.id))
    text = io.StringIO()
    building.write_answers(db.session, classroom, class_zone(classroom), text)
    body = text.getvalue().encode("utf-8")
    if accepts_gzip():
        body = gzip.compress(body, compresslevel=5)
    name = f"{file_slug(classroom.name)}-answers.csv"
    return csv_response(body, name, len(body), gzipped=accepts_gzip())


def latest_job(class_id: int) -> ExportJob | None:
    """The class's newest answers export."""
    return db.session.scalar(
        sa.select(ExportJob)
        .where(ExportJob.classroom_id == class_id, ExportJob.kind == "answers")
        .order_by(ExportJob.id.desc())
        .limit(1)
    )


def is_running(job: ExportJob | None) -> bool:
    """Queued or building, and not so old that its worker must have died."""
    if job is None or job.status not in ("queued", "building"):
        return False
    return now_utc() - (job.started_at or job.created_at) < STALE


@bp.route("/classes/<int:class_id>/answers-export", methods=["GET", "POST"])
@teacher_required
def answer_export(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    job = latest_job(classroom.id)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if is_running(job):
            flash("That export is already being built.", "info")
        else:
            job = ExportJob(
                classroom_id=classroom.id,
                requested_by=current_user.id,
                expected_rows=building.count_answers(db.session, classroom),
            )
            db.session.add(job)
            db.session.commit()
            building.start_in_thread(
                current_app._get_current_object(),  # type: ignore[attr-defined]
                job.id,
                class_zone(classroom),
            )
            flash("The export is being built; this page says when it is ready.", "success")
        return redirect(url_for("teach.answer_export", class_id=classroom.id))
    running = is_running(job)
    page = render_template(
        "reports/answer_export.html",
        classroom=classroom,
        job=job,
        running=running,
        count=building.count_answers(db.session, classroom),
        form=form,
        zone=class_zone(classroom),
    )
    response = Response(page)
    if running:
        response.headers["Refresh"] = "5"  # looks again without JavaScript
    return response


@bp.route("/classes/<int:class_id>/answers-export/file")
@teacher_required
def answer_export_file(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    job = db.session.scalar(
        sa.select(ExportJob)
        .where(
            ExportJob.classroom_id == classroom.id,
            ExportJob.kind == "answers",
            ExportJob.status == "ready",
        )
        .order_by(ExportJob.id.desc())
        .limit(1)
    )
    if job is None or not job.file_name:
        abort(404)
    path = building.export_dir(current_app) / job.file_name
    if not path.is_file():
        abort(404)
    name = f"{file_slug(classroom.name)}-answers.csv"
    if accepts_gzip():
        return csv_response(_chunks(path, raw=True), name, path.stat().st_size, gzipped=True)
    return csv_response(_chunks(path, raw=False), name, job.csv_bytes, gzipped=False)


def _chunks(path: Path, *, raw: bool) -> Iterator[bytes]:
    """The file's bytes as stored (gzip) or unpacked, a chunk at a time."""
    opener = open if raw else gzip.open
    with opener(path, "rb") as source:  # type: ignore[operator]
        while chunk := source.read(CHUNK):
            yield chunk
