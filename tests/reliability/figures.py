"""The figures each reliability test reports: printed at the end of the run (conftest.py) and
appended to reports/reliability.jsonl (RELIABILITY.md quotes the last run)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIGURES: list[tuple[str, dict[str, Any]]] = []


def report(plan_id: str, **figures: Any) -> None:
    """Record one test's figures (T1..T16)."""
    FIGURES.append((plan_id, figures))
    line = {"test": plan_id, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **figures}
    print(f"{plan_id}: {json.dumps(figures)}")
    folder = ROOT / "reports"
    folder.mkdir(exist_ok=True)
    with (folder / "reliability.jsonl").open("a") as out:
        out.write(json.dumps(line) + "\n")
