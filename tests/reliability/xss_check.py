"""Does a page hold markup or script that came from a payload? (An HTML parse, not a regex.)"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from tests.reliability.xss_corpus import MARK

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcdoc"}
# Attributes where escaped payload text legitimately ends up (a re-filled form, a tooltip).
TEXT_ATTRIBUTES = {"value", "title", "alt", "aria-label", "placeholder", "content", "label"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
NEVER_RENDERED = {"iframe", "object", "embed", "base", "frame", "frameset"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NEVER_RENDERED:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            squeezed = "".join(ch for ch in value if ch > " ").lower()
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            # In a URL, a payload is percent-encoded data: only its scheme can hurt.
            free_text = name in TEXT_ATTRIBUTES or name in URL_ATTRIBUTES
            if MARK in value and not free_text and not name.startswith("data-"):
                self.found.append(f"<{tag} {name}={value[:40]}>")
            if MARK in value and name.startswith("data-x"):
                self.found.append(f"<{tag} {name}> from a payload")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self._script = True
                if src:
                    self.found.append(f"<script src={src[:40]}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._script and data.strip():
            self.found.append(f"inline script {data.strip()[:40]}")
        if f"49{MARK}" in data:
            self.found.append("template injection")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False


def injected(html: str) -> list[str]:
    """Elements, attributes or script in the page that a payload created."""
    finder = _Finder()
    finder.feed(html)
    return finder.found


def unsafe_csv_cells(text: str) -> list[str]:
    """Cells from a payload that a spreadsheet would run as a formula."""
    bad = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if MARK in cell and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                bad.append(cell[:40])
    return bad
