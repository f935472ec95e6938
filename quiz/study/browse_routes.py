"""Browse my cards, and suspend, bury or reset the ones chosen."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz import MAX_ID
from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.study import browse, queue
from quiz.study.card_actions import ACTIONS, apply_action
from quiz.timeutil import now_utc

DONE = {
    "suspend": "Suspended {n}: they stay out of your queue until you unsuspend them.",
    "unsuspend": "Unsuspended {n}: they are back in your queue.",
    "bury": "Buried {n} until tomorrow.",
    "unbury": "Unburied {n}.",
    "reset": "Reset {n}: they start again as new; your earlier answers stay in your history.",
}


@bp.route("/cards")
@login_required
def browse_cards() -> Any:
    now = now_utc()
    filters = browse.Filters.from_args(request.args)
    return render_template(
        "study/browse.html",
        rows=browse.search(db.session, current_user, filters, now),
        filters=filters,
        sets=db.session.scalars(queue.visible_sets(current_user.id, now_utc())).all(),
        states=browse.STATES,
        dues=browse.DUE,
        limit=browse.LIMIT,
        now=now,
        form=EmptyForm(),
    )


@bp.route("/cards/action", methods=["POST"])
@login_required
def card_action() -> Any:
    """Apply one action to the ticked cards, then back to the same search."""
    action = request.form.get("action", "")
    if not EmptyForm().validate_on_submit() or action not in ACTIONS:
        abort(400)
    raw = request.form.getlist("card")
    # bounded_int: int() refuses more than 4,300 digits with a ValueError (a 500).
    card_ids = [bounded_int(r, 1, MAX_ID) for r in raw]
    if len(raw) > browse.LIMIT or None in card_ids:
        abort(400)
    back = url_for(".browse_cards", **{k: v for k, v in request.form.items() if k in KEEP})
    if not raw:
        flash("Tick the cards to change first.", "error")
        return redirect(back)
    changed = apply_action(
        db.session,
        current_user,
        card_ids,
        action,
        fuzzing=current_app.config["SCHEDULER_FUZZING"],
    )
    noun = "1 card" if changed == 1 else f"{changed} cards"
    flash(DONE[action].format(n=noun), "success")
    return redirect(back)


KEEP = ("q", "set", "state", "due", "lapses")
