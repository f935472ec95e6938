"""T17: a request whose Host header is not in TRUSTED_HOSTS is a plain 400 with the security
headers, logged as one warning line and no traceback (issue 21, defect 5)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
import requests

from quiz.security import SECURITY_HEADERS
from tests.reliability.figures import report
from tests.reliability.servers import database, gunicorn, make_app, server_env

PATHS = ("/", "/auth/login", "/study/", "/teach/", "/no/such/page", "/static/missing.css")
HOSTS = ("evil.example", "localhost.evil.example", "127.0.0.1:1@evil.example")


def _header_gaps(headers: Any) -> list[str]:
    return [name for name, _value in SECURITY_HEADERS if name not in headers]


def test_untrusted_host_is_a_plain_400(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """In-process: every path, GET and POST, answers 400 with the headers and one warning."""
    with database("sqlite", tmp_path) as db_config:
        # TESTING off: the test client would otherwise raise what Flask logs.
        app = make_app(db_config, TRUSTED_HOSTS=["localhost"], TESTING=False)
    client = app.test_client()
    statuses, gaps, requests_sent = [], 0, 0
    caplog.set_level(logging.INFO)
    for host in HOSTS:
        for path in PATHS:
            for method in ("GET", "POST"):
                caplog.clear()
                response = client.open(path, method=method, headers={"Host": host})
                requests_sent += 1
                statuses.append(response.status_code)
                gaps += len(_header_gaps(response.headers))
                records = [r for r in caplog.records if r.levelno >= logging.WARNING]
                assert len(records) == 1, [r.getMessage() for r in records]
                assert records[0].levelno == logging.WARNING
                assert records[0].exc_info is None
                assert "untrusted host" in records[0].getMessage().lower()
    assert set(statuses) == {400}, statuses
    assert gaps == 0
    trusted = client.get("/auth/login", headers={"Host": "localhost"})
    assert trusted.status_code == 200
    report("T17", requests=requests_sent, status_400=statuses.count(400), header_gaps=gaps)


@pytest.mark.slow
def test_untrusted_host_under_gunicorn(tmp_path: Path) -> None:
    """A real gunicorn worker: 400s with the headers, one warning line each, no traceback."""
    log = tmp_path / "gunicorn.log"
    with database("sqlite", tmp_path) as db_config:
        make_app(db_config)
        env = server_env(db_config, TRUSTED_HOSTS=["127.0.0.1"])
        with log.open("w") as errors, gunicorn(env, workers=1, stderr=errors) as base:
            responses = [
                requests.get(f"{base}{path}", headers={"Host": "evil.example"}, timeout=10)
                for path in PATHS
            ]
            trusted = requests.get(f"{base}/auth/login", timeout=10)
    text = log.read_text()
    warnings = [line for line in text.splitlines() if "untrusted host" in line.lower()]
    assert [r.status_code for r in responses] == [400] * len(PATHS)
    assert sum(len(_header_gaps(r.headers)) for r in responses) == 0
    assert trusted.status_code == 200
    assert "Traceback" not in text, text[-2000:]
    assert len(warnings) == len(PATHS), text[-2000:]
    report(
        "T17-gunicorn",
        requests=len(PATHS),
        status_400=len(responses),
        log_lines=len(text.splitlines()),
        warnings=len(warnings),
        tracebacks=text.count("Traceback"),
    )
