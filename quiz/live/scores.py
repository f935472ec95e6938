"""What a game's answers add up to: counts, distributions, the leaderboard, ranks, results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from quiz.models import LiveAnswer, LiveGame, LivePlayer

LEADERS = 10


@dataclass(frozen=True)
class Standing:
    """A player's place on the leaderboard."""

    player_id: int
    nickname: str
    points: int
    rank: int


def answer_count(session: Session, game_id: int, question_id: int) -> int:
    """How many players have answered this question."""
    return session.scalar(
        sa.select(sa.func.count())
        .select_from(LiveAnswer)
        .where(LiveAnswer.game_id == game_id, LiveAnswer.question_id == question_id)
    )


def player_count(session: Session, game_id: int) -> int:
    """How many players joined."""
    return session.scalar(
        sa.select(sa.func.count()).select_from(LivePlayer).where(LivePlayer.game_id == game_id)
    )


def standings(session: Session, game_id: int, limit: int | None = LEADERS) -> list[Standing]:
    """Players by points, best first; equal points share a rank."""
    rows = session.execute(
        sa.select(LivePlayer.id, LivePlayer.nickname, LivePlayer.points)
        .where(LivePlayer.game_id == game_id)
        .order_by(LivePlayer.points.desc(), LivePlayer.nickname)
        .limit(limit)
    ).all()
    out, rank, last = [], 0, None
    for number, (pid, nickname, points) in enumerate(rows, start=1):
        if points != last:
            rank, last = number, points
        out.append(Standing(pid, nickname, points, rank))
    return out


def rank_of(session: Session, player: LivePlayer) -> int:
    """The player's rank: one more than the number of players with more points."""
    ahead = session.scalar(
        sa.select(sa.func.count())
        .select_from(LivePlayer)
        .where(LivePlayer.game_id == player.game_id, LivePlayer.points > player.points)
    )
    return ahead + 1


def responses(session: Session, game_id: int, question_id: int) -> list[tuple[Any, bool, float]]:
    """(response, correct, score) of every answer to one question of the game."""
    return [
        (r, bool(c), float(s))
        for r, c, s in session.execute(
            sa.select(LiveAnswer.response, LiveAnswer.correct, LiveAnswer.score).where(
                LiveAnswer.game_id == game_id, LiveAnswer.question_id == question_id
            )
        )
    ]


def tally(item: Any, view: dict[str, Any], seed_order: list[int], given: list[Any]) -> Counter:
    """How many picked each choice (by YAML index), for the distribution chart."""
    counts: Counter = Counter()
    for response, _, _ in given:
        if isinstance(response, list):
            counts.update(int(r) for r in response if isinstance(r, int))
        elif isinstance(response, int):  # a choice's index (True/False are ints too)
            counts[response] += 1
    return counts


def answers_of(session: Session, game: LiveGame, player_id: int) -> dict[int, LiveAnswer]:
    """One player's answers by question id."""
    rows = session.scalars(
        sa.select(LiveAnswer).where(
            LiveAnswer.game_id == game.id, LiveAnswer.player_id == player_id
        )
    )
    return {a.question_id: a for a in rows}


def result_rows(session: Session, game: LiveGame) -> tuple[list[Any], dict[int, dict[str, Any]]]:
    """Per player (standing, right count) and per question (answered, right, mean score)."""
    players = standings(session, game.id, None)
    answers = session.execute(
        sa.select(
            LiveAnswer.player_id, LiveAnswer.question_id, LiveAnswer.correct, LiveAnswer.score
        ).where(LiveAnswer.game_id == game.id)
    ).all()
    right: Counter = Counter()
    per_question: dict[int, dict[str, Any]] = {
        qid: {"answered": 0, "right": 0, "score": 0.0} for qid in game.question_ids
    }
    for pid, qid, correct, score in answers:
        right[pid] += bool(correct)
        row = per_question.setdefault(qid, {"answered": 0, "right": 0, "score": 0.0})
        row["answered"] += 1
        row["right"] += bool(correct)
        row["score"] += float(score)
    return [(s, right[s.player_id]) for s in players], per_question


def all_answers(session: Session, game: LiveGame) -> dict[int, list[tuple[int, bool, int]]]:
    """Every answer of the game by player: (question id, correct, points), in game order."""
    order = {qid: n for n, qid in enumerate(game.question_ids)}
    out: dict[int, list[tuple[int, bool, int]]] = {}
    rows = session.execute(
        sa.select(
            LiveAnswer.player_id, LiveAnswer.question_id, LiveAnswer.correct, LiveAnswer.points
        ).where(LiveAnswer.game_id == game.id)
    )
    for pid, qid, correct, points in rows:
        out.setdefault(pid, []).append((qid, bool(correct), points))
    for rows_of in out.values():
        rows_of.sort(key=lambda r: order.get(r[0], 0))
    return out
