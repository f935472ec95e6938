"""T4: the stored-XSS corpus planted in every user-authored field (set and question text,
choices, answers, explanations, flashcard backs, usernames, class names, typed answers) and
reflected through query strings and forms; every page of the URL map, as every role, is parsed
for markup from a payload; CSV downloads for formulas; Chromium opens a sample and reports any
script that ran or any CSP violation."""

from __future__ import annotations

import random
import threading
import uuid
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
import yaml
from flask import Flask
from werkzeug.serving import make_server

from quiz.extensions import db
from quiz.models import Classroom, Question, Review, User
from tests.reliability.crawl import pages
from tests.reliability.figures import report
from tests.reliability.world import World, build_world
from tests.reliability.xss_check import injected, unsafe_csv_cells
from tests.reliability.xss_corpus import MARK, PAYLOADS, SHORT
from tests.study_helpers import SMALL_SET


def payload_set() -> str:
    """The small set with a payload in every text it has."""
    data = yaml.safe_load(SMALL_SET)
    cycle = iter(PAYLOADS * 4)
    data["title"] = next(cycle)[:200]
    data["description"] = " ".join(PAYLOADS)
    for question in data["questions"]:
        question["prompt"] = next(cycle)
        question["explanation"] = next(cycle)
        for choice in question.get("choices", []):
            choice["text"] = next(cycle)
        if "answers" in question:
            question["answers"] = [question["answers"][0], next(cycle)]
        if "near_misses" in question:
            question["near_misses"] = [next(cycle)]
        if "back" in question:
            question["back"] = next(cycle)
    return yaml.safe_dump(data, allow_unicode=True)


def plant(world: World) -> list[int]:
    """Payloads in names, class names and typed answers; the ids of the answers' reviews."""
    app = world.app
    with app.app_context():
        users = world.ids["users"]
        db.session.get(User, users["student_b"]).username = SHORT[0]
        db.session.get(Classroom, world.ids["classroom"]).name = PAYLOADS[4][:120]
        db.session.commit()
        # teacher_a's set, assigned to student_a's class (the public one is in an open quiz).
        capital = db.session.scalar(
            sa.select(Question.id).where(
                Question.key == "capital", Question.set_id == world.ids["private_set"]
            )
        )
        db.session.remove()
    client = world.client("student_a")
    for payload in PAYLOADS:
        data = {"question_id": capital, "submission_id": uuid.uuid4().hex, "answer": payload}
        assert client.post("/study/answer", data=data).status_code in (302, 422)
    with app.app_context():
        ids = list(
            db.session.scalars(sa.select(Review.id).where(Review.user_id == users["student_a"]))
        )
        db.session.remove()
    return ids


def every_view(world: World, review_ids: list[int]) -> list[tuple[str, str, Any]]:
    """(role, path, response) for every page, reflections and planted objects included."""
    seen = list(pages(world))
    reflected = "?next=" + quote(PAYLOADS[1]) + "&q=" + quote(PAYLOADS[3])
    seen += list(pages(world, reflected))
    student = world.client("student_a")
    with world.app.app_context():
        questions = list(db.session.scalars(sa.select(Question.id)))
        db.session.remove()
    for qid in questions:
        for path in (f"/study/questions/{qid}", f"/study/flip/{qid}"):
            seen.append(("student_a", path, student.get(path)))
    for rid in review_ids:
        seen.append(("student_a", f"/study/reviews/{rid}", student.get(f"/study/reviews/{rid}")))
    anonymous = world.app.test_client()
    for payload in PAYLOADS:
        form = {"username": payload, "password": "x", "email": payload, "confirm": "y"}
        seen.append(("anonymous", "/auth/login (post)", anonymous.post("/auth/login", data=form)))
        seen.append(("anonymous", "/auth/register", anonymous.post("/auth/register", data=form)))
    return seen


def test_stored_xss_corpus(app: Flask, backend: str) -> None:
    world = build_world(app, set_text=payload_set())
    review_ids = plant(world)
    renders, reflections, csv_cells, found = 0, 0, 0, []
    for role, path, response in every_view(world, review_ids):
        if response.mimetype.startswith(("image/", "audio/")):
            continue  # a set's picture (the world places one): bytes, not text
        body = response.get_data(as_text=True)
        if response.mimetype == "text/html":
            renders += 1
            reflections += body.count(MARK)
            found += [f"{path} as {role}: {hit}" for hit in injected(body)]
        elif response.mimetype in ("text/csv", "text/tab-separated-values"):
            csv_cells += body.count(MARK)
            found += [f"{path}: formula {cell}" for cell in unsafe_csv_cells(body)]
    report(
        "T4",
        backend=backend,
        payloads=len(PAYLOADS),
        review_answers=len(review_ids),
        renders=renders,
        escaped_payload_shown=reflections,
        csv_payload_cells=csv_cells,
        raw_reflections=len(found),
    )
    assert reflections > len(PAYLOADS)  # the payloads really reached the pages
    assert not found, found[:20]


@pytest.mark.slow
@pytest.mark.browser
def test_chromium_runs_no_payload(app: Flask, backend: str) -> None:
    """About a tenth of the pages, opened in Chromium as their role: no script from a payload
    runs and the CSP reports no violation."""
    if backend != "sqlite":
        pytest.skip("the browser sample runs once, on SQLite")
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    world = build_world(app, set_text=payload_set())
    review_ids = plant(world)
    cells = [(r, p) for r, p, resp in pages(world) if resp.mimetype == "text/html"]
    cells += [("student_a", f"/study/reviews/{rid}") for rid in review_ids[:5]]
    sample = random.Random(11).sample(cells, max(8, len(cells) // 10))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    executed, violations, opened = 0, 0, 0
    watch = (
        "window.__xss = 0; window.__csp = 0;"
        "document.addEventListener('securitypolicyviolation', () => window.__csp += 1);"
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            contexts = {}
            for role, path in sample:
                if role not in contexts:
                    context = browser.new_context()
                    context.add_init_script(watch)
                    cookie = world.client(role).get_cookie("session")
                    if cookie is not None:
                        context.add_cookies(
                            [{"name": "session", "value": cookie.value, "url": base}]
                        )
                    contexts[role] = context.new_page()
                page = contexts[role]
                page.goto(base + path, wait_until="load")
                page.wait_for_timeout(150)
                executed += page.evaluate("window.__xss")
                violations += page.evaluate("window.__csp")
                opened += 1
            browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=5)
    report(
        "T4-chromium",
        pages_opened=opened,
        of_cells=len(cells),
        executed=executed,
        csp_violations=violations,
    )
    assert executed == 0 and violations == 0


def test_the_checker_has_teeth() -> None:
    """Every payload that is markup is caught when inserted raw; none once escaped."""
    import html

    raw = [p for p in PAYLOADS if injected(f"<p>{p}</p>")]
    escaped = [
        p for p in PAYLOADS if injected(f'<p>{html.escape(p)}</p><input value="{html.escape(p)}">')
    ]
    assert len(raw) >= 20 and not escaped
    assert unsafe_csv_cells(f"title\n{PAYLOADS[-4]}\n") and not unsafe_csv_cells(
        f"title\n'{PAYLOADS[-4]}\n"
    )
