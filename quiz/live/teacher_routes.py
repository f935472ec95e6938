"""The teacher's side of a live game: start it, project it, control it, read the results."""

from __future__ import annotations

import random
import secrets
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quiz.auth.decorators import teacher_required
from quiz.auth.forms import EmptyForm
from quiz.blueprints import live_pages as bp
from quiz.extensions import db
from quiz.live import game as games
from quiz.live import scores, views
from quiz.live.forms import StartForm
from quiz.models import LiveGame, Question, QuestionSet
from quiz.questions import KINDS
from quiz.reports.csvcells import csv_lines
from quiz.sets.access import readable_set_or_404


def _filters(set_id: int) -> tuple[list[str], list[str]]:
    """The kinds and topics the set's live questions have, for the start form's checkboxes."""
    rows = db.session.execute(
        sa.select(Question.kind, Question.tags).where(
            Question.set_id == set_id, Question.retired.is_(False)
        )
    ).all()
    kinds = sorted({kind for kind, _ in rows})
    tags = sorted({tag for _, qtags in rows for tag in (qtags or ())})
    return kinds, tags


@bp.route("/sets/<int:set_id>/start", methods=["GET", "POST"])
@teacher_required
def start(set_id: int) -> Any:
    qset = readable_set_or_404(set_id)
    form = StartForm()
    kinds, tags = _filters(qset.id)
    form.kinds.choices = [(k, k.replace("_", " ")) for k in kinds if k in KINDS]
    form.tags.choices = [(t, t) for t in tags]
    if form.validate_on_submit():
        picked = games.pick_questions(
            db.session,
            qset.id,
            count=form.count.data,
            kinds=[k for k in form.kinds.data or () if k in kinds],
            tags=[t for t in form.tags.data or () if t in tags],
            rng=random.Random(secrets.randbits(31)),  # noqa: S311 - question order only
        )
        if not picked:
            flash("No question of this set fits those choices.", "error")
            return render_template("live/start.html", form=form, qset=qset), 422
        try:
            game = games.create_game(
                db.session,
                current_user,
                qset,
                picked,
                pacing=form.pacing.data,
                seconds=form.seconds.data,
                speed_points=form.scoring.data == "speed",
                leaderboard=form.leaderboard.data,
                guests=bool(form.guests.data),
            )
        except games.Refused as refused:
            flash(str(refused), "error")
            return render_template("live/start.html", form=form, qset=qset), 503
        return redirect(url_for(".screen", game_id=game.id))
    status = 422 if request.method == "POST" else 200
    return render_template("live/start.html", form=form, qset=qset), status


def _screen_context(game: LiveGame) -> dict[str, Any]:
    """What the projector and the control view show of the game now."""
    shown = views.asked(game, game.current) if game.pacing == "teacher" else None
    left, closed = views.clock(game, game.opened_at)
    context: dict[str, Any] = {
        "game": game,
        "qset": db.session.get(QuestionSet, game.set_id),
        "shown": shown,
        "seconds_left": left,
        "closed": closed,
        "players": scores.player_count(db.session, game.id),
        "form": EmptyForm(),
        "total": len(game.question_ids),
    }
    if game.state == "lobby":
        context["nicknames"] = [s.nickname for s in scores.standings(db.session, game.id, 60)]
    if game.pin:
        context["join_url"] = views.join_url(game)
        context["qr"] = views.qr_svg(context["join_url"], f"QR code of {context['join_url']}")
    if shown is not None:
        context["answered"] = scores.answer_count(db.session, game.id, shown.question.id)
        if closed:
            context["chart"] = views.distribution(game, shown)
    if closed or game.pacing == "student":
        context["leaders"] = scores.standings(db.session, game.id)
    return context


@bp.route("/games/<int:game_id>/screen")
@teacher_required
def screen(game_id: int) -> Any:
    """The full-screen projector page: no menu, no user name, PIN and question in large type."""
    game = views.controlled_game_or_404(game_id)
    return render_template("live/screen.html", **_screen_context(game))


@bp.route("/games/<int:game_id>/control", methods=["GET", "POST"])
@teacher_required
def control(game_id: int) -> Any:
    """The teacher's controls (on the projector page or a phone); POST moves the game on."""
    game = views.controlled_game_or_404(game_id)
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        action = request.form.get("action", "")
        if action not in ("next", "pause", "resume", "end"):
            flash("Unknown action.", "error")
        else:
            try:
                flash(games.control(db.session, game.id, action), "info")
            except games.Refused as refused:
                flash(str(refused), "error")
        back = request.form.get("back") == "screen"
        return redirect(url_for(".screen" if back else ".control", game_id=game.id))
    return render_template("live/control.html", **_screen_context(game))


@bp.route("/games/<int:game_id>/results")
@teacher_required
def results(game_id: int) -> Any:
    game = views.controlled_game_or_404(game_id)
    players, per_question = scores.result_rows(db.session, game)
    questions = {
        q.id: q
        for q in db.session.scalars(sa.select(Question).where(Question.id.in_(game.question_ids)))
    }
    return render_template(
        "live/results.html",
        game=game,
        qset=db.session.get(QuestionSet, game.set_id),
        players=players,
        per_question=[(questions.get(qid), per_question[qid]) for qid in game.question_ids],
    )


@bp.route("/games/<int:game_id>/results.csv")
@teacher_required
def results_csv(game_id: int) -> Any:
    game = views.controlled_game_or_404(game_id)
    players, _ = scores.result_rows(db.session, game)
    answers = scores.all_answers(db.session, game)
    header = ["rank", "nickname", "points", "right", "question_id", "answer_correct", "points_q"]
    lines = [header]
    for standing, right in players:
        mine = answers.get(standing.player_id, [])
        for qid, correct, points in mine or [(None, None, None)]:
            lines.append(
                [standing.rank, standing.nickname, standing.points, right, qid, correct, points]
            )
    response = Response("".join(csv_lines(lines)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="live-game-{game.id}.csv"'
    return response
