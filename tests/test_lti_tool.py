"""The tool's side beyond launches: its keys (encrypted at rest, rotated with the old one still
published), the admin's platform page, score retries with backoff, and framing by the LMS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz import create_app
from quiz.extensions import db
from quiz.lti import grades, keys
from quiz.lti.claims import MAX_TRIES
from quiz.models import (
    Assignment,
    Attempt,
    Base,
    Classroom,
    LtiContext,
    LtiIdentity,
    LtiKey,
    LtiLink,
    LtiPlatform,
    LtiScore,
    Role,
)
from quiz.quizzes.attempts import close_attempt
from tests.conftest import base_config, csrf_token, make_user
from tests.lti_helpers import count, platform, register
from tests.lti_platform import Platform
from tests.teach_helpers import make_set

__all__ = ["platform"]


def test_jwks_publishes_one_key_whose_private_half_is_encrypted(
    app: Flask, client: FlaskClient
) -> None:
    assert client.get("/lti/jwks").get_json() == {"keys": []}  # no platform yet: no key
    with app.app_context():
        keys.current_key(db.session, app.config["SECRET_KEY"])  # the first registration's
        db.session.commit()
    document = client.get("/lti/jwks").get_json()
    assert len(document["keys"]) == 1
    key = document["keys"][0]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]
    assert "d" not in key  # the public half only
    with app.app_context():
        row = db.session.scalar(sa.select(LtiKey))
        assert row is not None and row.kid == key["kid"]
        assert "PRIVATE KEY" not in row.private_encrypted
        assert "PRIVATE KEY" in keys.private_pem(row, app.config["SECRET_KEY"])
        with pytest.raises(keys.KeyUnreadable):
            keys.private_pem(row, "another-secret-key-of-enough-length-0123456789")
    assert client.get("/lti/jwks").get_json() == document  # made once, then kept


def test_rotate_key_keeps_the_old_key_published_for_a_week(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        keys.current_key(db.session, app.config["SECRET_KEY"])
        db.session.commit()
    old_kid = client.get("/lti/jwks").get_json()["keys"][0]["kid"]
    result = app.test_cli_runner().invoke(args=["lti", "rotate-key"])
    assert result.exit_code == 0 and "stay published" in result.output
    kids = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert len(kids) == 2 and old_kid in kids
    with app.app_context():
        signer = keys.current_key(db.session, app.config["SECRET_KEY"])
        assert signer.kid != old_kid
        db.session.execute(
            sa.update(LtiKey)
            .where(LtiKey.kid == old_kid)
            .values(retired_at=datetime.now(UTC) - timedelta(days=8))
        )
        db.session.commit()
    assert [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]] == [signer.kid]


FORM = {
    "name": "School Moodle",
    "issuer": "https://moodle.school.example",
    "client_id": "abc123",
    "deployment_ids": "1\n 2 \n",
    "auth_login_url": "https://moodle.school.example/mod/lti/auth.php",
    "auth_token_url": "https://moodle.school.example/mod/lti/token.php",
    "key_set_url": "https://moodle.school.example/mod/lti/certs.php",
}


def test_the_admin_registers_edits_and_removes_a_platform(app: Flask, client: FlaskClient) -> None:
    make_user(app, "root", role=Role.ADMIN.value)
    from tests.conftest import AuthActions

    AuthActions(client).login("root")
    page = client.get("/lti/admin").get_data(as_text=True)
    for path in ("/lti/login", "/lti/launch", "/lti/jwks"):
        assert f"http://localhost{path}" in page
    assert client.post("/lti/admin", data=FORM).status_code == 302
    assert len(client.get("/lti/jwks").get_json()["keys"]) == 1  # made with the registration
    with app.app_context():
        row = db.session.scalar(sa.select(LtiPlatform))
        assert row is not None and row.deployments() == ["1", "2"]
        platform_id = row.id
    # Refused, with a message, and nothing stored: a second registration of the same client,
    # a URL that is none, no keys at all, and a JWKS that is not one.
    bad = [
        (FORM, "registered already"),
        ({**FORM, "client_id": "x", "auth_login_url": "moodle"}, "starting with https://"),
        ({**FORM, "client_id": "y", "key_set_url": ""}, "Give the keyset URL or paste"),
        ({**FORM, "client_id": "z", "key_set": '{"keys": 5}'}, "Paste a JSON Web Key Set"),
    ]
    for data, message in bad:
        reply = client.post("/lti/admin", data=data)
        assert reply.status_code == 422 and message in reply.get_data(as_text=True)
    assert count(app, LtiPlatform) == 1
    pasted = '{"keys": [{"kid": "k1", "kty": "RSA", "n": "AQAB", "e": "AQAB"}]}'
    edit = f"/lti/admin/platforms/{platform_id}"
    assert client.get(edit).status_code == 200
    assert client.post(edit, data={**FORM, "key_set": pasted}).status_code == 302
    with app.app_context():
        saved = db.session.get(LtiPlatform, platform_id)
        assert saved is not None and saved.key_set["keys"][0]["kid"] == "k1"
    assert client.post(f"{edit}/delete").status_code == 302
    assert count(app, LtiPlatform) == 0


def owed_score(app: Flask, platform: Platform) -> int:
    """A student of a linked course hands in a quiz: returns the attempt's id."""
    register(app, platform)
    teacher = make_user(app, "tess", role=Role.TEACHER.value)
    student = make_user(app, "sam")
    set_id = make_set(app, teacher.id, questions=2)
    with app.app_context():
        lms = db.session.scalar(sa.select(LtiPlatform))
        classroom = Classroom(teacher_id=teacher.id, name="C", join_code="LTIABC")
        db.session.add(classroom)
        db.session.flush()
        assignment = Assignment(classroom_id=classroom.id, set_id=set_id, points=10)
        context = LtiContext(
            platform_id=lms.id,
            deployment_id="deployment-1",
            context_id="c",
            classroom_id=classroom.id,
        )
        db.session.add_all([assignment, context])
        db.session.flush()
        db.session.add(
            LtiLink(
                context_id=context.id,
                resource_link_id="r",
                assignment_id=assignment.id,
                lineitem_url=f"{platform.url}/lineitems/col-7",
                scopes=["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
            )
        )
        db.session.add(
            LtiIdentity(platform_id=lms.id, issuer=lms.issuer, sub="s-1", user_id=student.id)
        )
        attempt = Attempt(
            user_id=student.id,
            set_id=set_id,
            assignment_id=assignment.id,
            question_order=[1, 2],
            seed=1,
        )
        db.session.add(attempt)
        db.session.commit()
        close_attempt(db.session, attempt.id, fuzzing=False)
        return attempt.id


def test_a_failing_gradebook_is_retried_with_backoff_then_marked_failed(
    app: Flask, client: FlaskClient, platform: Platform
) -> None:
    owed_score(app, platform)
    platform.trust_tool(client)
    platform.scores_down = True
    secret = app.config["SECRET_KEY"]
    with app.app_context():
        assert grades.send_due(db.session, secret) == (0, 1)
        row = db.session.scalar(sa.select(LtiScore))
        assert row is not None and row.status == "pending" and row.tries == 1
        assert "503" in row.last_error or "error" in row.last_error
        assert row.next_try_at > datetime.now(UTC) + timedelta(seconds=30)
        assert grades.send_due(db.session, secret) == (0, 0)  # not due yet: the backoff holds
        for _ in range(MAX_TRIES - 1):
            db.session.execute(sa.update(LtiScore).values(next_try_at=datetime.now(UTC)))
            db.session.commit()
            grades.send_due(db.session, secret)
        row = db.session.scalar(sa.select(LtiScore))
        assert row is not None and row.status == "failed" and row.tries == MAX_TRIES
    assert platform.book.scores == []
    # The teacher sees it failed and sends it again once the LMS is back.
    from tests.conftest import AuthActions

    AuthActions(client).login("tess")
    page = client.get("/lti/courses").get_data(as_text=True)
    assert "failed: 1" in page
    platform.scores_down = False
    client.post("/lti/scores/retry", data={"csrf_token": csrf_token(page)})
    assert "Sent: 1" in client.get("/lti/courses").get_data(as_text=True)
    assert len(platform.book.scores) == 1
    score = platform.book.scores[0]
    assert score["scoreGiven"] == 0 and score["scoreMaximum"] == 10 and score["userId"] == "s-1"
    assert score["lineitem"] == "col-7"
    result = app.test_cli_runner().invoke(args=["lti", "send-scores"])
    assert result.exit_code == 0 and "0 scores sent" in result.output
    with app.app_context():
        assert grades.send_due(db.session, secret) == (0, 0)
        # Finishing the attempt again owes nothing more: one score per attempt and link.
        attempt_id = db.session.scalar(sa.select(Attempt.id))
        close_attempt(db.session, attempt_id, fuzzing=False)
    assert count(app, LtiScore) == 1


def test_frame_ancestors_let_the_named_lms_frame_the_site(tmp_path) -> None:  # type: ignore[no-untyped-def]
    framed = create_app(
        base_config(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'f.sqlite'}",
            FRAME_ANCESTORS="https://moodle.school.example",
        )
    )
    with framed.app_context():
        Base.metadata.create_all(db.engine)  # the login page lists the sign-in providers
    reply = framed.test_client().get("/auth/login")
    assert (
        "frame-ancestors 'self' https://moodle.school.example"
        in reply.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in reply.headers
    plain = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.sqlite'}"))
    with plain.app_context():
        Base.metadata.create_all(db.engine)
    reply = plain.test_client().get("/auth/login")
    assert reply.headers["X-Frame-Options"] == "DENY"
