"""Import (read, preview, then write), export downloads and the printable worksheet."""

from __future__ import annotations

import hmac
import io
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from quiz import MAX_ID
from quiz.blueprints import teacher_pages as bp
from quiz.database import begin_write
from quiz.extensions import db
from quiz.formats.common import FormatError, ReadResult, plain_label
from quiz.formats.delimited import COLUMN_HELP
from quiz.formats.detect import LABELS
from quiz.formats.upload import MAX_FILE_BYTES, MAX_TEXT_BYTES, read_upload, split_groups
from quiz.inputs import bounded_int
from quiz.media.checks import MediaRefused
from quiz.media.imported import place_import_media
from quiz.models import Question, QuestionSet, Visibility
from quiz.mysets.anki_history import keep_package_history
from quiz.sets.access import can_edit, readable_set_or_404, sets_home
from quiz.timeutil import now_utc
from quiz.transfer import pending as pending_imports
from quiz.transfer.exports import EXPORTS, export_set
from quiz.transfer.forms import ConfirmForm, ImportForm, quizlet_options
from quiz.transfer.imports import (
    NEW,
    SAME,
    UPDATE,
    new_set,
    plan_import,
    set_data,
    without_group_tags,
    write_import,
)
from quiz.transfer.pending import Choices

ANKI_FORMATS = ("apkg", "colpkg")  # packages that may carry a student's review history
GONE = (
    "This preview has expired or was already imported: this confirmation wrote nothing. "
    "Look at the set; if the questions are not there, upload the file again."
)
MISMATCH = "The confirmation does not match the file that was previewed, so nothing was written."

# What each export changes, by kind; the same mapping is documented in questions/README.md.
EXPORT_CHANGES = {
    "gift": {
        "ordering": "written as matching (position -> item); this app reads it back as ordering",
        "flashcard": "written as a short answer (the back); this app reads it back as a card",
        "cloze": "with several gaps, Moodle reads only the first gap",
    },
    "moodle-xml": {
        "flashcard": "written as a short answer (the back); this app reads it back as a card",
    },
    "apkg": {
        kind: "a Basic note: question and options in front, answer and explanation behind"
        for kind in (
            "multiple_choice",
            "multiple_select",
            "true_false",
            "short_answer",
            "numeric",
            "matching",
            "ordering",
        )
    },
}


def editable_sets() -> list[QuestionSet]:
    """The sets the teacher may import into: their own, not the read-only bank sets."""
    return list(
        db.session.scalars(
            sa.select(QuestionSet)
            .where(QuestionSet.owner_id == current_user.id, QuestionSet.slug.is_(None))
            .order_by(QuestionSet.title)
        )
    )


def target_set(value: str | None) -> QuestionSet | None:
    """The set named by a target field ("new" -> None); anything not editable is a 404."""
    if not value or value == "new":
        return None
    set_id = bounded_int(value, 1, MAX_ID) if value.isdigit() else None
    if set_id is None:
        abort(404)
    qset = db.session.get(QuestionSet, set_id)
    if qset is None or not can_edit(current_user, qset):
        abort(404)
    return qset


def uploaded(form: ImportForm) -> tuple[bytes, str]:
    """The bytes to import (a file wins over the paste box) and the file's name."""
    upload = form.upload.data
    if upload is not None and getattr(upload, "filename", ""):
        return upload.read(MAX_FILE_BYTES + 1), upload.filename
    text = form.text.data or ""
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise FormatError(1, f"pasted text may be at most {MAX_TEXT_BYTES // 2**20} MB")
    return text.encode(), ""


def widen_upload_limit() -> None:
    """Let the import page take a binary file up to its own limit (other pages keep the
    site's): registered before CSRF's check, which reads the form."""
    if request.endpoint != "teach.import_page" or request.method != "POST":
        return
    # Only for whom the page is (anyone logged in: students import their own decks); the
    # anonymous keep the site's limit (no 50 MB bodies to read for a request refused anyway).
    if current_user.is_authenticated:
        request.max_content_length = MAX_FILE_BYTES + 256 * 1024  # and the form's fields
        # The paste box: a little over its limit, so the page can say the limit (not a 413).
        request.max_form_memory_size = MAX_TEXT_BYTES + 256 * 1024


def media_limits() -> tuple[int, int]:
    """The largest picture and sound an import may bring, as the upload page allows."""
    config = current_app.config
    return config["MEDIA_IMAGE_MAX_BYTES"], config["MEDIA_AUDIO_MAX_BYTES"]


def preview_rows(result: ReadResult, plan: list[str]) -> list[dict[str, Any]]:
    """Each question in short for the preview table."""
    return [
        {
            "line": line,
            "key": item.key,
            "kind": item.question.kind,
            "label": plain_label(item.question),
            "answer": plain_label(item.question, answer=True),
            "status": status,
        }
        for item, line, status in zip(result.questions, result.lines, plan, strict=True)
    ]


def _render_form(
    form: ImportForm, error: str | None = None, status: int = 200, hint: str | None = None
) -> Any:
    """The import page."""
    return (
        render_template(
            "transfer/import.html",
            form=form,
            error=error,
            hint=hint,
            columns=COLUMN_HELP,
            formats=LABELS,
        ),
        status,
    )


def _import_form() -> ImportForm:
    """The import form with the teacher's sets as targets."""
    form = ImportForm()
    choices = [SelectChoice("new", "A new set")]
    choices += [SelectChoice(str(s.id), s.title) for s in editable_sets()]
    wanted = request.args.get("set", "") or request.form.get("target", "")
    if wanted and wanted not in {choice.value for choice in choices}:
        qset = target_set(wanted)  # a 404 unless the user may change it
        if qset is not None:
            choices.append(SelectChoice(str(qset.id), qset.title))
    form.target.choices = choices
    if request.method == "GET" and wanted:
        form.target.data = wanted
    return form


def _refused(error: str, status: int) -> Any:
    """The import page saying why a confirmation wrote nothing."""
    minutes = current_app.config["IMPORT_PREVIEW_TTL_S"] // 60
    hint = f"A preview is kept for {minutes} minutes. Upload the file again for a new preview."
    return _render_form(_import_form(), error=error, status=status, hint=hint)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_page() -> Any:
    form = _import_form()
    if not form.validate_on_submit():
        return _render_form(form, status=422 if request.method == "POST" else 200)
    qset = target_set(form.target.data)
    db.session.commit()  # end the read transaction: no lock is held while the file is read
    options = quizlet_options(form) if form.fmt.data == "quizlet" else {}
    try:
        content, filename = uploaded(form)
        fmt, result = read_upload(
            content, form.fmt.data or "guess", filename, options, media_limits=media_limits()
        )
    except FormatError as error:
        return _render_form(form, error=str(error), status=422)
    title = (form.title.data or "").strip() or result.title or filename.rsplit(".", 1)[0]
    title = title or "Imported questions"
    retire = bool(form.retire.data and qset)
    plan = plan_import(db.session, qset.id if qset else None, result)
    choices = Choices(
        qset.id if qset else None, filename, fmt, title, form.visibility.data, retire, options
    )
    config = current_app.config
    pending = pending_imports.store(
        db.session,
        current_user.id,
        content,
        choices,
        now_utc(),
        timedelta(seconds=config["IMPORT_PREVIEW_TTL_S"]),
        config["IMPORT_PREVIEWS_PER_USER"],
    )
    # Read before the commit, which expires the row (reloading it would read the file again).
    confirm = ConfirmForm(formdata=None, data={"token": pending.token, "sha256": pending.sha256})
    db.session.commit()
    groups = [(name, len(part.questions)) for name, part in split_groups(result)]
    return render_template(
        "transfer/preview.html",
        confirm=confirm,
        sha256=confirm.sha256.data,
        minutes=config["IMPORT_PREVIEW_TTL_S"] // 60,
        qset=qset,
        fmt_label=LABELS[fmt],
        title=title,
        counts=result.counts(),
        warnings=result.warnings,
        rows=preview_rows(result, plan),
        unit=result.unit,
        totals={status: plan.count(status) for status in (NEW, UPDATE, SAME)},
        retire=retire,
        groups=groups if qset is None and len(groups) > 1 else [],
        time_limit_s=result.time_limit_s,
        offer_history=fmt in ANKI_FORMATS and not current_user.is_teacher,
        media=[(blob.name, blob.checked.mime) for blob in result.media],
    )


@bp.route("/import/confirm", methods=["POST"])
@login_required
def import_confirm() -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    pending = pending_imports.find(db.session, form.token.data)
    if pending is not None and pending.owner_id != current_user.id:
        abort(404)  # only the teacher who uploaded the file confirms it
    if pending is None or pending.expires_at <= now_utc():
        return _refused(GONE, 410)
    if not hmac.compare_digest(form.sha256.data.encode(), pending.sha256.encode()):
        return _refused(MISMATCH, 422)
    pending_id, choices = pending.id, pending_imports.choices_of(pending)
    content = pending.content
    qset = target_set(str(choices.set_id)) if choices.set_id else None
    try:
        db.session.commit()  # the write lock is taken again after reading, not held through it
        _, result = read_upload(
            content, choices.fmt, choices.filename, choices.options, media_limits=media_limits()
        )
    except FormatError as error:
        return _refused(str(error), 422)
    begin_write(db.session)
    if not pending_imports.claim(db.session, pending_id):
        db.session.rollback()  # a second click, or the set was deleted meanwhile
        return _refused(GONE, 410)
    if qset is not None and not can_edit(current_user, qset):
        abort(404)  # the set changed hands while the file was read
    parts = [("", result)]
    if qset is None and form.grouping.data == "sets":
        parts = [(name, without_group_tags(part)) for name, part in split_groups(result)]
    quota = current_app.config["MEDIA_QUOTA_BYTES"]
    try:
        written = []
        for name, part in parts:
            target = qset or new_set(
                db.session,
                current_user,
                name or choices.title,
                choices.visibility if current_user.is_teacher else Visibility.PRIVATE.value,
                part.description,
            )
            part = place_import_media(db.session, target.id, current_user.id, part, quota)
            written.append((target, write_import(db.session, target, part, choices.retire)))
        kept = None
        if form.keep_history.data and choices.fmt in ANKI_FORMATS and not current_user.is_teacher:
            db.session.flush()
            targets = [target.id for target, _report in written]
            fuzzing = current_app.config["SCHEDULER_FUZZING"]
            kept = keep_package_history(db.session, current_user, content, targets, fuzzing=fuzzing)
        db.session.commit()
    except MediaRefused as refused:
        db.session.rollback()  # no question and no file of the import is kept
        return _refused(f"Nothing was imported. {refused}", 422)
    except IntegrityError:
        db.session.rollback()  # another import into the same set won the race for a key
        flash("The set changed while importing. Nothing was written; try again.", "error")
        return redirect(url_for(".import_page"))
    for target, report in written:
        flash(f"Imported into “{target.title}”: {report.summary()}.", "success")
    if kept is not None:
        flash(f"Your Anki history: {kept.summary()}.", "success")
    if len(written) > 1:
        return redirect(sets_home())
    return redirect(url_for(".export_page", set_id=written[0][0].id))


@bp.route("/sets/<int:set_id>/export")
@login_required
def export_page(set_id: int) -> Any:
    qset = readable_set_or_404(set_id)
    kinds = dict(
        db.session.execute(
            sa.select(Question.kind, sa.func.count())
            .where(Question.set_id == qset.id, Question.retired.is_(False))
            .group_by(Question.kind)
        ).all()
    )
    changes = {
        fmt: [(kind, kinds[kind], note) for kind, note in notes.items() if kind in kinds]
        for fmt, notes in EXPORT_CHANGES.items()
    }
    return render_template(
        "transfer/export.html",
        qset=qset,
        kinds=kinds,
        exports=EXPORTS,
        changes=changes,
        editable=can_edit(current_user, qset),
    )


@bp.route("/sets/<int:set_id>/export/<fmt>")
@login_required
def export_download(set_id: int, fmt: str) -> Any:
    qset = readable_set_or_404(set_id)
    if fmt not in EXPORTS:
        abort(404)
    export = export_set(db.session, qset, fmt)
    return send_file(
        io.BytesIO(export.content),
        mimetype=export.mimetype,
        as_attachment=True,
        download_name=export.filename,
        max_age=0,
    )


@bp.route("/sets/<int:set_id>/print")
@login_required
def print_worksheet(set_id: int) -> Any:
    qset = readable_set_or_404(set_id)
    data = set_data(db.session, qset)
    return render_template(
        "transfer/worksheet.html", qset=qset, questions=data.questions, seed=qset.id
    )


@bp.route("/sets/<int:set_id>/print/answers")
@login_required
def print_answers(set_id: int) -> Any:
    qset = readable_set_or_404(set_id)
    data = set_data(db.session, qset)
    return render_template("transfer/answer_key.html", qset=qset, questions=data.questions)
