"""What the live pages share: who may see a game, who the player is, the question as asked."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import segno
import sqlalchemy as sa
from flask import abort, request, url_for
from flask_login import current_user
from markupsafe import Markup

from quiz.extensions import db
from quiz.live import game as games
from quiz.live import rules, scores
from quiz.models import LiveGame, LivePlayer, Question
from quiz.quizzes.items import as_quizzed, quiz_backs
from quiz.study.answers import load_question
from quiz.timeutil import now_utc

CHOICE_KINDS = ("multiple_choice", "true_false", "multiple_select")


def cookie_name(game_id: int) -> str:
    """The cookie that keeps a guest's token, for this game only."""
    return f"live{game_id}"


def controlled_game_or_404(game_id: int) -> LiveGame:
    """A game the current user runs (or any, for an admin); anything else is a 404."""
    game = db.session.get(LiveGame, game_id)
    if game is None or not (
        current_user.is_authenticated
        and (game.owner_id == current_user.id or current_user.is_admin)
    ):
        abort(404)
    return game


def current_player(game: LiveGame) -> LivePlayer | None:
    """The request's player in this game: by account when logged in, else by guest cookie."""
    if current_user.is_authenticated:
        return db.session.scalar(
            sa.select(LivePlayer).where(
                LivePlayer.game_id == game.id, LivePlayer.user_id == current_user.id
            )
        )
    token = request.cookies.get(cookie_name(game.id), "")
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(LivePlayer).where(
            LivePlayer.game_id == game.id,
            LivePlayer.user_id.is_(None),
            LivePlayer.token_hash == games.token_hash(token),
        )
    )


def join_url(game: LiveGame) -> str:
    """The absolute link a phone follows to join, PIN filled in."""
    return url_for("live.join", pin=game.pin, _external=True)


def qr_svg(text: str, title: str) -> Markup:
    """A QR code of `text` as inline SVG (made by segno on the server: no image request)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer,
        kind="svg",
        scale=8,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgns=True,
        title=title,
        svgclass="live-qr",
        lineclass=None,
    )
    return Markup(buffer.getvalue().decode())  # noqa: S704 - segno's own SVG of our URL


def view_seed(game: LiveGame, question_id: int) -> int:
    """The shuffle seed of one question's choices in this game: the same on every screen."""
    return game.seed * 1_000_003 + question_id


@dataclass
class Asked:
    """A question as the game asks it: the stored row, the pure item and its view."""

    question: Question
    item: Any
    view: dict[str, Any]
    seed: int

    @property
    def is_choice(self) -> bool:
        """Whether it is answered by picking choices (shown with shapes)."""
        return self.item.kind in CHOICE_KINDS

    def choices(self) -> list[tuple[Any, str, str, str]]:
        """(form value, text, shape name, shape sign) in the order shown everywhere."""
        if self.item.kind == "true_false":
            pairs = [("true", "True"), ("false", "False")]
        else:
            pairs = list(self.view.get("choices", ()))
        return [
            (value, text, *rules.SHAPES[n % len(rules.SHAPES)])
            for n, (value, text) in enumerate(pairs)
        ]


def asked(game: LiveGame, index: int) -> Asked | None:
    """The game's question at `index` as asked (flashcards as a choice of backs), or None."""
    if not 0 <= index < len(game.question_ids):
        return None
    qid = game.question_ids[index]
    question = db.session.get(Question, qid)
    if question is None:
        return None
    item = load_question(question)
    seed = view_seed(game, qid)
    if item.kind == "flashcard":
        rows = quiz_backs(db.session, game.set_id, game.question_ids)
        backs = [(q, back) for q, back, _ in rows]
        held = {q for q, _, h in rows if h}
        item = as_quizzed(item, qid, backs, seed, held)
    return Asked(question, item, item.view(seed), seed)


def distribution(game: LiveGame, shown: Asked) -> list[dict[str, Any]]:
    """Bars for the chart: each choice's count (right ones marked), or right/partly/wrong."""
    given = scores.responses(db.session, game.id, shown.question.id)
    total = max(1, len(given))
    bars = []
    if shown.is_choice:
        if shown.item.kind == "true_false":
            counts = {True: 0, False: 0}
            for response, _, _ in given:
                counts[bool(response)] = counts.get(bool(response), 0) + int(
                    isinstance(response, bool)
                )
            keys: list[Any] = [True, False]
            right = {shown.item.answer}
        else:
            counts = scores.tally(shown.item, shown.view, [], given)
            order = shown.item.display_order(shown.seed)
            keys = order
            right = {i for i, c in enumerate(shown.item.choices) if c.correct}
        for key, (_, text, shape, sign) in zip(keys, shown.choices(), strict=False):
            count = counts.get(key, 0)
            bars.append(
                {
                    "label": text,
                    "shape": shape,
                    "sign": sign,
                    "count": count,
                    "pct": round(100 * count / total),
                    "right": key in right,
                }
            )
        return bars
    right_n = sum(1 for _, c, _ in given if c)
    partly = sum(1 for _, c, s in given if not c and s > 0)
    for label, count, ok in (
        ("Right", right_n, True),
        ("Partly right", partly, False),
        ("Wrong", len(given) - right_n - partly, False),
    ):
        bars.append(
            {
                "label": label,
                "shape": "",
                "sign": "",
                "count": count,
                "pct": round(100 * count / total),
                "right": ok,
            }
        )
    return bars


def clock(game: LiveGame, opened: Any) -> tuple[int, bool]:
    """Seconds left on the question and whether it is closed (time up, revealed, over)."""
    if game.state == "paused":
        return (game.paused_left_ms or 0) // 1000, False
    if game.state in ("reveal", "finished"):
        return 0, True
    left = rules.seconds_left(opened, game.seconds, now_utc())
    return left, left == 0
