"""The import preview keeps the upload server-side: the confirm carries only a token, so the
largest accepted file can be confirmed, and what was previewed is exactly what is written."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.formats.detect import read
from quiz.models import Question, QuestionSet, User
from quiz.models.transfer import PendingImport
from tests.conftest import count_rows
from tests.test_query_counts import counting
from tests.transfer_helpers import (
    GIFT,
    big_gift,
    client_for,
    confirm_fields,
    gift_of,
    make_roles,
    make_set,
    post_import,
)


def soon() -> datetime:
    """A minute from now: after the logins, whose signed session cookies are refused at any
    earlier time (itsdangerous takes a negative age for tampering)."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)


ROW_WRITE = re.compile(r"\s*INSERT INTO (question|question_version) ")
GONE = "This preview has expired or was already imported"


@pytest.fixture
def roles(app: Flask) -> dict:
    return make_roles(app)


def preview(client: FlaskClient, text: str, **fields: str) -> dict[str, str]:
    """Post step one; the confirm form's fields."""
    page = post_import(client, text, **fields)
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return confirm_fields(page.get_data(as_text=True))


def confirm(client: FlaskClient, fields: dict[str, str]) -> object:
    """Post step two."""
    return client.post("/teach/import/confirm", data=fields)


def written(app: Flask) -> tuple[int, int]:
    """How many sets and questions exist."""
    return count_rows(app, QuestionSet), count_rows(app, Question)


def test_a_file_of_1_5_mb_previews_and_confirms(app: Flask, roles: dict) -> None:
    text = big_gift(1_500_000)
    assert 1_500_000 <= len(text.encode()) < app.config["MAX_CONTENT_LENGTH"]
    client = client_for(app, "tina")
    fields = preview(client, text, title="Big")
    assert "text" not in fields  # the file stays on the server
    assert sum(len(value) for value in fields.values()) < 1000
    assert written(app) == (0, 0)
    done = confirm(client, fields)
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    expected = read(text)[1].questions
    with app.app_context():
        rows = db.session.execute(
            sa.select(Question.key, Question.prompt, Question.explanation).order_by(
                Question.position
            )
        ).all()
        assert count_rows(app, PendingImport) == 0
    assert [row.key for row in rows] == [item.key for item in expected]
    assert [row.explanation for row in rows] == [item.question.explanation for item in expected]
    assert len(rows) == len(expected) > 3000


def test_the_largest_upload_the_limit_lets_through_confirms(app: Flask, roles: dict) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    text = big_gift(limit - 3000, repeat=8)  # about 1 KB left for the form's other fields
    assert limit - 3000 <= len(text.encode()) < limit - 1500
    client = client_for(app, "tina")
    fields = preview(client, text)
    assert confirm(client, fields).status_code == 302
    assert written(app) == (1, len(read(text)[1].questions))


def test_another_teachers_token_is_a_404_and_writes_nothing(app: Flask, roles: dict) -> None:
    fields = preview(client_for(app, "tina"), GIFT)
    for name in ("otto", "ada"):
        assert confirm(client_for(app, name), fields).status_code == 404
    assert written(app) == (0, 0)
    assert confirm(client_for(app, "tina"), fields).status_code == 302  # still hers to confirm
    assert written(app) == (1, 3)


def test_an_expired_preview_is_refused_with_a_message(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    t0 = soon()
    with time_machine.travel(t0, tick=False):
        fields = preview(client, GIFT)
    ttl = app.config["IMPORT_PREVIEW_TTL_S"]
    with time_machine.travel(t0 + timedelta(seconds=ttl + 1), tick=False):
        late = confirm(client, fields)
    assert late.status_code == 410
    assert GONE in late.get_data(as_text=True)
    assert "upload the file again" in late.get_data(as_text=True)
    assert written(app) == (0, 0)


def test_a_double_confirm_writes_once(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    fields = preview(client, GIFT)
    assert confirm(client, fields).status_code == 302
    again = confirm(client, fields)
    assert again.status_code == 410 and GONE in again.get_data(as_text=True)
    assert written(app) == (1, 3)


def test_two_confirms_of_one_preview_at_once_write_once(app: Flask, roles: dict) -> None:
    """A double click: both requests race for the one preview; one writes, one is told."""
    import threading

    clients = [client_for(app, "tina"), client_for(app, "tina")]
    fields = preview(clients[0], GIFT)
    codes: list[int] = []
    barrier = threading.Barrier(2)

    def click(client: FlaskClient) -> None:
        barrier.wait()
        codes.append(confirm(client, fields).status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [302, 410]
    assert written(app) == (1, 3)


def test_a_tampered_or_unknown_token_writes_nothing(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    fields = preview(client, GIFT)
    token = fields["token"]
    swapped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert confirm(client, {**fields, "token": swapped}).status_code == 410
    assert confirm(client, {**fields, "token": ""}).status_code == 400
    assert confirm(client, {**fields, "token": "x" * 5000}).status_code == 400
    bad_hash = confirm(client, {**fields, "sha256": "0" * 64})
    assert bad_hash.status_code == 422 and "does not match" in bad_hash.get_data(as_text=True)
    assert written(app) == (0, 0)
    assert confirm(client, fields).status_code == 302  # the real one still works


def test_the_preview_shows_the_files_checksum(app: Flask, roles: dict) -> None:
    import hashlib

    page = post_import(client_for(app, "tina"), GIFT).get_data(as_text=True)
    assert hashlib.sha256(GIFT.encode()).hexdigest() in page


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("stu", 404), ("otto", 404), ("ada", 404), ("tina", 302)],  # students import too
)
def test_confirm_access(app: Flask, roles: dict, who: str | None, status: int) -> None:
    """Only the teacher who uploaded the file confirms it (tina's own preview here)."""
    set_id = make_set(app)
    fields = preview(
        client_for(app, "tina"), GIFT.replace("In Niamey.", "Niamey."), target=str(set_id)
    )
    response = confirm(client_for(app, who), fields)
    assert response.status_code == status
    if who is None:
        assert "/auth/login" in response.location
    changed = 1 if who == "tina" else 0
    with app.app_context():
        updated = db.session.scalar(
            sa.select(sa.func.count()).where(Question.explanation == "Niamey.")
        )
    assert updated == changed


def test_admin_confirms_an_own_preview(app: Flask, roles: dict) -> None:
    client = client_for(app, "ada")
    assert confirm(client, preview(client, GIFT)).status_code == 302
    assert written(app) == (1, 3)


def test_a_new_upload_purges_expired_previews_and_keeps_a_few(app: Flask, roles: dict) -> None:
    otto, tina = client_for(app, "otto"), client_for(app, "tina")
    t0 = soon()
    with time_machine.travel(t0, tick=False):
        preview(otto, GIFT)
    keep = app.config["IMPORT_PREVIEWS_PER_USER"]
    later = t0 + timedelta(seconds=app.config["IMPORT_PREVIEW_TTL_S"] + 1)
    with time_machine.travel(later, tick=False):
        tokens = [preview(tina, GIFT)["token"] for _ in range(keep + 2)]
    with app.app_context():
        left = db.session.scalars(sa.select(PendingImport.token)).all()
    assert sorted(left) == sorted(tokens[-keep:])  # otto's expired one and tina's oldest: gone


def test_the_purge_command_deletes_expired_previews(app: Flask, roles: dict) -> None:
    client = client_for(app, "tina")
    t0 = soon()
    with time_machine.travel(t0, tick=False):
        preview(client, GIFT)
    runner = app.test_cli_runner()
    ttl = app.config["IMPORT_PREVIEW_TTL_S"]
    with time_machine.travel(t0 + timedelta(seconds=ttl - 1), tick=False):
        result = runner.invoke(args=["purge-import-previews"])
    assert result.exit_code == 0 and "0 expired" in result.output
    assert count_rows(app, PendingImport) == 1
    with time_machine.travel(t0 + timedelta(seconds=ttl + 1), tick=False):
        result = runner.invoke(args=["purge-import-previews"])
    assert result.exit_code == 0 and "1 expired" in result.output
    assert count_rows(app, PendingImport) == 0


def test_deleting_the_teacher_deletes_their_previews(app: Flask, roles: dict) -> None:
    preview(client_for(app, "tina"), GIFT)
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == roles["owner"].id))
        db.session.commit()
    assert count_rows(app, PendingImport) == 0


def test_statements_of_preview_and_confirm_do_not_grow(app: Flask, roles: dict) -> None:
    """The preview costs the same at 3 and 40 questions; so does the confirm, apart from the
    rows it writes (a question and its first version each: the ORM inserts them one by one
    where the driver cannot return generated ids in order)."""
    client = client_for(app, "tina")
    previews, confirms, row_writes = [], [], []
    for count in (3, 40):
        text = gift_of(count).replace("::q", f"::n{count}q")
        with counting(app) as seen:
            page = post_import(client, text)
        assert page.status_code == 200
        previews.append(len(seen))
        with counting(app) as seen:
            assert confirm(client, confirm_fields(page.get_data(as_text=True))).status_code == 302
        rows = [s for s in seen if ROW_WRITE.match(s)]
        confirms.append(len(seen) - len(rows))
        row_writes.append(rows)
    assert previews[0] == previews[1] and confirms[0] == confirms[1], (previews, confirms)
    assert len(row_writes[1]) - len(row_writes[0]) in (0, 2 * 37), row_writes
    assert written(app) == (2, 43)
