"""`python -m bench live`: simulated phones play a teacher-paced live game against gunicorn.

Each phone is a guest with its own cookies over real HTTP: it joins by PIN, polls the status
URL once a second with If-None-Match, and on a new question loads its page and answers it
with a double tap (the second tap must not count). A teacher client opens each question,
waits for the answers (or the question's time), closes it and moves on. Figures: answers lost
or duplicated, p99 of the answer POST and of the status poll, the time from "next" to 99% of
phones seeing the new question, and the workers' CPU per phone per second. The default is
small (40 phones, 5 questions, SQLite; PostgreSQL too when DATABASE_URL is set); the issue's
full run is `--phones 200 --questions 10`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import server
from bench.build import BENCH_HASH, PASSWORD, reset_schema
from bench.drive import Client, form_to

TEACHER = "live-teacher"
ANSWER_WAIT_S = 20.0


def prepare(url: str, questions: int) -> int:
    """A fresh schema with a teacher and a public set of true/false questions; the set's id."""
    from bench.profile import make_app
    from quiz.bank import sync_sets
    from quiz.extensions import db
    from quiz.formats.yaml_bank import parse_set
    from quiz.models import QuestionSet, Role, User

    app = make_app(url)
    with app.app_context():
        reset_schema(db.engine)
        lines = ["slug: live-bench", "title: Live bench", "questions:"]
        for n in range(questions):
            lines += [
                f"  - id: claim{n}",
                "    kind: true_false",
                f"    prompt: Claim number {n} holds.",
                "    answer: true",
                "    explanation: It does.",
            ]
        sync_sets(db.session, [parse_set("\n".join(lines) + "\n", "live-bench.yaml")])
        teacher = User(email="live-teacher@example.org", role=Role.TEACHER.value)
        teacher.set_username(TEACHER)
        teacher.set_password(PASSWORD, BENCH_HASH)
        db.session.add(teacher)
        db.session.commit()
        set_id = db.session.scalar(
            sa.select(QuestionSet.id).where(QuestionSet.slug == "live-bench")
        )
        db.engine.dispose()
    return int(set_id)


class Phone(Client):
    """A guest's phone: the drive client plus a conditional status poll."""

    def __init__(self, port: int, name: str) -> None:
        super().__init__(port)
        self.name = name
        self.etag = ""
        self.polls: list[float] = []
        self.posts: list[float] = []
        self.seen: dict[int, float] = {}  # question index -> when the poll first showed it
        self.accepted = 0
        self.errors: list[str] = []

    def status(self, path: str) -> dict[str, Any] | None:
        """One poll; the game's status when it changed, None on a 304."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        started = time.perf_counter()
        try:
            self.conn.request("GET", path, headers=headers)
            raw = self.conn.getresponse()
            body = raw.read()
        except OSError:
            self.conn.close()
            return None
        self.polls.append(time.perf_counter() - started)
        if raw.getheader("Connection", "").lower() == "close":
            self.conn.close()
        if raw.status == 304:
            return None
        self.etag = raw.getheader("ETag", "")
        return json.loads(body)


def play(phone: Phone, game_id: int, pin: str, done: threading.Event) -> None:
    """A phone's whole game: join, then poll, load and answer each new question."""
    page = phone.get(f"/live/join?pin={pin}").body
    form = form_to(page, "/live/join", "/live/join")
    phone.post("/live/join", {**form.hidden, "pin": pin, "nickname": phone.name})
    status_path, answered = f"/live/games/{game_id}/status", -1
    while not done.is_set():
        began = time.perf_counter()
        data = phone.status(status_path)
        if data and data["state"] == "finished":
            return
        if data and data["state"] == "question" and data["current"] > answered:
            phone.seen.setdefault(data["current"], time.perf_counter())
            html = phone.get(f"/live/games/{game_id}/play").body
            match = re.search(r'name="question_id" value="(\d+)"', html)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
            if match and token:
                body = {"csrf_token": token.group(1), "question_id": match.group(1)}
                body["answer"] = "true"
                started = time.perf_counter()
                first = phone.request("POST", f"/live/games/{game_id}/answer", body)
                phone.posts.append(time.perf_counter() - started)
                phone.request("POST", f"/live/games/{game_id}/answer", body)  # the double tap
                after = phone.get(first.location).body
                if "Answer sent" in after or "Right" in after:
                    phone.accepted += 1
            answered = data["current"]
        time.sleep(max(0.0, 1.0 - (time.perf_counter() - began)))


def p99(values: list[float]) -> float:
    """The 99th percentile (the largest of few values)."""
    if len(values) < 100:
        return max(values) if values else 0.0
    return statistics.quantiles(values, n=100)[98]


def run_game(url: str, phones: int, questions: int, workers: int) -> dict[str, Any]:
    """One game on one database; its figures."""
    set_id = prepare(url, questions)
    # Four workers importing the app at once take long on a busy machine: two minutes' wait.
    app = server.start(
        "app",
        "app:app",
        url,
        server.new_secret(),
        "/auth/login",
        workers,
        threads=8,
        startup_timeout=120.0,
    )
    try:
        teacher = Client(app.port)
        from bench.drive import log_in_app

        log_in_app(teacher, TEACHER)
        start = f"/live/sets/{set_id}/start"
        form = form_to(teacher.get(start).body, start, start)
        screen = teacher.post(
            start,
            {
                **form.hidden,
                "seconds": "30",
                "pacing": "teacher",
                "scoring": "speed",
                "leaderboard": "on",
                "guests": "y",
                "count": str(questions),
            },
        )
        pin = re.search(r'class="live-pin">(\d{6})<', screen.body).group(1)
        game_id = int(re.search(r"/live/games/(\d+)/status", screen.body).group(1))
        done = threading.Event()
        crowd = [Phone(app.port, f"Phone {n}") for n in range(phones)]
        threads = [threading.Thread(target=play, args=(p, game_id, pin, done)) for p in crowd]
        for thread in threads:
            thread.start()
        control = f"/live/games/{game_id}/control"
        wait_for(lambda: count(url, "live_player", game_id) >= phones, 60)
        cpu0, t0 = app.cpu_seconds(), time.perf_counter()
        opened: list[float] = []
        for _ in range(questions):
            token = form_to(teacher.get(control).body, control, control).hidden
            opened.append(time.perf_counter())
            teacher.request("POST", control, {**token, "action": "next"})
            index = len(opened) - 1
            wait_for(all_saw(crowd, index), ANSWER_WAIT_S)
            wait_for(all_answered(crowd, index), ANSWER_WAIT_S)
            token = form_to(teacher.get(control).body, control, control).hidden
            teacher.request("POST", control, {**token, "action": "next"})  # close: the reveal
        token = form_to(teacher.get(control).body, control, control).hidden
        teacher.request("POST", control, {**token, "action": "next"})  # game over
        seconds, cpu = time.perf_counter() - t0, app.cpu_seconds() - cpu0
        done.set()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        app.stop()
    rows = count(url, "live_answer", game_id)
    accepted = sum(p.accepted for p in crowd)
    lags = [p.seen[i] - opened[i] for p in crowd for i in range(questions) if i in p.seen]
    return {
        "phones": phones,
        "questions": questions,
        "workers": workers,
        "answers_expected": phones * questions,
        "answers_stored": rows,
        "lost": accepted - rows if accepted > rows else phones * questions - rows,
        "duplicated": duplicates(url, game_id),
        "answer_p99_ms": round(1000 * p99([x for p in crowd for x in p.posts]), 1),
        "poll_p99_ms": round(1000 * p99([x for p in crowd for x in p.polls]), 1),
        "next_to_phones_p99_s": round(p99(lags), 2),
        "cpu_per_phone_second_ms": round(1000 * cpu / (phones * seconds), 3),
        "game_seconds": round(seconds, 1),
    }


def all_saw(crowd: list[Phone], index: int) -> Any:
    """A test: every phone has seen question `index`."""
    return lambda: all(index in p.seen for p in crowd)


def all_answered(crowd: list[Phone], index: int) -> Any:
    """A test: every phone's answer up to question `index` is in."""
    return lambda: sum(p.accepted for p in crowd) >= len(crowd) * (index + 1)


def wait_for(test: Any, timeout: float) -> None:
    """Wait (bounded) until `test()` holds."""
    end = time.perf_counter() + timeout
    while not test() and time.perf_counter() < end:
        time.sleep(0.1)


def count(url: str, table: str, game_id: int) -> int:
    """Rows of a live table for the game."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(
            sa.text(f"SELECT count(*) FROM {table} WHERE game_id = :g"),  # noqa: S608 - table: one of the three live tables, named in this file
            {"g": game_id},
        ).scalar_one()
    engine.dispose()
    return int(value)


def duplicates(url: str, game_id: int) -> int:
    """Answers beyond the first per player and question, and points counted twice."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        extra = conn.execute(
            sa.text(
                "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM live_answer "
                "WHERE game_id = :g GROUP BY player_id, question_id) AS c"
            ),
            {"g": game_id},
        ).scalar_one()
        twice = conn.execute(
            sa.text(
                "SELECT count(*) FROM live_player p WHERE p.game_id = :g AND p.points <> "
                "(SELECT coalesce(sum(a.points), 0) FROM live_answer a WHERE a.player_id = p.id)"
            ),
            {"g": game_id},
        ).scalar_one()
    engine.dispose()
    return int(extra) + int(twice)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench live", description=__doc__)
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--json", metavar="FILE", help="write the figures under 'live'")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore DATABASE_URL")
    parser.add_argument(
        "--pg-database",
        default="bench_live",
        help="the database (on DATABASE_URL's server) whose tables are dropped and made anew",
    )
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="quiz-bench-live-") as workdir:
        targets = [("sqlite", f"sqlite:///{Path(workdir) / 'live.sqlite'}", 2)]
        raw = os.environ.get("DATABASE_URL")
        if raw and not args.sqlite_only:
            from bench.__main__ import postgres_url

            targets.append(("postgresql", postgres_url(raw, args.pg_database), 4))
        for backend, url, workers in targets:
            try:
                report[backend] = run_game(url, args.phones, args.questions, workers)
            except RuntimeError as error:  # gunicorn did not come up (a machine too busy)
                report[backend] = {"skipped": str(error)}
            print(f"{backend}: " + ", ".join(f"{k} {v}" for k, v in report[backend].items()))
    print(
        "poll_statements: 1 per status poll at 10 and at 200 players "
        "(tests/test_live_statements.py)"
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"live": {**report, "poll_statements": 1}}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
