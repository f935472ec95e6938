"""SVG charts: plotted data, text alternatives, escaping and CSP-safe markup."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest

from quiz.charts import Chart, bar_chart, heat_level, heatmap, line_chart

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def parse(chart: Chart) -> ET.Element:
    """Parse the markup (it must be well-formed XML) and check the accessibility wiring."""
    root = ET.fromstring(chart.svg)  # noqa: S314 - markup we generated, not untrusted input
    assert root.get("role") == "img"
    labelled_by = (root.get("aria-labelledby") or "").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert labelled_by == [title.get("id"), desc.get("id")]
    assert desc.text == chart.summary
    return root


def assert_csp_safe(chart: Chart) -> None:
    """No scripts and no inline styles: the CSP would block them (or they'd be an injection)."""
    lowered = chart.svg.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    assert "style=" not in lowered
    assert "javascript:" not in lowered


def test_line_chart_plots_known_points() -> None:
    chart = line_chart(
        [(T0 + timedelta(days=10), 100), (T0, 50)], title="Scores", y_label="Score (%)"
    )
    parse(chart)
    assert_csp_safe(chart)
    # Sorted by time; x spans the frame (44..624), y maps 0..100 onto 204..16.
    assert [(p.x, p.y, p.value, p.label) for p in chart.points] == [
        (44, 110, 50, "2026-03-01"),
        (624, 16, 100, "2026-03-11"),
    ]
    assert 'points="44,110 624,16"' in chart.svg
    assert "<title>2026-03-01: 50</title>" in chart.svg
    assert chart.summary == (
        "2 points from 2026-03-01 to 2026-03-11; latest 100, best 100, average 75."
    )
    assert chart.__html__() == chart.svg


def test_line_chart_with_one_point_centres_it() -> None:
    chart = line_chart([(T0, 80)], title="Scores", y_label="Score", y_max=100)
    parse(chart)
    [point] = chart.points
    assert (point.x, point.y) == (334, 53.6)
    assert "1 point from 2026-03-01 to 2026-03-01" in chart.summary


def test_line_chart_pins_out_of_range_values_to_the_frame() -> None:
    chart = line_chart([(T0, -5), (T0 + timedelta(days=1), 150)], title="S", y_label="S")
    assert [(p.y, p.value) for p in chart.points] == [(204, -5), (16, 150)]


def test_empty_charts_say_no_data_yet() -> None:
    for chart in (
        line_chart([], title="Scores", y_label="Score"),
        bar_chart([], title="Due"),
    ):
        parse(chart)
        assert chart.points == []
        assert chart.summary == "No data yet."
        assert ">No data yet</text>" in chart.svg


def test_heatmap_cells_carry_dates_counts_and_levels() -> None:
    end = date(2026, 3, 4)  # a Wednesday
    counts = {
        date(2026, 3, 4): 5,
        date(2026, 3, 3): 1,
        date(2026, 3, 2): 8,
        date(2025, 1, 1): 99,  # before the calendar: ignored
    }
    chart = heatmap(counts, end=end, title="Reviews per day")
    root = parse(chart)
    assert_csp_safe(chart)
    # 52 full weeks from Monday 2025-03-03, then Monday..Wednesday of the last week.
    assert len(chart.points) == 52 * 7 + 3
    assert chart.points[0].label == "2025-03-03"
    last = chart.points[-1]
    assert (last.label, last.value, last.x, last.y) == ("2026-03-04", 5, 30 + 52 * 13, 18 + 2 * 13)
    titles = {
        title.text: rect.get("class")
        for rect in root.iter(f"{SVG}rect")
        if (title := rect.find(f"{SVG}title")) is not None
    }
    assert len(titles) == len(chart.points)
    assert titles["2026-03-04: 5 reviews"] == "heat-3"
    assert titles["2026-03-03: 1 review"] == "heat-1"
    assert titles["2026-03-02: 8 reviews"] == "heat-4"
    assert titles["2026-03-01: 0 reviews"] == "heat-0"
    assert chart.summary == (
        "14 reviews on 3 days from 2025-03-03 to 2026-03-04; busiest day 2026-03-02 with 8 reviews."
    )


def test_heatmap_draws_a_legend_of_all_levels() -> None:
    chart = heatmap({}, end=date(2026, 3, 4), weeks=4, title="Reviews")
    parse(chart)
    assert set(re.findall(r'class="(heat-\d)"', chart.svg)) == {f"heat-{n}" for n in range(5)}
    assert chart.summary == "0 reviews on 0 days from 2026-02-09 to 2026-03-04."


@pytest.mark.parametrize(
    ("count", "busiest", "level"),
    [(0, 0, 0), (0, 8, 0), (1, 8, 1), (2, 8, 1), (3, 8, 2), (5, 8, 3), (7, 8, 4), (8, 8, 4)],
)
def test_heat_level(count: int, busiest: int, level: int) -> None:
    assert heat_level(count, busiest) == level


def test_bar_chart_plots_known_bars() -> None:
    chart = bar_chart([("Mon", 4), ("Tue", 2), ("Wed", 0)], title="Due this week")
    root = parse(chart)
    assert_csp_safe(chart)
    # Three slots of 580/3 across the frame; bars 70 % of a slot; heights scale to the max.
    assert [(p.label, p.value, p.y) for p in chart.points] == [
        ("Mon", 4, 16),
        ("Tue", 2, 110),
        ("Wed", 0, 204),
    ]
    assert chart.points[0].x == pytest.approx(73.0, abs=0.01)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]
    assert [bar.get("height") for bar in bars] == ["188", "94", "0"]
    assert [bar.find(f"{SVG}title").text for bar in bars] == ["Mon: 4", "Tue: 2", "Wed: 0"]
    assert chart.summary == "Total 6. Mon: 4; Tue: 2; Wed: 0."


def test_bar_chart_of_zeros_still_draws() -> None:
    chart = bar_chart([("Learning", 0), ("Review", 0)], title="Cards by state")
    parse(chart)
    assert [p.y for p in chart.points] == [204, 204]


def test_negative_values_are_refused() -> None:
    with pytest.raises(ValueError):
        bar_chart([("a", -1)], title="x")
    with pytest.raises(ValueError):
        heatmap({date(2026, 3, 4): -1}, end=date(2026, 3, 4), title="x")


def test_every_text_is_escaped() -> None:
    evil = '<script>alert("x")</script> & co'
    charts = [
        line_chart([(T0, 50)], title=evil, y_label=evil),
        line_chart([], title=evil, y_label=evil),
        heatmap({date(2026, 3, 4): 1}, end=date(2026, 3, 4), weeks=2, title=evil),
        bar_chart([(evil, 3)], title=evil),
    ]
    for chart in charts:
        root = parse(chart)
        assert_csp_safe(chart)
        assert "&lt;script&gt;" in chart.svg
        title = root.find(f"{SVG}title")
        assert title is not None
        assert title.text == evil


def test_chart_ids_differ_by_title_and_can_be_given() -> None:
    first = bar_chart([("a", 1)], title="One")
    second = bar_chart([("a", 1)], title="Two")
    assert parse(first).get("aria-labelledby") != parse(second).get("aria-labelledby")
    named = bar_chart([("a", 1)], title="One", chart_id="due-forecast")
    assert parse(named).get("aria-labelledby") == "due-forecast-title due-forecast-desc"
