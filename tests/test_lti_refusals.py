"""Launches the tool refuses with a 4xx, creating nothing: a wrong signature, a wrong aud, an
unknown deployment, an expired token, a replayed nonce, a kid not in the platform's keyset,
and a student's token rewritten to claim the instructor role in another course."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import (
    Assignment,
    Classroom,
    Enrollment,
    LtiContext,
    LtiIdentity,
    LtiLink,
    QuestionSet,
    User,
)
from tests.lti_helpers import STUDENTS, TEACHER, count, platform, registered
from tests.lti_platform import (
    CLIENT_ID,
    INSTRUCTOR,
    LTI_ROLE,
    Platform,
    PlatformConf,
    rsa_pems,
    signed_launch,
    tampered,
)

__all__ = ["platform", "registered"]
CREATED = (User, LtiIdentity, Classroom, LtiContext, Enrollment, LtiLink)


def snapshot(app: Flask) -> list[int]:
    """Row counts of everything a launch may create."""
    return [count(app, model) for model in CREATED]


def refused(app: Flask, client: FlaskClient, form: dict[str, str], why: str) -> None:
    """The launch answers a 4xx naming the reason, and no row is added."""
    before = snapshot(app)
    reply = client.post("/lti/launch", data=form)
    assert 400 <= reply.status_code < 500, reply.status_code
    assert why in reply.get_data(as_text=True)
    assert snapshot(app) == before
    assert "session" not in {c.key for c in client._cookies.values()}  # nobody signed in


def other_conf(platform: Platform, **changes: Any) -> PlatformConf:
    """The platform library signing with a changed registration."""
    return PlatformConf(registration=platform.registration(**changes))


def test_a_payload_changed_after_signing_is_refused(app: Flask, registered: Platform) -> None:
    client = app.test_client()
    form = signed_launch(client, registered, TEACHER)
    form["id_token"] = tampered(form["id_token"], sub="t-999")
    refused(app, client, form, "Signature verification failed")


def test_a_key_the_platform_does_not_publish_is_refused(app: Flask, registered: Platform) -> None:
    client = app.test_client()
    private, _public = rsa_pems()
    form = signed_launch(client, registered, TEACHER, conf=other_conf(registered, private=private))
    refused(app, client, form, "Unable to find public key")


def test_a_kid_gone_from_the_keyset_is_refused(app: Flask, registered: Platform) -> None:
    _private, public = rsa_pems()
    from lti1p3platform.registration import Registration

    registered.jwks_override = {"keys": [Registration.get_jwk(public)]}
    client = app.test_client()
    refused(app, client, signed_launch(client, registered, TEACHER), "Unable to find public key")


def test_a_token_for_another_client_is_refused(app: Flask, registered: Platform) -> None:
    client = app.test_client()
    conf = other_conf(registered, client_id="someone-else")
    form = signed_launch(client, registered, TEACHER, conf=conf, aud="someone-else")
    refused(app, client, form, "could not be verified")


def test_an_unknown_deployment_is_refused(app: Flask, registered: Platform) -> None:
    client = app.test_client()
    conf = other_conf(registered, deployment_id="deployment-unknown")
    form = signed_launch(client, registered, TEACHER, conf=conf)
    refused(app, client, form, "deployment-unknown")


def test_an_expired_token_is_refused(app: Flask, registered: Platform) -> None:
    client = app.test_client()
    form = signed_launch(client, registered, TEACHER, expires_in=-120)
    refused(app, client, form, "expired")


def test_a_replayed_launch_is_refused(app: Flask, registered: Platform) -> None:
    client = app.test_client()
    form = signed_launch(client, registered, TEACHER)
    first = client.post("/lti/launch", data=form)
    assert first.status_code == 200
    other = app.test_client()
    other._cookies = client._cookies.copy()  # the captured cookies and token, sent again
    other.delete_cookie("session")
    refused(app, other, form, "used already")


def test_a_student_rewriting_their_token_into_a_teacher_is_refused(
    app: Flask, registered: Platform
) -> None:
    teacher = app.test_client()
    assert (
        teacher.post("/lti/launch", data=signed_launch(teacher, registered, TEACHER)).status_code
        == 200
    )
    student = app.test_client()
    form = signed_launch(student, registered, STUDENTS[0])
    context = "https://purl.imsglobal.org/spec/lti/claim/context"
    roles = "https://purl.imsglobal.org/spec/lti/claim/roles"
    form["id_token"] = tampered(
        form["id_token"], **{roles: [INSTRUCTOR], context: {"id": "course-2", "title": "Other"}}
    )
    refused(app, student, form, "Signature verification failed")


def test_an_unregistered_issuer_cannot_start_a_login(app: Flask, client: FlaskClient) -> None:
    reply = client.get(
        "/lti/login", query_string={"iss": "https://evil.example", "login_hint": "x"}
    )
    assert reply.status_code == 400
    assert "Could not find registration" in reply.get_data(as_text=True)


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c"])
def test_garbage_launches_are_refused(app: Flask, registered: Platform, token: str) -> None:
    client = app.test_client()
    form = signed_launch(client, registered, TEACHER)
    refused(app, client, {**form, "id_token": token}, "could not be verified")


def test_a_student_in_a_course_without_a_class_is_told_to_wait(
    app: Flask, registered: Platform
) -> None:
    client = app.test_client()
    form = signed_launch(client, registered, STUDENTS[1])
    refused(app, client, form, "has not opened this activity yet")


def test_the_role_mapping_reads_context_roles_only() -> None:
    from quiz.lti.claims import is_teaching

    assert is_teaching([LTI_ROLE + "Instructor"])
    assert is_teaching(["Instructor"])
    assert is_teaching([LTI_ROLE + "Instructor#TeachingAssistant"])
    assert not is_teaching([LTI_ROLE + "Learner"])
    assert not is_teaching(["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor"])
    assert not is_teaching([])
    assert CLIENT_ID


def test_a_link_to_another_class_assignment_is_refused(app: Flask, registered: Platform) -> None:
    teacher = app.test_client()
    assert (
        teacher.post("/lti/launch", data=signed_launch(teacher, registered, TEACHER)).status_code
        == 200
    )
    with app.app_context():
        owner = db.session.scalar(sa.select(User.id))
        elsewhere = Classroom(teacher_id=owner, name="Elsewhere", join_code="ELSE42")
        db.session.add(elsewhere)
        db.session.flush()
        set_id = db.session.scalar(sa.select(QuestionSet.id)) or _a_set(owner)
        other = Assignment(classroom_id=elsewhere.id, set_id=set_id)
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    student = app.test_client()
    form = signed_launch(
        student, registered, STUDENTS[0], link="link-x", custom={"assignment_id": str(other_id)}
    )
    refused(app, student, form, "assignment of another class")


def _a_set(owner: int) -> int:
    qset = QuestionSet(owner_id=owner, title="Other")
    db.session.add(qset)
    db.session.flush()
    return qset.id


def test_a_deactivated_account_is_refused(app: Flask, registered: Platform) -> None:
    client = app.test_client()
    assert (
        client.post("/lti/launch", data=signed_launch(client, registered, TEACHER)).status_code
        == 200
    )
    with app.app_context():
        db.session.execute(sa.update(User).values(active=False))
        db.session.commit()
    again = app.test_client()
    refused(app, again, signed_launch(again, registered, TEACHER), "deactivated")
