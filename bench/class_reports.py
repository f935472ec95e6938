"""How the class reports scale: a class of 300 with a year of reviews against a class of 3.

    python bench/class_reports.py                      # SQLite file in a temp directory
    python bench/class_reports.py --reviews 200000     # a quicker run
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/class_reports.py

Both classes live in one database (so the big one's rows are there while the small one is
measured). Each page is fetched a few times through the test client, logged in as the class's
teacher, and the median time, the ratio big/small and the SQL statement count are printed.
Ratios from one run on one machine are the figures to compare, not the absolute times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz import create_app
from quiz.config import normalize_database_url
from quiz.extensions import db
from quiz.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Base,
    Card,
    Classroom,
    Enrollment,
    Question,
    QuestionSet,
    Review,
    User,
)

PASSWORD = "bench passphrase"  # noqa: S105 - a throwaway benchmark account
HASH = "pbkdf2:sha256:1000"
CHUNK = 20_000
PAGES = {
    "dashboard": "/teach/classes/{c}/dashboard",
    "dashboard sorted, behind": "/teach/classes/{c}/dashboard?sort=a{a}&dir=desc&behind=1",
    "forecast": "/teach/classes/{c}/forecast?exam=2031-01-15",
    "item analysis": "/teach/classes/{c}/sets/{s}/items",
    "gradebook.csv": "/teach/classes/{c}/gradebook.csv",
    "gradebook": "/teach/classes/{c}/gradebook",
    "student page": "/teach/classes/{c}/students/{u}",
}


def build(tag: str, students: int, questions: int, reviews: int, now: datetime) -> dict[str, int]:
    """One teacher's class with its set, cards, an attempt each and `reviews` review rows."""
    teacher = User(email=f"t{tag}@example.org", role="teacher")
    teacher.set_username(f"teacher{tag}")
    teacher.set_password(PASSWORD, HASH)
    db.session.add(teacher)
    db.session.flush()
    qset = QuestionSet(title=f"Set {tag}", owner_id=teacher.id, visibility="private")
    db.session.add(qset)
    db.session.flush()
    db.session.execute(
        sa.insert(Question),
        [
            {"set_id": qset.id, "key": f"q{i}", "kind": "true_false", "prompt": f"Claim {i}?",
             "explanation": "Because.", "spec": {"answer": True}, "position": i}
            for i in range(questions)
        ],
    )  # fmt: skip
    question_ids = db.session.scalars(
        sa.select(Question.id).where(Question.set_id == qset.id).order_by(Question.id)
    ).all()
    classroom = Classroom(teacher_id=teacher.id, name=f"Class {tag}", join_code=f"ACDE{tag}")
    db.session.add(classroom)
    db.session.flush()
    quiz = Assignment(classroom_id=classroom.id, set_id=qset.id, mode="quiz", due_at=now)
    study = Assignment(classroom_id=classroom.id, set_id=qset.id, mode="study", due_at=now)
    db.session.add_all([quiz, study])
    db.session.flush()
    db.session.execute(
        sa.insert(User),
        [
            {"username": f"s{tag}{i}", "username_key": f"s{tag}{i}".casefold(),
             "email": f"s{tag}{i}@example.org", "password_hash": teacher.password_hash,
             "session_token": f"token-{tag}-{i}"}
            for i in range(students)
        ],
    )  # fmt: skip
    user_ids = db.session.scalars(
        sa.select(User.id).where(User.username.like(f"s{tag}%")).order_by(User.id)
    ).all()
    db.session.execute(
        sa.insert(Enrollment), [{"classroom_id": classroom.id, "user_id": u} for u in user_ids]
    )
    db.session.execute(
        sa.insert(Card),
        [
            {"user_id": u, "question_id": q, "state": 2, "stability": 2.0 + (u * q) % 40,
             "difficulty": 5.0, "due": now + timedelta(days=(u + q) % 11 - 4),
             "last_review": now - timedelta(days=(u + 3 * q) % 9), "reps": 5}
            for u in user_ids
            for q in question_ids
        ],
    )  # fmt: skip
    cards = db.session.execute(
        sa.select(Card.id, Card.user_id, Card.question_id).where(Card.user_id.in_(user_ids))
    ).all()
    db.session.execute(
        sa.insert(Attempt),
        [
            {"user_id": u, "set_id": qset.id, "assignment_id": quiz.id,
             "question_order": list(question_ids), "seed": 1,
             "started_at": now - timedelta(days=u % 50, hours=1),
             "finished_at": now - timedelta(days=u % 50), "score": (u % 10) / 10}
            for u in user_ids
        ],
    )  # fmt: skip
    attempt_of = dict(
        db.session.execute(
            sa.select(Attempt.user_id, Attempt.id).where(Attempt.assignment_id == quiz.id)
        ).all()
    )
    db.session.execute(
        sa.insert(AttemptAnswer),
        [
            {"attempt_id": attempt_of[u], "question_id": q, "response": (u * q) % 3 != 0,
             "correct": (u * q) % 3 != 0, "score": float((u * q) % 3 != 0)}
            for u in user_ids
            for q in question_ids
        ],
    )  # fmt: skip
    per_card = max(1, reviews // max(1, len(cards)))
    start = now - timedelta(days=365)
    batch: list[dict[str, Any]] = []
    for index in range(per_card):
        for card_id, user_id, question_id in cards:
            batch.append(
                {"user_id": user_id, "card_id": card_id, "question_id": question_id,
                 "response": True, "correct": (card_id + index) % 4 != 0, "score": 1.0,
                 "rating": 3, "desired_retention": 0.9, "duration_ms": 2500,
                 "reviewed_at": start + timedelta(minutes=(index * 9973 + card_id) % 525_000),
                 "due_after": now, "submission_id": f"b{tag}-{card_id}-{index}"}
            )  # fmt: skip
            if len(batch) >= CHUNK:
                db.session.execute(sa.insert(Review), batch)
                batch.clear()
    if batch:
        db.session.execute(sa.insert(Review), batch)
    db.session.commit()
    return {"c": classroom.id, "a": quiz.id, "s": qset.id, "u": user_ids[0]}


def measure(app: Any, tag: str, ids: dict[str, int], repeat: int) -> dict[str, tuple[float, int]]:
    """Median seconds and statement count of each page for one class's teacher."""
    client = app.test_client()
    response = client.post("/auth/login", data={"username": f"teacher{tag}", "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    with app.app_context():
        engine = db.engine
    results = {}
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    for name, path in PAGES.items():
        url = path.format(**ids)
        times = []
        for _ in range(repeat):
            seen.clear()
            sa.event.listen(engine, "before_cursor_execute", count)
            begin = time.perf_counter()
            response = client.get(url)
            response.get_data()
            times.append(time.perf_counter() - begin)
            sa.event.remove(engine, "before_cursor_execute", count)
            assert response.status_code == 200, (url, response.status_code)
        results[name] = (statistics.median(times), len(seen))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config: dict[str, Any] = {
        "SECRET_KEY": "bench-" * 8,
        "PASSWORD_HASH_METHOD": HASH,
        "WTF_CSRF_ENABLED": False,  # the bench logs in with a plain POST
    }
    schema = None
    if os.environ.get("DATABASE_URL"):
        # A schema of its own, so the run never touches anybody else's tables.
        schema = f"class_bench_{os.getpid()}"
        url = normalize_database_url(os.environ["DATABASE_URL"])
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={schema}"}
        }
    else:
        workdir = tempfile.mkdtemp(prefix="class-bench-")
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(workdir) / 'bench.sqlite'}"
    app = create_app(config)
    now = datetime.now(UTC)
    with app.app_context():
        Base.metadata.create_all(db.engine)
        begin = time.perf_counter()
        small = build("S", 3, args.questions, 3 * args.questions * 10, now)
        big = build("B", args.students, args.questions, args.reviews, now)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Review))
        print(f"built {total} reviews in {time.perf_counter() - begin:.1f} s ({db.engine.url})")
    small_results = measure(app, "S", small, args.repeat)
    big_results = measure(app, "B", big, args.repeat)
    print(f"{'page':28} {'3 students':>12} {args.students:>6} students {'ratio':>7} statements")
    for name in PAGES:
        (t_small, n_small), (t_big, n_big) = small_results[name], big_results[name]
        print(
            f"{name:28} {t_small * 1000:10.1f} ms {t_big * 1000:12.1f} ms "
            f"{t_big / t_small:7.1f} {n_small:>5} / {n_big}"
        )
    with app.app_context():
        Base.metadata.drop_all(db.engine)
        db.engine.dispose()
    if schema is not None:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


if __name__ == "__main__":
    main()
