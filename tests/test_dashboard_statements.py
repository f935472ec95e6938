"""The class pages cost the same number of SQL statements for 3 students as for 1,000, and a
class of 1,000 gets pages of 50 rows (HTML under 200 KB)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Card,
    Classroom,
    Enrollment,
    Excusal,
    GradeCategory,
    Review,
    Role,
    User,
)
from tests.conftest import make_user, statements_for
from tests.progress_helpers import make_set

QUESTIONS = 6


def build_class(app: Flask, students: int, tag: str) -> tuple[int, int, int, int]:
    """A class with `students` members who all studied and took the quiz; bulk inserted."""
    teacher = make_user(app, f"teacher{tag}", role=Role.TEACHER.value).id
    set_id, question_ids = make_set(app, QUESTIONS, title=f"Set {tag}", owner_id=teacher)
    now = datetime.now(UTC)
    with app.app_context():
        classroom = Classroom(teacher_id=teacher, name=f"Class {tag}", join_code=f"ACDE{tag}")
        db.session.add(classroom)
        db.session.flush()
        quiz = Assignment(
            classroom_id=classroom.id, set_id=set_id, mode="quiz", due_at=now + timedelta(days=1)
        )
        study = Assignment(
            classroom_id=classroom.id, set_id=set_id, mode="study", due_at=now + timedelta(days=1)
        )
        db.session.add_all([quiz, study])
        db.session.flush()
        # Every student shares the teacher's password hash: hashing 300 times is not the test.
        hashed = db.session.scalar(sa.select(User.password_hash).where(User.id == teacher))
        users = [
            {
                "username": f"s{tag}{i}",
                "username_key": f"s{tag}{i}".casefold(),
                "email": f"s{tag}{i}@example.org",
                "password_hash": hashed,
                "role": "student",
                "session_token": f"tok{tag}{i}",
            }
            for i in range(students)
        ]
        db.session.execute(sa.insert(User), users)
        ids = db.session.scalars(
            sa.select(User.id).where(User.username.like(f"s{tag}%")).order_by(User.id)
        ).all()
        db.session.execute(
            sa.insert(Enrollment), [{"classroom_id": classroom.id, "user_id": u} for u in ids]
        )
        cards = [
            {
                "user_id": u,
                "question_id": q,
                "state": 2,
                "stability": 3.0 + (u + q) % 20,
                "difficulty": 5.0,
                "due": now + timedelta(days=(u + q) % 9 - 3),
                "last_review": now - timedelta(days=(u * q) % 6),
                "reps": 3,
            }
            for u in ids
            for q in question_ids
        ]
        db.session.execute(sa.insert(Card), cards)
        card_ids = {
            (u, q): c
            for c, u, q in db.session.execute(
                sa.select(Card.id, Card.user_id, Card.question_id).where(Card.user_id.in_(ids))
            )
        }
        attempts = [
            {
                "user_id": u,
                "set_id": set_id,
                "assignment_id": quiz.id,
                "question_order": question_ids,
                "seed": 1,
                "started_at": now - timedelta(days=u % 20, hours=1),
                "finished_at": now - timedelta(days=u % 20),
                "score": (u % 7) / 6,
            }
            for u in ids
        ]
        db.session.execute(sa.insert(Attempt), attempts)
        attempt_of = dict(
            db.session.execute(
                sa.select(Attempt.user_id, Attempt.id).where(Attempt.assignment_id == quiz.id)
            ).all()
        )
        db.session.execute(
            sa.insert(AttemptAnswer),
            [
                {
                    "attempt_id": attempt_of[u],
                    "question_id": q,
                    "response": (u + q) % 2 == 0,
                    "correct": (u + q) % 2 == 0,
                    "score": float((u + q) % 2 == 0),
                }
                for u in ids
                for q in question_ids
            ],
        )
        db.session.execute(
            sa.insert(Review),
            [
                {
                    "user_id": u,
                    "card_id": card_ids[(u, q)],
                    "question_id": q,
                    "attempt_id": attempt_of[u],
                    "response": True,
                    "correct": True,
                    "score": 1.0,
                    "rating": 3,
                    "desired_retention": 0.9,
                    "duration_ms": 3000,
                    "reviewed_at": now - timedelta(days=1),
                    "due_after": now + timedelta(days=2),
                    "submission_id": f"a{attempt_of[u]}q{q}",
                }
                for u in ids
                for q in question_ids
            ],
        )
        # Some excused cells and a saved category, so the gradebook reads them at every size.
        db.session.execute(
            sa.insert(Excusal),
            [{"assignment_id": study.id, "user_id": u, "created_at": now} for u in ids[:2]],
        )
        db.session.add(
            GradeCategory(classroom_id=classroom.id, name="Quizzes", weight=7, mode="quiz")
        )
        db.session.commit()
        return classroom.id, set_id, ids[0], quiz.id


PAGES = [
    "/teach/classes/{c}",
    "/teach/classes/{c}/dashboard",
    "/teach/classes/{c}/dashboard?sort=a{a}&dir=desc&behind=1&days=2",
    "/teach/classes/{c}/forecast?exam=2030-01-01",
    "/teach/classes/{c}/forecast?exam=2030-01-01&group=tag&sort=average&student=s",
    "/teach/classes/{c}/sets/{s}/items",
    "/teach/classes/{c}/students/{u}",
    "/teach/classes/{c}/gradebook.csv",
    "/teach/classes/{c}/gradebook",
    "/teach/classes/{c}/gradebook/settings",
    "/teach/classes/{c}/gradebook-moodle.csv",
    "/teach/classes/{c}/gradebook-canvas.csv",
    "/teach/classes/{c}/answers-export",
    "/teach/classes/{c}/sets/{s}/items?min=2",
    "/teach/classes/{c}/dashboard?page=2",
    "/teach/classes/{c}/gradebook?sort=total&dir=desc&page=2",
]


def test_statements_do_not_grow_with_the_class(app: Flask) -> None:
    """Every page of PAGES, on one pair of classes (building a class of 1,000 per page made
    this the suite's most expensive test); every page's counts are checked before failing."""
    small = build_class(app, 3, "A")
    large = build_class(app, 1000, "B")
    clients = {}
    for tag in ("A", "B"):
        clients[tag] = app.test_client()
        response = clients[tag].post(
            "/auth/login", data={"username": f"teacher{tag}", "password": "correct horse battery"}
        )
        assert response.status_code == 302
    wrong = []
    for path in PAGES:
        counts = []
        for tag, (class_id, set_id, user_id, quiz_id) in (("A", small), ("B", large)):
            url = path.format(c=class_id, s=set_id, u=user_id, a=quiz_id)
            counts.append(statements_for(app, clients[tag], url))
            if tag == "B" and not url.endswith(".csv"):
                body = clients[tag].get(url).get_data()
                if len(body) >= 200_000:
                    wrong.append((path, "bytes", len(body)))
        if counts[0] != counts[1] or counts[0] >= 20:
            wrong.append((path, "statements", counts))
    assert not wrong, wrong


def test_student_home_is_constant_in_classes(app: Flask) -> None:
    """A student in one class and one in four cost the same at home and on their progress page."""
    few = build_class(app, 3, "C")
    more = [build_class(app, 3, tag) for tag in ("D", "E", "F")]
    with app.app_context():
        busy = db.session.get(User, few[2])
        db.session.add_all(Enrollment(classroom_id=c[0], user_id=busy.id) for c in more)
        lonely = db.session.scalar(sa.select(User.username).where(User.id == few[2] + 1))
        db.session.commit()
        busy_name = busy.username
    counts = []
    for name in (lonely, busy_name):
        client = app.test_client()
        client.post("/auth/login", data={"username": name, "password": "correct horse battery"})
        counts.append(
            (statements_for(app, client, "/study/"), statements_for(app, client, "/study/progress"))
        )
        shown = client.get("/study/progress").get_data(as_text=True)
        assert shown.count("Recall on that date") == (2 if name == lonely else 8)
    assert counts[0] == counts[1], counts


def test_pages_of_fifty_sorted_over_the_class(app: Flask) -> None:
    """Page 2 of the dashboard, gradebook and forecast shows the 51st to 100th students in the
    order of the whole class, and a page past the end shows the last one."""
    class_id, _set_id, _user_id, quiz_id = build_class(app, 120, "P")
    client = app.test_client()
    client.post("/auth/login", data={"username": "teacherP", "password": "correct horse battery"})
    with app.app_context():
        names = sorted(
            db.session.scalars(sa.select(User.username).where(User.username.like("sP%"))),
            key=str.casefold,
        )
    second = client.get(f"/teach/classes/{class_id}/dashboard?page=2").get_data(as_text=True)
    body = second.split("<tbody>")[1]
    assert f">{names[50]}<" in body and f">{names[99]}<" in body
    assert f">{names[49]}<" not in body and f">{names[100]}<" not in body
    assert "Rows 51–100 of 120 (page 2 of 3)" in second
    last = client.get(f"/teach/classes/{class_id}/gradebook?page=99").get_data(as_text=True)
    assert "page 3 of 3" in last and f">{names[119]}<" in last.split("<tbody>")[1]
    # Sorted by the quiz column over the whole class, best first: page 1 holds the best.
    with app.app_context():
        scores = dict(
            db.session.execute(
                sa.select(User.username, Attempt.score)
                .join(Attempt, Attempt.user_id == User.id)
                .where(Attempt.assignment_id == quiz_id)
            ).all()
        )
    top = client.get(f"/teach/classes/{class_id}/dashboard?sort=a{quiz_id}&dir=desc")
    shown = top.get_data(as_text=True).split("<tbody>")[1]
    best = [name for name in names if scores[name] == max(scores.values())]
    assert all(f">{name}<" in shown for name in best[:50])
    forecast = client.get(f"/teach/classes/{class_id}/forecast?page=3").get_data(as_text=True)
    assert "Rows 101–120 of 120" in forecast and f">{names[119]}<" in forecast
