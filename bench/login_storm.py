"""The login storm: a class logging in at the same moment, with production password hashing,
on 4 gunicorn workers, while a student already logged in keeps studying.

`python -m bench.login_storm` runs it alone on a tiny SQLite build; `python -m bench` includes
it. Figures: the logins' p50/p99 and the storm's total, how many were answered 503 and retried
(after Retry-After), and the studying student's p99 idle and during the storm, with the load
average beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import build as building
from bench import drive, server

WORKERS = 4
THREADS = (1, 16)  # sync workers, then README's install (16 threads): see quiz/auth/passwords.py
LOGINS = 40
IDLE_SECONDS = 4.0
MAX_RETRIES = 20


def production_hash_method() -> str:
    """The hashing method a production install uses (the app's default)."""
    from quiz.config import PRODUCTION_PASSWORD_HASH

    return PRODUCTION_PASSWORD_HASH


def add_storm_accounts(built: building.Built, method: str, count: int) -> list[str]:
    """`count` students whose password is hashed with `method` (one hash, shared: a login
    costs the same, and making 40 costly hashes would only slow the set-up)."""
    from bench.profile import make_app
    from quiz.extensions import db
    from quiz.models import User

    app = make_app(built.url)
    run_tag = secrets.token_hex(3)  # new accounts for each storm on the same database
    names = [f"storm-{run_tag}-{n:02d}" for n in range(count)]
    with app.app_context():
        first = User(email=f"storm-{run_tag}@example.org")
        first.set_password(building.PASSWORD, method)
        for name in names:
            user = User(email=f"{name}@example.org", password_hash=first.password_hash)
            user.set_username(name)
            db.session.add(user)
        db.session.commit()
        db.engine.dispose()
    return names


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile in milliseconds (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))] * 1000


def one_login(port: int, name: str, ready: threading.Barrier, out: dict[str, Any]) -> None:
    """Open the login page, wait for the others, post the form (retrying after a 503)."""
    client = drive.Client(port)
    form = drive.form_to(client.get("/auth/login").body, "/auth/login", "/auth/login")
    data = {**form.hidden, "username": name, "password": building.PASSWORD}
    client.conn.close()
    ready.wait()
    started = time.perf_counter()
    retries = 0
    while True:
        client.conn.close()  # a fresh connection, as a pupil's browser would open
        try:
            response = client.request("POST", "/auth/login", data)
        except drive.BenchError as error:  # a 5xx: only 503 + Retry-After is expected
            if "503" not in str(error) or retries >= MAX_RETRIES:
                out["error"] = repr(error)
                return
            retries += 1
            time.sleep(out["retry_after"])
            continue
        break
    out["seconds"] = time.perf_counter() - started
    out["retries"] = retries
    out["status"] = response.status
    out["logged_in"] = response.status == 302 and "/auth/login" not in response.location


def student_loop(client: drive.Client, ctx: drive.Context, stop: threading.Event) -> None:
    """Study until told to stop."""
    while not stop.is_set():
        drive.study_round(client, ctx)


def studying(client: drive.Client, ctx: drive.Context, seconds: float) -> list[tuple[float, float]]:
    """The student's (finished at, seconds) for every request of `seconds` of studying."""
    client.latencies, client.recording = [], True
    stop = threading.Event()
    worker = threading.Thread(target=student_loop, args=(client, ctx, stop), daemon=True)
    worker.start()
    time.sleep(seconds)
    stop.set()
    worker.join(60)
    client.recording = False
    return list(client.latencies)


def storm(port: int, names: list[str], student: drive.Client, ctx: drive.Context) -> dict:
    """All logins at once while the student studies; the figures of both."""
    ready = threading.Barrier(len(names) + 1)
    outs: list[dict[str, Any]] = [{"retry_after": 1.0} for _ in names]
    threads = [
        threading.Thread(target=one_login, args=(port, name, ready, out), daemon=True)
        for name, out in zip(names, outs, strict=True)
    ]
    for thread in threads:
        thread.start()
    student.latencies, student.recording = [], True
    stop = threading.Event()
    studier = threading.Thread(target=student_loop, args=(student, ctx, stop), daemon=True)
    studier.start()
    time.sleep(0.5)  # the student is mid-loop when the class arrives
    ready.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(300)
    ended = time.perf_counter()
    load = os.getloadavg()
    stop.set()
    studier.join(60)
    student.recording = False
    during = [s for finished, s in student.latencies if began <= finished <= ended + 0.001]
    # A request still waiting when the storm ended counts too: it waited through it.
    during += [s for finished, s in student.latencies if finished > ended and finished - s < ended]
    seconds = [out["seconds"] for out in outs if "seconds" in out]
    return {
        "logins": len(names),
        "logged_in": sum(bool(out.get("logged_in")) for out in outs),
        "errors": [out["error"] for out in outs if "error" in out][:3],
        "answered_503_then_retried": sum(out.get("retries", 0) for out in outs),
        "login_p50_ms": percentile(seconds, 50),
        "login_p99_ms": percentile(seconds, 99),
        "storm_total_s": ended - began,
        "student_requests_during": len(during),
        "student_p99_during_ms": percentile(during, 99),
        "loadavg_1_5_15": [round(x, 2) for x in load],
    }


def run(
    built: building.Built,
    method: str | None = None,
    workers: int = WORKERS,
    threads: int = 1,
    extra_env: dict[str, str] | None = None,
) -> dict:
    """The storm against gunicorn with `workers` workers and production hashing."""
    method = method or production_hash_method()
    names = add_storm_accounts(built, method, LOGINS)
    app = server.start(
        "app",
        "app:app",
        built.url,
        server.new_secret(),
        "/auth/login",
        workers,
        method,
        threads,
        extra_env,
    )
    try:
        student = drive.Client(app.port)
        drive.log_in_app(student, built.students[0])
        ctx = drive.Context(built)
        studying(student, ctx, 1.0)  # warm every worker's caches
        idle = [s for _f, s in studying(student, ctx, IDLE_SECONDS)]
        idle_load = os.getloadavg()
        result = storm(app.port, names, student, ctx)
    finally:
        app.stop()
    idle_p99 = percentile(idle, 99)
    result.update(
        hash_method=method,
        workers=workers,
        threads=threads,
        settings=extra_env or {},
        student_requests_idle=len(idle),
        student_p99_idle_ms=idle_p99,
        idle_loadavg_1_5_15=[round(x, 2) for x in idle_load],
        student_p99_ratio=result["student_p99_during_ms"] / idle_p99 if idle_p99 else 0.0,
        goals={"login_p99_ms": "< 3000", "student_p99_ratio": "< 2"},
    )
    return result


def lines(figures: dict[str, Any]) -> list[str]:
    """The storm's figures as text."""
    f = figures
    return [
        f"login storm: {f['logins']} logins at once on {f['workers']} gunicorn workers "
        f"x {f['threads']} threads {f['settings'] or ''} "
        f"({f['hash_method']}): {f['logged_in']} logged in, p50 {f['login_p50_ms']:.0f} ms, "
        f"p99 {f['login_p99_ms']:.0f} ms, all done in {f['storm_total_s']:.2f} s "
        f"({f['answered_503_then_retried']} answers were 503 and retried); "
        f"load average {f['loadavg_1_5_15']}",
        f"  a studying student: p99 {f['student_p99_idle_ms']:.0f} ms idle "
        f"({f['student_requests_idle']} requests, load {f['idle_loadavg_1_5_15']}), "
        f"{f['student_p99_during_ms']:.0f} ms during the storm "
        f"({f['student_requests_during']} requests): {f['student_p99_ratio']:.2f}x "
        "(goals: login p99 < 3 s, student p99 < 2x idle)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.login_storm", description=__doc__)
    parser.add_argument("--method", help="password hash method (default: production's)")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an app setting for the server (FLASK_NAME=VALUE)",
    )
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument(
        "--postgresql", action="store_true", help="on DATABASE_URL's server (bench_storm)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quiz-storm-") as workdir:
        url = f"sqlite:///{Path(workdir) / 'storm.sqlite'}"
        if args.postgresql:
            from bench.__main__ import postgres_url

            url = postgres_url(os.environ["DATABASE_URL"], "bench_storm")
        built = building.build(url, building.SCALES["tiny"])
        settings = dict(f"FLASK_{item}".split("=", 1) for item in args.set)
        figures = run(built, args.method, args.workers, args.threads, settings)
    print("\n".join(lines(figures)))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0 if not figures["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
