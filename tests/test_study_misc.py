"""Smaller defects: short paths, the marked menu item, one rounding, the port check, charts."""

from __future__ import annotations

import socket

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz import charts
from quiz.cli import port_is_free
from quiz.study.texts import percent_text
from tests.conftest import AuthActions


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/register", "/auth/register"),
        ("/login?next=%2Fstudy%2F", "/auth/login?next=%2Fstudy%2F"),
        ("/progress", "/study/progress"),
        ("/settings", "/study/settings"),
        ("/cards", "/study/cards"),
    ],
)
def test_short_paths_redirect(client: FlaskClient, path: str, target: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"] == target


def test_menu_has_progress_and_marks_the_current_page(client: FlaskClient, user_factory) -> None:
    user_factory("sam")
    AuthActions(client).login("sam")
    for path, item in (
        ("/study/", "Study"),
        ("/study/progress", "Progress"),
        ("/study/cards", "My cards"),
        ("/study/settings", "sam"),
        ("/auth/account", "sam"),
    ):
        page = client.get(path).get_data(as_text=True)
        nav = page[page.index('<nav aria-label="Main">') : page.index("</nav>")]
        assert nav.count('aria-current="page"') == 1, path
        assert f'aria-current="page">{item}</a>' in nav, path


def test_one_rounding_for_every_percent() -> None:
    assert [percent_text(x) for x in (0.045, 0.055, 0.9333, 1.0, 0.0)] == [
        "5%",
        "6%",
        "93%",
        "100%",
        "0%",
    ]


def test_a_port_left_in_time_wait_counts_as_free() -> None:
    """A restart within a minute: the old server's connections still sit in TIME_WAIT."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server side closes first: its end goes to TIME_WAIT
    client.close()
    server.close()
    assert port_is_free("127.0.0.1", port)
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a server does
        taken.bind(("127.0.0.1", port))
        taken.listen()
        assert not port_is_free("127.0.0.1", port)


def test_bar_labels_alternate_for_phones(app: Flask) -> None:
    chart = charts.bar_chart([(f"Day {n}", n) for n in range(6)], title="Due")
    assert str(chart).count('class="tick tick-alt"') == 3
