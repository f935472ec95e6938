"""Gunicorn servers on 127.0.0.1, their workers' CPU time from /proc, and start-up times."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.build import BENCH_HASH

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, path: str, timeout: float = 30.0) -> float:
    """Seconds until GET path answers (any status below 500)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"nothing answered on port {port} within {timeout:.0f} s")


def bench_env(database_url: str, secret: str, hash_method: str = BENCH_HASH) -> dict[str, str]:
    """The environment both servers run with."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        FLASK_SECRET_KEY=secret,
        FLASK_PASSWORD_HASH_METHOD=hash_method,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@dataclass
class Server:
    """A gunicorn master and its workers."""

    name: str
    port: int
    process: subprocess.Popen[bytes]

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.process.pid:
                    children.append(int(entry.name))
        return children

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the workers so far."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS

    def stop(self) -> None:
        """Stop the master (and so its workers) and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    name: str,
    target: str,
    database_url: str,
    secret: str,
    probe: str,
    workers: int = WORKERS,
    hash_method: str = BENCH_HASH,
    threads: int = 1,
    extra_env: dict[str, str] | None = None,
    startup_timeout: float = 30.0,
) -> Server:
    """gunicorn TARGET with the shared settings; returns once it answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        target,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        "--backlog",
        "256",
    ]
    env = {**bench_env(database_url, secret, hash_method), **(extra_env or {})}
    process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    server = Server(name, port, process)
    try:
        wait_for(port, probe, startup_timeout)
        while len(server.worker_pids()) < workers:
            time.sleep(0.05)
    except Exception:
        server.stop()
        raise
    return server


def new_secret() -> str:
    """A session key for both servers."""
    return secrets.token_hex(32)


def startup_of_app_py(database_url: str, runs: int = 1) -> float:
    """Seconds from `python app.py` to its first answered request (migrate, seed, serve)."""
    times = []
    for _ in range(runs):
        port = free_port()
        env = bench_env(database_url, new_secret())
        env["PORT"] = str(port)
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port, "/auth/login", timeout=60)
            times.append(time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait(timeout=10)
    return sorted(times)[len(times) // 2]


def startup_of_worker(database_url: str, runs: int = 3) -> tuple[float, bool]:
    """Seconds a fresh process takes to import app (what each gunicorn worker does), and
    whether Alembic got imported on the way."""
    code = (
        "import time, sys; t = time.perf_counter(); import app; "
        "print(time.perf_counter() - t, 'alembic' in sys.modules)"
    )
    times, alembic = [], False
    for _ in range(runs):
        out = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=bench_env(database_url, new_secret()),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        times.append(float(out[0]))
        alembic = alembic or out[1] == "True"
    return sorted(times)[len(times) // 2], alembic
