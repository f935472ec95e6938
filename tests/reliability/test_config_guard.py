"""T9 (production guard) and T10 (password storage)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from quiz import ConfigError, create_app
from quiz.auth.forms import RegisterForm
from quiz.config import PRODUCTION_PASSWORD_HASH
from quiz.password_hashing import make_hash, verify_hash
from tests.conftest import TEST_HASH, base_config
from tests.reliability.figures import report

GOOD = {
    "PRODUCTION": True,
    "SECRET_KEY": "f3b1c9e0a7d24e5b8c6f1a2d3e4b5c6d7e8f9a0b1c2d3e4f",
    "SESSION_COOKIE_SECURE": True,
    "TRUSTED_HOSTS": ["quiz.example.org"],
    "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:",
}
MISCONFIGS: dict[str, dict[str, Any]] = {
    "no secret key": {"SECRET_KEY": None},
    "secret 'dev'": {"SECRET_KEY": "dev"},
    "a known default secret": {"SECRET_KEY": "changeme"},
    "a short secret": {"SECRET_KEY": "0123456789abcdef"},
    "a secret of one repeated character": {"SECRET_KEY": "a" * 64},
    "DEBUG on": {"DEBUG": True},
    "TESTING on": {"TESTING": True},
    "cookies without Secure": {"SESSION_COOKIE_SECURE": False},
    "no MAX_CONTENT_LENGTH": {"MAX_CONTENT_LENGTH": None},
    "cheap password hashing": {"PASSWORD_HASH_METHOD": "argon2id:m=8,t=1,p=1"},
    "no TRUSTED_HOSTS": {"TRUSTED_HOSTS": None},
    "SQLite with 4 workers": {"WORKERS": 4},
    "mail without PUBLIC_URL": {"MAIL_SERVER": "smtp.example.org"},
    "PUBLIC_URL over plain HTTP": {"PUBLIC_URL": "http://quiz.example.org"},
    "unknown deletion policy": {"ACCOUNT_DELETION_REVIEWS": "keep-everything"},
}


def test_production_guard_refuses_every_misconfiguration(tmp_path: Any) -> None:
    assert create_app(dict(GOOD)).config["PRODUCTION"]  # the good one starts
    refused_by_factory, refused_by_command = 0, 0
    for name, change in MISCONFIGS.items():
        config = {**GOOD, **change}
        with pytest.raises(ConfigError):
            create_app(config)
        refused_by_factory += 1
        # The same check from the command line, on an app that is not in production mode.
        dev = create_app({**GOOD, "PRODUCTION": False})
        dev.config.update(change)
        # The flask command sets DEBUG from FLASK_DEBUG, as it would on a server.
        env = {"FLASK_DEBUG": "1"} if change.get("DEBUG") else {}
        result = dev.test_cli_runner().invoke(args=["check-deploy"], env=env)
        assert result.exit_code == 1, name
        refused_by_command += 1
    report(
        "T9",
        misconfigs=len(MISCONFIGS),
        refused=refused_by_factory,
        refused_by_check_deploy=refused_by_command,
    )


def test_password_storage() -> None:
    app = create_app(dict(GOOD))
    method = app.config["PASSWORD_HASH_METHOD"]
    assert method == PRODUCTION_PASSWORD_HASH == "argon2id:m=19456,t=2,p=1"
    long_password = "correct horse battery staple " * 3  # 87 characters, kept whole
    start = time.perf_counter()
    stored = make_hash(long_password, method)
    hash_ms = round((time.perf_counter() - start) * 1000)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_hash(stored, long_password)
    assert not verify_hash(stored, long_password[:64])  # not truncated at 64
    test_app = create_app(base_config(SQLALCHEMY_DATABASE_URI="sqlite:///:memory:"))
    assert test_app.config["PASSWORD_HASH_METHOD"] == TEST_HASH  # cheap only in tests
    with test_app.test_request_context(
        method="POST",
        data={
            "username": "newbie",
            "email": "n@example.org",
            "password": "password123",
            "confirm": "password123",
        },
    ):
        form = RegisterForm(meta={"csrf": False})
        assert not form.validate()
        assert "most common" in " ".join(form.password.errors)
    report(
        "T10",
        scheme="argon2id",
        memory_kib=19456,
        passes=2,
        parallelism=1,
        hash_ms=hash_ms,
        min_len=8,
        max_len_ok=len(long_password),
        common_refused=True,
    )
