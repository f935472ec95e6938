"""A benchmark database at a chosen scale, written in bulk (COPY or executemany).

The rows are synthetic but shaped like a year of use: students with cards in several states
(many overdue), a year of reviews per card, finished quiz attempts, a class with an assignment.
Scheduling states are drawn at random rather than replayed through fsrs, which would take
minutes for a million reviews; the pages read them like any other.
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from quiz.models import Base

PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway account on a throwaway database
# Cheap hashing: the benchmark logs in once per student and measures pages, not PBKDF2.
BENCH_HASH = "pbkdf2:sha256:1000"
# Every kind the starter bank has: the driver answers each one, right and wrong.
STUDY_KINDS = (
    "true_false",
    "short_answer",
    "flashcard",
    "multiple_choice",
    "multiple_select",
    "numeric",
    "cloze",
    "matching",
    "ordering",
)
QUIZ_KINDS = ("true_false", "multiple_choice", "short_answer", "flashcard")


@dataclass(frozen=True)
class Scale:
    """How big the database is."""

    name: str
    students: int
    study_sets: int
    questions_per_set: int
    reviews: int


SCALES = {
    "tiny": Scale("tiny", 36, 1, 200, 3_000),
    # Ten sets: each student has more new questions than the trials can use (two sets ran out
    # in the first trial, and the later ones then measured the all-done page).
    "small": Scale("small", 60, 10, 100, 40_000),
    "large": Scale("large", 300, 20, 100, 1_000_000),
}


@dataclass
class Built:
    """What the benchmark needs to know about the database it built."""

    url: str
    scale: str
    students: list[str] = field(default_factory=list)
    study_set_ids: list[int] = field(default_factory=list)
    quiz10_set_id: int = 0
    quiz66_set_id: int = 0
    teacher: str = "bench-teacher"
    reviews: int = 0
    seconds: float = 0.0


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str, total: int, enabled: bool = True) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.enabled = enabled and sys.stderr.isatty()
        self.started = time.perf_counter()
        self._shown = -1

    def advance(self, count: int = 1) -> None:
        """Count work done; redraw when the percentage moves."""
        self.done += count
        percent = min(100, self.done * 100 // self.total)
        if self.enabled and percent != self._shown:
            self._shown = percent
            bar = "#" * (percent // 4) + "." * (25 - percent // 4)
            sys.stderr.write(f"\r  {self.label:<24} [{bar}] {percent:3d}%")
            sys.stderr.flush()

    def close(self) -> None:
        """Finish the line with the elapsed time."""
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(f"\r  {self.label:<24} [{'#' * 25}] 100% {elapsed:5.1f} s\n")
        sys.stderr.flush()


# What the driver knows, as a student would: which place is which, and the alphabet.
MATCHES = {"Capital of Niger": "Niamey", "Drone base city": "Agadez", "Capital of Mali": "Bamako"}
ORDERED = ("Agadez", "Bamako", "Niamey")


def history_response(kind: str, right: bool) -> Any:
    """A stored response of the kind's own shape (what parse_form gives), right or wrong."""
    responses: dict[str, tuple[Any, Any]] = {
        "flashcard": ("good", "again"),
        "true_false": (True, False),
        "multiple_choice": (0, 1),
        "multiple_select": ([0, 1], [0, 2]),
        "numeric": ("750 km", "120 km"),
        "cloze": (["Agadez"], ["Niamey"]),
        "matching": ([0, 1, 2], [1, 0, 2]),
        "ordering": ([0, 1, 2], [2, 1, 0]),
    }
    good, bad = responses.get(kind, ("Agadez", "Niamey"))
    return good if right else bad


def _question(set_id: int, qid: int, index: int, kind: str) -> dict[str, Any]:
    """One generated question row (answers the bench client knows: true, Agadez, Good)."""
    spec: dict[str, Any]
    if kind == "true_false":
        prompt, spec = f"Statement {index}: Agadez lies north-east of Niamey.", {"answer": True}
    elif kind == "short_answer":
        prompt, spec = f"Question {index}: which city hosts Air Base 201?", {"answers": ["Agadez"]}
    elif kind == "multiple_choice":
        prompt = f"Question {index}: which city is Niger's capital?"
        spec = {
            "choices": [
                {"text": "Niamey", "correct": True},
                {"text": "Agadez"},
                {"text": "Zinder"},
                {"text": "Maradi"},
            ]
        }
    elif kind == "multiple_select":
        prompt = f"Question {index}: which of these are cities in Niger?"
        spec = {
            "choices": [
                {"text": "Niamey", "correct": True},
                {"text": "Agadez", "correct": True},
                {"text": "Lima"},
                {"text": "Oslo"},
            ]
        }
    elif kind == "numeric":
        prompt = f"Question {index}: how far is Agadez from Niamey?"
        spec = {"value": 750, "tolerance": 25, "unit": "km"}
    elif kind == "cloze":
        prompt = "Fill in the gap."
        spec = {"text": f"({index}) {{{{Agadez}}}} hosts a drone base."}
    elif kind == "matching":
        prompt = f"Question {index}: match each place to what it is."
        spec = {"pairs": [{"left": left, "right": right} for left, right in MATCHES.items()]}
    elif kind == "ordering":
        prompt = f"Question {index}: put these in alphabetical order."
        spec = {"items": list(ORDERED)}
    else:
        prompt, spec = f"Card {index}: Air Base 101", {"back": f"Niamey airport base ({index})"}
    return {
        "id": qid,
        "set_id": set_id,
        "key": f"q{index}",
        "kind": kind,
        "prompt": prompt,
        "spec": spec,
        "explanation": "Agadez is about 750 km from Niamey (paragraph 14).",
        "tags": [],
        "paragraph": 14,
        "position": index,
        "retired": False,
    }


def _default_of(column: sa.Column[Any]) -> Any:
    """The value a column's Python-side default gives (called once for callables)."""
    default = column.default
    arg = getattr(default, "arg", None)
    if callable(arg):
        return arg(None)
    return arg


def _sqlite_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class Writer:
    """Bulk inserts: COPY on PostgreSQL, executemany on SQLite; explicit ids throughout."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def write(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        unchecked: bool = False,
    ) -> int:
        """Insert rows (values in `columns` order); return how many.

        `unchecked`: skip foreign-key checks for this load (the rows it points at follow).
        """
        count = 0
        table_columns = Base.metadata.tables[table].c
        # Columns the caller leaves out get the model's own default (COPY and executemany do
        # not run Python-side defaults), so new columns on other branches need no change here.
        extra = {
            column.name: _default_of(column)
            for column in table_columns
            if column.name not in columns and column.default is not None and not column.primary_key
        }
        if extra:
            columns = [*columns, *extra]
            values = tuple(extra.values())
            rows = (tuple(row) + values for row in rows)
        # JSON columns get JSON text (a bare True or "Agadez" is not JSON to COPY).
        is_json = [isinstance(table_columns[c].type, sa.JSON) for c in columns]

        def encode(value: Any) -> Any:
            return None if value is None else json.dumps(value)

        with self.engine.begin() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            cursor = raw.cursor()
            names = ", ".join(f'"{c}"' for c in columns)
            if self.postgres:
                if unchecked:  # the benchmark's own database, loaded by its superuser
                    cursor.execute("SET LOCAL session_replication_role = replica")
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(
                            [encode(v) if j else v for v, j in zip(row, is_json, strict=True)]
                        )
                        count += 1
            else:
                marks = ", ".join("?" for _ in columns)
                insert = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'  # noqa: S608 - ours
                batch: list[list[Any]] = []
                for row in rows:
                    batch.append(
                        [
                            encode(v) if j else self._lite(v)
                            for v, j in zip(row, is_json, strict=True)
                        ]
                    )
                    if len(batch) >= 20_000:
                        cursor.executemany(insert, batch)
                        count += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(insert, batch)
                    count += len(batch)
        return count

    @staticmethod
    def _lite(value: Any) -> Any:
        if isinstance(value, datetime):
            return _sqlite_time(value)
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value


def reset_schema(engine: sa.Engine) -> None:
    """Drop and create every table of the app."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def _load_bank(engine: sa.Engine) -> None:
    """The starter question bank, through the app's own loader."""
    from sqlalchemy.orm import Session

    from quiz.bank import sync_sets
    from quiz.formats.yaml_bank import load_bank

    with Session(engine) as session:
        sync_sets(session, load_bank(Path(__file__).resolve().parent.parent / "questions"))
        session.commit()


def _max_id(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        query = f'SELECT COALESCE(MAX(id), 0) FROM "{table}"'  # noqa: S608 - our table names
        return int(conn.exec_driver_sql(query).scalar())


def build(
    url: str, scale: Scale, *, seed: int = 12, now: datetime | None = None, progress: bool = True
) -> Built:
    """Create the database at `url` from nothing; return what the benchmark drives."""
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    reset_schema(engine)
    _load_bank(engine)
    writer = Writer(engine)
    built = Built(url=url, scale=scale.name)

    # People: a teacher and the students, one class holding them all.
    password_hash = generate_password_hash(PASSWORD, BENCH_HASH)
    first_user = _max_id(engine, "user") + 1
    users = [("bench-teacher", "teacher")] + [
        (f"student{n:03d}", "student") for n in range(scale.students)
    ]
    writer.write(
        "user",
        (
            "id",
            "username",
            "username_key",
            "email",
            "password_hash",
            "role",
            "session_token",
            "active",
            "desired_retention",
            "new_per_day",
            "timezone",
            "created_at",
        ),
        (
            (
                first_user + i,
                name,
                name,
                f"{name}@bench.example",
                password_hash,
                role,
                f"bench-token-{name}",
                True,
                0.9,
                1000,  # new questions a day: the loop never runs dry
                "Europe/Paris" if i % 3 else "UTC",
                now - timedelta(days=400),
            )
            for i, (name, role) in enumerate(users)
        ),
    )
    teacher_id = first_user
    student_ids = list(range(first_user + 1, first_user + 1 + scale.students))
    built.students = [name for name, role in users if role == "student"]

    # Sets: the study sets (public, one of them assigned to the class instead), two quiz sets.
    set_id = _max_id(engine, "question_set") + 1
    question_id = _max_id(engine, "question") + 1
    sets, questions = [], []
    kinds_by_question: dict[int, str] = {}

    def add_set(title: str, count: int, kinds: Sequence[str], visibility: str) -> int:
        nonlocal set_id, question_id
        sets.append((set_id, teacher_id, None, title, "", {}, [], visibility, now, now))
        for index in range(count):
            kind = kinds[index % len(kinds)]
            questions.append(_question(set_id, question_id, index, kind))
            kinds_by_question[question_id] = kind
            question_id += 1
        set_id += 1
        return set_id - 1

    for number in range(scale.study_sets):
        visibility = "class" if number == 0 else "public"
        built.study_set_ids.append(
            add_set(
                f"Bench study set {number + 1}", scale.questions_per_set, STUDY_KINDS, visibility
            )
        )
    built.quiz10_set_id = add_set("Bench quiz: 10 questions", 10, QUIZ_KINDS, "public")
    built.quiz66_set_id = add_set("Bench quiz: 66 questions", 66, QUIZ_KINDS, "public")
    writer.write(
        "question_set",
        (
            "id",
            "owner_id",
            "slug",
            "title",
            "description",
            "source",
            "tags",
            "visibility",
            "created_at",
            "updated_at",
        ),
        sets,
    )
    question_columns = (
        "id",
        "set_id",
        "key",
        "kind",
        "prompt",
        "spec",
        "explanation",
        "tags",
        "paragraph",
        "position",
        "retired",
    )
    writer.write(
        "question",
        (*question_columns, "created_at", "updated_at"),
        ([q[c] for c in question_columns] + [now, now] for q in questions),
    )
    writer.write(
        "classroom",
        ("id", "teacher_id", "name", "join_code", "created_at"),
        [(1, teacher_id, "Bench class", "BENCH1", now)],
    )
    writer.write(
        "enrollment",
        ("classroom_id", "user_id", "joined_at"),
        ((1, sid, now) for sid in student_ids),
    )
    writer.write(
        "assignment",
        # Assigned to study: a set given only as a quiz stays out of the queue (quiz.study.queue).
        ("id", "classroom_id", "set_id", "due_at", "created_at", "mode"),
        [(1, 1, built.study_set_ids[0], None, now, "study")],
    )
    writer.write(
        "studied_set",
        ("user_id", "set_id", "added_at"),
        (
            (sid, set_id_, now - timedelta(days=366))
            for sid in student_ids
            for set_id_ in built.study_set_ids
        ),
    )

    # Cards and a year of reviews.
    studied = [q["id"] for q in questions if q["set_id"] in built.study_set_ids]
    per_student = scale.reviews // scale.students
    cards_each = max(1, min(per_student // 3, int(len(studied) * 0.8)))
    bar = Progress(f"{scale.name}: reviews", per_student * scale.students, progress)
    card_rows: list[tuple[Any, ...]] = []
    year = timedelta(days=365).total_seconds()

    def reviews() -> Iterator[tuple[Any, ...]]:
        review_id, card_id = 1, 1
        for sid in student_ids:
            chosen = rng.sample(studied, cards_each)
            counts = [per_student // cards_each] * cards_each
            for extra in range(per_student - sum(counts)):
                counts[extra % cards_each] += 1
            for qid, count in zip(chosen, counts, strict=True):
                times = sorted(now - timedelta(seconds=rng.random() * year) for _ in range(count))
                lapses = 0
                due = times[0]
                for number, moment in enumerate(times):
                    right = rng.random() < 0.8
                    lapses += not right
                    rating = rng.choice((3, 3, 3, 2, 4)) if right else 1
                    due = moment + timedelta(days=rng.uniform(0.5, 40) if right else 0.007)
                    kind = kinds_by_question[qid]
                    response = history_response(kind, right)
                    yield (
                        review_id,
                        sid,
                        card_id,
                        qid,
                        None,
                        response,
                        right,
                        1.0 if right else 0.0,
                        rating,
                        0.9,
                        rng.randint(2000, 20000),
                        moment,
                        due,
                        f"bench{card_id}n{number}",
                    )
                    review_id += 1
                stability = rng.uniform(0.5, 60)
                card_rows.append(
                    (
                        card_id,
                        sid,
                        qid,
                        2,
                        None,
                        stability,
                        rng.uniform(2, 9),
                        due,
                        times[-1],
                        count,
                        lapses,
                        times[0],
                        1,
                    )
                )
                card_id += 1
                bar.advance(count)

    built.reviews = writer.write(
        "review",
        (
            "id",
            "user_id",
            "card_id",
            "question_id",
            "attempt_id",
            "response",
            "correct",
            "score",
            "rating",
            "desired_retention",
            "duration_ms",
            "reviewed_at",
            "due_after",
            "submission_id",
        ),
        reviews(),
        unchecked=True,  # the cards are written next, from what the reviews decided
    )
    bar.close()
    writer.write(
        "card",
        (
            "id",
            "user_id",
            "question_id",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "reps",
            "lapses",
            "created_at",
            "version",
        ),
        card_rows,
    )
    # A few finished quiz attempts each, for the score charts.
    quiz_order = [q["id"] for q in questions if q["set_id"] == built.quiz10_set_id]
    writer.write(
        "attempt",
        (
            "id",
            "user_id",
            "set_id",
            "assignment_id",
            "question_order",
            "seed",
            "one_page",
            "time_limit_s",
            "started_at",
            "finished_at",
            "score",
            "version",
        ),
        (
            (
                n * 5 + k + 1,
                sid,
                built.quiz10_set_id,
                None,
                quiz_order,
                k,
                False,
                None,
                now - timedelta(days=30 * k + 1),
                now - timedelta(days=30 * k + 1) + timedelta(minutes=5),
                rng.random(),
                1,
            )
            for n, sid in enumerate(student_ids)
            for k in range(5)
        ),
    )
    _finish(engine)
    engine.dispose()
    built.seconds = time.perf_counter() - started
    return built


def _finish(engine: sa.Engine) -> None:
    """Move id sequences past the explicit ids (PostgreSQL), then ANALYZE for the planner."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" in table.c and table.c.id.primary_key:
                    name = table.name
                    setval = (
                        "SELECT setval("  # noqa: S608 - our own table names, never input
                        f"pg_get_serial_sequence('\"{name}\"', 'id'), "
                        f'GREATEST((SELECT MAX(id) FROM "{name}"), 1))'
                    )
                    conn.exec_driver_sql(setval)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
