"""Time zones: the browser's at registration, and a settings list that stays small."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import User
from tests.conftest import PASSWORD, AuthActions, statements_for


def register(client: FlaskClient, name: str, **extra: str) -> None:
    data = {
        "username": name,
        "email": f"{name}@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        **extra,
    }
    assert client.post("/auth/register", data=data).status_code == 302


def zone_of(app: Flask, name: str) -> str:
    with app.app_context():
        return db.session.scalar(db.select(User.timezone).where(User.username == name))


def test_registration_takes_the_browsers_zone(app: Flask, client: FlaskClient) -> None:
    page = client.get("/auth/register").get_data(as_text=True)
    assert 'name="timezone" value="" data-browser-timezone' in page  # app.js fills it in
    register(client, "nia", timezone="Africa/Niamey")
    assert zone_of(app, "nia") == "Africa/Niamey"


def test_registration_without_javascript_or_with_nonsense_is_utc(app: Flask) -> None:
    register(app.test_client(), "plain")
    register(app.test_client(), "odd", timezone="Mars/Olympus")
    assert zone_of(app, "plain") == "UTC" and zone_of(app, "odd") == "UTC"


def test_settings_zone_list_is_grouped_and_small(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory("sam")
    AuthActions(client).login("sam")
    page = client.get("/study/settings").get_data(as_text=True)
    assert len(page.encode()) < 25_000, len(page.encode())  # the datalist page weighed 39 KB
    assert '<optgroup label="Africa">' in page and "<option>Africa/Niamey</option>" in page
    assert len(re.findall(r'<option value="UTC"', page)) == 1
    saved = client.post(
        "/study/settings",
        data={"desired_retention": "0.9", "new_per_day": "20", "timezone": "Africa/Niamey"},
    )
    assert saved.status_code == 302
    page = client.get("/study/settings").get_data(as_text=True)
    assert "<option selected>Africa/Niamey</option>" in page
    assert statements_for(app, client, "/study/settings") <= 3
