"""A class's answers as CSV: written in one pass to any text stream, small or 3 million rows.

The web page writes small classes straight into the response and large ones into a gzip file
in the background (quiz.reports.export_routes); `flask export-answers` writes a file. All
three share write_answers, so the columns and the row count are the same everywhere.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import json
import threading
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import Assignment, Classroom, ExportJob, Question, QuestionSet, Review
from quiz.reports import data as class_data
from quiz.reports.csvcells import safe_cell
from quiz.timeutil import now_utc

HEADER = [
    "Student", "Set", "Question key", "Question", "Response", "Correct", "Score",
    "Seconds", "Answered at", "Source", "Override",
]  # fmt: skip
STREAM_BELOW = 20_000  # answers; more are built in the background into a file
BATCH = 5_000
DESCRIBED = 50_000  # distinct (question, response) texts kept while writing


def answer_query(classroom: Classroom) -> sa.Select[Any]:
    """Every answer of the class's students on its sets, oldest first."""
    query = class_data.answer_rows(None, classroom, sa.true(), None).order_by(None)  # type: ignore[arg-type]
    return query.order_by(Review.reviewed_at, Review.id)


def count_answers(session: Session, classroom: Classroom) -> int:
    """How many rows the export will have (the same joins and filters, counted)."""
    query = answer_query(classroom).order_by(None).with_only_columns(sa.func.count(Review.id))
    return int(session.scalar(query) or 0)


def write_answers(
    session: Session,
    classroom: Classroom,
    zone: tzinfo,
    out: IO[str],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the header and every answer as CSV to `out`; return the number of answers."""
    set_ids = sa.select(Assignment.set_id).where(Assignment.classroom_id == classroom.id)
    items = class_data.question_items(
        session, sa.select(Question.id).where(Question.set_id.in_(set_ids))
    )
    titles = dict(
        session.execute(
            sa.select(QuestionSet.id, QuestionSet.title).where(QuestionSet.id.in_(set_ids))
        ).all()
    )
    labels = {qid: safe_cell(q.label) for qid, (q, _item) in items.items()}
    set_titles = {sid: safe_cell(title) for sid, title in titles.items()}
    # A class of 1,000 gives the same few answers to each question: each is put in words once.
    described: dict[tuple[int, str], str] = {}
    writer = csv.writer(out)
    writer.writerow(HEADER)
    count = 0
    # The response as its stored JSON text: the text is the key of `described`, and only a
    # response not yet described is decoded (decoding and re-encoding each row cost 20%).
    query = answer_query(classroom)
    columns = [c for c in query.selected_columns if c.key != "response"]
    query = query.with_only_columns(*columns, sa.cast(Review.response, sa.Text).label("raw"))
    result = session.execute(query.execution_options(yield_per=BATCH))
    for rows in result.partitions():
        lines = []
        for row in rows:
            key = (row.question_id, row.raw)
            text = described.get(key)
            if text is None:
                item = items.get(row.question_id, (None, None))[1]
                response = json.loads(row.raw) if row.raw is not None else None
                words = class_data.describe_response(item, response) if item else str(response)
                text = safe_cell(words)
                if len(described) < DESCRIBED:
                    described[key] = text
            lines.append(
                (
                    safe_cell(row.username),
                    set_titles.get(row.set_id, ""),
                    safe_cell(row.key),
                    labels.get(row.question_id, ""),
                    text,
                    "yes" if row.correct else "no",
                    round(row.score, 3),
                    round(row.duration_ms / 1000, 1) if row.duration_ms is not None else "",
                    row.reviewed_at.astimezone(zone).isoformat(timespec="seconds"),
                    f"quiz attempt {row.attempt_id}" if row.attempt_id else "study",
                    class_data.override_text(row),
                )
            )
        writer.writerows(lines)
        count += len(lines)
        if progress is not None:
            progress(count)
    return count


class _Counting:
    """A text sink that counts the bytes of UTF-8 it passes on (the CSV's own size)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.size = 0

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.size += len(data)
        self.raw.write(data)
        return len(text)


def export_dir(app: Any) -> Path:
    """Where built exports are kept: EXPORT_DIR, by default the instance folder's exports/."""
    path = Path(app.config.get("EXPORT_DIR") or Path(app.instance_path) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_job(session: Session, job_id: int, directory: Path, zone: tzinfo) -> None:
    """Build one queued export into `directory` (as gzip), marking it ready or failed."""
    job = session.get(ExportJob, job_id)
    if job is None or job.status not in ("queued", "building"):
        return
    classroom = session.get(Classroom, job.classroom_id)
    if classroom is None:
        return
    job.status, job.started_at = "building", now_utc()
    job.file_name = f"answers-{job.classroom_id}-{job.id}.csv.gz"
    session.commit()
    target = directory / job.file_name
    partial = target.with_suffix(".part")
    try:
        with gzip.open(partial, "wb", compresslevel=5) as raw:
            sink = _Counting(raw)  # type: ignore[arg-type]
            rows = write_answers(session, classroom, zone, sink)  # type: ignore[arg-type]
        partial.replace(target)  # only a finished file gets the name that is served
        job = session.get(ExportJob, job_id)
        if job is not None:
            job.rows, job.csv_bytes = rows, sink.size
            job.status, job.finished_at = "ready", now_utc()
    except Exception as error:
        session.rollback()
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        job = session.get(ExportJob, job_id)
        if job is not None:
            job.status, job.finished_at = "failed", now_utc()
            job.error = f"{type(error).__name__}: {error}"[:300]
    session.commit()


def start_in_thread(app: Any, job_id: int, zone: tzinfo) -> threading.Thread:
    """Build an export in a thread of this process, with its own session."""

    def run() -> None:
        from quiz.extensions import db

        with app.app_context():
            try:
                build_job(db.session, job_id, export_dir(app), zone)
            except Exception:  # the job stays unfinished and its page offers a rebuild
                app.logger.exception("answers export %s could not be built", job_id)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name=f"export-{job_id}", daemon=True)
    thread.start()
    return thread
