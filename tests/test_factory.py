"""The factory, configuration layering and the production guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz import ConfigError, create_app
from quiz.config import (
    PRODUCTION_PASSWORD_HASH,
    deploy_problems,
    local_secret_key,
    normalize_database_url,
)
from tests.conftest import TEST_HASH, base_config

GOOD_SECRET = "f3b1c9e0a7d24e5b8c6f1a2d3e4b5c6d7e8f9a0b1c2d3e4f"


def test_test_config_overrides_defaults(app: Flask) -> None:
    assert app.testing
    assert app.config["PASSWORD_HASH_METHOD"] == TEST_HASH


def test_defaults_use_owasp_password_hashing(tmp_path) -> None:
    """Only the test mapping makes hashing cheap; the default is OWASP's Argon2id."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}"})
    assert app.config["PASSWORD_HASH_METHOD"] == PRODUCTION_PASSWORD_HASH
    assert PRODUCTION_PASSWORD_HASH == "argon2id:m=19456,t=2,p=1"


def test_environment_layer(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("FLASK_LOGIN_FAILURE_LIMIT", "7")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    app = create_app({"TESTING": True})
    assert app.config["LOGIN_FAILURE_LIMIT"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")


def test_local_secret_is_generated_and_kept(tmp_path) -> None:
    """A local install makes a random key once, private to its owner, and keeps using it."""
    first = local_secret_key(str(tmp_path))
    path = tmp_path / "secret_key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(first) == 64 and len(set(first)) > 8
    assert local_secret_key(str(tmp_path)) == first
    assert local_secret_key(str(tmp_path / "other")) != first


def test_app_without_secret_uses_the_instance_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == (Path(app.instance_path) / "secret_key").read_text()


@pytest.mark.parametrize("secret", [None, "", "dev", "secret", "short-key", "a" * 40])
def test_production_refuses_weak_secret(secret: str | None) -> None:
    config = {"PRODUCTION": True, "SECRET_KEY": secret, "SESSION_COOKIE_SECURE": True}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(config)


def test_production_starts_with_real_secret() -> None:
    app = create_app(
        {
            "PRODUCTION": True,
            "SECRET_KEY": GOOD_SECRET,
            "SESSION_COOKIE_SECURE": True,
            "TRUSTED_HOSTS": ["quiz.example.org"],
        }
    )
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_production_refuses_insecure_cookie_and_debug() -> None:
    problems = deploy_problems(
        {"SECRET_KEY": GOOD_SECRET, "DEBUG": True, "SESSION_COOKIE_SECURE": False}
    )
    assert any("DEBUG" in p for p in problems)
    assert any("SESSION_COOKIE_SECURE" in p for p in problems)
    assert any("MAX_CONTENT_LENGTH" in p for p in problems)


def test_check_deploy_command(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["check-deploy"])
    assert result.exit_code == 1  # the test config is not a production config
    assert "DEBUG and TESTING must be off" in result.output


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_database_url_normalized(raw: str, expected: str) -> None:
    assert normalize_database_url(raw) == expected


def test_sqlite_profile(app: Flask, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    from quiz.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_security_headers(client: FlaskClient) -> None:
    for path in ("/auth/login", "/nowhere"):
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert client.get("/auth/login").headers["Cache-Control"] == "no-store"


def test_error_pages(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


@pytest.mark.config(MAX_CONTENT_LENGTH=1024)
def test_request_too_large_is_413(client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413


def test_unhandled_error_is_a_friendly_500(tmp_path) -> None:
    app = create_app(
        base_config(
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'e.sqlite'}", PROPAGATE_EXCEPTIONS=False
        )
    )

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "RuntimeError" not in body


def test_port_check_sees_a_taken_port() -> None:
    import socket

    from quiz.cli import port_is_free

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert not port_is_free("127.0.0.1", port)
    assert port_is_free("127.0.0.1", port)
