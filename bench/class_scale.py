"""Teacher pages and the answers export for one large class (1,000 students by default).

    python -m bench ...   # adds "teacher_pages" and "exports" to the JSON

The class is built with bulk inserts (bench.class_reports.build: a set of QUESTIONS questions,
a card per student and question, an attempt each and a year of reviews). Each page is fetched
once to warm up, then REPEAT times; the figure is the median server CPU (time.process_time of
this process: with SQLite the database's work is counted too). The export writes every answer
as CSV to a sink that only counts, and reports rows per CPU second.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import class_reports
from quiz import create_app
from quiz.extensions import db
from quiz.models import Base, Classroom

QUESTIONS = 50
REVIEWS_PER_STUDENT = 200  # a year of reviews: about four a week on each of 50 questions
REPEAT = 3
PAGES = {
    "dashboard": "/teach/classes/{c}/dashboard",
    "forecast": "/teach/classes/{c}/forecast?exam=2031-01-15",
    "item_analysis": "/teach/classes/{c}/sets/{s}/items",
    "gradebook": "/teach/classes/{c}/gradebook",
    "student_page": "/teach/classes/{c}/students/{u}",
}


class _Counter:
    """A text sink that counts what it is given."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def run(workdir: Path, students: int) -> dict[str, Any]:
    """Build the class in a fresh SQLite file and measure its pages and its export."""
    from quiz.classes.access import class_zone
    from quiz.reports.answer_export import write_answers

    path = workdir / f"class-{students}.sqlite"
    app = create_app(
        {
            "SECRET_KEY": "bench-" * 8,
            "PASSWORD_HASH_METHOD": class_reports.HASH,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        }
    )
    now = datetime.now(UTC)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        began = time.perf_counter()
        ids = class_reports.build("C", students, QUESTIONS, students * REVIEWS_PER_STUDENT, now)
        build_s = time.perf_counter() - began
    client = app.test_client()
    client.post("/auth/login", data={"username": "teacherC", "password": class_reports.PASSWORD})
    pages: dict[str, Any] = {}
    for name, template in PAGES.items():
        url = template.format(**ids)
        client.get(url).get_data()
        cpu, size = [], 0
        for _ in range(REPEAT):
            start = time.process_time()
            response = client.get(url)
            body = response.get_data()
            cpu.append(time.process_time() - start)
            size = len(body)
        pages[name] = {f"cpu_ms_{students}": statistics.median(cpu) * 1000, "html_bytes": size}
    with app.app_context():
        classroom = db.session.get(Classroom, ids["c"])
        start = time.process_time()
        rows = write_answers(db.session, classroom, class_zone(classroom), _Counter())  # type: ignore[arg-type]
        cpu_s = time.process_time() - start
        total = db.session.scalar(sa.text("SELECT count(*) FROM review"))
        db.engine.dispose()
    path.unlink(missing_ok=True)
    return {
        "students": students,
        "build_seconds": build_s,
        "teacher_pages": pages,
        "exports": {
            "answers_rows": rows,
            "answers_rows_in_database": total,
            "answers_rows_per_s": rows / cpu_s if cpu_s else 0.0,
        },
    }
