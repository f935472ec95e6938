"""Registration, login, logout, sessions, CSRF and the login limiter."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import LoginFailure, Role, User
from tests.conftest import PASSWORD, AuthActions, count_rows, csrf_token


def register(
    client: FlaskClient,
    username: str = "alice",
    email: str = "alice@example.org",
    password: str = PASSWORD,
    **extra: str,
):
    page = client.get("/auth/register").get_data(as_text=True)
    data = {"username": username, "email": email, "password": password, "confirm": password}
    data.update(extra)
    if "csrf_token" in page:
        data["csrf_token"] = csrf_token(page)
    return client.post("/auth/register", data=data)


def test_register_login_logout(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    response = register(client)
    assert response.status_code == 302
    assert client.get("/study/").status_code == 200
    auth.logout()
    assert client.get("/study/").status_code == 302
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/study/"
    page = client.get("/study/").get_data(as_text=True)
    assert "alice" in page and "Log out" in page


def test_registration_makes_students_and_ignores_role_fields(
    app: Flask, client: FlaskClient
) -> None:
    register(client, role="admin", is_teacher="1", owner_id="1")
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user.role == Role.STUDENT
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("username", "email"),
    [
        ("ALICE", "other@example.org"),
        ("  alice ", "other@example.org"),
        ("bob", " Alice@Example.ORG "),
        ("Ａｌｉｃｅ", "x@example.org"),
    ],
)
def test_duplicate_username_or_email_refused(
    app: Flask, client: FlaskClient, username: str, email: str
) -> None:
    register(client)
    client.post("/auth/logout")
    fresh = app.test_client()
    response = register(fresh, username=username, email=email)
    if username == "bob":  # only the e-mail is taken: answered as a new one (defect 9)
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "already registered" in response.get_data(as_text=True)
    assert count_rows(app, User) == 1


@pytest.mark.parametrize(
    ("username", "email", "message"),
    [
        ("ﷺﷺﷺ", "a@example.org", "this username has 54 characters"),  # 3 typed, 54 stored
        ("ﬃ" * 14, "a@example.org", "this username has 42 characters"),
        ("ﷺxy", "a@example.org", "stand for spaces or symbols"),
        ("½xy", "a@example.org", "stand for spaces or symbols"),  # 1⁄2xy
        ("alice", "ﷺ" * 20 + "@example.org", "this address has 372 characters"),
        ("alice", "ﷺﷺﷺ@example.org", "not a valid email address"),
    ],
)
def test_names_checked_as_stored_after_normalizing(
    app: Flask, client: FlaskClient, username: str, email: str, message: str
) -> None:
    """NFKC can lengthen a name past its column (a 500 on PostgreSQL) or add spaces to it."""
    response = register(client, username=username, email=email)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_rows(app, User) == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "between 8 and 256"),
        ("password", "most common"),
        ("aaaaaaaaaa", "different characters"),
        ("x" * 300, "between 8 and 256"),
    ],
)
def test_weak_passwords_refused(
    app: Flask, client: FlaskClient, password: str, message: str
) -> None:
    response = register(client, password=password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_rows(app, User) == 0


def test_long_password_works_untruncated(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    long_password = "Ünïcödé passphrase " * 4  # 76 characters
    register(client, password=long_password)
    auth.logout()
    assert auth.login(password=long_password[:72]).status_code == 200  # a prefix is not enough
    assert auth.login(password=long_password).status_code == 302


def test_wrong_password(client: FlaskClient, user_factory, auth: AuthActions) -> None:
    user_factory("alice")
    response = auth.login(password="not the password")
    assert response.status_code == 200
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/study/").status_code == 302


def test_login_by_email_and_any_case(client: FlaskClient, user_factory, auth: AuthActions) -> None:
    user_factory("Alice")
    assert auth.login(username=" ALICE@example.org ").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//example.com",
        "http://example.com",
        "https://example.com/study",
        "/\\example.com",
        "\\\\example.com",
        "http:/\\/example.com",
        "javascript:alert(1)",
        "\x08//example.com",
        "///example.com",
        "/\t/example.com",
        "ftp://example.com",
    ],
)
def test_next_off_site_is_ignored(
    client: FlaskClient, user_factory, auth: AuthActions, target: str
) -> None:
    user_factory("alice")
    response = auth.login(next=target)
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in target):
        assert response.status_code == 400  # control characters are refused outright
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/study/"


def test_next_on_site_is_honoured(client: FlaskClient, user_factory, auth: AuthActions) -> None:
    user_factory("alice")
    response = auth.login(next="/auth/account?tab=1")
    assert response.headers["Location"] == "/auth/account?tab=1"


def test_login_page_carries_next_from_query(client: FlaskClient) -> None:
    response = client.get("/study/")
    assert response.status_code == 302 and "next=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/study/"' in page


def test_session_replay_after_logout_refused(
    app: Flask, client: FlaskClient, user_factory, auth: AuthActions
) -> None:
    user_factory("alice")
    auth.login(remember="y")
    stolen = {c.key: c.value for c in client._cookies.values()}
    assert "session" in stolen and "remember_token" in stolen
    auth.logout()
    thief = app.test_client()
    for name, value in stolen.items():
        thief.set_cookie(name, value)
    assert thief.get("/study/").status_code == 302


def test_password_change_ends_other_sessions(app: Flask, user_factory) -> None:
    user_factory("alice")
    laptop, phone = app.test_client(), app.test_client()
    AuthActions(laptop).login()
    AuthActions(phone).login()
    response = laptop.post(
        "/auth/account",
        data={
            "current": PASSWORD,
            "password": "a new passphrase 42",
            "confirm": "a new passphrase 42",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/study/").status_code == 200  # this session continues
    assert phone.get("/study/").status_code == 302  # the other one is over
    assert AuthActions(app.test_client()).login(password="a new passphrase 42").status_code == 302


def test_password_change_needs_current_password(
    client: FlaskClient, user_factory, auth: AuthActions
) -> None:
    user_factory("alice")
    auth.login()
    response = client.post(
        "/auth/account",
        data={"current": "guess", "password": "another pass 9", "confirm": "another pass 9"},
    )
    assert "not your current password" in response.get_data(as_text=True)


def test_deactivated_user_is_out(
    app: Flask, client: FlaskClient, user_factory, auth: AuthActions
) -> None:
    user = user_factory("alice")
    auth.login()
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/study/").status_code == 302


def test_login_limiter(app: Flask, client: FlaskClient, user_factory, auth: AuthActions) -> None:
    app.config.update(LOGIN_FREE_FAILURES=3, LOGIN_DELAY_BASE_S=60)
    user_factory("alice")
    codes = [auth.login(password=f"wrong {i}").status_code for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert auth.login().status_code == 429  # an unknown browser waits, right password or not
    assert count_rows(app, LoginFailure) == 3  # refused attempts are not counted


def test_roles_guard_teacher_and_admin_pages(
    app: Flask, client: FlaskClient, user_factory, auth: AuthActions
) -> None:
    user_factory("alice")
    auth.login()
    assert client.get("/teach/").status_code == 403
    assert client.get("/auth/admin/users").status_code == 403


def test_admin_makes_a_teacher(
    app: Flask, client: FlaskClient, user_factory, auth: AuthActions
) -> None:
    user_factory("root", role=Role.ADMIN.value)
    bob = user_factory("bob")
    auth.login("root")
    assert (
        client.post(f"/auth/admin/users/{bob.id}/role", data={"role": "teacher"}).status_code == 302
    )
    assert client.post(f"/auth/admin/users/{bob.id}/role", data={"role": "god"}).status_code == 400
    with app.app_context():
        assert db.session.get(User, bob.id).role == Role.TEACHER


def test_create_user_command(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "Tess",
            "tess@example.org",
            "--role",
            "teacher",
            "--password",
            "a teacher passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created teacher Tess" in result.output
    again = runner.invoke(
        args=["create-user", " tess ", "x@example.org", "--password", "another passphrase"]
    )
    assert again.exit_code != 0 and "already registered" in again.output


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_post_without_csrf_token_refused(app: Flask, client: FlaskClient, user_factory) -> None:
    user_factory("alice")
    response = client.post("/auth/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/study/").status_code == 302
    response = client.post(
        "/auth/register",
        data={
            "username": "bob",
            "email": "b@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert count_rows(app, User) == 1


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_csrf_token_accepted_and_logout_needs_it(
    app: Flask, client: FlaskClient, user_factory, auth: AuthActions
) -> None:
    user_factory("alice")
    assert auth.login().status_code == 302
    assert client.post("/auth/logout").status_code == 400  # no token: still logged in
    assert client.get("/study/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/study/").status_code == 302


def test_login_rotates_session_cookie(
    app: Flask, client: FlaskClient, user_factory, auth: AuthActions
) -> None:
    user_factory("alice")
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as session:
        assert "planted" not in session


def test_cookie_flags(app: Flask, client: FlaskClient, user_factory, auth: AuthActions) -> None:
    user_factory("alice")
    response = auth.login(remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("HttpOnly" in c and "SameSite=Lax" in c for c in cookies)


@pytest.mark.parametrize("name", ["ﷺﷺﷺ", "a b", "x", "<script>"])
def test_create_user_command_checks_the_name(app: Flask, name: str) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-user", name, "n@example.org", "--password", "a fine passphrase"]
    )
    assert result.exit_code != 0
    assert count_rows(app, User) == 0


@pytest.mark.parametrize(
    ("role", "home"), [("student", "/study/"), ("teacher", "/teach/"), ("admin", "/teach/")]
)
def test_login_lands_on_the_roles_home(
    client: FlaskClient, user_factory, auth: AuthActions, role: str, home: str
) -> None:
    """Issue 20: a teacher's login landed on Study; teachers and admins now land on Teach."""
    user_factory("pat", role=role)
    response = auth.login("pat")
    assert response.status_code == 302 and response.headers["Location"] == home
    assert client.get("/").headers["Location"] == home
    assert client.get("/auth/login").headers["Location"] == home  # logged in already
    page = client.get(home).get_data(as_text=True)
    assert 'href="/study/"' in page  # Study stays one click away
    client.post("/auth/logout")
    # An explicit next= still wins over the home page.
    response = client.post(
        "/auth/login",
        data={"username": "pat", "password": "correct horse battery", "next": "/study/progress"},
    )
    assert response.headers["Location"] == "/study/progress"
