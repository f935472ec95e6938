"""Uploads to a set: every accepted type stored, every forged or oversized one refused with its
message and nothing stored; serving headers; media of a private set stay private."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quiz.extensions import db
from quiz.models import MediaFile, SetMedia
from tests import media_helpers as files
from tests.conftest import AuthActions, count_rows
from tests.teach_helpers import make_set


@pytest.fixture
def tina(app: Flask, client: FlaskClient, user_factory) -> int:
    """A logged-in teacher; her id."""
    user = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    return user.id


@pytest.fixture
def set_id(app: Flask, tina: int) -> int:
    """Tina's private set."""
    return make_set(app, tina, questions=1)


def upload(client: FlaskClient, set_id: int, data: bytes, name: str, **fields: str) -> str:
    """Post a file to the set and return the set page the upload redirects to."""
    body = {"file": FileStorage(io.BytesIO(data), filename=name), "alt": "A red square", **fields}
    # Encoded here, in memory: the test client spools a large body to a file it never closes.
    boundary, encoded = encode_multipart(body)
    response = client.post(
        f"/media/sets/{set_id}/upload",
        data=encoded,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


ACCEPTED = [
    ("map.png", files.picture("PNG"), "image/png", "map.png"),
    ("photo.jpeg", files.picture("JPEG"), "image/jpeg", "photo.jpg"),
    ("anim.gif", files.picture("GIF"), "image/gif", "anim.gif"),
    ("pic.webp", files.picture("WEBP"), "image/webp", "pic.webp"),
    ("word.mp3", files.mp3(), "audio/mpeg", "word.mp3"),
    ("untagged.mp3", files.mp3()[10:], "audio/mpeg", "untagged.mp3"),
    ("word.ogg", files.ogg(), "audio/ogg", "word.ogg"),
    ("word.m4a", files.m4a(), "audio/mp4", "word.m4a"),
    ("word.aac", files.aac(), "audio/aac", "word.aac"),
    ("word.wav", files.wav(), "audio/wav", "word.wav"),
    ("misnamed.txt", files.picture("PNG"), "image/png", "misnamed.png"),
]


@pytest.mark.parametrize(
    ("name", "data", "mime", "stored_name"), ACCEPTED, ids=[a[0] for a in ACCEPTED]
)
def test_every_accepted_type_is_stored(
    app: Flask,
    client: FlaskClient,
    set_id: int,
    name: str,
    data: bytes,
    mime: str,
    stored_name: str,
) -> None:
    page = upload(client, set_id, data, name, transcript="Bonjour")
    assert f"Uploaded as {stored_name}" in page
    assert f"(media:{stored_name})" in page
    with app.app_context():
        link, stored = db.session.execute(sa.select(SetMedia, MediaFile).join(MediaFile)).one()
        assert (link.name, stored.mime) == (stored_name, mime)
        sha = stored.sha256
    response = client.get(f"/media/{set_id}/{sha}")
    assert response.status_code == 200
    assert response.mimetype == mime
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Disposition" not in response.headers


FORGED = [
    ("shell.png", files.PHP, "HTML or another text document"),
    ("drawing.svg", files.SVG, "SVG drawing"),
    ("bomb.png", files.png_with_huge_header(), "too many pixels"),
    ("song.mp3", files.zip_file(), "zip archive"),
    ("empty.png", b"", "file is empty"),
    ("big.png", files.picture("PNG")[:16] + b"\0" * (5 * 1024 * 1024), "at most 5.0 MiB"),
    ("cut.png", files.picture("PNG")[:40], "damaged or incomplete"),
    ("page.html", b"<!doctype html><html><script>alert(1)</script>", "HTML"),
    # A UTF-16 text's byte-order mark looks like one MPEG frame header, but no second follows.
    ("notes.mp3", "::Q1:: Niger? {=Niamey}".encode("utf-16"), "not a picture or a sound"),
]


@pytest.mark.parametrize(("name", "data", "message"), FORGED, ids=[f[0] for f in FORGED])
def test_forged_or_oversized_files_are_refused(
    app: Flask, client: FlaskClient, set_id: int, name: str, data: bytes, message: str
) -> None:
    page = upload(client, set_id, data, name)
    assert "Not uploaded:" in page
    assert message in page
    assert count_rows(app, SetMedia) == count_rows(app, MediaFile) == 0


def test_sound_over_its_limit_is_refused(app: Flask, client: FlaskClient, set_id: int) -> None:
    app.config["MEDIA_AUDIO_MAX_BYTES"] = 1024
    page = upload(client, set_id, files.wav(1.0), "long.wav")
    assert "Sound files may be at most 0.0 MiB" in page
    assert count_rows(app, MediaFile) == 0


def test_picture_needs_alt_text_unless_decorative(
    app: Flask, client: FlaskClient, set_id: int
) -> None:
    page = upload(client, set_id, files.picture(), "a.png", alt="  ")
    assert "needs alt text" in page
    assert count_rows(app, MediaFile) == 0
    page = upload(client, set_id, files.picture(), "a.png", alt="", decorative="y")
    assert "Uploaded as a.png" in page
    assert "Decorative" in page


def test_metadata_is_stripped_and_big_pictures_are_downscaled(
    app: Flask, client: FlaskClient, set_id: int
) -> None:
    upload(client, set_id, files.picture("JPEG", exif=files.gps_exif()), "gps.jpg")
    upload(client, set_id, files.picture("PNG", size=(5000, 100)), "wide.png")
    with app.app_context():
        stored = {
            link.name: blob
            for link, blob in db.session.execute(sa.select(SetMedia, MediaFile).join(MediaFile))
        }
        gps = Image.open(io.BytesIO(stored["gps.jpg"].data))
        assert dict(gps.getexif()) == {}
        assert b"PhoneMaker" not in stored["gps.jpg"].data
        assert (stored["wide.png"].width, stored["wide.png"].height) == (4096, 82)
        assert Image.open(io.BytesIO(stored["wide.png"].data)).size == (4096, 82)


def test_same_file_is_stored_once_and_names_do_not_clash(
    app: Flask, client: FlaskClient, tina: int, set_id: int
) -> None:
    other = make_set(app, tina, title="Other")
    upload(client, set_id, files.picture(), "map.png")
    page = upload(client, set_id, files.picture(), "map.png")
    assert "Uploaded as map-2.png" in page
    upload(client, other, files.picture(), "map.png")
    assert count_rows(app, MediaFile) == 1
    assert count_rows(app, SetMedia) == 3


def test_quota_refuses_and_stores_nothing(app: Flask, client: FlaskClient, set_id: int) -> None:
    app.config["MEDIA_QUOTA_BYTES"] = 2000
    page = upload(client, set_id, files.wav(0.2), "a.wav")
    assert "over your quota" in page
    assert count_rows(app, MediaFile) == 0


def test_removing_the_last_link_removes_the_bytes(
    app: Flask, client: FlaskClient, set_id: int
) -> None:
    upload(client, set_id, files.picture(), "map.png")
    with app.app_context():
        link_id = db.session.scalar(sa.select(SetMedia.id))
    response = client.post(f"/media/sets/{set_id}/files/{link_id}/delete")
    assert response.status_code == 302
    assert count_rows(app, SetMedia) == count_rows(app, MediaFile) == 0


def test_private_set_media_are_private(
    app: Flask, client: FlaskClient, user_factory, set_id: int
) -> None:
    """The hash alone gives nothing: through another set, or to another user, it is a 404."""
    upload(client, set_id, files.picture(), "map.png")
    with app.app_context():
        sha = db.session.scalar(sa.select(MediaFile.sha256))
    assert client.get(f"/media/{set_id}/{sha}").status_code == 200
    user_factory("tom", role="teacher")
    user_factory("sam")
    public = make_set(app, None, title="Public", visibility="public")
    for name in ("tom", "sam"):
        auth = AuthActions(client)
        auth.logout()
        auth.login(name)
        assert client.get(f"/media/{set_id}/{sha}").status_code == 404
        assert client.get(f"/media/{public}/{sha}").status_code == 404
    AuthActions(client).logout()
    assert client.get(f"/media/{set_id}/{sha}").status_code == 302  # to log in


def test_a_duplicated_set_keeps_its_files(app: Flask, client: FlaskClient, set_id: int) -> None:
    upload(client, set_id, files.picture(), "map.png")
    response = client.post(f"/teach/sets/{set_id}/duplicate")
    copy_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    page = client.get(f"/teach/sets/{copy_id}").get_data(as_text=True)
    assert "(media:map.png)" in page
    assert count_rows(app, SetMedia) == 2
    assert count_rows(app, MediaFile) == 1


def test_only_a_teacher_may_send_the_upload_url_a_large_body(
    app: Flask, client: FlaskClient, set_id: int, user_factory
) -> None:
    """The media limits are the upload URL's, for teachers (and a student's own sets, see
    tests/test_mysets.py): a student or a stranger sending 3 MB to a teacher's set meets the
    site's 2 MB limit before anything reads the body."""
    user_factory("stu", role="student")
    body = {"file": FileStorage(io.BytesIO(files.wav(200.0)), filename="long.wav"), "alt": "x"}
    boundary, encoded = encode_multipart(body)
    assert len(encoded) > 3 << 20
    kind = f"multipart/form-data; boundary={boundary}"
    stranger, student = app.test_client(), app.test_client()
    AuthActions(student).login("stu")
    for other in (stranger, student):
        response = other.post(f"/media/sets/{set_id}/upload", data=encoded, content_type=kind)
        assert response.status_code == 413
    response = client.post(f"/media/sets/{set_id}/upload", data=encoded, content_type=kind)
    assert response.status_code == 302  # tina's: read, checked and stored
    assert count_rows(app, MediaFile) == 1
