"""The retention forecast for a class of any size: one page of students, sorted over the class.

The whole class is ranked from per-student sums the database computes (quiz.reports.
aggregates); only the students on the page have their cells loaded. A class of 1,000 and 100
questions is 100,000 cells, which neither the server nor a browser should handle at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from quiz.models import Classroom
from quiz.reports import aggregates, forecast_view
from quiz.reports.paging import Page

TARGET = 0.9  # the "study these" line, as quiz.insight.forecast draws it


@dataclass(frozen=True)
class ForecastPage:
    """What the forecast page shows."""

    arranged: forecast_view.Arranged
    page: Page
    students: list[tuple[int, str]]  # the page's students, in order
    cells: dict[tuple[int, int], float]  # (student, question) -> recall; absent: never studied
    by_question: dict[int, float]  # class average per question (every student)
    by_user: dict[int, float]  # the page's students' average over every question
    to_study: dict[int, list[int]]  # page student -> questions below TARGET, weakest first


def _mean_of(total: float | None, count: int) -> float | None:
    return (total or 0.0) / count if count else None


def build(
    session: Session,
    classroom: Classroom,
    students: Sequence[tuple[int, str]],
    question_ids: Sequence[int],
    texts: dict[int, str],
    tags: dict[int, Sequence[str]],
    view: forecast_view.View,
    when: datetime,
    number: int,
) -> ForecastPage:
    """Rank the class for `view`, then load the cells of page `number` only (five queries)."""
    columns = forecast_view.column_specs(question_ids, texts, tags, view)
    shown = list(dict.fromkeys(qid for *_label, qids in columns for qid in qids))
    part = view.student.casefold()
    matching = [(uid, name) for uid, name in students if part in name.casefold()]
    every = aggregates.recall_sums(session, classroom, question_ids, when, by="question")
    by_question = {qid: (every.get(qid, 0.0) / len(students)) for qid in question_ids if students}
    totals = aggregates.recall_sums(session, classroom, shown, when, by="user")
    ordered = sorted(matching, key=lambda s: s[1].casefold())
    keys = [key for key, *_rest in columns]
    if view.sort == "average":
        ordered.sort(key=lambda s: _mean_of(totals.get(s[0]), len(shown)) or 0.0)
    elif view.sort.startswith("col:") and view.sort[4:] in keys:
        qids = columns[keys.index(view.sort[4:])][3]
        sums = aggregates.recall_sums(session, classroom, qids, when, by="user")
        if view.group == "question":
            ordered.sort(key=lambda s: sums.get(s[0], -1.0))
        else:
            ordered.sort(key=lambda s: sums.get(s[0], 0.0) / len(qids))
    page = Page.of(number, len(ordered))
    on_page = ordered[page.start : page.stop]
    page_ids = [uid for uid, _name in on_page]
    cells = aggregates.recall_sums(
        session, classroom, question_ids, when, by="cell", user_ids=page_ids
    )
    if part:  # column averages over the students the search kept
        kept = [uid for uid, _name in matching]
        sums_kept = aggregates.recall_sums(
            session, classroom, shown, when, by="question", user_ids=kept
        )
    else:
        sums_kept = every
    rows = []
    for uid, name in on_page:
        values = [[cells.get((uid, qid)) for qid in qids] for *_label, qids in columns]
        row_cells = tuple(
            v[0] if view.group == "question" else forecast_view.mean_zero(v) for v in values
        )
        average = _mean_of(totals.get(uid), len(shown))
        rows.append(forecast_view.Row(name, average, row_cells))
    arranged_columns = tuple(
        forecast_view.Column(
            key,
            short,
            text,
            _mean_of(sum(sums_kept.get(q, 0.0) for q in qids), len(qids) * len(matching))
            if matching
            else None,
        )
        for key, short, text, qids in columns
    )
    value = {(u, q): cells.get((u, q), 0.0) for u in page_ids for q in question_ids}
    to_study = {
        uid: sorted(
            (q for q in question_ids if value[(uid, q)] < TARGET),
            key=lambda q, uid=uid: (value[(uid, q)], q),
        )
        for uid in page_ids
    }
    by_user = {
        uid: sum(value[(uid, q)] for q in question_ids) / len(question_ids)
        for uid in page_ids
        if question_ids
    }
    arranged = forecast_view.Arranged(arranged_columns, tuple(rows))
    return ForecastPage(arranged, page, on_page, cells, by_question, by_user, to_study)
