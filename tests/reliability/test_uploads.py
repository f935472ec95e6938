"""T11: every upload form the app shows (found by crawling, so importers are covered as they
land) gets malformed files, through the preview and then the confirm step that writes: never a
5xx, both steps refuse (422) naming a line, and no row changes (a digest of every table)."""

from __future__ import annotations

import hashlib
import io
import re
import secrets

import pytest
import zstandard
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from quiz.models import Question, QuestionSet
from tests.anki_helpers import BASIC, Deck, NoteSpec, package, zip_bomb, zip_of
from tests.conftest import count_rows
from tests.reliability.crawl import forms
from tests.reliability.figures import report
from tests.reliability.forms import Form, parse_forms
from tests.reliability.rows import changed, table_digests
from tests.reliability.world import build_world

# Where the problem is: a text file's line; a binary file's note, row, zip entry or zstd frame
# (binary files have no lines).
LINE = re.compile(
    r"\b([Ll]ine|[Nn]ote|[Rr]ow) \d+|\b(the zip file|zstd frame|the entry|collection\.anki2\w*)\b"
)
GOOD_GIFT = "::Q1:: Which city is Niger's capital? {=Niamey ~Agadez}\n"
TRUNCATED = zstandard.ZstdCompressor().compress(b"SQLite format 3\x00" * 999)[:40]
MALFORMED: dict[str, bytes] = {
    "empty": b"",
    "bom only": b"\xef\xbb\xbf",
    "utf-16": GOOD_GIFT.encode("utf-16"),
    "latin-1": "Qu'est-ce que l'Aïr ? {=Massif}".encode("latin-1"),
    "mixed line ends": b"a\r\nb\rc\nd",
    "unbalanced open": b"::Q:: Text {=a ~b\n",
    "unbalanced close": b"::Q:: Text =a ~b}\n",
    # `{}` alone is an essay now (issue 23); a right answer with no text is still broken.
    "no answers": b"::Q:: Text {=}\n",
    "bad matching": b"::Q:: Match {=a -> =b ->}\n",
    "unescaped specials": b"::Q:: a ~ b = c # d { e } : f\n",
    "nul byte": b"::Q:: A\x00B {=a ~b}\n",
    "many lines": b"x\n" * 100_000,
    "ragged csv": b"question,answer\nq1\nq2,a2,extra,more\n",
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
    # Good questions before a broken one: nothing of the file may be written.
    "good then bad gift": (GOOD_GIFT * 3 + "::Q9:: Broken {=a ~b\n").encode(),
    "good then ragged csv": b"question,answer\nq1,a1\nq2,a2\nq3\n",
    "good then bad yaml": b"title: T\nquestions:\n  - key: a\n    kind: short_answer\n"
    b"    prompt: P?\n    answers: [x]\n  - key: b\n    kind: nonsense\n",
    # Zips (.apkg, .colpkg, .xlsx): checked before anything in them is read (issue 22).
    "zip bomb": zip_bomb("collection.anki2", 600),
    "path traversal": zip_of({"collection.anki21": b"x", "../../etc/evil": b"x"}),
    "truncated zstd": zip_of({"collection.anki21b": TRUNCATED}),
    "malformed anki note": package(Deck([NoteSpec(31, BASIC, ["one field"])]), "anki21b"),
}
# Odd but well-formed files: imported whole (hostile text is escaped and neutralized on the way
# out, which test_xss checks), never in part.
ODD: dict[str, bytes] = {
    # A tags column number int() would refuse (issue 21, defect 6): read boundedly, ignored.
    "huge tags column": b"#separator:tab\n#tags column:" + b"9" * 5000 + b"\nQ\tA\n",
    "long name": b"::" + b"N" * 300 + b":: Q {=a ~b}\n",
    "formula csv": b'question,answer\n=HYPERLINK("http://evil.example"),x\n',
    "script text": b"::Q:: <script>alert(1)</script> {=a ~b}\n",
}
CONFIRM = "/teach/import/confirm"


def confirm_data(preview: str, content: bytes) -> dict[str, str]:
    """What the confirm step posts: the preview's own form when it showed one; otherwise what a
    forged confirm would carry (a token no preview made, with the file's checksum)."""
    for form in parse_forms(preview):
        if form.action.endswith(CONFIRM):
            return {k: v for k, v in form.defaults().items()}
    return {"token": secrets.token_urlsafe(24), "sha256": hashlib.sha256(content).hexdigest()}


GONE = "This preview has expired or was already imported"


def upload(client: FlaskClient, form: Form, name: str, content: bytes) -> TestResponse:
    """Post a file through an upload form with its other fields as the page fills them."""
    data: dict = {k: v for k, v in form.defaults().items()}
    for f in form.fields:
        if f.kind == "file":
            data[f.name] = FileStorage(io.BytesIO(content), f"{name}.txt")
    # Encoded in memory: the test client spools a body over 500 KB (the zip bomb) to a
    # temporary file it never closes (an unraisable ResourceWarning, an error in this suite).
    boundary, body = encode_multipart(data)
    return client.post(
        form.action, data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_malformed_uploads(app: Flask, backend: str) -> None:
    world = build_world(app)
    uploads = [
        (role, form)
        for role, _page, form in forms(world)
        if any(f.kind == "file" for f in form.fields)
        # Pictures and sound are no question files: tests/test_media_upload.py covers them.
        and "/media/" not in form.action
    ]
    if not uploads:
        report("T11", backend=backend, upload_forms=0, note="no upload form in the app yet")
        pytest.skip("no upload form in the app yet")
    wrong, partial, sent, confirmed, with_line = [], [], 0, 0, 0
    for role, form in uploads:
        client = world.client(role)
        for name, content in MALFORMED.items():
            before = table_digests(app)
            preview = upload(client, form, name, content)
            sent += 1
            steps = [("preview", preview, 422)]
            # The second step, as the Import button would post it; a refused preview offers no
            # button, so a forged confirm (a token no preview made) is refused as gone.
            data = confirm_data(preview.get_data(as_text=True), content)
            steps.append(("confirm", client.post(CONFIRM, data=data), 410))
            confirmed += 1
            for step, response, want in steps:
                page = response.get_data(as_text=True)
                if response.status_code != want:
                    wrong.append((step, name, response.status_code, want))
                elif want == 422 and not LINE.search(page):
                    wrong.append((step, name, "no line named"))
                elif want == 410 and GONE not in page:
                    wrong.append((step, name, "the refusal does not say why"))
                else:
                    with_line += want == 422
            if changed(before, table_digests(app)):
                partial.append((name, changed(before, table_digests(app))))
    report(
        "T11",
        backend=backend,
        upload_forms=len(uploads),
        malformed_files=sent,
        confirm_steps=confirmed,
        wrong_answers=len(wrong),
        partial_imports=len(partial),
        refusals_naming_a_line=with_line,
    )
    assert not wrong and not partial, (wrong, partial)


def test_odd_but_well_formed_uploads_import_whole(app: Flask, backend: str) -> None:
    """A file the preview accepts is written whole by the confirm step: one new set holding
    every question the preview listed."""
    world = build_world(app)
    role, form = next(
        (role, form)
        for role, _page, form in forms(world)
        if role == "teacher_a" and any(f.kind == "file" for f in form.fields)
    )
    client = world.client(role)
    for name, content in ODD.items():
        preview = upload(client, form, name, content)
        assert preview.status_code == 200, name
        page = preview.get_data(as_text=True)
        assert any(f.action.endswith(CONFIRM) for f in parse_forms(page)), name  # its own form
        data = confirm_data(page, content)
        before = count_rows(app, QuestionSet), count_rows(app, Question)
        done = client.post(CONFIRM, data=data)
        assert done.status_code == 302, name
        assert (count_rows(app, QuestionSet), count_rows(app, Question)) == (
            before[0] + 1,
            before[1] + 1,
        ), name
