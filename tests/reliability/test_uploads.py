"""T11: every upload form the app shows (found by crawling, so importers are covered as they
land) gets malformed files: never a 5xx, and a refused file changes no row."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask

from tests.reliability.crawl import forms
from tests.reliability.figures import report
from tests.reliability.test_fuzz import table_counts
from tests.reliability.world import build_world

LINE = re.compile(r"\b[Ll]ine \d+")
GOOD_GIFT = "::Q1:: Which city is Niger's capital? {=Niamey ~Agadez}\n"
MALFORMED: dict[str, bytes] = {
    "empty": b"",
    "bom only": b"\xef\xbb\xbf",
    "utf-16": GOOD_GIFT.encode("utf-16"),
    "latin-1": "Qu'est-ce que l'Aïr ? {=Massif}".encode("latin-1"),
    "mixed line ends": b"a\r\nb\rc\nd",
    "unbalanced open": b"::Q:: Text {=a ~b\n",
    "unbalanced close": b"::Q:: Text =a ~b}\n",
    "no answers": b"::Q:: Text {}\n",
    "bad matching": b"::Q:: Match {=a -> =b ->}\n",
    "unescaped specials": b"::Q:: a ~ b = c # d { e } : f\n",
    "long name": b"::" + b"N" * 300 + b":: Q {=a ~b}\n",
    "nul byte": b"::Q:: A\x00B {=a ~b}\n",
    "many lines": b"x\n" * 100_000,
    "ragged csv": b"question,answer\nq1\nq2,a2,extra,more\n",
    "formula csv": b'question,answer\n=HYPERLINK("http://evil.example"),x\n',
    "script text": b"::Q:: <script>alert(1)</script> {=a ~b}\n",
    "binary": bytes(range(256)) * 8,
    "zip header": b"PK\x03\x04" + b"\x00" * 100,
    "only braces": b"{{{{}}}}",
    "deep nesting": b"[" * 5000,
    # Numbers int() refuses (issue 21, defect 6): more than 4,300 digits, a superscript digit.
    "huge paragraph": b"kind,prompt,back,paragraph\nflashcard,Q,A," + b"9" * 5000 + b"\n",
    "superscript paragraph": "kind,prompt,back,paragraph\nflashcard,Q,A,²\n".encode(),
    "huge yaml number": b"title: T\nslug: t\nquestions:\n  - kind: flashcard\n    prompt: Q\n"
    + b"    back: A\n    paragraph: "
    + b"9" * 5000
    + b"\n",
    "huge tags column": b"#separator:tab\n#tags column:" + b"9" * 5000 + b"\nQ\tA\n",
}


def stored(app: Flask) -> dict[str, int]:
    """Rows per table but the upload a preview keeps until it is confirmed (not an import)."""
    return {k: v for k, v in table_counts(app).items() if k != "pending_import"}


def test_malformed_uploads(app: Flask, backend: str) -> None:
    world = build_world(app)
    uploads = [
        (role, form)
        for role, _page, form in forms(world)
        if any(f.kind == "file" for f in form.fields)
    ]
    if not uploads:
        report("T11", backend=backend, upload_forms=0, note="no upload form in the app yet")
        pytest.skip("no upload form in the app yet")
    server_errors, partial, sent, with_line = [], [], 0, 0
    for role, form in uploads:
        for name, content in MALFORMED.items():
            data: dict = {k: v for k, v in form.defaults().items()}
            for f in form.fields:
                if f.kind == "file":
                    data[f.name] = (io.BytesIO(content), f"{name}.txt")
            before = stored(app)
            response = world.client(role).post(
                form.action, data=data, content_type="multipart/form-data"
            )
            sent += 1
            if response.status_code >= 500:
                server_errors.append((form.action, name))
            elif response.status_code not in (301, 302, 303) and stored(app) != before:
                partial.append((form.action, name))
            with_line += bool(LINE.search(response.get_data(as_text=True)))
    report(
        "T11",
        backend=backend,
        upload_forms=len(uploads),
        malformed_files=sent,
        server_errors=len(server_errors),
        partial_imports=len(partial),
        responses_naming_a_line=with_line,
    )
    assert not server_errors and not partial, (server_errors, partial)
