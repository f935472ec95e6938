"""The axe-core accessibility check every browser journey runs on the pages it reaches."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_AXE = Axe()


def axe_violations(page: Any) -> list[str]:
    """axe-core's violations on the current page, one line each (rule: first target)."""
    results = _AXE.run(page)
    lines = []
    for violation in results.response.get("violations", []):
        targets = [str(node.get("target")) for node in violation.get("nodes", [])][:3]
        lines.append(f"{violation['id']} ({violation.get('impact')}): {', '.join(targets)}")
    return lines


def assert_accessible(page: Any) -> None:
    """Fail with axe-core's findings when the current page has any violation."""
    found = axe_violations(page)
    assert not found, f"axe-core on {page.url}:\n" + "\n".join(found)
