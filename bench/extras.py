"""Loops for features that other branches add: the teacher dashboard and the GIFT import.

Each is measured when the feature exists in this build and skipped with a note otherwise;
adding another loop is one function returning the loop and its clients.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.build import Built
from bench.drive import Client, Context, log_in_app

ROOT = Path(__file__).resolve().parent.parent
GIFT_QUESTIONS = 5_000


@dataclass
class ExtraLoops:
    """Loops beyond the student ones, with the clients that run them."""

    loops: dict[str, Callable[[Client, Context], None]] = field(default_factory=dict)
    by_loop: dict[str, list[Client]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def clients(self, name: str, count: int) -> list[Client] | None:
        """The clients of an extra loop (None: the students')."""
        clients = self.by_loop.get(name)
        return clients[:count] if clients else None

    def close(self) -> None:
        for clients in self.by_loop.values():
            for client in clients:
                client.conn.close()


def _dashboard_path() -> str | None:
    """The URL of the teacher's class dashboard for the bench class, if the app has one."""
    from bench.profile import make_app

    app = make_app("sqlite://")
    for rule in app.url_map.iter_rules():
        is_dashboard = rule.endpoint.startswith("teach.") and "dashboard" in rule.endpoint
        if is_dashboard and "GET" in (rule.methods or ()):
            with app.test_request_context():
                from flask import url_for

                return url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1))
    return None


def teacher_loop(port: int, built: Built, teachers: int = 32) -> ExtraLoops:
    """The teacher dashboard loop, when the app has a dashboard."""
    extra = ExtraLoops()
    path = _dashboard_path()
    if path is None:
        extra.skipped.append("teacher dashboard: not in this build, loop skipped")
        return extra

    def dashboard_round(client: Client, _ctx: Context) -> None:
        client.get(path)

    clients = []
    for _ in range(teachers):
        client = Client(port)
        log_in_app(client, built.teacher)
        clients.append(client)
    extra.loops["dashboard"] = dashboard_round
    extra.by_loop["dashboard"] = clients
    return extra


def gift_import(count: int = GIFT_QUESTIONS) -> dict[str, Any]:
    """Time reading and writing a GIFT file of `count` questions, if this build imports GIFT."""
    if not (ROOT / "quiz" / "formats" / "gift.py").exists():
        return {"skipped": "quiz/formats/gift.py is not in this build"}
    from bench.import_gift import measure

    parse_s, write_s = measure(count)
    return {"questions": count, "parse_seconds": parse_s, "write_seconds": write_s}
