"""The reliability suite prints every figure it measured at the end of the run."""

from __future__ import annotations

from typing import Any

from tests.reliability.figures import FIGURES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print every figure the suite measured."""
    if not FIGURES:
        return
    terminalreporter.section("reliability figures")
    for plan_id, figures in FIGURES:
        shown = ", ".join(f"{key}={value}" for key, value in figures.items())
        terminalreporter.write_line(f"{plan_id}: {shown}")
