"""The floor: the least a Flask study page can do, served like the app to measure it against.

Flask-Login session, CSRF on the form, one indexed read and a small template per page, and for
an answer a locked update plus an insert, on the same database with the app's engine settings.
Run it as `gunicorn bench.floor:app` with DATABASE_URL and FLASK_SECRET_KEY set.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, abort, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_wtf.csrf import CSRFProtect

from quiz.config import normalize_database_url

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("FLASK_SECRET_KEY", "floor-" + uuid.uuid4().hex)
app.config["WTF_CSRF_TIME_LIMIT"] = None
URL = normalize_database_url(os.environ.get("DATABASE_URL", "sqlite:///instance/bench.sqlite"))
SQLITE = URL.startswith("sqlite")
engine = sa.create_engine(
    URL,
    **(
        {"connect_args": {"timeout": 10}}
        if SQLITE
        else {"pool_pre_ping": True, "pool_size": 8, "max_overflow": 8, "pool_timeout": 5}
    ),
)
if SQLITE:

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The app's SQLite profile: WAL, busy timeout, foreign keys, BEGIN chosen by us.
        dbapi_conn.isolation_level = None
        for pragma in (
            "foreign_keys=ON",
            "busy_timeout=10000",
            "journal_mode=WAL",
            "synchronous=NORMAL",
        ):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if request.method == "POST" else "BEGIN")


csrf = CSRFProtect(app)
login_manager = LoginManager(app)
login_manager.login_view = "login"


class Student(UserMixin):
    """The logged-in student."""

    def __init__(self, user_id: int, username: str) -> None:
        self.id, self.username = user_id, username


@login_manager.user_loader
def load_user(user_id: str) -> Student | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text('SELECT id, username FROM "user" WHERE id = :id'), {"id": int(user_id)}
        ).first()
    return Student(row.id, row.username) if row else None


@app.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "POST":
        with engine.connect() as conn:
            row = conn.execute(
                sa.text('SELECT id, username FROM "user" WHERE username_key = :name'),
                {"name": request.form.get("username", "")},
            ).first()
        if row is None:
            abort(403)
        login_user(Student(row.id, row.username))
        return redirect(url_for("next_card"))
    return render_template("floor.html", card=None, title="Log in")


@app.route("/next")
@login_required
def next_card() -> Any:
    with engine.connect() as conn:  # the indexed read: the most overdue card
        card = conn.execute(
            sa.text(
                "SELECT id, question_id, due FROM card WHERE user_id = :user ORDER BY due LIMIT 1"
            ),
            {"user": current_user.id},
        ).first()
    return render_template("floor.html", card=card, title="Study")


@app.route("/answer", methods=["POST"])
@login_required
def answer() -> Any:
    card_id = int(request.form["card_id"])
    now = datetime.now(UTC)
    select = "SELECT id, question_id, reps FROM card WHERE id = :id AND user_id = :user"
    if not SQLITE:
        select += " FOR UPDATE"
    with engine.begin() as conn:  # the locked update plus insert
        card = conn.execute(
            sa.text(select),
            {"id": card_id, "user": current_user.id},
        ).first()
        if card is None:
            abort(404)
        due = now + timedelta(days=1)
        stamp = (lambda t: t.replace(tzinfo=None).isoformat(" ")) if SQLITE else (lambda t: t)
        conn.execute(
            sa.text(
                "UPDATE card SET reps = reps + 1, due = :due, last_review = :now WHERE id = :id"
            ),
            {"due": stamp(due), "now": stamp(now), "id": card.id},
        )
        conn.execute(
            sa.text(
                "INSERT INTO review (user_id, card_id, question_id, response, correct, score, "
                "rating, desired_retention, reviewed_at, due_after, submission_id) VALUES "
                "(:user, :card, :question, :response, :correct, 1.0, 3, 0.9, :now, :due, :sid)"
            ),
            {
                "user": current_user.id,
                "card": card.id,
                "question": card.question_id,
                "response": '"true"',
                "correct": True,
                "now": stamp(now),
                "due": stamp(due),
                "sid": uuid.uuid4().hex,
            },
        )
    return redirect(url_for("next_card"))
