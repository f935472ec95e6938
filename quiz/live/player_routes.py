"""The phone's side of a live game: join by PIN, answer, see how it went; the status URL."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from quiz.auth import limiter
from quiz.auth.forms import EmptyForm
from quiz.auth.routes import client_address
from quiz.blueprints import live_pages as bp
from quiz.extensions import db
from quiz.live import game as games
from quiz.live import rules, scores, views
from quiz.live.forms import JoinForm
from quiz.models import LiveGame, LivePlayer, QuestionSet, User
from quiz.questions import ResponseError

PIN_GUESSES = 10
COOKIE_MAX_AGE = 12 * 3600  # a guest's seat lasts a school day, for this game only


def pin_key() -> str:
    """The limiter's counter of PIN guesses: the account's, or for guests the address's."""
    if current_user.is_authenticated:
        return f"pin:{current_user.id}"
    return f"pin:{client_address()}"


def pin_limits() -> limiter.Limits:
    """Wrong PINs allowed in the login limiter's window: 10 per account; a guest's counter is
    the address's, which a whole class behind one router shares, so it gets the address limit."""
    config = current_app.config
    per_address = int(config["LOGIN_FAILURE_LIMIT_PER_ADDRESS"])
    return limiter.Limits(
        per_account=PIN_GUESSES if current_user.is_authenticated else per_address,
        per_address=per_address,
        window_s=int(config["LOGIN_FAILURE_WINDOW_S"]),
    )


@bp.route("/join", methods=["GET", "POST"])
def join() -> Any:
    """Join an open game by its PIN: students by account, guests by nickname if allowed."""
    form = JoinForm()
    if request.method == "GET" and request.args.get("pin", "").isdigit():
        form.pin.data = request.args["pin"][:6]
    if not form.validate_on_submit():
        return render_template("live/join.html", form=form), 422 if form.is_submitted() else 200
    # Counted before the lookup, as class codes are, so PINs cannot be guessed in bulk.
    guess = limiter.begin_attempt(db.session, pin_key(), client_address(), pin_limits())
    if guess is None:
        form.pin.errors.append("Too many PINs tried. Wait a few minutes and try again.")
        return render_template("live/join.html", form=form), 429
    game = games.open_game_by_pin(db.session, form.pin.data.strip())
    if game is None:
        form.pin.errors.append("No open game has this PIN. Check the number on the screen.")
        return render_template("live/join.html", form=form), 404
    limiter.forget_attempt(db.session, guess)  # a right PIN must not clear wrong ones
    db.session.commit()
    token = None
    if current_user.is_authenticated:
        user: User | None = current_user
        nickname = current_user.username
    else:
        user = None
        if not game.guests:
            flash("This game is for logged-in students: log in, then type the PIN again.", "error")
            return redirect(url_for("auth.login", next=url_for(".join", pin=game.pin)))
        try:
            nickname = rules.clean_nickname(form.nickname.data or "")
        except rules.BadNickname as bad:
            form.nickname.errors = [str(bad)]
            return render_template("live/join.html", form=form), 422
        token = secrets.token_urlsafe(24)
    try:
        games.join(db.session, game, user, nickname, token)
    except games.Refused as refused:
        form.nickname.errors = [str(refused)]
        return render_template("live/join.html", form=form), 422
    response = redirect(url_for(".play", game_id=game.id))
    if token is not None:
        response.set_cookie(
            views.cookie_name(game.id),
            token,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
            path="/live/",
        )
    return response


def _player_or_404(game: LiveGame) -> LivePlayer:
    """The request's player in the game; anyone else gets a 404 (ids cannot be probed)."""
    player = views.current_player(game)
    if player is None:
        abort(404)
    return player


@bp.route("/games/<int:game_id>/play")
def play(game_id: int) -> Any:
    """The phone's page: whatever the game (or the player's own pace) is at now."""
    game = db.session.get(LiveGame, game_id) or abort(404)
    player = _player_or_404(game)
    index = games.question_index(game, player)
    shown = views.asked(game, index) if game.state != "lobby" else None
    left, closed = views.clock(game, games.opened_at(game, player))
    mine = None
    if shown is not None:
        mine = scores.answers_of(db.session, game, player.id).get(shown.question.id)
    feedback = None
    if shown is not None and (mine is not None or closed):
        feedback = shown.item.answer_text() if closed or game.pacing == "student" else None
    return render_template(
        "live/play.html",
        game=game,
        player=player,
        shown=shown,
        index=index,
        total=len(game.question_ids),
        seconds_left=left,
        closed=closed,
        mine=mine,
        feedback=feedback,
        rank=scores.rank_of(db.session, player),
        players=scores.player_count(db.session, game.id),
        form=EmptyForm(),
        # Without JavaScript the page reloads itself: while a question waits for an answer, only
        # once its time is up (a reload would lose what is being typed).
        refresh=(left + 1) if (shown and mine is None and not closed) else 2,
    )


@bp.route("/games/<int:game_id>/answer", methods=["POST"])
def answer(game_id: int) -> Any:
    game = db.session.get(LiveGame, game_id) or abort(404)
    player = _player_or_404(game)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = redirect(url_for(".play", game_id=game.id))
    index = games.question_index(game, player)
    shown = views.asked(game, index)
    posted = request.form.get("question_id", "")
    if shown is None or posted != str(shown.question.id):
        flash("That question is not open any more.", "error")
        return back
    try:
        response = shown.item.parse_form(request.form, shown.seed)
        grade = shown.item.grade(response)
    except ResponseError as error:
        flash(str(error), "error")
        return back
    user = current_user if player.user_id is not None and current_user.is_authenticated else None
    try:
        games.record_answer(
            db.session,
            game,
            player,
            shown.question.id,
            response,
            grade,
            user=user,
            fuzzing=current_app.config["SCHEDULER_FUZZING"],
        )
    except games.AlreadyAnswered as again:
        flash(str(again), "info")
    except games.Refused as refused:
        flash(str(refused), "error")
    return back


@bp.route("/games/<int:game_id>/next", methods=["POST"])
def advance(game_id: int) -> Any:
    """A student-paced player goes on to their next question."""
    game = db.session.get(LiveGame, game_id) or abort(404)
    player = _player_or_404(game)
    if not EmptyForm().validate_on_submit():
        abort(400)
    seen = request.form.get("seen", "")
    if game.pacing != "student" or not seen.lstrip("-").isdigit() or len(seen) > 6:
        flash("That does not apply in this game.", "error")
    else:
        try:
            games.advance(db.session, game, player, int(seen))
        except games.Refused as refused:
            flash(str(refused), "error")
    return redirect(url_for(".play", game_id=game.id))


@bp.route("/games/<int:game_id>/status")
def status(game_id: int) -> Any:
    """The game's version, state and question: 304 when the caller's ETag is still current.

    One indexed read by primary key, whoever asks and however many play; it says nothing a
    player could not see on the projector.
    """
    row = db.session.execute(
        sa.select(LiveGame.version, LiveGame.state, LiveGame.current).where(LiveGame.id == game_id)
    ).first()
    if row is None:
        abort(404)
    etag = f'"{row.version}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = make_response("", 304)
    else:
        response = make_response(
            {"version": row.version, "state": row.state, "current": row.current}
        )
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/")
@login_required
def index() -> Any:
    """The games a user played (and, for a teacher, ran), newest first."""
    played = db.session.execute(
        sa.select(LiveGame, LivePlayer, QuestionSet.title)
        .join(LivePlayer, LivePlayer.game_id == LiveGame.id)
        .join(QuestionSet, QuestionSet.id == LiveGame.set_id)
        .where(LivePlayer.user_id == current_user.id)
        .order_by(LiveGame.created_at.desc())
        .limit(100)
    ).all()
    ran = []
    if current_user.is_teacher:
        ran = db.session.execute(
            sa.select(LiveGame, QuestionSet.title)
            .join(QuestionSet, QuestionSet.id == LiveGame.set_id)
            .where(LiveGame.owner_id == current_user.id)
            .order_by(LiveGame.created_at.desc())
            .limit(100)
        ).all()
    return render_template("live/index.html", played=played, ran=ran, form=JoinForm())
