"""Pure: the gradebook's numbers, the one place the dashboard, student pages and CSVs get them.

A cell is one of four states:
- blank: not due yet (or no due date) and not finished; shown empty and never counted;
- scored: finished work (a quiz's best attempt, a study set's recall target), late work with
  its penalty taken off; or, past the due date, whatever study was done (partial credit);
- missing: past the due date with nothing to show; 0 only if the class says so, else left out;
- excused: set by the teacher; left out of every average.

Each category's percent is points earned over points possible of its counted cells; the total
is the categories' percents weighted, over the categories that have a counted cell (as Canvas
does: an empty category's weight is shared among the others). No Flask, no database.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

BLANK = "blank"
SCORED = "scored"
MISSING = "missing"
EXCUSED = "excused"


@dataclass(frozen=True)
class Policy:
    """The class's rules: whether missing work counts as 0, and its late penalty (0..100)."""

    missing_counts_zero: bool = False
    late_penalty_pct: int | None = None


@dataclass(frozen=True)
class Category:
    """A weighted group of assignments."""

    key: Hashable
    name: str
    weight: float


@dataclass(frozen=True)
class Item:
    """An assignment as the gradebook sees it."""

    id: int
    category: Hashable
    points: float = 100.0
    late_penalty_pct: int | None = None  # None: the class's


@dataclass(frozen=True)
class Work:
    """What one student did on one item, as fractions of full marks (0..1).

    `finished` holds each finished try as (fraction, late): a quiz attempt's score with its
    "I was right" credit, or the study target reached. `partial` is what study short of its
    target is worth once the due date has passed.
    """

    due_passed: bool
    finished: tuple[tuple[float, bool], ...] = ()
    partial: float | None = None
    excused: bool = False


@dataclass(frozen=True)
class Cell:
    """One graded cell."""

    state: str
    possible: float
    fraction: float | None = None  # after any late penalty; None when nothing is counted
    late: bool = False
    counted: bool = False

    @property
    def points(self) -> float | None:
        """Points earned, when the cell counts."""
        return None if self.fraction is None else self.fraction * self.possible

    @property
    def text(self) -> str:
        """The cell as a teacher reads it: '85/100', 'missing', 'excused' or ''."""
        if self.state == EXCUSED:
            return "excused"
        if self.state == BLANK:
            return ""
        if self.state == MISSING and not self.counted:
            return "missing"
        shown = f"{points_text(self.points or 0.0)}/{points_text(self.possible)}"
        if self.state == MISSING:
            return f"missing ({shown})"
        return f"{shown} late" if self.late else shown


@dataclass(frozen=True)
class Row:
    """One student's cells, per-category percents and weighted total (0..1 or None)."""

    cells: list[Cell]
    categories: dict[Hashable, float | None] = field(default_factory=dict)
    total: float | None = None

    @property
    def total_text(self) -> str:
        """The total as every page shows it ('84.5%', or '' when nothing counts yet)."""
        return percent_text(self.total)


def points_text(value: float) -> str:
    """Points without a needless '.0': 85, 72.5."""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def percent_text(value: float | None) -> str:
    """'84.5%', or '' when nothing counts yet."""
    return "" if value is None else f"{round(value * 100, 1):g}%"


def penalty(item: Item, policy: Policy) -> float:
    """The fraction taken off late work on this item."""
    pct = item.late_penalty_pct if item.late_penalty_pct is not None else policy.late_penalty_pct
    return max(0, min(100, pct or 0)) / 100


def grade_cell(item: Item, work: Work, policy: Policy) -> Cell:
    """The cell for one student's work on one item."""
    if work.excused:
        return Cell(EXCUSED, item.points)
    if work.finished:
        off = penalty(item, policy)
        fraction, late = max(
            ((min(1.0, max(0.0, f)) * (1 - off if late else 1), late) for f, late in work.finished),
            key=lambda pair: (pair[0], not pair[1]),  # a tie goes to the on-time try
        )
        return Cell(SCORED, item.points, fraction, late, counted=True)
    if not work.due_passed:
        return Cell(BLANK, item.points)
    if work.partial is not None and work.partial > 0:
        return Cell(SCORED, item.points, min(1.0, work.partial), counted=True)
    if policy.missing_counts_zero:
        return Cell(MISSING, item.points, 0.0, counted=True)
    return Cell(MISSING, item.points)


def category_percents(
    items: Sequence[Item], cells: Sequence[Cell], categories: Sequence[Category]
) -> dict[Hashable, float | None]:
    """Each category's points earned over points possible of its counted cells."""
    earned: dict[Hashable, float] = {c.key: 0.0 for c in categories}
    possible: dict[Hashable, float] = {c.key: 0.0 for c in categories}
    for item, cell in zip(items, cells, strict=True):
        if cell.counted and item.category in earned:
            earned[item.category] += cell.points or 0.0
            possible[item.category] += cell.possible
    return {key: (earned[key] / possible[key] if possible[key] else None) for key in earned}


def weighted_total(
    percents: dict[Hashable, float | None], categories: Sequence[Category]
) -> float | None:
    """The categories' percents weighted; categories with nothing counted share out theirs."""
    used = [(c.weight, percents[c.key]) for c in categories if percents.get(c.key) is not None]
    weight = sum(w for w, _p in used)
    if not used:
        return None
    if weight <= 0:  # every weight 0: each category counts the same
        return sum(p or 0.0 for _w, p in used) / len(used)
    return sum(w * (p or 0.0) for w, p in used) / weight


def grade_row(
    items: Sequence[Item], works: Sequence[Work], categories: Sequence[Category], policy: Policy
) -> Row:
    """One student's row: a cell per item, each category's percent and the weighted total."""
    cells = [grade_cell(item, work, policy) for item, work in zip(items, works, strict=True)]
    percents = category_percents(items, cells, categories)
    return Row(cells, percents, weighted_total(percents, categories))


def weight_shares(categories: Sequence[Category]) -> dict[Hashable, float]:
    """Each category's weight as a share of all of them (0..1), for the page's headings."""
    total = sum(c.weight for c in categories)
    if total <= 0:
        return {c.key: 1 / len(categories) for c in categories} if categories else {}
    return {c.key: c.weight / total for c in categories}


def study_fraction(recall: float | None, target: float) -> float:
    """A study assignment's worth: its predicted recall at due over the target, at most 1."""
    if recall is None or target <= 0:
        return 0.0
    return min(1.0, recall / target)


def quiz_work(
    due: datetime | None,
    now: datetime,
    tries: Sequence[tuple[float | None, datetime | None]],
    *,
    excused: bool = False,
) -> Work:
    """A quiz's work from its attempts as (score with override credit, finished time)."""
    finished = tuple(
        (score, due is not None and ended > due)
        for score, ended in tries
        if score is not None and ended is not None
    )
    return Work(due is not None and now > due, finished, excused=excused)


def study_work(
    due: datetime | None,
    now: datetime,
    recall: float | None,
    target: float,
    last_activity: datetime | None,
    *,
    studied: int,
    excused: bool = False,
) -> Work:
    """A study assignment's work: full marks at the recall target, partial credit past due."""
    due_passed = due is not None and now > due
    fraction = study_fraction(recall, target)
    if recall is not None and recall >= target:
        late = due is not None and last_activity is not None and last_activity > due
        return Work(due_passed, ((fraction, late),), excused=excused)
    return Work(due_passed, partial=fraction if studied else None, excused=excused)
