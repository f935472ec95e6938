"""Shared by the import/export tests: users of every role, a set, logged-in clients."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quiz.extensions import db
from quiz.formats.gift import read_gift
from quiz.models import User, Visibility
from quiz.transfer.imports import new_set, write_import
from tests.conftest import AuthActions, make_user

GIFT = """::host::Which country hosts Air Base 101? {=Niger#Yes ~Chad#No ####In Niamey.}

::city::Which city has the drone base? {=Agadez =%0%Niamey ####Agadez.}

::far::How far is Agadez from Niamey? {#750:50 ####About 750 km.}
"""


def gift_of(count: int) -> str:
    """GIFT text with `count` questions."""
    return "\n\n".join(f"::q{n}::Is {n} a number? {{T ####It is.}}" for n in range(count)) + "\n"


def big_gift(size: int, repeat: int = 3) -> str:
    """A real GIFT file of `size` bytes or a question more: numbered questions whose
    explanations repeat a sentence `repeat` times."""
    padding = (
        "The base at Agadez was built for drones and cost about 110 million dollars. " * repeat
    )
    parts, total, n = [], 0, 0
    while total < size:
        part = (
            f"::big{n}::Which city hosts drone base number {n}? "
            f"{{=Agadez ~Niamey ~Zinder ####{padding}(question {n})}}\n\n"
        )
        parts.append(part)
        total += len(part.encode())
        n += 1
    return "".join(parts)


def make_roles(app: Flask) -> dict[str, Any]:
    """An owner, another teacher, a student and an admin."""
    return {
        "owner": make_user(app, "tina", role="teacher"),
        "other": make_user(app, "otto", role="teacher"),
        "student": make_user(app, "stu", role="student"),
        "admin": make_user(app, "ada", role="admin"),
    }


def make_set(app: Flask, owner: str = "tina", text: str = GIFT, visibility: str = "private") -> int:
    """A set of the owner's with the questions of a GIFT text; its id."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username_key == owner))
        qset = new_set(db.session, user, "Niger", visibility or Visibility.PRIVATE.value)
        write_import(db.session, qset, read_gift(text))
        db.session.commit()
        return qset.id


def client_for(app: Flask, name: str | None) -> FlaskClient:
    """A client logged in as a user (or anonymous)."""
    client = app.test_client()
    if name:
        assert AuthActions(client).login(name).status_code == 302
    return client


def post_import(client: FlaskClient, text: str, **fields: str) -> Any:
    """Step one of the import page, with the text as an uploaded file."""
    data: dict[str, Any] = {
        "upload": FileStorage(
            io.BytesIO(text.encode()), filename=fields.pop("filename", "questions.gift")
        ),
        "fmt": "guess",
        "target": "new",
        "visibility": "private",
        **fields,
    }
    # Encoded here, in memory: the test client spools a body over 500 KB to a temporary file
    # that it never closes (an unraisable ResourceWarning, an error under this suite).
    boundary, body = encode_multipart(data)
    return client.post(
        "/teach/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def confirm_fields(html: str) -> dict[str, str]:
    """The hidden fields of the preview's Import form."""
    import re
    from html import unescape

    found = re.findall(r'<input id="\w+" name="(\w+)" type="hidden" value="([^"]*)"', html)
    return {name: unescape(value) for name, value in found}


def set_of(questions: Any, slug: str = "s", title: str = "S") -> Any:
    """A SetData of questions, by keyword (other fields may be added to SetData)."""
    from quiz.formats.yaml_bank import SetData

    return SetData(
        slug=slug, title=title, description="", source={}, tags=(), questions=tuple(questions)
    )


def without_groups(questions: Any) -> tuple[Any, ...]:
    """Questions as a format without cloze gap groups keeps them (GIFT, Moodle XML, CSV).

    Those formats have no way to say that gaps may be answered in any order, so a cloze's
    `groups` (issue 23) is left out of their exports; everything else must come back.
    """
    out = []
    for item in questions:
        question = item.question
        if getattr(question, "groups", ()):
            question = dataclasses.replace(question, groups=())
        out.append(dataclasses.replace(item, question=question))
    return tuple(out)
