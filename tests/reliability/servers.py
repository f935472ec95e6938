"""Real servers for the suite: gunicorn with several workers on 127.0.0.1, and databases."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa

from quiz import create_app
from quiz.config import normalize_database_url
from quiz.extensions import db
from quiz.models import Base
from tests.conftest import TEST_HASH, base_config

ROOT = Path(__file__).resolve().parents[2]
SECRET = "reliability-suite-secret-key-0123456789abcdef"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A fresh, empty database with our tables: app config for it (SQLite file or PG schema)."""
    if kind == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'served.sqlite'}"}
        return
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = normalize_database_url(raw)
    schema = f"quiz_rel_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        }
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def make_app(db_config: dict[str, Any], **extra: Any) -> Any:
    """An in-process app on the database, with its tables created."""
    app = create_app(base_config(SCHEDULER_FUZZING=True, **db_config, **extra))
    with app.app_context():
        Base.metadata.create_all(db.engine)
    return app


def server_env(db_config: dict[str, Any], **extra: Any) -> dict[str, str]:
    """The environment a gunicorn worker reads its settings from (FLASK_* values are JSON)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.pop("DATABASE_URL", None)
    settings = {
        "SECRET_KEY": SECRET,
        "PASSWORD_HASH_METHOD": TEST_HASH,
        "SQLALCHEMY_DATABASE_URI": db_config["SQLALCHEMY_DATABASE_URI"],
        "SQLALCHEMY_ENGINE_OPTIONS": db_config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
        **extra,
    }
    for key, value in settings.items():
        env[f"FLASK_{key}"] = value if isinstance(value, str) else json.dumps(value)
    return env


PRODUCTION_THREADS = 16  # README's gunicorn command: --threads 16


@contextmanager
def gunicorn(
    env: dict[str, str], workers: int, threads: int = PRODUCTION_THREADS, stderr: Any = None
) -> Iterator[str]:
    """gunicorn serving app:app on 127.0.0.1 with `workers` processes of `threads` threads
    (README's production setting by default); yields the base URL.

    `stderr`, when given, receives the server's log (a file open for writing)."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=60",
        # The test's clients reuse connections the way browsers do; with gunicorn's 2 s default
        # a client starved of CPU for 2 s met a connection the server had just closed.
        "--keep-alive=30",
        "--log-level=warning",
        "app:app",
    ]
    process = subprocess.Popen(args, cwd=ROOT, env=env, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/auth/login", timeout=10).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
