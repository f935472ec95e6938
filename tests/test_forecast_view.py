"""The forecast arranged for a teacher: filter by student and question, sort, group by tag;
and its compact SVG heat map (issue 20). Pure: no app."""

from __future__ import annotations

import re

import pytest

from quiz import charts
from quiz.insight import Forecast
from quiz.reports.forecast_view import NO_TAG, View, arrange

STUDENTS = [(1, "Amy"), (2, "ben"), (3, "Carla")]
QUESTIONS = [10, 11, 12]
TEXTS = {10: "Which city hosts Air Base 101?", 11: "How far is Agadez?", 12: "Who leads?"}
TAGS = {10: ["places"], 11: ["places", "numbers"], 12: []}
CELLS = {
    (1, 10): 0.9, (1, 11): 0.4, (1, 12): None,
    (2, 10): 0.2, (2, 11): 0.6, (2, 12): 0.95,
    (3, 10): None, (3, 11): None, (3, 12): 0.5,
}  # fmt: skip
RESULT = Forecast(cells=CELLS, by_question={}, by_user={}, to_study={})


def table(view: View) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    arranged = arrange(RESULT, STUDENTS, QUESTIONS, TEXTS, TAGS, view)
    return [c.short for c in arranged.columns], [(r.name, list(r.cells)) for r in arranged.rows]


def test_questions_as_columns_with_their_text() -> None:
    arranged = arrange(RESULT, STUDENTS, QUESTIONS, TEXTS, TAGS, View())
    assert [(c.short, c.text) for c in arranged.columns] == [
        ("Q1", TEXTS[10]),
        ("Q2", TEXTS[11]),
        ("Q3", TEXTS[12]),
    ]
    assert [r.name for r in arranged.rows] == ["Amy", "ben", "Carla"]  # by name, any case
    assert arranged.columns[0].average == pytest.approx((0.9 + 0.2 + 0) / 3)


def test_filters_by_student_and_question() -> None:
    columns, rows = table(View(student="AR", question="agadez"))
    assert columns == ["Q2"] and rows == [("Carla", [None])]


def test_sorts_weakest_first_by_average_or_column() -> None:
    assert [n for n, _c in table(View(sort="average"))[1]] == ["Carla", "Amy", "ben"]
    assert [n for n, _c in table(View(sort="col:q10"))[1]] == ["Carla", "ben", "Amy"]
    assert [n for n, _c in table(View(sort="col:nonsense"))[1]] == ["Amy", "ben", "Carla"]


def test_groups_by_tag_averaging_its_questions() -> None:
    columns, rows = table(View(group="tag"))
    assert columns == ["numbers", "places", NO_TAG]
    amy = dict(rows)["Amy"]
    assert amy == pytest.approx([0.4, (0.9 + 0.4) / 2, 0.0])  # never studied counts as 0


def test_unknown_arguments_fall_back() -> None:
    view = View.from_args({"group": "<script>", "sort": "drop table", "student": " x " * 80})
    assert (view.group, view.sort) == ("question", "name") and len(view.student) <= 100


def test_recall_grid_draws_a_titled_square_per_cell() -> None:
    arranged = arrange(RESULT, STUDENTS, QUESTIONS, TEXTS, TAGS, View())
    chart = charts.recall_grid(
        [r.name for r in arranged.rows],
        [(c.short, c.text) for c in arranged.columns],
        [r.cells for r in arranged.rows],
        title="Recall",
    )
    assert len(re.findall(r"<rect class=\"recall-", chart.svg)) == 9
    assert 'class="recall-none"' in chart.svg and 'class="recall-high"' in chart.svg
    assert "Amy · Q2 How far is Agadez?: 40%</title>" in chart.svg
    assert "3 cells never studied, 2 below 50%" in chart.summary
    with pytest.raises(ValueError):
        charts.recall_grid(["a"], [("Q1", "x")], [[0.5, 0.5]], title="bad")


def test_recall_grid_escapes_names() -> None:
    chart = charts.recall_grid(["<b>x</b>"], [("Q1", "<i>")], [[0.5]], title="t")
    assert "<b>" not in chart.svg and "&lt;b&gt;" in chart.svg
