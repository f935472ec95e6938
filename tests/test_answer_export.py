"""The answers export: whole files with a Content-Length, gzip when asked, large ones built in
the background into a stored file, and the command line; row counts match the database."""

from __future__ import annotations

import csv
import gzip
import io
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import ExportJob, Review, User
from quiz.reports import answer_export
from tests.test_dashboard_statements import build_class

PASSWORD = "correct horse battery"


def teacher_client(app: Flask, tag: str) -> object:
    client = app.test_client()
    response = client.post("/auth/login", data={"username": f"teacher{tag}", "password": PASSWORD})
    assert response.status_code == 302
    return client


def reviews_in(app: Flask, tag: str) -> int:
    """The class's answers as the database counts them (every review of its students)."""
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(Review.id))
            .join(User, User.id == Review.user_id)
            .where(User.username.like(f"s{tag}%"))
        )


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_small_export_is_whole_and_gzipped_when_asked(app: Flask) -> None:
    class_id, *_rest = build_class(app, 4, "G")
    client = teacher_client(app, "G")
    url = f"/teach/classes/{class_id}/answers.csv"
    plain = client.get(url)
    assert plain.headers.get("Content-Encoding") is None
    assert int(plain.headers["Content-Length"]) == len(plain.data)
    header, *rows = rows_of(plain.data)
    assert header[0] == "Student" and len(rows) == reviews_in(app, "G") == 24
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    assert gzip.decompress(packed.data) == plain.data


def test_large_export_is_built_into_a_file(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(answer_export, "STREAM_BELOW", 10)
    app.config["EXPORT_DIR"] = str(tmp_path)
    class_id, *_rest = build_class(app, 5, "H")
    client = teacher_client(app, "H")
    first = client.get(f"/teach/classes/{class_id}/answers.csv")
    assert first.status_code == 302 and first.location.endswith(
        f"/classes/{class_id}/answers-export"
    )
    page = client.get(first.location).get_data(as_text=True)
    assert "No export built yet" in page and "30" in page
    assert client.get(f"/teach/classes/{class_id}/answers-export/file").status_code == 404
    started = set(threading.enumerate())
    assert client.post(first.location).status_code == 302
    for thread in set(threading.enumerate()) - started:
        if thread.name.startswith("export-"):
            thread.join()
    page = client.get(first.location)
    assert "Ready:" in page.get_data(as_text=True) and "Refresh" not in page.headers
    assert list(tmp_path.glob("*.part")) == [] and len(list(tmp_path.glob("*.csv.gz"))) == 1
    download = client.get(f"/teach/classes/{class_id}/answers-export/file")
    assert int(download.headers["Content-Length"]) == len(download.data)
    _header, *rows = rows_of(download.data)
    assert len(rows) == reviews_in(app, "H") == 30
    packed = client.get(
        f"/teach/classes/{class_id}/answers-export/file", headers={"Accept-Encoding": "gzip"}
    )
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    assert gzip.decompress(packed.data) == download.data
    with app.app_context():
        job = db.session.scalar(sa.select(ExportJob).where(ExportJob.classroom_id == class_id))
        assert job.status == "ready" and job.rows == 30 and job.csv_bytes == len(download.data)


def test_a_failed_build_says_so_and_serves_nothing(app: Flask, tmp_path: Path) -> None:
    class_id, *_rest = build_class(app, 2, "J")
    with app.app_context():
        job = ExportJob(classroom_id=class_id, status="queued")
        db.session.add(job)
        db.session.commit()
        # A directory that cannot be written: the build fails and leaves no file behind.
        blocked = tmp_path / "not-a-dir"
        blocked.write_text("a file where the folder should be")
        answer_export.build_job(db.session, job.id, blocked, _utc())
        assert db.session.get(ExportJob, job.id).status == "failed"
    client = teacher_client(app, "J")
    page = client.get(f"/teach/classes/{class_id}/answers-export").get_data(as_text=True)
    assert "The last build failed" in page and "flask export-answers" in page
    assert client.get(f"/teach/classes/{class_id}/answers-export/file").status_code == 404


def _utc():
    from zoneinfo import ZoneInfo

    return ZoneInfo("UTC")


def test_command_line_export_matches_the_database(app: Flask, tmp_path: Path) -> None:
    class_id, *_rest = build_class(app, 3, "K")
    output = tmp_path / "answers.csv"
    result = app.test_cli_runner().invoke(
        args=["export-answers", str(class_id), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    _header, *rows = rows_of(output.read_bytes())
    assert len(rows) == reviews_in(app, "K") == 18
    assert "18 answers written" in result.output
    missing = app.test_cli_runner().invoke(args=["export-answers", "999999", "--output", "x"])
    assert missing.exit_code != 0 and "No class with id 999999" in missing.output


def test_students_cannot_reach_exports(app: Flask) -> None:
    class_id, *_rest = build_class(app, 2, "L")
    client = app.test_client()
    client.post("/auth/login", data={"username": "sL0", "password": PASSWORD})
    for path in ("answers.csv", "answers-export", "answers-export/file"):
        assert client.get(f"/teach/classes/{class_id}/{path}").status_code == 403
    assert client.post(f"/teach/classes/{class_id}/answers-export").status_code in (400, 403)
