"""Defect 6: rating one held answer from several tabs at once shows everyone the result."""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any

import pytest
from flask import Flask

from quiz.models import PendingAnswer, Review
from quiz.study import pending
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import load_set, study
from tests.test_login_limiter import run_together

TABS = 6


@pytest.fixture
def tabs(app: Flask, user_factory: Any) -> list[Any]:
    """Six logged-in tabs of one student who studies the small set."""
    load_set(app)
    user = user_factory("sam")
    study(app, user.id)
    tabs = [app.test_client() for _ in range(TABS)]
    for tab in tabs:
        assert AuthActions(tab).login("sam").status_code == 302
    return tabs


def review_of(location: str) -> str | None:
    """The review a redirect leads to: its feedback page, or the next card after it."""
    match = re.search(r"/study/reviews/(\d+)|[?&]last=(\d+)", location or "")
    return (match.group(1) or match.group(2)) if match else None


def hold_right_answer(tab: Any, question_id: int) -> str:
    """Answer right; the rating page's address."""
    data = {"question_id": question_id, "submission_id": uuid.uuid4().hex, "answer": "Niamey"}
    rate_url = tab.post("/study/answer", data=data).headers["Location"]
    assert "/study/answers/" in rate_url
    return rate_url


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tab_that_looked_before_another_rated_gets_the_result(
    app: Flask, backend: str, tabs: list[Any], monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Tab B opens the rating page; tab A rates and finishes before B's lookup; B gets A's
    result. B reads the review and the held answer in one statement (find_submission), so no
    rating can fall between two lookups any more (that window once gave B a 404).

    On SQLite a POST takes the write lock first, so B's POST cannot interleave (no race there).
    """
    if backend == "sqlite" and method == "post":
        pytest.skip("SQLite serializes the two POSTs with BEGIN IMMEDIATE")
    keys = load_set(app)  # already loaded: the ids
    rate_url = hold_right_answer(tabs[0], keys["capital"])
    a_done = threading.Event()
    real = pending.find_submission

    def after_a(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread().name == "tab-b":
            assert a_done.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(pending, "find_submission", after_a)
    seen: dict[str, Any] = {}

    def tab_b() -> None:
        call = getattr(tabs[1], method)
        response = call(rate_url, data={"rating": "easy"}) if method == "post" else call(rate_url)
        seen["status"], seen["where"] = response.status_code, response.headers.get("Location")

    b = threading.Thread(target=tab_b, name="tab-b")
    b.start()
    response = tabs[0].post(rate_url, data={"rating": "hard"})
    a_done.set()
    b.join(20)
    assert response.status_code == 302
    if backend == "sqlite":  # B read a snapshot from before A: the rating page, not a 404
        assert seen["status"] in (200, 302)
    else:
        assert seen["status"] == 302
        assert review_of(seen["where"]) == review_of(response.headers["Location"])
    assert count_rows(app, Review) == 1 and count_rows(app, PendingAnswer) == 0


def test_racing_ratings_all_get_the_recorded_result(app: Flask, tabs: list[Any]) -> None:
    keys = load_set(app)
    for round_ in range(3):
        rate_url = hold_right_answer(tabs[0], keys["capital"])

        def rate(tab: Any, n: int, rate_url: str = rate_url) -> tuple[int, str]:
            if n % 3 == 2:
                response = tab.get(rate_url)
            else:
                response = tab.post(rate_url, data={"rating": ("hard", "easy")[n % 2]})
            return response.status_code, response.headers.get("Location", "")

        results = run_together([lambda t=t, n=n: rate(t, n) for n, t in enumerate(tabs)])
        assert all(code in (200, 302) for code, _ in results), (round_, results)
        places = {review_of(where) for code, where in results if code == 302}
        assert len(places) == 1 and None not in places
        assert count_rows(app, Review) == round_ + 1
        assert count_rows(app, PendingAnswer) == 0
