"""Data -> accessible SVG: score lines, review heatmaps and bar charts, with no JS or assets.

The markup carries no <style> element and no style="" attribute (the CSP is style-src 'self'):
looks come from class names styled in static CSS, plus presentation attributes where SVG's
defaults would be wrong (a line must not be filled black). Every chart has a <title> and a
<desc> summarising the data for screen readers, and every text is escaped.

CSS hooks: .chart, .chart-line, .chart-heatmap, .chart-bar, .chart-empty, .axis, .grid,
.tick, .tick-alt (every other bar label, hidden on phones), .axis-label, .line, .dot, .bar,
.bar-value, .heat-0 ... .heat-4, .legend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEAT_LEVELS = 5  # heat-0 (no reviews) .. heat-4 (the busiest days)

# Line and bar charts share one frame; the heatmap sizes itself from its grid.
WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
CELL, GAP = 11, 2
HEAT_LEFT, HEAT_TOP = 30, 18


@dataclass(frozen=True)
class Point:
    """One plotted datum: where it was drawn (SVG units) and what it stands for."""

    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class Chart:
    """An SVG chart, the data as plotted (for tests) and a one-paragraph text alternative."""

    svg: str
    points: list[Point] = field(default_factory=list)
    summary: str = ""

    def __html__(self) -> str:
        """Let Jinja insert the markup as is: every text inside was escaped when it was built."""
        return self.svg

    def __str__(self) -> str:
        """The markup, so f-strings and logs show the chart itself."""
        return self.svg


def _num(value: float) -> str:
    """Format a coordinate compactly: 12.5, 40 (never 40.0)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _plural(count: int, unit: str) -> str:
    """'1 review', '5 reviews'."""
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _chart_id(kind: str, title: str, chart_id: str | None) -> str:
    """A stable id for aria-labelledby; charts sharing a page need different titles or ids."""
    if chart_id is not None:
        return chart_id
    return f"chart-{kind}-{hashlib.sha256(title.encode()).hexdigest()[:8]}"


def _svg(kind: str, ident: str, title: str, summary: str, size: tuple[int, int], body: str) -> str:
    """Wrap a chart body in an <svg> carrying its title, description and ARIA labels."""
    width, height = size
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(summary)}</desc>'
        f"{body}</svg>"
    )


def _text(x: float, y: float, text: str, cls: str, anchor: str = "middle", extra: str = "") -> str:
    """An escaped <text> element."""
    return (
        f'<text class="{cls}" x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def empty_chart(*, title: str, chart_id: str | None = None, kind: str = "empty") -> Chart:
    """A chart frame that says there is no data yet, so pages keep their layout."""
    summary = "No data yet."
    ident = _chart_id(kind, title, chart_id)
    body = _text(WIDTH / 2, HEIGHT / 2, "No data yet", "chart-empty")
    return Chart(svg=_svg(kind, ident, title, summary, (WIDTH, HEIGHT), body), summary=summary)


def _y_axis(y_max: float, *, whole: bool = False) -> str:
    """Horizontal grid lines and labels at quarters of the y range (whole numbers for counts)."""
    ticks = [y_max * quarter / 4 for quarter in range(5)]
    if whole:
        ticks = sorted({round(tick) for tick in ticks})
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for value in ticks:
        y = HEIGHT - BOTTOM - plot_h * value / y_max
        parts.append(
            f'<line class="grid" x1="{LEFT}" y1="{_num(y)}" x2="{WIDTH - RIGHT}" y2="{_num(y)}" '
            f'stroke="currentColor" stroke-opacity="0.15"/>'
        )
        parts.append(_text(LEFT - 6, y + 4, _num(value), "tick", "end"))
    return "".join(parts)


def line_chart(
    points: Sequence[tuple[datetime, float]],
    *,
    title: str,
    y_label: str,
    y_max: float = 100,
    chart_id: str | None = None,
) -> Chart:
    """Values over time (e.g. score per quiz attempt) as a line with a dot per point."""
    # Points are labelled with their own date: callers convert to the viewer's zone first.
    if y_max <= 0:
        raise ValueError(f"y_max must be positive: {y_max!r}")
    if not points:
        return empty_chart(title=title, chart_id=chart_id, kind="line")
    ordered = sorted(points, key=lambda item: item[0])
    first, last = ordered[0][0], ordered[-1][0]
    span = (last - first).total_seconds()
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    plotted = []
    for when, value in ordered:
        # A single point (or all at one instant) sits in the middle rather than on the axis.
        share = (when - first).total_seconds() / span if span else 0.5
        clamped = min(max(value, 0.0), y_max)  # out-of-range values pin to the frame edge
        x = round(LEFT + plot_w * share, 2)
        y = round(TOP + plot_h * (1 - clamped / y_max), 2)
        plotted.append(Point(x=x, y=y, value=value, label=when.date().isoformat()))

    values = [point.value for point in plotted]
    summary = (
        f"{_plural(len(values), 'point')} from {plotted[0].label} to {plotted[-1].label}; "
        f"latest {_num(values[-1])}, best {_num(max(values))}, "
        f"average {_num(sum(values) / len(values))}."
    )
    coords = " ".join(f"{_num(p.x)},{_num(p.y)}" for p in plotted)
    dots = "".join(
        f'<circle class="dot" cx="{_num(p.x)}" cy="{_num(p.y)}" r="3" fill="currentColor">'
        f"<title>{escape(f'{p.label}: {_num(p.value)}')}</title></circle>"
        for p in plotted
    )
    body = (
        _y_axis(y_max)
        + f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="currentColor"/>'
        + _text(LEFT, HEIGHT - BOTTOM + 16, plotted[0].label, "tick", "start")
        + (
            _text(WIDTH - RIGHT, HEIGHT - BOTTOM + 16, plotted[-1].label, "tick", "end")
            if span
            else ""
        )
        + _text(
            12,
            TOP + plot_h / 2,
            y_label,
            "axis-label",
            extra=f' transform="rotate(-90 12 {_num(TOP + plot_h / 2)})"',
        )
        + f'<polyline class="line" points="{coords}" fill="none" stroke="currentColor" '
        f'stroke-width="2"/>' + dots
    )
    ident = _chart_id("line", title, chart_id)
    return Chart(
        svg=_svg("line", ident, title, summary, (WIDTH, HEIGHT), body),
        points=plotted,
        summary=summary,
    )


def heat_level(count: int, busiest: int) -> int:
    """The intensity class 0..4 of a day: 0 for none, else its share of the busiest day."""
    if count <= 0 or busiest <= 0:
        return 0
    return min(HEAT_LEVELS - 1, -(-(HEAT_LEVELS - 1) * count // busiest))  # ceiling division


def heatmap(
    counts: Mapping[date, int],
    *,
    end: date,
    weeks: int = 53,
    title: str,
    chart_id: str | None = None,
) -> Chart:
    """A calendar of reviews per day, one column per week (Monday on top), up to `end`."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1: {weeks!r}")
    if any(count < 0 for count in counts.values()):
        raise ValueError("review counts cannot be negative")
    start = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    busiest = max((counts.get(day, 0) for day in days), default=0)

    cells, labels, plotted = [], [], []
    for day in days:
        column, row = (day - start).days // 7, day.weekday()
        x, y = HEAT_LEFT + column * (CELL + GAP), HEAT_TOP + row * (CELL + GAP)
        count = counts.get(day, 0)
        plotted.append(Point(x=x, y=y, value=count, label=day.isoformat()))
        cells.append(
            f'<rect class="heat-{heat_level(count, busiest)}" x="{x}" y="{y}" width="{CELL}" '
            f'height="{CELL}" rx="2"><title>{day.isoformat()}: {_plural(count, "review")}'
            "</title></rect>"
        )
        # Name a month over the first week column that starts in it; name the first column's
        # month too unless the next label would crowd it.
        if row == 0 and (day.day <= 7 or (column == 0 and day.day <= 14)):
            labels.append(_text(x, HEAT_TOP - 6, MONTHS[day.month - 1], "tick", "start"))
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        labels.append(_text(HEAT_LEFT - 4, HEAT_TOP + row * (CELL + GAP) + 9, name, "tick", "end"))

    grid_right = HEAT_LEFT + weeks * (CELL + GAP)
    legend_y = HEAT_TOP + 7 * (CELL + GAP) + 6
    legend_x = grid_right - HEAT_LEVELS * (CELL + GAP)
    legend = [_text(legend_x - 4, legend_y + 9, "Less", "legend", "end")]
    for level in range(HEAT_LEVELS):
        x = legend_x + level * (CELL + GAP)
        legend.append(
            f'<rect class="heat-{level}" x="{x}" y="{legend_y}" width="{CELL}" height="{CELL}" '
            'rx="2"/>'
        )
    legend.append(_text(grid_right + 2, legend_y + 9, "More", "legend", "start"))
    size = (grid_right + 32, legend_y + CELL + 8)  # room on the right for "More"

    active = [p for p in plotted if p.value]
    total = int(sum(p.value for p in plotted))
    summary = (
        f"{_plural(total, 'review')} on {_plural(len(active), 'day')} "
        f"from {days[0].isoformat()} to {end.isoformat()}"
    )
    if active:
        top = max(active, key=lambda p: p.value)  # the earliest of the busiest days
        summary += f"; busiest day {top.label} with {_plural(int(top.value), 'review')}"
    summary += "."
    ident = _chart_id("heatmap", title, chart_id)
    body = "".join(labels) + "".join(cells) + "".join(legend)
    return Chart(
        svg=_svg("heatmap", ident, title, summary, size, body),
        points=plotted,
        summary=summary,
    )


def bar_chart(
    values: Sequence[tuple[str, int]], *, title: str, chart_id: str | None = None
) -> Chart:
    """Labelled counts as vertical bars (due forecast per day, cards per state)."""
    if not values:
        return empty_chart(title=title, chart_id=chart_id, kind="bar")
    if any(count < 0 for _label, count in values):
        raise ValueError("bar values cannot be negative")
    top = max(count for _label, count in values) or 1  # all zero still draws a frame
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(values)
    bar_w = round(slot * 0.7, 2)

    plotted, bars = [], []
    for index, (label, count) in enumerate(values):
        height = plot_h * count / top
        x, y = round(LEFT + slot * index + (slot - bar_w) / 2, 2), round(TOP + plot_h - height, 2)
        plotted.append(Point(x=x, y=y, value=count, label=label))
        centre = x + bar_w / 2
        bars.append(
            f'<rect class="bar" x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" '
            f'height="{_num(height)}" fill="currentColor">'
            f"<title>{escape(f'{label}: {count}')}</title></rect>"
            + _text(centre, y - 4, str(count), "bar-value")
            # Every other label is tick-alt: a phone hides those to make room for bigger text.
            + _text(centre, HEIGHT - BOTTOM + 16, label, "tick tick-alt" if index % 2 else "tick")
        )
    total = sum(count for _label, count in values)
    summary = f"Total {total}. " + "; ".join(f"{label}: {count}" for label, count in values) + "."
    body = (
        _y_axis(top, whole=True)
        + f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="currentColor"/>' + "".join(bars)
    )
    ident = _chart_id("bar", title, chart_id)
    return Chart(
        svg=_svg("bar", ident, title, summary, (WIDTH, HEIGHT), body),
        points=plotted,
        summary=summary,
    )


def recall_band(value: float | None) -> str:
    """The band of a predicted recall: none (never studied), low (<50%), mid (<80%), high."""
    if value is None:
        return "none"
    return "low" if value < 0.5 else "mid" if value < 0.8 else "high"


def recall_grid(
    rows: Sequence[str],
    columns: Sequence[tuple[str, str]],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    chart_id: str | None = None,
) -> Chart:
    """A compact heat map of predicted recall: students (rows) by columns given as (short
    label, full text), each cell coloured by its band and titled with its figure."""
    if not rows or not columns:
        return empty_chart(title=title, chart_id=chart_id, kind="recall")
    if len(values) != len(rows) or any(len(line) != len(columns) for line in values):
        raise ValueError("one value per row and column")
    left, top, size = 110, 28, CELL + GAP
    cells, labels, plotted = [], [], []
    every = max(1, -(-len(columns) // 40))  # at most about 40 column labels
    for index, short in enumerate(short for short, _full in columns):
        if index % every == 0:
            x = left + index * size + CELL / 2
            labels.append(_text(x, top - 6, short, "tick"))
    for row, name in enumerate(rows):
        y = top + row * size
        labels.append(_text(left - 4, y + 9, name[:16], "tick", "end"))
        for index, (short, text) in enumerate(columns):
            value = values[row][index]
            x = left + index * size
            shown = "never studied" if value is None else f"{round(value * 100)}%"
            plotted.append(Point(x=x, y=y, value=-1 if value is None else value, label=short))
            cells.append(
                f'<rect class="recall-{recall_band(value)}" x="{x}" y="{y}" width="{CELL}" '
                f'height="{CELL}" rx="2"><title>{escape(name)} · {escape(short)} '
                f"{escape(text[:80])}: {shown}</title></rect>"
            )
    width = left + len(columns) * size + 8
    height = top + len(rows) * size + 4
    studied = [p.value for p in plotted if p.value >= 0]
    low = sum(1 for v in studied if v < 0.5)
    summary = (
        f"{_plural(len(rows), 'student')} by {_plural(len(columns), 'column')}: "
        f"{_plural(len(plotted) - len(studied), 'cell')} never studied, {low} below 50%."
    )
    ident = _chart_id("recall", title, chart_id)
    return Chart(
        svg=_svg("recall", ident, title, summary, (width, height), "".join(labels + cells)),
        points=plotted,
        summary=summary,
    )
