"""The import page (preview, then import), export downloads and the print views."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quiz.extensions import db
from quiz.formats.detect import read
from quiz.models import Question, QuestionSet
from tests.conftest import count_rows, statements_for
from tests.transfer_helpers import (
    GIFT,
    client_for,
    confirm_fields,
    gift_of,
    make_roles,
    make_set,
    post_import,
)


@pytest.fixture
def roles(app: Flask) -> dict:
    return make_roles(app)


def test_preview_writes_nothing_then_import_writes_all(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = post_import(client, GIFT, title="From Moodle")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 questions" in html and "into a new set, “From Moodle”" in html
    assert re.search(r"<strong>3</strong> new", html)
    assert "Which city has the drone base?" in html
    assert count_rows(app, Question) == 0 and count_rows(app, QuestionSet) == 0
    done = client.post("/teach/import/confirm", data=confirm_fields(html))
    assert done.status_code == 302
    with app.app_context():
        qset = db.session.scalar(sa.select(QuestionSet))
        assert qset.title == "From Moodle" and qset.owner_id == roles["owner"].id
        keys = db.session.scalars(sa.select(Question.key).order_by(Question.position)).all()
    assert keys == ["host", "city", "far"]
    follow = client.get(done.location).get_data(as_text=True)
    assert "3 created, 0 updated, 0 unchanged" in follow


def test_importing_again_updates_instead_of_duplicating(app: Flask, roles: dict) -> None:
    set_id = make_set(app)
    client = client_for(app, "tina")
    changed = GIFT.replace("In Niamey.", "Next to the airport in Niamey.")
    html = post_import(client, changed, target=str(set_id)).get_data(as_text=True)
    assert re.search(r"<strong>0</strong> new", html)
    assert re.search(r"<strong>1</strong> updated", html)
    assert re.search(r"<strong>2</strong> unchanged", html)
    with app.app_context():
        before = dict(db.session.execute(sa.select(Question.key, Question.id)).all())
    client.post("/teach/import/confirm", data=confirm_fields(html))
    with app.app_context():
        after = dict(db.session.execute(sa.select(Question.key, Question.id)).all())
        host = db.session.scalar(sa.select(Question).where(Question.key == "host"))
        assert host.explanation == "Next to the airport in Niamey."
    assert after == before  # same rows, same ids: students' history stays attached


def test_retire_missing_only_when_asked(app: Flask, roles: dict) -> None:
    set_id = make_set(app)
    client = client_for(app, "tina")
    short = GIFT.split("\n\n")[0] + "\n"
    html = post_import(client, short, target=str(set_id)).get_data(as_text=True)
    client.post("/teach/import/confirm", data=confirm_fields(html))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Question.retired)) == 0
    html = post_import(client, short, target=str(set_id), retire="y").get_data(as_text=True)
    assert "will be retired" in html
    client.post("/teach/import/confirm", data=confirm_fields(html))
    with app.app_context():
        retired = db.session.scalars(sa.select(Question.key).where(Question.retired)).all()
    assert sorted(retired) == ["city", "far"]


def test_error_shows_line_and_writes_nothing(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = post_import(client, GIFT + "\n::bad:: Broken {=a ~b\n")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "line 7: could not find a &#39;}&#39; closing the answers begun on line 7" in html
    assert "Nothing was imported" in html
    # the confirm step takes no text from the browser: without a preview's token it is refused
    bad = client.post(
        "/teach/import/confirm",
        data={"text": "Q {=a", "fmt": "gift", "target": "new", "title": "x"},
    )
    assert bad.status_code == 400
    assert count_rows(app, Question) == 0 and count_rows(app, QuestionSet) == 0


def test_not_utf8_is_refused_with_its_line(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    data = {
        "upload": (io.BytesIO(b"Q1 {T}\n\nQ2 caf\xe9 {T}\n"), "latin1.gift"),
        "fmt": "guess", "target": "new", "visibility": "private",
    }  # fmt: skip
    page = client.post("/teach/import", data=data, content_type="multipart/form-data")
    assert page.status_code == 422
    assert "line 3: the file is not UTF-8 text" in page.get_data(as_text=True)


def test_too_large_a_paste_is_refused_with_its_limit(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = client.post(
        "/teach/import",
        data={"text": "x" * (2 * 1024 * 1024 + 1), "target": "new", "visibility": "private"},
    )
    assert page.status_code == 422
    assert "pasted text may be at most 2 MB" in page.get_data(as_text=True)
    huge = client.post("/teach/import", data={"text": "x" * (3 * 1024 * 1024)})
    assert huge.status_code == 413
    html = huge.get_data(as_text=True)
    assert "Split the file into smaller parts" in html and "paste less" in html
    assert count_rows(app, QuestionSet) == 0


def test_a_file_over_50_mb_gets_a_413_that_says_what_to_do(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    data = {"upload": FileStorage(io.BytesIO(b"PK\x03\x04" + b"\0" * (51 << 20)), "big.apkg")}
    boundary, body = encode_multipart(data)  # in memory: see tests.transfer_helpers
    page = client.post(
        "/teach/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert page.status_code == 413
    assert "50 MB for an Anki package" in page.get_data(as_text=True)
    assert count_rows(app, QuestionSet) == 0


def test_only_a_logged_in_user_may_send_the_import_page_a_large_body(
    app: Flask, roles: dict
) -> None:
    """The 50 MB limit is the import page's, for those who import (teachers, and students into
    their own sets): a stranger sending 3 MB there meets the site's 2 MB limit before anything
    reads the body."""
    data = {"upload": FileStorage(io.BytesIO(b"PK\x03\x04" + b"\0" * (3 << 20)), "deck.apkg")}
    boundary, body = encode_multipart(data)  # in memory: see tests.transfer_helpers
    kind = f"multipart/form-data; boundary={boundary}"
    assert app.test_client().post("/teach/import", data=body, content_type=kind).status_code == 413
    for name in ("tina", "stu"):
        page = client_for(app, name).post("/teach/import", data=body, content_type=kind)
        assert page.status_code == 422  # read, and refused for what it is: not a real package
    assert count_rows(app, QuestionSet) == 0


def test_pasted_text_and_chosen_format(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    page = client.post(
        "/teach/import",
        data={"text": "Agadez\tA city\nNiamey\tThe capital\n", "fmt": "tsv", "target": "new",
              "visibility": "public", "title": "Cards"},
    )  # fmt: skip
    html = page.get_data(as_text=True)
    assert "Tab-separated" in html and "<strong>2</strong> flashcard" in html
    client.post("/teach/import/confirm", data=confirm_fields(html))
    with app.app_context():
        qset = db.session.scalar(sa.select(QuestionSet))
        assert (qset.title, qset.visibility) == ("Cards", "public")


def test_downloads_are_attachments_and_gift_reimports_equal(app: Flask, roles: dict) -> None:
    set_id = make_set(app)
    client = client_for(app, "tina")
    for fmt, extension in (("gift", "gift"), ("csv", "csv"), ("yaml", "yaml"), ("apkg", "apkg")):
        response = client.get(f"/teach/sets/{set_id}/export/{fmt}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment") and disposition.endswith(f".{extension}")
    exported = client.get(f"/teach/sets/{set_id}/export/gift").get_data(as_text=True)
    assert read(exported)[1].questions == read(GIFT)[1].questions
    assert client.get(f"/teach/sets/{set_id}/export/pdf").status_code == 404


def test_print_views(app: Flask, roles: dict) -> None:
    set_id = make_set(app)
    client = client_for(app, "tina")
    sheet = client.get(f"/teach/sets/{set_id}/print").get_data(as_text=True)
    # Static URLs carry the file's content hash (quiz.assets).
    assert re.search(r'href="/static/[0-9a-f]{12}/print\.css" media="print"', sheet)
    assert sheet.count('class="print-question"') == 3
    assert "give or take" not in sheet and "In Niamey." not in sheet  # answers: on the key only
    key = client.get(f"/teach/sets/{set_id}/print/answers").get_data(as_text=True)
    assert "Agadez" in key and "750 (give or take 50)" in key


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<iframe src=//evil.example></iframe>",
]
RAW = ["<script>alert", "<img src=x", "onerror=alert(1)>", 'href="javascript', "<iframe"]


def xss_csv() -> str:
    """A CSV whose every text field carries a payload."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "prompt", "choices", "answer", "feedback", "explanation", "id"])
    for n, payload in enumerate(XSS):
        writer.writerow(
            ["multiple_choice", f"Q{n} {payload}", f"right {payload}\nwrong", f"right {payload}",
             f"fb {payload}", f"why {payload}", f"x{n}"]
        )  # fmt: skip
    return out.getvalue()


def test_xss_never_raw_in_preview_or_print_views(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    html = post_import(client, xss_csv(), filename="x.csv").get_data(as_text=True)
    assert "Q0" in html
    for raw in RAW:
        assert raw not in html, raw
    client.post("/teach/import/confirm", data=confirm_fields(html))
    with app.app_context():
        set_id = db.session.scalar(sa.select(QuestionSet.id))
    for path in (f"/teach/sets/{set_id}/print", f"/teach/sets/{set_id}/print/answers",
                 f"/teach/sets/{set_id}/export"):  # fmt: skip
        page = client.get(path).get_data(as_text=True)
        assert "Q3" in page or "why" in page or "Export" in page
        for raw in RAW:
            assert raw not in page, (path, raw)


ROUTES = ["export", "export/gift", "print", "print/answers"]


@pytest.mark.parametrize(
    ("who", "private", "public"),
    [
        (None, 302, 302),
        ("stu", 404, 404),  # a student reads only their own sets here (tests/test_mysets.py)
        ("otto", 404, 200),
        ("tina", 200, 200),
        ("ada", 200, 200),
    ],
)
def test_set_routes_access(app: Flask, roles: dict, who: str, private: int, public: int) -> None:
    mine = make_set(app)
    shared = make_set(app, visibility="public")
    client = client_for(app, who)
    for route in ROUTES:
        assert client.get(f"/teach/sets/{mine}/{route}").status_code == private, route
        assert client.get(f"/teach/sets/{shared}/{route}").status_code == public, route


@pytest.mark.parametrize(
    ("who", "page", "into_owners_set"),
    [
        (None, 302, 302),
        ("stu", 200, 404),  # a student imports into their own sets only
        ("otto", 200, 404),
        ("tina", 200, 200),
        ("ada", 200, 200),
    ],
)
def test_import_access(app: Flask, roles: dict, who: str, page: int, into_owners_set: int) -> None:
    set_id = make_set(app)
    client = client_for(app, who)
    assert client.get("/teach/import").status_code == page
    preview = post_import(client, GIFT, target=str(set_id))
    assert preview.status_code == into_owners_set
    # Without a preview of their own (otto's was refused) a teacher can only guess a token.
    fields = {"token": "t" * 43, "sha256": "0" * 64}
    if preview.status_code == 200:
        fields = confirm_fields(preview.get_data(as_text=True))
    confirm = client.post("/teach/import/confirm", data=fields)
    assert confirm.status_code == {200: 302, 404: 410}.get(into_owners_set, into_owners_set)
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Question))
    assert count == 3  # the owner's and admin's imports matched every key: nothing duplicated


def test_bank_sets_are_read_only_targets(app: Flask, roles: dict) -> None:
    assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        bank = db.session.scalar(sa.select(QuestionSet.id).where(QuestionSet.slug.is_not(None)))
    client = client_for(app, "ada")
    assert post_import(client, GIFT, target=str(bank)).status_code == 404
    assert client.get(f"/teach/sets/{bank}/print").status_code == 200


def statements_for_post(app: Flask, client, path: str, **data) -> int:
    """How many SQL statements one POST costs (the page must answer 200)."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        response = post_import(client, data.pop("text"), **data)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_statements_do_not_grow_with_the_set(app: Flask, roles: dict) -> None:
    small, large = make_set(app, text=gift_of(3)), make_set(app, text=gift_of(40))
    client = client_for(app, "tina")
    assert statements_for(app, client, f"/teach/sets/{small}/print") == statements_for(
        app, client, f"/teach/sets/{large}/print"
    )
    assert statements_for(app, client, f"/teach/sets/{small}/export") == statements_for(
        app, client, f"/teach/sets/{large}/export"
    )
    few = statements_for_post(app, client, "/teach/import", text=gift_of(3), target=str(small))
    many = statements_for_post(app, client, "/teach/import", text=gift_of(40), target=str(large))
    assert few == many


def test_two_imports_at_once_do_not_duplicate(app: Flask, roles: dict) -> None:
    """Two tabs confirming their previews of the same file into one set: one creates, the
    other updates or is told to try again; never two rows for one key."""
    import threading

    set_id = make_set(app, text="::other:: Old question? {T}\n")
    clients = [client_for(app, "tina"), client_for(app, "tina")]
    previews = [
        confirm_fields(post_import(c, GIFT, target=str(set_id)).get_data(as_text=True))
        for c in clients
    ]
    codes: list[int] = []
    barrier = threading.Barrier(2)

    def confirm(client, data: dict) -> None:
        barrier.wait()
        codes.append(client.post("/teach/import/confirm", data=data).status_code)

    threads = [
        threading.Thread(target=confirm, args=(c, data))
        for c, data in zip(clients, previews, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert codes == [302, 302]
    with app.app_context():
        keys = db.session.scalars(sa.select(Question.key).where(Question.set_id == set_id)).all()
    assert sorted(keys) == ["city", "far", "host", "other"]
