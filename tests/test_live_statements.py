"""The live pages cost the same number of SQL statements for 10 players as for 200."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.extensions import db
from quiz.models import LiveAnswer, LiveGame, LivePlayer
from quiz.timeutil import now_utc
from tests.live_helpers import control, game_row, join, live_set, logged_in, start_game


def count_statements(app: Flask, client: FlaskClient, path: str, **headers: str) -> tuple[int, int]:
    """(statements, status code) of one GET."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        code = client.get(path, headers=headers).status_code
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(seen), code


def crowd(app: Flask, game_id: int, players: int) -> None:
    """Add guests, each with an answer to the game's current question."""
    with app.app_context():
        game = db.session.get(LiveGame, game_id)
        qid = game.question_ids[game.current]
        for n in range(players):
            player = LivePlayer(game_id=game_id, nickname=f"Guest {n}", points=n * 10)
            db.session.add(player)
            db.session.flush()
            db.session.add(
                LiveAnswer(
                    game_id=game_id,
                    player_id=player.id,
                    question_id=qid,
                    response=True,
                    correct=n % 2 == 0,
                    score=float(n % 2 == 0),
                    points=n * 10,
                    answered_at=now_utc(),
                )
            )
        db.session.commit()


@pytest.mark.config(WTF_CSRF_ENABLED=True)
def test_live_pages_cost_the_same_for_10_and_200_players(app: Flask, user_factory) -> None:
    user_factory("tess", role="teacher")
    user_factory("sam")
    set_id = live_set(app)
    teacher = logged_in(app, "tess")
    sam = logged_in(app, "sam")
    costs: dict[str, list[int]] = {}
    for size in (10, 200):
        game_id = start_game(teacher, set_id, kinds=["true_false", "multiple_choice"])
        join(sam, game_row(app, game_id).pin)
        control(teacher, game_id, "next")
        crowd(app, game_id, size)
        status = f"/live/games/{game_id}/status"
        first, code = count_statements(app, sam, status)
        assert code == 200
        etag = sam.get(status).headers["ETag"]
        unchanged, code = count_statements(app, sam, status, **{"If-None-Match": etag})
        assert code == 304
        costs.setdefault("status", []).append(first)
        costs.setdefault("status 304", []).append(unchanged)
        for name, path, client in (
            ("play", f"/live/games/{game_id}/play", sam),
            ("screen", f"/live/games/{game_id}/screen", teacher),
        ):
            count, code = count_statements(app, client, path)
            assert code == 200
            costs.setdefault(name, []).append(count)
        control(teacher, game_id, "next")  # the reveal: chart and leaderboard
        count, code = count_statements(app, teacher, f"/live/games/{game_id}/screen")
        costs.setdefault("screen reveal", []).append(count)
        control(teacher, game_id, "end")
        count, code = count_statements(app, teacher, f"/live/games/{game_id}/results")
        assert code == 200
        costs.setdefault("results", []).append(count)
    for name, (small, large) in costs.items():
        assert small == large, (name, costs)
    assert costs["status 304"] == [1, 1] and costs["status"] == [1, 1]
