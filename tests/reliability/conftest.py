"""The reliability suite: each test reports its figures, printed at the end of the run and
appended to reports/reliability.jsonl (RELIABILITY.md quotes the last run)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES: list[tuple[str, dict[str, Any]]] = []


def report(plan_id: str, **figures: Any) -> None:
    """Record one test's figures (T1..T16, D1..D7)."""
    FIGURES.append((plan_id, figures))
    line = {"test": plan_id, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **figures}
    print(f"{plan_id}: {json.dumps(figures)}")
    folder = ROOT / "reports"
    folder.mkdir(exist_ok=True)
    with (folder / "reliability.jsonl").open("a") as out:
        out.write(json.dumps(line) + "\n")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print every figure the suite measured."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for plan_id, figures in FIGURES:
        shown = ", ".join(f"{key}={value}" for key, value in figures.items())
        terminalreporter.write_line(f"{plan_id}: {shown}")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: real gunicorn workers or a browser; bounded")
