"""`python -m bench`: the app against a bare Flask floor, on SQLite and PostgreSQL.

See README.md ("Benchmark"). Traffic goes to 127.0.0.1 only; every trial is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import build as building
from bench import class_scale, drive, login_storm, profile, server
from bench.extras import gift_import, teacher_loop
from quiz.config import normalize_database_url

REFERENCE = {"large": "small", "small": "tiny", "tiny": None}
DEFAULTS = {  # seconds per trial, app/floor pairs per concurrency (issue 27: 5 pairs of 10 s)
    "tiny": (0.6, 1),
    "small": (10.0, 5),
    "large": (10.0, 5),
}
# Workers per server: PostgreSQL serves several workers at once (README's production install
# runs 4); SQLite's one writer gains nothing past 2.
WORKERS = {"postgresql": 4, "sqlite": server.WORKERS}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(building.SCALES), default="small")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--students", default="8,32", help="concurrent students (default 8,32)")
    parser.add_argument("--seconds", type=float, help="seconds per trial")
    parser.add_argument("--pairs", type=int, help="app/floor trial pairs per concurrency")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore DATABASE_URL")
    parser.add_argument("--workdir", help="where the SQLite files go (default: a temp dir)")
    parser.add_argument(
        "--class-students", type=int, help="the large class's size (1000; 10 at tiny; 0: skip)"
    )
    return parser.parse_args(argv)


def postgres_url(raw: str, database: str) -> str:
    """The benchmark's own database on the server DATABASE_URL names, created if missing."""
    url = sa.make_url(normalize_database_url(raw))
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        ).first()
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def databases(args: argparse.Namespace, workdir: Path) -> list[tuple[str, str, str | None]]:
    """(backend, url at the scale, url at the reference scale)."""
    ref = REFERENCE[args.scale]
    found = [
        (
            "sqlite",
            f"sqlite:///{workdir / f'bench-{args.scale}.sqlite'}",
            f"sqlite:///{workdir / f'bench-{ref}.sqlite'}" if ref else None,
        )
    ]
    raw = os.environ.get("DATABASE_URL")
    if raw and not args.sqlite_only:
        found.append(
            (
                "postgresql",
                postgres_url(raw, f"bench_{args.scale}"),
                postgres_url(raw, f"bench_{ref}") if ref else None,
            )
        )
    return found


def summarize(trials: list[drive.Trial]) -> dict[str, float]:
    """Medians over repeated trials."""
    return {
        "requests_per_s": statistics.median(t.throughput for t in trials),
        "p50_ms": statistics.median(t.percentile(50) for t in trials),
        "p95_ms": statistics.median(t.percentile(95) for t in trials),
        "p99_ms": statistics.median(t.percentile(99) for t in trials),
        "cpu_ms_per_request": statistics.median(t.cpu_ms_per_request for t in trials),
        "requests": sum(t.requests for t in trials),
        "cards": sum(t.cards for t in trials),
        "cards_per_s": statistics.median(t.cards_per_s for t in trials),
        "cpu_ms_per_card": statistics.median(t.cpu_ms_per_card for t in trials),
        "errors": sum(t.errors for t in trials),
        "dry_rounds": sum(t.dry_rounds for t in trials),
        "trials": len(trials),
    }


def logged_in(port: int, names: list[str], floor: bool) -> list[drive.Client]:
    """A logged-in client per student (logged in side by side)."""
    clients = [drive.Client(port) for _ in names]
    log_in = drive.log_in_floor if floor else drive.log_in_app
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(log_in, clients, names))
    return clients


def paired_ratio(app_trials: list[drive.Trial], floor_trials: list[drive.Trial], of: Any) -> float:
    """The median over the A B pairs of app/floor: each pair saw the machine in one state,
    so a machine that slows down for a while moves both sides of a pair, not the ratio."""
    pairs = zip(app_trials, floor_trials, strict=True)
    return statistics.median(of(app) / of(floor) if of(floor) else 0.0 for app, floor in pairs)


def study_ratios(
    app_trials: list[drive.Trial], floor_trials: list[drive.Trial]
) -> dict[str, float]:
    """The study loop's ratios to the floor: throughput, p99 and CPU per request, and per
    answered card (what a student does: the app takes more requests for one card)."""
    return {
        "throughput_ratio": paired_ratio(app_trials, floor_trials, lambda t: t.throughput),
        "p99_ratio": paired_ratio(app_trials, floor_trials, lambda t: t.percentile(99)),
        "cpu_ratio": paired_ratio(app_trials, floor_trials, lambda t: t.cpu_ms_per_request),
        "per_card": {
            "throughput_ratio": paired_ratio(app_trials, floor_trials, lambda t: t.cards_per_s),
            "cpu_ratio": paired_ratio(app_trials, floor_trials, lambda t: t.cpu_ms_per_card),
            "p99_ratio": paired_ratio(app_trials, floor_trials, lambda t: t.percentile(99)),
            "app_requests_per_card": statistics.median(t.requests_per_card for t in app_trials),
            "floor_requests_per_card": statistics.median(t.requests_per_card for t in floor_trials),
        },
    }


def measure(backend: str, built: building.Built, args: argparse.Namespace) -> dict[str, Any]:
    """Serve the app and the floor under gunicorn and run the trials (ABAB for the study loop)."""
    seconds, pairs = DEFAULTS[args.scale]
    seconds, pairs = args.seconds or seconds, args.pairs or pairs
    counts = [int(n) for n in args.students.split(",")]
    secret = server.new_secret()
    began = time.perf_counter()
    workers = WORKERS[backend]
    app = server.start("app", "app:app", built.url, secret, "/auth/login", workers)
    floor = server.start("floor", "bench.floor:app", built.url, secret, "/login", workers)
    result: dict[str, Any] = {"loops": {}, "floor": {}, "study_ratios": {}}
    note(began, f"{backend}: servers up")
    extra_loops = teacher_loop(app.port, built)
    try:
        names = built.students[: max(counts)]
        app_clients = logged_in(app.port, names, floor=False)
        floor_clients = logged_in(floor.port, names, floor=True)
        note(began, f"{backend}: {len(names)} students logged in to each")
        ctx = drive.Context(built)
        loops = dict(drive.LOOPS)
        loops.update(extra_loops.loops)
        for count in counts:
            app_trials, floor_trials = [], []
            for pair in range(pairs):  # A B B A A B ...: a drift in the machine hits both alike
                sides = [
                    (app, app_clients, drive.study_round, "study", app_trials),
                    (floor, floor_clients, drive.floor_round, "floor", floor_trials),
                ]
                for target, clients, loop, label, into in sides[:: 1 if pair % 2 == 0 else -1]:
                    into.append(drive.run_trial(target, clients[:count], loop, ctx, label, seconds))
                progress_note(backend, f"study x{count}", app_trials[-1], floor_trials[-1])
            app_sum, floor_sum = summarize(app_trials), summarize(floor_trials)
            result["loops"].setdefault("study", {})[str(count)] = app_sum
            result["floor"][str(count)] = floor_sum
            result["study_ratios"][str(count)] = study_ratios(app_trials, floor_trials)
            for name, loop in loops.items():
                if name == "study":
                    continue
                clients = extra_loops.clients(name, count) or app_clients[:count]
                trial = drive.run_trial(app, clients, loop, ctx, name, seconds)
                progress_note(backend, f"{name} x{count}", trial, None)
                result["loops"].setdefault(name, {})[str(count)] = summarize([trial])
    finally:
        extra_loops.close()
        app.stop()
        floor.stop()
    result["skipped"] = extra_loops.skipped
    return result


def progress_note(backend: str, label: str, trial: drive.Trial, floor: drive.Trial | None) -> None:
    line = f"  {backend:<10} {label:<16} app {trial.throughput:7.1f} req/s"
    if floor is not None:
        line += f"   floor {floor.throughput:7.1f} req/s"
    print(line, file=sys.stderr, flush=True)


def note(began: float, text: str) -> None:
    """A line of progress on stderr, with the time since the start."""
    print(f"[{time.perf_counter() - began:5.1f} s] {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["live"]:  # `python -m bench live`: the live-game scenario (bench/live.py)
        from bench import live

        return live.main(argv[1:])
    args = parse_args(argv)
    began = time.perf_counter()
    scale = building.SCALES[args.scale]
    ref_name = REFERENCE[args.scale]
    workdir_ctx = tempfile.TemporaryDirectory(prefix="quiz-bench-")
    workdir = Path(args.workdir or workdir_ctx.name)
    workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "scale": args.scale,
        "reference_scale": ref_name,
        "databases": {},
    }
    try:
        for backend, url, ref_url in databases(args, workdir):
            note(began, f"{backend}: building {args.scale}")
            built = building.build(url, scale)
            entry: dict[str, Any] = {
                "build_seconds": built.seconds,
                "reviews": built.reviews,
                "students": len(built.students),
            }
            note(began, f"{backend}: profiling pass (statements, weights, page times)")
            repeats = 3 if args.scale == "tiny" else 11
            prof = profile.run(built)
            ref_prof = None
            if ref_url and ref_name:
                note(began, f"{backend}: building {ref_name} for the scale comparison")
                ref_prof = profile.run(building.build(ref_url, building.SCALES[ref_name]))
            if ref_prof is not None:
                times, ref_times = profile.page_times([prof, ref_prof], repeats)
                ref_prof.close()
            else:
                (times,) = profile.page_times([prof], repeats)
                ref_times = {}
            prof.close()
            entry.update(
                statements_per_request=prof.statements_per_request,
                statements_per_page=prof.statements_per_page,
                page_weight=prof.page_weight,
                page_latency_ms={
                    page: {
                        args.scale: ms,
                        **(
                            {ref_name: ref_times[page], "ratio": ms / ref_times[page]}
                            if ref_name and page in ref_times
                            else {}
                        ),
                    }
                    for page, ms in times.items()
                },
            )
            note(began, f"{backend}: trials under gunicorn")
            entry.update(measure(backend, built, args))
            entry["login_storm"] = []
            # Not at tiny: the smoke test has a minute, and runs bench.login_storm on its own.
            for threads in () if args.scale == "tiny" else login_storm.THREADS:
                note(began, f"{backend}: login storm (40 logins at once, 4 workers x {threads})")
                entry["login_storm"].append(login_storm.run(built, threads=threads))
            for loop, per_count in entry["loops"].items():
                for figures in per_count.values():
                    figures["statements_per_request"] = prof.statements_per_request.get(loop)
            report["databases"][backend] = entry
        note(began, "start-up times")
        startup_url = f"sqlite:///{workdir / 'startup.sqlite'}"
        worker_s, alembic = server.startup_of_worker(startup_url, 1 if args.scale == "tiny" else 3)
        first_start = server.startup_of_app_py(startup_url)  # migrates and seeds
        report["startup"] = {
            "app_py_first_seconds": first_start,
            "app_py_seconds": server.startup_of_app_py(startup_url),
            "worker_import_seconds": worker_s,
            "alembic_imported_by_worker": alembic,
        }
        report["gift_import"] = gift_import()
        count = (
            args.class_students
            if args.class_students is not None
            else (10 if args.scale == "tiny" else 1000)
        )
        if count:
            note(began, f"teacher pages and the answers export for a class of {count}")
            large = class_scale.run(workdir, count)
            report["teacher_pages"] = large.pop("teacher_pages")
            report["exports"] = large.pop("exports")
            report["large_class"] = large
    finally:
        workdir_ctx.cleanup()
    report["study_loop"] = study_loop(report)
    report["seconds"] = time.perf_counter() - began
    print(table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    return 0


def study_loop(report: dict[str, Any]) -> dict[str, Any]:
    """The headline ratios: the worst over databases and numbers of students."""
    ratios = [
        (backend, count, figures)
        for backend, entry in report["databases"].items()
        for count, figures in entry["study_ratios"].items()
    ]
    return {
        "throughput_ratio": min(r["throughput_ratio"] for _b, _c, r in ratios),
        "p99_ratio": max(r["p99_ratio"] for _b, _c, r in ratios),
        "cpu_ratio": max(r["cpu_ratio"] for _b, _c, r in ratios),
        "per_card": {
            "throughput_ratio": min(r["per_card"]["throughput_ratio"] for _b, _c, r in ratios),
            "p99_ratio": max(r["per_card"]["p99_ratio"] for _b, _c, r in ratios),
            "cpu_ratio": max(r["per_card"]["cpu_ratio"] for _b, _c, r in ratios),
            "goals": {"throughput_ratio": ">= 0.7", "p99_ratio": "<= 2", "cpu_ratio": "<= 1.5"},
        },
        "by_database": {
            backend: {count: figures for b, count, figures in ratios if b == backend}
            for backend in report["databases"]
        },
        "goals": {"throughput_ratio": ">= 0.5", "p99_ratio": "<= 3", "cpu_ratio": "<= 2"},
    }


def table(report: dict[str, Any]) -> str:
    """The figures as text."""
    lines = [f"Benchmark at scale {report['scale']} ({report['seconds']:.0f} s)"]
    for backend, entry in report["databases"].items():
        lines.append("")
        lines.append(
            f"{backend}: {entry['students']} students, {entry['reviews']:,} reviews, "
            f"built in {entry['build_seconds']:.1f} s"
        )
        lines.append(
            f"  {'loop':<10} {'n':>3} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'CPU ms/req':>10} {'SQL/req':>8}"
        )
        rows = [(name, per) for name, per in entry["loops"].items()]
        rows.append(("floor", entry["floor"]))
        for name, per_count in rows:
            for count, f in per_count.items():
                sql = f.get("statements_per_request")
                lines.append(
                    f"  {name:<10} {count:>3} {f['requests_per_s']:8.1f} {f['p50_ms']:8.1f} "
                    f"{f['p95_ms']:8.1f} {f['p99_ms']:8.1f} {f['cpu_ms_per_request']:10.2f} "
                    f"{'-' if sql is None else format(sql, '.1f'):>8}"
                )
        for count, r in entry["study_ratios"].items():
            c = r["per_card"]
            lines.append(
                f"  study/floor x{count}: per request: throughput {r['throughput_ratio']:.2f}, "
                f"p99 {r['p99_ratio']:.2f}, CPU {r['cpu_ratio']:.2f}; per card answered: "
                f"throughput {c['throughput_ratio']:.2f}, CPU {c['cpu_ratio']:.2f} "
                f"({c['app_requests_per_card']:.1f} requests a card, the floor's "
                f"{c['floor_requests_per_card']:.1f})"
            )
            dry = entry["loops"]["study"][count].get("dry_rounds", 0)
            if dry:
                lines.append(
                    f"  warning: {dry} study rounds at x{count} found nothing to study (the "
                    "all-done page): the students ran out of questions, so the loop measured "
                    "less than the study loop"
                )
        lines.append(
            f"  {'page':<28} {'KB (html+assets, compressed)':>28} {'ms':>7} {'x scale':>8}"
        )
        for page, weight in entry["page_weight"].items():
            timing = entry["page_latency_ms"].get(page, {})
            ratio, ms = timing.get("ratio"), timing.get(report["scale"])
            # A page reached at one scale only (the loops took another path) has no timing.
            lines.append(
                f"  {page:<28} {weight['total'] / 1024:12.1f} ({weight['html'] / 1024:.1f}+"
                f"{weight['assets'] / 1024:.1f}) {'-' if ms is None else format(ms, '.1f'):>14} "
                f"{'' if ratio is None else format(ratio, '.2f'):>8}"
            )
        for note in entry.get("skipped", []):
            lines.append(f"  note: {note}")
        for storm in entry.get("login_storm", []):
            lines += ["  " + line for line in login_storm.lines(storm)]
    s = report["study_loop"]
    start = report["startup"]
    lines += [
        "",
        f"study loop (worst case): throughput {s['throughput_ratio']:.2f} of the floor, "
        f"p99 {s['p99_ratio']:.2f}x, CPU {s['cpu_ratio']:.2f}x per request; per card answered: "
        f"throughput {s['per_card']['throughput_ratio']:.2f}, "
        f"p99 {s['per_card']['p99_ratio']:.2f}x, CPU {s['per_card']['cpu_ratio']:.2f}x "
        "(goals per card: >= 0.7, <= 2, <= 1.5)",
        f"startup: python app.py {start['app_py_seconds']:.2f} s (first start, migrating and "
        f"seeding: {start['app_py_first_seconds']:.2f} s), worker import "
        f"{start['worker_import_seconds']:.2f} s (Alembic imported: "
        f"{start['alembic_imported_by_worker']})",
        f"GIFT import: {report['gift_import']}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
