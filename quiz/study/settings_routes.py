"""The student's study settings: target retention, new questions a day, time zone."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quiz.answers.dates import set_day_first
from quiz.blueprints import student_pages as bp
from quiz.extensions import db
from quiz.study.forms import SettingsForm


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        current_user.desired_retention = float(form.desired_retention.data)
        current_user.new_per_day = form.new_per_day.data
        current_user.timezone = form.timezone.data
        current_user.date_order = form.date_order.data
        db.session.commit()
        flash("Settings saved. New reviews use them from now on.", "success")
        return redirect(url_for(".settings"))
    return render_template("study/settings.html", form=form, zones=zone_groups())


@bp.before_app_request
def read_dates_in_users_order() -> None:
    """Grade this request's typed dates in the signed-in user's date order (day first if none)."""
    if request.endpoint in ("static", "live.status"):
        # No grading, and no reason to load the user: a live game's status poll, once a
        # second from every phone, costs its one read of the game only.
        return
    order = getattr(current_user, "date_order", "day_first")
    set_day_first(order != "month_first")


REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia")


REGIONS += ("Europe", "Indian", "Pacific")


@lru_cache(maxsize=1)
def zone_groups() -> list[tuple[str, list[str]]]:
    """Time zones grouped by region as (region, [zone]), legacy aliases left out.

    A grouped select of about 490 places instead of a 600-name datalist: under half the bytes.
    Read once per process: listing the zones walks the tz database on disk (50 ms).
    """
    groups: dict[str, list[str]] = {}
    for zone in sorted(available_timezones()):
        region, _, city = zone.partition("/")
        if region in REGIONS and city:
            groups.setdefault(region, []).append(zone)
    return list(groups.items())
