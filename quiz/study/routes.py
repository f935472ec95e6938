"""Study mode: choose sets, answer the next due question, see feedback; settings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from fsrs import Rating
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from quiz import MAX_ID, scheduling
from quiz.auth.forms import EmptyForm
from quiz.blueprints import student_pages as bp
from quiz.classes import home as class_home
from quiz.database import READ_METHODS, defers_write_lock
from quiz.extensions import db
from quiz.inputs import bounded_int
from quiz.models import Card, Question, Review, ReviewOverride, StudiedSet
from quiz.models.content import ShownQuestion
from quiz.overrides import claims as overrides
from quiz.questions import ResponseError
from quiz.statements import built_once
from quiz.study import custom, last_answer, lookups, pending, queue, summary
from quiz.study.answers import (
    Answer,
    StaleAnswer,
    find_card,
    load_question,
    record_answer,
    stored_grade,
)
from quiz.study.common import (
    duration_from_form,
    new_submission_id,
    next_intervals,
    next_url,
    posted_id,
    refuse_if_in_open_quiz,
    seed_of,
    studyable_question,
    valid_submission_id,
    visible_set_or_404,
)
from quiz.study.display import describe_response
from quiz.study.texts import local_time, percent_text, stale_message
from quiz.timeutil import now_utc

# The page that rates a held right answer; any other study POST rates held ones Good first.
RATING_ENDPOINTS = frozenset({"study.rate"})


@bp.before_request
def settle_held_answers() -> None:
    """Rate Good the right answers the student left unrated, before anything else is written.

    Only on POSTs (a GET changes nothing): until then the queue leaves held questions out. A
    repeat of the answer being held (a double click, Back) keeps it, so its page can still ask.
    """
    if request.method in READ_METHODS or request.endpoint in RATING_ENDPOINTS:
        return
    if current_user.is_authenticated:
        keep = request.form.get("submission_id") if request.endpoint == "study.answer" else None
        pending.settle_all(
            db.session,
            current_user,
            keep=keep,
            fuzzing=current_app.config["SCHEDULER_FUZZING"],
        )


@bp.route("/")
@login_required
def index() -> Any:
    now = now_utc()
    studied = set(queue.studied_set_ids(db.session, current_user.id))
    sets = db.session.scalars(queue.visible_sets(current_user.id, now)).all()
    upcoming = queue.next_item(db.session, current_user, now)
    starter_slug = current_app.config["STARTER_SET_SLUG"]
    return render_template(
        "study/index.html",
        sets=sets,
        starter=next((s for s in sets if s.slug == starter_slug), sets[0] if sets else None),
        studied=studied,
        upcoming=upcoming,
        new_available=queue.count_new_available(db.session, current_user.id, now),
        form=EmptyForm(),
        **class_home.home_context(db.session, current_user, now),  # classes (issue 9)
    )


@bp.route("/sets/<int:set_id>/study", methods=["POST"])
@login_required
def toggle_set(set_id: int) -> Any:
    """Start (action=add) or stop (action=remove) studying a set; repeating it changes nothing."""
    action = request.form.get("action")
    if not EmptyForm().validate_on_submit() or action not in ("add", "remove"):
        abort(400)
    qset = visible_set_or_404(set_id)
    row = db.session.get(StudiedSet, (current_user.id, set_id))
    if action == "add":
        if row is None:
            db.session.add(StudiedSet(user_id=current_user.id, set_id=set_id))
        try:
            db.session.commit()
        except IntegrityError:  # a double click on PostgreSQL: the other click added it
            db.session.rollback()
        flash(f"Added “{qset.title}” to your studies.", "success")
    else:
        if row is not None:
            db.session.delete(row)
            db.session.commit()
        flash(f"Stopped studying “{qset.title}”. Your history is kept.", "info")
    return redirect(url_for(".next") if request.form.get("back") == "next" else url_for(".index"))


def posted_version() -> int | None:
    """The card version the answer page carried; None when the form has none (no check)."""
    raw = request.form.get("card_version", "")
    if not raw:
        return None
    version = bounded_int(raw, 0, MAX_ID) if raw.isdigit() else None
    if version is None:
        abort(400)
    return version


def card_version_of(question_id: int, card: Card | None = None, *, known: bool = False) -> int:
    """The version of the student's card for a question (0 for none), carried by its forms."""
    if not known:
        card = find_card(db.session, current_user.id, question_id)
    return card.version if card is not None else 0


def render_question(
    question: Question | ShownQuestion,
    submission_id: str,
    error: str | None = None,
    status: int = 200,
    upcoming: queue.Next | None = None,
    card_version: int | None = None,
    last: Any = None,
    run: Any = None,
) -> Any:
    """The answer page for one question (never containing its answer)."""
    item = load_question(question)
    now = now_utc()
    upcoming = upcoming or queue.next_item(db.session, current_user, now)
    if card_version is None:
        card_version = posted_version() if request.method == "POST" else None
    if card_version is None:
        card_version = card_version_of(question.id)
    return (
        render_template(
            "study/question.html",
            question=question,
            item=item,
            view=item.view(seed_of(submission_id)),
            submission_id=submission_id,
            shown_ms=int(now.timestamp() * 1000),
            error=error,
            upcoming=upcoming,
            card_version=card_version,
            last=last,
            run=run or custom.active(),
            mode="cram" if custom.is_practice() else None,
        ),
        status,
    )


@bp.route("/next", endpoint="next")
@login_required
def next_card() -> Any:
    """The next card, with the last answer in one line (and its undo) above it."""
    now = now_utc()
    if custom.active():
        return redirect(url_for(".custom_next", **request.args))
    last = last_answer.find(db.session, current_user, request.args.get("last", ""))
    upcoming = queue.next_item(db.session, current_user, now)
    if upcoming.question is None:
        return render_template(
            "study/done.html",
            upcoming=upcoming,
            last=last,
            summary=summary.today(db.session, current_user, now),
            form=EmptyForm(),
        )
    version = upcoming.card_version or 0
    return render_question(
        upcoming.question, new_submission_id(), upcoming=upcoming, card_version=version, last=last
    )


@bp.route("/questions/<int:question_id>")
@login_required
def practice(question_id: int) -> Any:
    """One chosen question, answered like a study card (from the mastery page)."""
    return render_question(studyable_question(question_id), new_submission_id())


@bp.route("/flip/<int:question_id>")
@login_required
def flip(question_id: int) -> Any:
    """The back of a flashcard, with the four rating buttons and their next intervals."""
    question = studyable_question(question_id)
    item = load_question(question)
    if question.kind != "flashcard":
        abort(404)
    submission_id = valid_submission_id(request.args.get("sid")) or new_submission_id()
    version = request.args.get("v", "")
    return render_template(
        "study/flip.html",
        question=question,
        item=item,
        submission_id=submission_id,
        shown_ms=request.args.get("shown_ms", ""),
        previews=next_intervals(question.id),
        card_version=version if version.isascii() and version.isdigit() else "",
        mode="cram" if custom.is_practice() else None,
    )


@bp.route("/answer", methods=["POST"])
@defers_write_lock
@login_required
def answer() -> Any:
    question_id = posted_id("question_id")
    submission_id = valid_submission_id(request.form.get("submission_id"))
    if submission_id is None:
        abort(400)
    found = lookups.answer_lookup(
        db.session, current_user.id, question_id, submission_id, now_utc()
    )
    earlier, held = found.review, found.held
    if earlier is not None:  # answered already: show what was recorded the first time
        if earlier.response != sent_response(earlier.question_id, submission_id):
            flash(
                f"You had answered this card at {local_time(earlier.reviewed_at)}; this is the "
                "answer recorded then. Your new answer was not recorded.",
                "info",
            )
        return redirect(url_for(".feedback", review_id=earlier.id))
    if held:  # right, waiting for its rating: a double click, or Back and answer again
        if found.held_response != sent_response(question_id, submission_id):
            flash(
                "You had answered this card already: that first answer is kept and waits for "
                "its rating here. Your new answer was not recorded.",
                "info",
            )
        return redirect(url_for(".rate", submission_id=submission_id))
    question = studyable_question(question_id, found)
    item = load_question(question)
    try:
        response = item.parse_form(request.form, seed_of(submission_id))
        grade = item.grade(response)
    except ResponseError as error:
        return render_question(question, submission_id, error=str(error), status=422)
    answer = Answer(question.id, response, grade, None, duration_from_form(), question.version)
    if question.kind == "flashcard":  # the four buttons of the flip page are the rating
        answer = replace(answer, self_rating=response)
    if request.form.get("mode") == "cram":
        practice = custom.store_practice(db.session, current_user, answer, submission_id)
        custom.mark_done(question.id)
        if question.kind != "flashcard" and not practice.correct:
            return redirect(url_for(".practice_feedback", answer_id=practice.id))
        return redirect(next_url(last=f"c{practice.id}"))
    try:
        if question.kind != "flashcard" and scheduling.rating_for(grade.score) != Rating.Again:
            # Right: the student says how hard it was once they see the verdict.
            pending.hold(
                db.session,
                current_user,
                answer,
                submission_id=submission_id,
                expected_version=posted_version(),
            )
            return redirect(url_for(".rate", submission_id=submission_id))
        review, _new = record_answer(
            db.session,
            current_user,
            answer,
            submission_id=submission_id,
            fuzzing=current_app.config["SCHEDULER_FUZZING"],
            expected_version=posted_version(),
        )
    except StaleAnswer as stale:
        flash(stale_message(stale), "error")
        return redirect(next_url())
    finally:
        custom.mark_done(question.id)
    if question.kind == "flashcard":  # rated already: straight on to the next card
        return redirect(next_url(last=review.id))
    return redirect(url_for(".feedback", review_id=review.id))


def sent_response(question_id: int, submission_id: str) -> Any:
    """The response this form sends, for comparing with one recorded; None if unreadable."""
    question = db.session.get(Question, question_id)
    if question is None:
        return None
    try:
        return load_question(question).parse_form(request.form, seed_of(submission_id))
    except ResponseError:
        return None


@bp.route("/reviews/<int:review_id>")
@login_required
def feedback(review_id: int) -> Any:
    row = db.session.execute(_feedback_query(), {"review_id": review_id}).first()
    if row is None or row[0].user_id != current_user.id:
        abort(404)
    review, question, override = row
    if review.attempt_id and not class_home.attempt_reveals(
        db.session, review.attempt_id, now_utc()
    ):
        abort(404)  # an assigned quiz's answers stay hidden as its teacher chose
    locked = refuse_if_in_open_quiz(review.question_id)
    item = load_question(question)
    grade = stored_grade(item, review.response, correct=review.correct, score=review.score)
    due_after = override.due_after if override else review.due_after
    return render_template(
        "study/feedback.html",
        review=review,
        question=question,
        item=item,
        grade=grade,
        response_text=describe_response(item, review.response),
        next_text=scheduling.interval_text(review.reviewed_at, due_after),
        override=override,
        offer=overrides.can_offer(review, question, override),
        override_note=overrides.study_note(question.question_set) if override else None,
        upcoming=queue.next_item(db.session, current_user, now_utc(), locked),
    )


@built_once
def _feedback_query() -> sa.Select[tuple[Review, Question, ReviewOverride]]:
    """A review with its question (and set) and its override if any: one statement, built once."""
    return (
        sa.select(Review, Question, ReviewOverride)
        .join(Question, Question.id == Review.question_id)
        .outerjoin(ReviewOverride, ReviewOverride.review_id == Review.id)
        .options(joinedload(Question.question_set))
        .where(Review.id == sa.bindparam("review_id"))
    )


bp.add_app_template_filter(percent_text, "percent")


@bp.app_template_filter("when")
def when_filter(moment: Any) -> str:
    """'in 10 minutes', 'tomorrow', ... from now."""
    return scheduling.interval_text(now_utc(), moment)
