"""Password policy (ASVS 6.2.4), the one place a password is checked against a hash, and the
bound on hashes running at once across every worker of the server.

Hashing is Argon2id at OWASP's parameters (quiz.password_hashing): 20-40 ms of CPU a hash on
the documented 2-core machine, where PBKDF2 at 1,000,000 iterations took about a second. The
bound must hold across workers: with sync workers one request is one worker, so a semaphore
per worker never had more than one request to hold back, while the class's logins queued in
the listen backlog. Each slot is a file in the instance folder held with flock (the kernel
drops the lock when a worker dies; it works between threads too), so it needs no service
beyond the file system. A request that finds every slot taken polls for PASSWORD_HASH_WAIT_S,
then gets a quick 503 with Retry-After rather than holding its worker in a queue with no end.

A student already studying is the harder part. With sync workers their next request waits in
the listen backlog behind the class, whatever the bound. With threads (README runs 16 per
worker) it is served beside the logins, and two things keep the logins off its back: each
worker hashes in one thread of its own at a lower CPU priority (nice 10, PASSWORD_HASH_NICE),
so the kernel runs request threads first; and a worker with PASSWORD_HASH_QUEUE requests
already waiting for that thread answers the next login 503 at once, so logins never take all
of a worker's threads (with 8 threads and no such cap, a student's request sometimes queued a
whole second behind them). Measured (`python -m bench.login_storm`, 40 logins at once on 4
workers, 2 cores, load 1-2): sync workers, login p99 1.4 s, the student 81 times idle; 16
threads, login p99 2.0 s, the student 1.6-2.5 times idle on SQLite and 9-11 times on
PostgreSQL, whose backends do the logins' writes at full priority; with the hashing thread at
nice 0, 104 times. Nothing but hashing runs inside a slot: a holder waiting for SQLite's
write lock while that lock's holder waits for a slot would stall both (it did, in a first
version: every login then waited out the busy timeout).
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from flask import current_app
from werkzeug.exceptions import ServiceUnavailable

from quiz.password_hashing import make_hash, verify_hash

try:
    import fcntl
except ImportError:  # Windows, where gunicorn does not run: a bound per process only
    fcntl = None  # type: ignore[assignment]

POLL_S = 0.005
T = TypeVar("T")
RETRY_AFTER_S = 2

COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "passw0rd",
        "12345678",
        "123456789",
        "1234567890",
        "11111111",
        "00000000",
        "qwertyuiop",
        "qwerty123",
        "qwertyui",
        "1q2w3e4r",
        "1qaz2wsx",
        "abcd1234",
        "abc12345",
        "iloveyou",
        "sunshine1",
        "princess1",
        "football",
        "baseball",
        "welcome1",
        "letmein1",
        "trustno1",
        "dragon123",
        "monkey123",
        "superman",
        "starwars",
        "whatever",
        "computer",
        "internet",
        "michelle",
        "jennifer",
        "87654321",
        "12341234",
        "aaaaaaaa",
        "changeme",
        "admin123",
        "administrator",
        "student1",
        "teacher1",
        "password!",
        "p@ssw0rd",
    }
)


def password_problem(password: str) -> str | None:
    """Why the password is unacceptable, or None when it is fine."""
    if password.casefold() in COMMON_PASSWORDS:
        return "This password is one of the most common ones; choose another."
    if len(set(password)) < 4:
        return "Use a password with more different characters."
    return None


@lru_cache(maxsize=8)
def dummy_hash(method: str) -> str:
    """A hash of a random password, made once per hashing method."""
    return make_hash(secrets.token_urlsafe(24), method)


def verify_password(stored_hash: str | None, password: str, method: str) -> bool:
    """Whether the password matches the stored hash.

    With no hash (no such account, or a deactivated one) the password is still checked, against
    a dummy made with the configured method, so the answer takes as long either way and does
    not tell which accounts exist.
    """
    if stored_hash is None:
        verify_hash(dummy_hash(method), password)
        return False
    return verify_hash(stored_hash, password)


class HashingBusy(ServiceUnavailable):
    """Every hashing slot of the server stayed taken: the client should retry shortly."""

    user_message = "The server is busy checking passwords. Try again in a few seconds."

    def __init__(self) -> None:
        # werkzeug sets retry_after on the instance (None unless given), hiding a class value.
        super().__init__(retry_after=RETRY_AFTER_S)


_local_slots: dict[int, threading.BoundedSemaphore] = {}
_local_lock = threading.Lock()


def _take_file_slot(folder: Path, size: int) -> int | None:
    """The descriptor of a slot file now locked by us, or None when all are taken."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    for n in range(size):
        fd = os.open(folder / f"slot-{n}", flags, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


def _slot_folder() -> Path:
    """Where the slot files live: PASSWORD_HASH_SLOT_DIR, else instance/hash-slots."""
    configured = current_app.config.get("PASSWORD_HASH_SLOT_DIR")
    folder = Path(configured or Path(current_app.instance_path) / "hash-slots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _lower_priority(nice: int) -> None:
    """Make the calling thread (the hashing thread) yield the CPU to request threads."""
    # On Linux a thread is a task of its own: this sets this thread's nice value only. Not
    # Linux, or not allowed: the slots still bound the hashes.
    with suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


class _Hasher:
    """One hashing thread per worker process, started on first use (after gunicorn's fork),
    and the count of this process's requests waiting for it."""

    def __init__(self) -> None:
        self.pid = -1
        self.executor: ThreadPoolExecutor | None = None
        self.waiting = 0
        self.lock = threading.Lock()

    @contextmanager
    def place(self, limit: int, nice: int) -> Iterator[ThreadPoolExecutor]:
        """This process's executor, counting the caller among its waiters; HashingBusy when
        `limit` requests of this process already wait."""
        with self.lock:
            if self.executor is None or self.pid != os.getpid():
                self.executor = ThreadPoolExecutor(
                    1, "password-hashing", initializer=_lower_priority, initargs=(nice,)
                )
                self.pid, self.waiting = os.getpid(), 0
            if self.waiting >= max(1, limit):
                raise HashingBusy()
            self.waiting += 1
            executor = self.executor
        try:
            yield executor
        finally:
            with self.lock:
                self.waiting -= 1


_hasher = _Hasher()


@contextmanager
def _file_slot(folder: Path, size: int, deadline: float) -> Iterator[None]:
    """Hold one of `size` slot files in `folder`; HashingBusy once the deadline passes."""
    if fcntl is None:
        with _local_lock:
            slot = _local_slots.setdefault(size, threading.BoundedSemaphore(size))
        if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise HashingBusy()
        try:
            yield
        finally:
            slot.release()
        return
    while (fd := _take_file_slot(folder, size)) is None:
        if time.monotonic() >= deadline:
            raise HashingBusy()
        time.sleep(POLL_S)
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases its lock


def run_hashing(job: Callable[[], T]) -> T:
    """Run a password hash (`job`) in this worker's hashing thread, inside one of the server's
    PASSWORD_HASH_CONCURRENCY slots; HashingBusy (503 with Retry-After) when no slot frees up
    within PASSWORD_HASH_WAIT_S of the request asking, or at once when PASSWORD_HASH_QUEUE
    requests of this worker already wait (so that logins never take every thread of a worker).

    The request's thread waits; the job must do nothing but hash (no database: see above)."""
    config = current_app.config
    size = max(1, int(config["PASSWORD_HASH_CONCURRENCY"]))
    deadline = time.monotonic() + float(config["PASSWORD_HASH_WAIT_S"])
    folder = _slot_folder()

    def in_slot() -> T:
        with _file_slot(folder, size, deadline):
            return job()

    limit = int(config["PASSWORD_HASH_QUEUE"])
    with _hasher.place(limit, int(config["PASSWORD_HASH_NICE"])) as executor:
        return executor.submit(in_slot).result()


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Hold one of the server's slots in the calling thread (for tests that occupy it)."""
    config = current_app.config
    deadline = time.monotonic() + float(config["PASSWORD_HASH_WAIT_S"])
    with _file_slot(_slot_folder(), max(1, int(config["PASSWORD_HASH_CONCURRENCY"])), deadline):
        yield
