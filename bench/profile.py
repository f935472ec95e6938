"""The in-process pass: SQL statements per request, page weights, and page latency by scale.

The real app runs inside this process on the benchmark database, driven through Flask's test
client by the same loops as the timed trials, while SQLAlchemy events count the statements.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask

from bench.build import BENCH_HASH, Built
from bench.drive import LOOPS, Client, Context, Response, log_in_app

ASSET_RE = re.compile(r'<(?:link|script)\b[^>]*(?:href|src)="(/static/[^"]+)"')
ID_RE = re.compile(r"/(?:\d+|[0-9a-f]{32})(?=/|$|\?)")
# Pages whose GET can be repeated without changing anything, timed for the scale comparison.
TIMED_PAGES = (
    "/study/",
    "/study/next",
    "/study/flip/<id>",
    "/study/reviews/<id>",
    "/study/answers/<id>",
    "/study/progress",
    "/study/sets/<id>/progress",
    "/study/sets/<id>/quiz",
    "/study/attempts/<id>",
    "/study/attempts/<id>/result",
)


def page_name(path: str) -> str:
    """A path with its ids replaced, so one page's requests group together."""
    return ID_RE.sub("/<id>", path.split("?", 1)[0])


def make_app(url: str) -> Flask:
    """The real app on the benchmark database, configured as in production but for HTTPS."""
    from quiz import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-profile-key-0123456789abcdef0123456789",
            "PASSWORD_HASH_METHOD": BENCH_HASH,
        }
    )


class InProcessClient(Client):
    """The benchmark client's interface over Flask's test client, counting statements."""

    def __init__(self, app: Flask, counter: StatementCounter) -> None:
        self.app = app
        self.test_client = app.test_client()
        self.counter = counter
        self.latencies = []
        self.recording = False
        self.cookies = {}
        self.seen: dict[str, list[str]] = defaultdict(list)  # page -> concrete GET paths
        self.dry_rounds = 0  # study rounds that found nothing to study (see drive.study_round)
        self.answered = []
        self.next_page = None

    def request(self, method: str, path: str, data: dict[str, Any] | None = None) -> Response:
        before = self.counter.count
        response = self.test_client.open(path, method=method, data=data)
        name = f"{method} {page_name(path)}"
        self.counter.per_page[name].append(self.counter.count - before)
        if method == "GET" and response.status_code == 200:
            self.seen[page_name(path)].append(path)
        location = response.headers.get("Location", "")
        return Response(response.status_code, location, response.get_data(as_text=True))


@dataclass
class StatementCounter:
    """Counts the statements an engine runs."""

    count: int = 0
    per_page: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def __call__(self, *_args: Any) -> None:
        self.count += 1


@dataclass
class Profile:
    """What the pass found, and the app and client it used (for timing pages)."""

    statements_per_request: dict[str, float]
    statements_per_page: dict[str, int]
    page_weight: dict[str, dict[str, int]]
    paths: dict[str, str]
    app: Flask
    client: Any

    def get(self, page: str) -> float:
        """Seconds one GET of the page takes."""
        started = time.perf_counter()
        self.client.get(self.paths[page])
        return time.perf_counter() - started

    def close(self) -> None:
        """Let go of the database."""
        from quiz.extensions import db

        with self.app.app_context():
            db.engine.dispose()


def page_times(profiles: list[Profile], repeats: int = 11) -> list[dict[str, float]]:
    """Median milliseconds per page for each profile, their requests interleaved.

    Alternating the two scales request by request, like the ABAB trials, lets both see the
    same machine; a busy neighbour would otherwise decide the ratio.
    """
    samples: list[dict[str, list[float]]] = [{} for _ in profiles]
    pages = [page for page in profiles[0].paths if all(page in p.paths for p in profiles)]
    for page in pages:
        for profile in profiles:
            profile.get(page)  # warm-up
        for _ in range(repeats):
            for index, profile in enumerate(profiles):
                samples[index].setdefault(page, []).append(profile.get(page))
    return [
        {page: statistics.median(times) * 1000 for page, times in found.items()}
        for found in samples
    ]


def _weigh(client: Any, path: str) -> dict[str, int] | None:
    """HTML and assets (styles, script, icon) of a page on a cold load, compressed as served."""
    headers = {"Accept-Encoding": "br, gzip"}
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        return None
    html = response.get_data()
    text = client.get(path).get_data(as_text=True)
    assets = sum(
        len(client.get(asset, headers=headers).get_data())
        for asset in sorted(set(ASSET_RE.findall(text)))
    )
    return {"html": len(html), "assets": assets, "total": len(html) + assets}


def run(built: Built, *, rounds: int = 1) -> Profile:
    """Run each loop once in process, counting statements; weigh and time the pages."""
    app = make_app(built.url)
    counter = StatementCounter()
    with app.app_context():
        from quiz.extensions import db

        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", counter)
    client = InProcessClient(app, counter)
    try:
        log_in_app(client, built.students[-1])
        counter.per_page.clear()
        per_loop: dict[str, float] = {}
        ctx = Context(built)
        for name, loop in LOOPS.items():
            requests_before = sum(len(v) for v in counter.per_page.values())
            statements_before = counter.count
            for _ in range(rounds):
                loop(client, ctx)
            requests = sum(len(v) for v in counter.per_page.values()) - requests_before
            per_loop[name] = (counter.count - statements_before) / max(requests, 1)
        per_page = {page: max(counts) for page, counts in sorted(counter.per_page.items())}
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    weights, paths = {}, {}
    for page in TIMED_PAGES:
        seen = client.seen.get(page)
        weight = _weigh(client.test_client, seen[-1]) if seen else None
        if weight is not None:
            weights[page], paths[page] = weight, seen[-1]
    return Profile(per_loop, per_page, weights, paths, app, client.test_client)
