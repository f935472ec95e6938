"""Benchmark: read and write 5,000 GIFT questions (parse and database write timed apart).

Run: python -m bench.import_gift [COUNT]   (SQLite in a temporary directory)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quiz import create_app
from quiz.extensions import db
from quiz.formats.gift import read_gift
from quiz.models import Base, Role, User
from quiz.transfer.imports import new_set, write_import

KINDS = [
    "::mc-{n}:: Which city is number {n}? {{=Agadez#Right ~Niamey#No ~Zinder ####Agadez {n}.}}",
    "::ms-{n}:: Members {n}? {{~%50%Mali ~%50%Niger ~%-100%Chad ####Mali and Niger.}}",
    "::tf-{n}:: Statement {n} is true. {{TRUE#No#Yes ####It is.}}",
    "::sa-{n}:: City {n}? {{=Agadez =agadez city =%0%Niamey ####Agadez.}}",
    "::nu-{n}:: Distance {n}? {{#750:25 ####About 750 km.}}",
    "::cz-{n}:: Niger sits in the {{=Sahel}} region number {n}. {{=one}}",
    "::ma-{n}:: Match {n}. {{=a{n} -> b =c -> d =e -> f ####Pairs.}}",
]


def make_gift(count: int) -> str:
    """GIFT text with `count` questions of every kind in turn."""
    return "\n\n".join(KINDS[n % len(KINDS)].format(n=n) for n in range(count)) + "\n"


@contextmanager
def bench_teacher() -> Iterator[User]:
    """A teacher in a fresh SQLite database in a temporary folder, inside its app context."""
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(directory) / 'b.sqlite'}"})
        with app.app_context():
            Base.metadata.create_all(db.engine)
            teacher = User(email="t@example.org", role=Role.TEACHER.value, password_hash="!")  # noqa: S106 - no login
            teacher.set_username("bench")
            db.session.add(teacher)
            db.session.commit()
            try:
                yield teacher
            finally:
                db.engine.dispose()


def measure(count: int) -> tuple[float, float]:
    """Seconds to parse and to write `count` questions (a fresh database each time)."""
    text = make_gift(count)
    started = time.perf_counter()
    result = read_gift(text)
    parsed = time.perf_counter()
    with bench_teacher() as teacher:
        begin = time.perf_counter()
        write_import(db.session, new_set(db.session, teacher, "Bench", "private"), result)
        db.session.commit()
        written = time.perf_counter()
    return parsed - started, written - begin


def main(count: int = 5000) -> None:
    """Time the parse and the write, and print both, and how they scale from count/10."""
    small_parse, small_write = measure(count // 10)
    big_parse, big_write = measure(count)
    print(
        f"scaling x10 in size: parse x{big_parse / small_parse:.1f}, "
        f"write x{big_write / small_write:.1f} (10 = linear)"
    )
    text = make_gift(count)
    started = time.perf_counter()
    result = read_gift(text)
    parsed = time.perf_counter()
    with bench_teacher() as teacher:
        begin = time.perf_counter()
        qset = new_set(db.session, teacher, "Bench", "private")
        report = write_import(db.session, qset, result)
        db.session.commit()
        written = time.perf_counter()
        again = write_import(db.session, qset, result)
        db.session.commit()
        rewritten = time.perf_counter()
    size = len(text.encode()) / 1024
    print(f"{count} GIFT questions, {size:.0f} KiB")
    print(f"parse: {parsed - started:.2f} s  write: {written - begin:.2f} s  ({report.summary()})")
    print(f"re-import (all unchanged): {rewritten - written:.2f} s  ({again.summary()})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
