"""Configuration defaults, the environment layer and the production guard."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import Any

# Values that must never be a production secret: Flask's docs, tutorials and our own defaults.
KNOWN_WEAK_SECRETS = frozenset(
    {
        "",
        "dev",
        "secret",
        "changeme",
        "change-me",
        "development",
        "secret-key",
        "your-secret-key",
        "super-secret",
        "thisisasecretkey",
        # Apache Superset's shipped key (CVE-2023-27524): the kind of default attackers try.
        "\x02\x01thisismyscretkey\x01\x02\\e\\y\\y\\h",
    }
)
MIN_SECRET_LENGTH = 32
MAX_SQLITE_WORKERS = 2  # beyond that, writers queue on SQLite's one lock: use PostgreSQL

# OWASP's Password Storage Cheat Sheet: Argon2id with at least 19 MiB of memory, 2 passes and
# 1 degree of parallelism. Older hashes (PBKDF2) are replaced at the next good login.
PRODUCTION_PASSWORD_HASH = "argon2id:m=19456,t=2,p=1"  # noqa: S105 - a method name, not a secret


def defaults(instance_path: str) -> dict[str, Any]:
    """The built-in settings, safe for a local install."""
    return {
        "SECRET_KEY": None,
        "PRODUCTION": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'quiz.sqlite'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SQLITE_BUSY_TIMEOUT_MS": 10_000,
        "PASSWORD_HASH_METHOD": PRODUCTION_PASSWORD_HASH,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Pictures and sound (quiz.media): per file, and per teacher over all their files. The
        # upload URL alone accepts a body as large as the larger file limit.
        "MEDIA_IMAGE_MAX_BYTES": 5 * 1024 * 1024,
        "MEDIA_AUDIO_MAX_BYTES": 20 * 1024 * 1024,
        "MEDIA_QUOTA_BYTES": 200 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "PERMANENT_SESSION_LIFETIME": 14 * 24 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Password checks (quiz.auth.limiter): free failures per account, then a delay that
        # doubles with each failure, up to the maximum; failures older than the window count
        # for nothing.
        "LOGIN_FREE_FAILURES": 5,
        "LOGIN_DELAY_BASE_S": 2,
        "LOGIN_DELAY_MAX_S": 15 * 60,
        "LOGIN_FAILURE_WINDOW_S": 60 * 60,
        # Per address, for browsers that never logged in to the account: a school's pupils
        # share one public address, and their own browsers are not counted here. Past the
        # limit, one check per LOGIN_ADDRESS_DELAY_S, so the school is slowed, not shut out.
        "LOGIN_FAILURE_LIMIT_PER_ADDRESS": 50,
        "LOGIN_ADDRESS_DELAY_S": 60,
        # Per account from every address (guessing spread over many): free failures, then the
        # same doubling delay capped here, so a stranger holds a new browser a minute at most.
        "LOGIN_ACCOUNT_FREE_FAILURES": 20,
        "LOGIN_ACCOUNT_DELAY_MAX_S": 60,
        # LTI: the LMS origins that may show the site in a frame ("https://moodle.school.example
        # https://school.instructure.com"); empty: no frame at all (X-Frame-Options: DENY).
        "FRAME_ANCESTORS": "",
        "DEVICE_COOKIE_NAME": "quiz_device",
        "DEVICE_COOKIE_MAX_AGE_S": 365 * 24 * 3600,
        "REGISTRATION_LIMIT_PER_ADDRESS": 60,  # a whole year group signing up from school
        "REGISTRATION_WINDOW_S": 60 * 60,
        # Hashes running at once across every worker (quiz.auth.passwords; 25-40 ms of CPU
        # each): one core fewer than the machine has, so a login storm leaves a core to the
        # students already studying. Beyond that a request waits up to PASSWORD_HASH_WAIT_S
        # for a slot, then gets a 503 with Retry-After. The slots are files in
        # PASSWORD_HASH_SLOT_DIR (default instance/hash-slots), shared by every worker.
        "PASSWORD_HASH_CONCURRENCY": max(1, (os.cpu_count() or 2) - 1),
        "PASSWORD_HASH_WAIT_S": 5,
        "PASSWORD_HASH_SLOT_DIR": None,
        # The nice value of each worker's hashing thread: request threads come first on the
        # CPU, so a student studying during a login storm is not held up (0 to turn it off).
        "PASSWORD_HASH_NICE": 10,
        # Requests of one worker process waiting for (or running) a hash; one more is answered
        # 503 with Retry-After at once. Run gunicorn with more threads than this (README says
        # 16), so that a class logging in never takes every thread a student's request needs.
        "PASSWORD_HASH_QUEUE": 8,
        # Password reset: by e-mail when MAIL_SERVER and PUBLIC_URL are set (the link is built
        # on PUBLIC_URL, never on the request's Host header); otherwise an admin makes the link.
        "PUBLIC_URL": None,
        "MAIL_SERVER": None,
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,  # STARTTLS
        "MAIL_USE_SSL": False,  # SMTPS
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_FROM": None,
        "MAIL_TIMEOUT_S": 10,
        "PASSWORD_RESET_MAX_AGE_S": 60 * 60,
        "PASSWORD_RESET_LIMIT": 3,  # e-mails per account per window (ten times that per address)
        "PASSWORD_RESET_WINDOW_S": 60 * 60,
        # What deleting a student account does to their answers: "anonymize" keeps them under
        # a nameless, disabled account (question statistics stay right); "delete" removes them.
        "ACCOUNT_DELETION_REVIEWS": "anonymize",
        # An import's preview keeps the upload on the server until it is confirmed or expires;
        # a teacher's oldest previews beyond the number kept are dropped by their next upload.
        "IMPORT_PREVIEW_TTL_S": 60 * 60,
        "IMPORT_PREVIEWS_PER_USER": 5,
        "SCHEDULER_FUZZING": True,
        "WORKERS": 1,  # how many processes serve the app (WEB_CONCURRENCY sets it for gunicorn)
        "TRUSTED_HOSTS": None,
        "STARTER_SET_SLUG": "niger-air-base-101",
        "PROXY_FIX_X_FOR": 0,  # set to the number of trusted proxies in front of the app
        "QUESTION_BANK_DIR": str(Path(__file__).resolve().parent.parent / "questions"),
    }


def from_environment() -> dict[str, Any]:
    """Settings that are not FLASK_-prefixed but conventional: DATABASE_URL."""
    values: dict[str, Any] = {}
    url = os.environ.get("DATABASE_URL")
    if url:
        values["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(url)
    workers = os.environ.get("WEB_CONCURRENCY", "")  # gunicorn's default worker count
    if workers.isdigit() and len(workers) < 6:
        values["WORKERS"] = int(workers)
    return values


def normalize_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def local_secret_key(instance_path: str) -> str:
    """A random key kept in instance/, so a local install keeps its sessions across restarts.

    Several workers may start at once on a fresh instance/: the file is created with O_EXCL,
    so exactly one of them writes it, and every one returns what the file holds.
    """
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    # The winner may still be writing: reread until the whole key is there.
    deadline = time.monotonic() + 5
    while True:
        key = path.read_text().strip()
        if len(key) >= MIN_SECRET_LENGTH or time.monotonic() > deadline:
            return key
        time.sleep(0.01)


def deploy_problems(config: dict[str, Any]) -> list[str]:
    """What makes this configuration unfit for production; empty when it is fine."""
    problems = []
    key = config.get("SECRET_KEY") or ""
    if key in KNOWN_WEAK_SECRETS or len(key) < MIN_SECRET_LENGTH or len(set(key)) < 8:
        problems.append(
            f"FLASK_SECRET_KEY must be a random string of at least {MIN_SECRET_LENGTH} characters"
        )
    if config.get("DEBUG") or config.get("TESTING"):
        problems.append("DEBUG and TESTING must be off")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE must be on (serve over HTTPS)")
    if not config.get("MAX_CONTENT_LENGTH"):
        problems.append("MAX_CONTENT_LENGTH must be set")
    if config.get("PASSWORD_HASH_METHOD") != PRODUCTION_PASSWORD_HASH:
        problems.append(f"PASSWORD_HASH_METHOD must be {PRODUCTION_PASSWORD_HASH}")
    if not config.get("TRUSTED_HOSTS"):
        problems.append(
            'TRUSTED_HOSTS must list the site\'s host names (e.g. ["quiz.example.org"])'
        )
    uri = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if uri.startswith("sqlite") and int(config.get("WORKERS") or 1) > MAX_SQLITE_WORKERS:
        problems.append(
            f"SQLite supports at most {MAX_SQLITE_WORKERS} workers; use PostgreSQL (DATABASE_URL)"
        )
    public_url = str(config.get("PUBLIC_URL") or "")
    if config.get("MAIL_SERVER") and not public_url:
        problems.append("PUBLIC_URL must be set when MAIL_SERVER is (reset links are built on it)")
    if public_url and not public_url.startswith("https://"):
        problems.append("PUBLIC_URL must start with https://")
    if config.get("ACCOUNT_DELETION_REVIEWS") not in ("anonymize", "delete"):
        problems.append('ACCOUNT_DELETION_REVIEWS must be "anonymize" or "delete"')
    return problems
