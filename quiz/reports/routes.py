"""Class reports: dashboard, a student's answers, item analysis, forecast and CSV exports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from quiz import charts, insight
from quiz.auth.decorators import teacher_required
from quiz.blueprints import teacher_pages as bp
from quiz.classes.access import class_or_404, class_zone, local_morning, member_or_404
from quiz.extensions import db
from quiz.gradebook import data as grades
from quiz.inputs import bounded_int
from quiz.marking import queries as marking_queries
from quiz.markup import markdown_inline, plain_text
from quiz.models import Assignment, Mode, Question, QuestionSet, Review
from quiz.reports import data as class_data
from quiz.reports import forecast_page, forecast_view
from quiz.reports.paging import Page
from quiz.sets.access import can_edit
from quiz.timeutil import now_utc

SORT_KEYS = re.compile(r"name|activity|overdue|a\d{1,10}")
DEFAULT_BEHIND_DAYS = 7
ANSWER_PAGE = 500
STUDY_LIST = 10
CHART_CELLS = 1000


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """A bounded integer query parameter; anything else falls back to the default."""
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdigit()):
        return default
    value = bounded_int(raw, 0, high)  # None: more digits than any bound (never int() them)
    return high if value is None else max(value, low)


def question_edit_url(qset: QuestionSet, question: Question) -> str:
    """Where to fix a flagged question: its edit page if the teacher may edit the set, else the
    set's page (a bank set, or another teacher's, is duplicated there to be changed)."""
    if can_edit(current_user, qset):
        return url_for("teach.edit_question", question_id=question.id)
    return url_for("teach.set_page", set_id=qset.id)


@bp.route("/classes/<int:class_id>/dashboard")
@teacher_required
def dashboard(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    now = now_utc()
    data = class_data.load(db.session, classroom, now)
    rows = class_data.dashboard_rows(data, now)
    sort = request.args.get("sort", "name")
    sort = sort if SORT_KEYS.fullmatch(sort) else "name"
    descending = request.args.get("dir") == "desc"
    days = int_arg("days", DEFAULT_BEHIND_DAYS, 1, 365)
    only_behind = request.args.get("behind") == "1"
    assignments = [a for a, _t in data.assignments]
    rows = class_data.sort_rows(rows, assignments, sort, descending)
    if only_behind:
        rows = class_data.behind(rows, now, days)
    # Sorted and filtered over the whole class, then shown 50 at a time.
    page = Page.of(int_arg("page", 1, 1, 2**31 - 1), len(rows))
    found = len(rows)
    rows = rows[page.start : page.stop]
    page_url = partial(
        url_for,
        "teach.dashboard",
        class_id=classroom.id,
        sort=sort,
        dir="desc" if descending else "asc",
        behind="1" if only_behind else None,
        days=days if only_behind else None,
    )
    weeks = class_data.weekly_scores(data, class_zone(classroom))
    chart = charts.line_chart(
        [(local_morning(classroom, week.week), week.median) for week in weeks],
        title=f"Median quiz score per week: {classroom.name}",
        y_label="Median score (%)",
    )
    return render_template(
        "reports/dashboard.html",
        classroom=classroom,
        data=data,
        rows=rows,
        found=found,
        page=page,
        page_url=lambda number: page_url(page=number),
        total=len(data.students),
        sort=sort,
        descending=descending,
        only_behind=only_behind,
        days=days,
        weeks=weeks,
        chart=chart,
        zone=class_zone(classroom),
        # Essays waiting for a score, per quiz assignment (one query): links to its marking.
        to_mark=marking_queries.waiting_counts(
            db.session, [a.id for a in assignments if a.mode == "quiz"]
        ),
    )


def class_set_or_404(classroom: Any, set_id: int, mode: str | None = None) -> QuestionSet:
    """A set assigned to this class (in this mode, if given); anything else is a 404."""
    query = sa.select(Assignment.id).where(
        Assignment.classroom_id == classroom.id, Assignment.set_id == set_id
    )
    if mode is not None:
        query = query.where(Assignment.mode == mode)
    if db.session.scalar(query.limit(1)) is None:
        abort(404)
    return db.get_or_404(QuestionSet, set_id)


@bp.route("/classes/<int:class_id>/students/<int:user_id>")
@teacher_required
def student_page(class_id: int, user_id: int) -> Any:
    classroom = class_or_404(class_id)
    student = member_or_404(classroom, user_id)
    sets = db.session.execute(
        sa.select(QuestionSet.id, QuestionSet.title)
        .where(
            QuestionSet.id.in_(
                sa.select(Assignment.set_id).where(Assignment.classroom_id == classroom.id)
            )
        )
        .order_by(QuestionSet.title)
    ).all()
    set_id = int_arg("set", 0, 0, 2**31 - 1) or None
    if set_id is not None and set_id not in {s.id for s in sets}:
        abort(404)
    query = class_data.answer_rows(db.session, classroom, Review.user_id == student.id, set_id)
    answers = db.session.execute(query.limit(ANSWER_PAGE)).all()
    items = class_data.question_items(db.session, sorted({a.question_id for a in answers}))
    graded, book = grades.student_book(db.session, classroom, student.id, now_utc())
    return render_template(
        "reports/student.html",
        graded=graded,
        book=book,
        classroom=classroom,
        student=student,
        sets=sets,
        set_id=set_id,
        answers=answers,
        items=items,
        limit=ANSWER_PAGE,
        zone=class_zone(classroom),
        describe=class_data.describe_response,
        override_text=class_data.override_text,
    )


@bp.route("/classes/<int:class_id>/sets/<int:set_id>/items")
@teacher_required
def item_analysis(class_id: int, set_id: int) -> Any:
    classroom = class_or_404(class_id)
    qset = class_set_or_404(classroom, set_id, Mode.QUIZ.value)
    default = current_app.config.get("ITEM_MIN_ATTEMPTS", insight.MIN_ATTEMPTS)
    min_attempts = int_arg("min", default, 1, 100_000)
    report = class_data.item_report(db.session, classroom, qset, min_attempts)
    by_id = {q.id: q for q in report.questions}
    return render_template(
        "reports/items.html",
        classroom=classroom,
        qset=qset,
        report=report,
        rows=list(zip(report.questions, report.stats, strict=True)),
        missed=[(by_id[s.question_id], s) for s in insight.most_missed(report.stats)],
        edit_url=partial(question_edit_url, qset),
        flag_below=insight.FLAG_BELOW,
        min_attempts=min_attempts,
        default_min=default,
    )


def exam_date(classroom: Any) -> date:
    """The exam date from ?exam=YYYY-MM-DD, a week from today (class time) by default."""
    try:
        return date.fromisoformat(request.args.get("exam", ""))
    except ValueError:
        return now_utc().astimezone(class_zone(classroom)).date() + timedelta(days=7)


@bp.route("/classes/<int:class_id>/forecast")
@teacher_required
def forecast(class_id: int) -> Any:
    classroom = class_or_404(class_id)
    exam = exam_date(classroom)
    when = local_morning(classroom, exam)
    now = now_utc()
    data = class_data.load(db.session, classroom, now, grid=False)
    set_id = int_arg("set", 0, 0, 2**31 - 1) or None
    set_ids = [set_id] if set_id in data.questions else list(data.questions)
    question_ids = [qid for sid in set_ids for qid in data.questions[sid]]
    questions = class_data.question_rows(db.session, question_ids)
    view = forecast_view.View.from_args(request.args)
    shown = forecast_page.build(
        db.session,
        classroom,
        data.students,
        question_ids,
        {qid: plain_text(q.label) for qid, q in questions.items()},
        {qid: q.tags or () for qid, q in questions.items()},
        view,
        when,
        int_arg("page", 1, 1, 2**31 - 1),
    )
    arranged = shown.arranged
    page_url = partial(
        url_for,
        "teach.forecast",
        class_id=classroom.id,
        exam=exam.isoformat(),
        set=set_id or "",
        student=view.student,
        question=view.question,
        group=view.group,
        sort=view.sort,
    )
    return render_template(
        "reports/forecast.html",
        classroom=classroom,
        exam=exam,
        when=when,
        data=data,
        set_id=set_id,
        titles={a.set_id: t for a, t in data.assignments},
        question_ids=question_ids,
        shown=shown,
        page=shown.page,
        page_url=lambda number: page_url(page=number),
        view=view,
        arranged=arranged,
        # The picture repeats the table: past CHART_CELLS squares it would double a page
        # that must stay light (50 students x 100 questions), so the table stands alone.
        chart=charts.recall_grid(
            [row.name for row in arranged.rows],
            [(column.short, column.text) for column in arranged.columns],
            [row.cells for row in arranged.rows],
            title=f"Predicted recall on {exam.isoformat()}",
        )
        if len(arranged.rows) * len(arranged.columns) <= CHART_CELLS
        else None,
        chart_cells=CHART_CELLS,
        heat=class_data.heat_rows(arranged),
        averages=[
            (class_data.percent_text(c.average), class_data.band(c.average))
            for c in arranged.columns
        ],
        pct=class_data.percent_text,
        # Rendered once per question, not once per student who should study it.
        labels={qid: markdown_inline(q.label) for qid, q in questions.items()},
        study_list=STUDY_LIST,
    )


def attachment(lines: Iterator[str], name: str, *, stream: bool = False) -> Response:
    """A CSV download; a long one is streamed, so it is never all in memory at once."""
    body = stream_with_context(lines) if stream else "".join(lines)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def file_slug(text: str) -> str:
    """A safe piece of a file name."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:40] or "class"
