"""The student's progress pages: overall, and per set."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_login import current_user, login_required

from quiz import charts
from quiz.blueprints import student_pages as bp
from quiz.classes import home as class_home
from quiz.extensions import db
from quiz.progress import data as progress
from quiz.study import queue
from quiz.study.common import visible_set_or_404
from quiz.timeutil import now_utc

HEATMAP_PHONE_WEEKS = 24
STATE_NAMES = {"new": "New", "learning": "Learning", "review": "Review", "relearning": "Relearning"}


def local(moment: datetime) -> datetime:
    """A UTC time in the student's zone, for display."""
    return moment.astimezone(queue.user_zone(current_user))


def day_label(day: date) -> str:
    """'Mon 3': short enough for fourteen bars side by side."""
    return f"{day:%a} {day.day}"


def score_chart(scores: list[tuple[datetime, float]], title: str) -> charts.Chart:
    """Quiz scores over time, dated in the student's zone."""
    return charts.line_chart(
        [(local(when), percent) for when, percent in scores], title=title, y_label="Score (%)"
    )


@bp.app_template_filter("local_date")
def local_date_filter(moment: datetime | None) -> str:
    """'2026-03-04' in the student's zone; empty for None."""
    return local(moment).date().isoformat() if moment else ""


@bp.app_template_filter("local_zone")
def local_zone_filter(moment: datetime | None) -> str:
    """The name of the zone local_date and local_datetime show `moment` in: the student's."""
    return queue.user_zone(current_user).key


@bp.app_template_filter("local_datetime")
def local_datetime_filter(moment: datetime | None) -> str:
    """'2026-03-04 10:30' in the student's zone; empty for None."""
    return f"{local(moment):%Y-%m-%d %H:%M}" if moment else ""


@bp.route("/progress", endpoint="progress")
@login_required
def progress_page() -> Any:
    now = now_utc()
    data = progress.overview(db.session, current_user, now)
    # Issue 9: the predicted recall on each upcoming due date of the student's classes.
    due_forecast = class_home.due_forecasts(
        db.session,
        current_user,
        class_home.upcoming_study(class_home.student_classes(db.session, current_user, now), now),
    )
    states = [(STATE_NAMES[key], count) for key, count in data.cards_by_state.items()]
    return render_template(
        "progress/progress.html",
        data=data,
        states=states,
        total_reviews=sum(data.reviews_per_day.values()),
        score_chart=score_chart(
            [(when, percent) for when, percent, _title in data.attempts], "Quiz scores"
        ),
        heatmap=charts.heatmap(data.reviews_per_day, end=data.today, title="Reviews per day"),
        # A phone shows the last 24 weeks instead of the year: they fit its width.
        heatmap_recent=charts.heatmap(
            data.reviews_per_day,
            end=data.today,
            weeks=HEATMAP_PHONE_WEEKS,
            title="Reviews per day, last 24 weeks",
        ),
        forecast=charts.bar_chart(
            [(day_label(day), count) for day, count in data.due_per_day],
            title="Cards due in the next 14 days",
        ),
        states_chart=charts.bar_chart(states, title="Cards by state"),
        due_forecast=due_forecast,
    )


@bp.route("/sets/<int:set_id>/progress")
@login_required
def set_progress(set_id: int) -> Any:
    qset = visible_set_or_404(set_id)
    now = now_utc()
    mastery = progress.set_mastery(db.session, current_user, qset, now)
    attempts = progress.set_attempts(db.session, current_user, qset)
    recalls = [row.retrievability for row in mastery if row.retrievability is not None]
    return render_template(
        "progress/set_progress.html",
        qset=qset,
        mastery=mastery,
        missed=progress.most_missed(mastery),
        attempts=attempts,
        seen=sum(1 for row in mastery if row.reviews),
        average=sum(recalls) / len(recalls) if recalls else None,
        score_chart=score_chart(
            [(row.finished_at, row.percent) for row in attempts], f"Quiz scores: {qset.title}"
        ),
    )
