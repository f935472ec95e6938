"""Media and formulas in pages: `![alt](media:NAME)` shows the set's picture or sound where a
student studies, the set page shows it to its teacher, and a page costs the same statements
whether the set has 2 files or 20, 10 questions or 100."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.media import store
from quiz.media.checks import check_upload
from quiz.models import MediaFile, SetMedia
from tests import media_helpers as files
from tests.conftest import AuthActions
from tests.study_helpers import load_set, set_id, study
from tests.test_query_counts import cost

MIB = 1024 * 1024


def flip_url(page: str) -> str:
    """The "Show answer" link of a flashcard's front."""
    return html.unescape(re.search(r'data-flip-url href="([^"]+)"', page).group(1))


def media_set_yaml(slug: str, count: int) -> str:
    """Flashcards whose first one shows a map and plays a word, with a formula."""
    lines = [f"slug: {slug}", f"title: Set {slug}", "questions:"]
    for n in range(count):
        lines += [
            f"  - id: {slug}{n}",
            "    kind: flashcard",
            f"    prompt: 'Card {n}: which country? ![](media:map.png) $x^{n}$'",
            "    back: '![Bonjour said aloud](media:hello.wav) Niger'",
            f"    explanation: Why {n}.",
        ]
    return "\n".join(lines) + "\n"


def add_media(app: Flask, set_id_: int, extra: int = 0) -> dict[str, str]:
    """The map and the word placed in the set (plus `extra` other pictures); name -> hash."""
    with app.app_context():
        placed = [
            ("map.png", files.picture(), "A map of the Sahel with Niger in red", ""),
            ("hello.wav", files.wav(), "", "Bonjour !"),
        ]
        placed += [
            (f"x{n}.png", files.picture(size=(10 + n, 10)), f"x{n}", "") for n in range(extra)
        ]
        for name, data, alt, transcript in placed:
            store.add_file(
                db.session,
                set_id=set_id_,
                user_id=None,  # type: ignore[arg-type]
                checked=check_upload(data, 5 * MIB, 20 * MIB),
                filename=name,
                alt=alt,
                transcript=transcript,
                decorative=False,
                quota=10**9,
            )
            db.session.flush()
        db.session.commit()
        return {
            link.name: link.sha256
            for link in db.session.scalars(db.select(SetMedia).where(SetMedia.set_id == set_id_))
        }


@pytest.fixture
def student(app: Flask, client: FlaskClient, user_factory) -> int:
    """A logged-in student studying a set of 3 cards with a map and a word."""
    load_set(app, media_set_yaml("m", 3))
    user = user_factory("sam")
    study(app, user.id, "m")
    AuthActions(client).login("sam")
    return user.id


def test_student_sees_the_picture_and_hears_the_word(
    app: Flask, client: FlaskClient, student: int
) -> None:
    sid = set_id(app, "m")
    hashes = add_media(app, sid)
    page = client.get("/study/next").get_data(as_text=True)
    src = f"/media/{sid}/{hashes['map.png']}"
    assert f'<img src="{src}" alt="A map of the Sahel with Niger in red"' in page
    assert "<math" in page and "<msup>" in page
    picture = client.get(src)
    assert picture.status_code == 200
    assert picture.mimetype == "image/png"
    back = client.get(flip_url(page)).get_data(as_text=True)
    assert f'src="/media/{sid}/{hashes["hello.wav"]}"' in back
    assert 'aria-label="Bonjour said aloud"' in back
    assert '<details class="transcript"><summary>Transcript</summary>Bonjour !</details>' in back
    assert "media.js" in back  # R replays the card's sound
    assert client.get(f"/media/{sid}/{hashes['hello.wav']}").mimetype == "audio/wav"


def test_a_name_not_in_the_set_shows_its_text(
    app: Flask, client: FlaskClient, student: int
) -> None:
    page = client.get("/study/next").get_data(as_text=True)
    assert "no such file in this set" in page
    assert "<img" not in page.split("<main", 1)[-1]


def test_teacher_sees_media_on_the_set_page(app: Flask, client: FlaskClient, user_factory) -> None:
    user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    response = client.post(
        "/teach/sets/new", data={"title": "Maps", "visibility": "private", "description": ""}
    )
    sid = int(response.headers["Location"].rsplit("/", 1)[-1])
    hashes = add_media(app, sid)
    with app.app_context():
        from quiz.models import Question, QuestionSet

        qset = db.session.get(QuestionSet, sid)
        qset.description = "See ![](media:map.png) and $\\frac{1}{2}$"
        db.session.commit()
        assert Question is not None
    page = client.get(f"/teach/sets/{sid}").get_data(as_text=True)
    assert f'src="/media/{sid}/{hashes["map.png"]}" alt="A map of the Sahel' in page
    assert "<mfrac>" in page
    assert "![A map of the Sahel with Niger in red](media:map.png)" in page  # the snippet


def _study_cost(app: Flask, client: FlaskClient, user_factory, slug: str, cards: int, extra: int):
    """Statements of the study page and the flip page for a student of a set of `cards`."""
    load_set(app, media_set_yaml(slug, cards))
    user = user_factory(f"s{slug}")
    study(app, user.id, slug)
    add_media(app, set_id(app, slug), extra)
    AuthActions(client).logout()
    AuthActions(client).login(f"s{slug}")
    page = client.get("/study/next").get_data(as_text=True)
    back = flip_url(page)
    return (
        cost(app, lambda: client.get("/study/next")),
        cost(app, lambda: client.get(back)),
    )


def test_study_pages_cost_the_same_at_two_sizes(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    small = _study_cost(app, client, user_factory, "a", 10, 0)
    large = _study_cost(app, client, user_factory, "b", 100, 18)
    assert small == large


def test_set_page_costs_the_same_at_two_sizes(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    costs = []
    for count, extra in ((10, 0), (100, 18)):
        response = client.post(
            "/teach/sets/new", data={"title": f"S{count}", "visibility": "private"}
        )
        sid = int(response.headers["Location"].rsplit("/", 1)[-1])
        with app.app_context():
            from quiz.models import Question

            for n in range(count):
                db.session.add(
                    Question(
                        set_id=sid,
                        key=f"k{n}",
                        kind="flashcard",
                        prompt=f"Card {n} ![](media:map.png) $y_{n}$",
                        spec={"back": "![](media:hello.wav)"},
                        explanation="",
                        tags=[],
                        position=n,
                    )
                )
            db.session.commit()
        add_media(app, sid, extra)
        costs.append(cost(app, lambda sid=sid: client.get(f"/teach/sets/{sid}")))
    assert costs[0] == costs[1]
    with app.app_context():
        assert db.session.query(MediaFile).count() == 2 + 18
