"""The admin's sign-in page, the password-registration switch, and what the new pages cost
in SQL statements at two sizes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Notice, OidcProvider, Role, User
from tests.conftest import AuthActions, count_rows, make_user, statements_for
from tests.signin_helpers import add_provider

FORM = {
    "action": "add",
    "label": "Keycloak",
    "slug": "keycloak",
    "issuer": "https://id.school.example/realms/main",
    "client_id": "quiz",
    "client_secret": "s3cret",
}


def as_admin(app: Flask, client) -> None:
    make_user(app, "root", role=Role.ADMIN.value)
    AuthActions(client).login("root")


def test_an_admin_adds_and_removes_a_provider(app, client):
    as_admin(app, client)
    assert client.post("/signin/admin", data=FORM).status_code == 302
    login_page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert "Sign in with Keycloak" in login_page
    page = client.get("/signin/admin").get_data(as_text=True)
    assert "/signin/keycloak/callback" in page  # the redirect URL to register there
    with app.app_context():
        provider_id = db.session.scalar(sa.select(OidcProvider.id))
    client.post("/signin/admin", data={"action": "delete", "provider_id": provider_id})
    assert count_rows(app, OidcProvider) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer", "ftp://nowhere", "starting with https://"),
        ("slug", "Has Spaces", "lower-case letters"),
        ("slug", "admin", "taken by a page"),
        ("client_id", "", "This field is required"),
        ("label", "x" * 81, "Field cannot be longer than 80"),
    ],
)
def test_a_bad_provider_form_is_refused_and_changes_nothing(app, client, field, value, message):
    as_admin(app, client)
    answer = client.post("/signin/admin", data={**FORM, field: value})
    assert answer.status_code == 200 and message in answer.get_data(as_text=True)
    assert count_rows(app, OidcProvider) == 0


def test_a_taken_short_name_is_refused(app, client):
    as_admin(app, client)
    client.post("/signin/admin", data=FORM)
    again = client.post("/signin/admin", data={**FORM, "label": "Other"})
    assert again.status_code == 200 and "Another provider has that short name" in again.get_data(
        as_text=True
    )
    assert count_rows(app, OidcProvider) == 1


def test_odd_admin_actions_are_refused(app, client):
    as_admin(app, client)
    assert (
        client.post("/signin/admin", data={"action": "delete", "provider_id": "9" * 30}).status_code
        == 404
    )
    assert (
        client.post("/signin/admin", data={"action": "registration", "open": "2"}).status_code
        == 400
    )


@pytest.mark.parametrize("role", [Role.STUDENT.value, Role.TEACHER.value])
def test_only_admins_see_the_sign_in_page(app, client, role):
    make_user(app, "someone", role=role)
    AuthActions(client).login("someone")
    assert client.get("/signin/admin").status_code == 403
    assert client.post("/signin/admin", data=FORM).status_code == 403
    assert count_rows(app, OidcProvider) == 0


def test_the_sign_in_page_needs_a_login(client):
    answer = client.get("/signin/admin")
    assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"]


def test_password_registration_can_be_turned_off(app, client):
    as_admin(app, client)
    assert (
        client.post("/signin/admin", data={"action": "registration", "open": "0"}).status_code
        == 302
    )
    AuthActions(client).logout()
    assert "Create an account" not in client.get("/auth/login").get_data(as_text=True)
    refused = client.post(
        "/auth/register",
        data={
            "username": "newbie",
            "email": "n@example.org",
            "password": "a long enough pass 1",
            "confirm": "a long enough pass 1",
        },
    )
    assert refused.status_code == 302 and "/auth/login" in refused.headers["Location"]
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.username == "newbie")) is None
    assert AuthActions(client).login("root").status_code == 302  # password logins stay


def _providers(app: Flask, count: int) -> None:
    for i in range(count):
        add_provider(app, f"https://id{i}.example", slug=f"p{i}", label=f"P{i}")


def _link_page(app: Flask) -> int:
    """Statements of the link page for a sign-in waiting to be confirmed."""
    visitor = app.test_client()
    with visitor.session_transaction() as session:
        session["signin_pending"] = {"provider_id": 1, "subject": "s", "email": "root@example.org"}
    return statements_for(app, visitor, "/signin/link")


def test_sign_in_pages_cost_the_same_for_1_or_12_providers(app, client):
    as_admin(app, client)
    _providers(app, 1)
    small = (
        _link_page(app),
        statements_for(app, client, "/signin/admin"),
        statements_for(app, app.test_client(), "/auth/login"),
    )
    _providers_more = [
        add_provider(app, f"https://more{i}.example", slug=f"m{i}") for i in range(11)
    ]
    assert len(_providers_more) == 11
    large = (
        _link_page(app),
        statements_for(app, client, "/signin/admin"),
        statements_for(app, app.test_client(), "/auth/login"),
    )
    assert small == large


def test_home_notices_cost_the_same_for_1_or_10_notices(app, client):
    student = make_user(app, "reader").id
    AuthActions(client).login("reader")

    def add(n: int, start: int) -> None:
        with app.app_context():
            db.session.add_all(
                Notice(
                    user_id=student,
                    kind="reminder",
                    subject=f"assignment:{start + i}",
                    title=f"Due {i}",
                )
                for i in range(n)
            )
            db.session.commit()

    add(1, 0)
    small = (
        statements_for(app, client, "/study/"),
        statements_for(app, client, "/notices/settings"),
    )
    add(9, 100)
    large = (
        statements_for(app, client, "/study/"),
        statements_for(app, client, "/notices/settings"),
    )
    assert small == large
    assert client.get("/study/").get_data(as_text=True).count("Dismiss<span") == 10
