"""The gradebook's pure arithmetic: blank, missing, excused, weights, points, late penalty."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.gradebook import compute, settings
from quiz.gradebook.compute import Category, Item, Policy

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
NEXT_WEEK = NOW + timedelta(days=7)
LAST_WEEK = NOW - timedelta(days=7)
QUIZZES = Category("quiz", "Quizzes", 70)
STUDY = Category("study", "Study", 30)


def test_work_not_due_and_not_started_is_blank_never_zero() -> None:
    work = compute.quiz_work(NEXT_WEEK, NOW, [])
    cell = compute.grade_cell(Item(1, "quiz"), work, Policy(missing_counts_zero=True))
    assert cell.state == compute.BLANK and cell.text == "" and not cell.counted
    row = compute.grade_row([Item(1, "quiz")], [work], [QUIZZES], Policy(True))
    assert row.total is None and row.total_text == ""


def test_an_open_attempt_before_the_due_date_is_blank_too() -> None:
    work = compute.quiz_work(NEXT_WEEK, NOW, [(None, None)])
    assert compute.grade_cell(Item(1, "quiz"), work, Policy()).state == compute.BLANK


def test_overdue_work_is_missing_and_counts_only_if_the_class_says_so() -> None:
    work = compute.quiz_work(LAST_WEEK, NOW, [])
    done = compute.quiz_work(LAST_WEEK, NOW, [(0.8, LAST_WEEK - timedelta(hours=1))])
    items = [Item(1, "quiz"), Item(2, "quiz")]
    left_out = compute.grade_row(items, [work, done], [QUIZZES], Policy())
    assert left_out.cells[0].text == "missing" and not left_out.cells[0].counted
    assert left_out.total == pytest.approx(0.8)
    as_zero = compute.grade_row(items, [work, done], [QUIZZES], Policy(missing_counts_zero=True))
    assert as_zero.cells[0].text == "missing (0/100)"
    assert as_zero.total == pytest.approx(0.4)


def test_a_quiz_without_a_due_date_is_never_missing() -> None:
    work = compute.quiz_work(None, NOW, [])
    assert compute.grade_cell(Item(1, "quiz"), work, Policy(True)).state == compute.BLANK


def test_excused_work_is_left_out_of_every_average() -> None:
    items = [Item(1, "quiz"), Item(2, "quiz")]
    works = [
        compute.quiz_work(LAST_WEEK, NOW, [], excused=True),
        compute.quiz_work(LAST_WEEK, NOW, [(0.5, LAST_WEEK)]),
    ]
    row = compute.grade_row(items, works, [QUIZZES], Policy(missing_counts_zero=True))
    assert row.cells[0].state == compute.EXCUSED and row.cells[0].text == "excused"
    assert row.total == pytest.approx(0.5)


def test_excused_wins_over_a_finished_attempt() -> None:
    work = compute.quiz_work(LAST_WEEK, NOW, [(1.0, LAST_WEEK)], excused=True)
    assert compute.grade_cell(Item(1, "quiz"), work, Policy()).state == compute.EXCUSED


def test_categories_are_weighted_and_points_weigh_within_a_category() -> None:
    items = [Item(1, "quiz", points=100), Item(2, "quiz", points=50), Item(3, "study", 10)]
    works = [
        compute.quiz_work(LAST_WEEK, NOW, [(1.0, LAST_WEEK)]),
        compute.quiz_work(LAST_WEEK, NOW, [(0.4, LAST_WEEK)]),
        compute.study_work(LAST_WEEK, NOW, 0.45, 0.9, LAST_WEEK, studied=3),
    ]
    row = compute.grade_row(items, works, [QUIZZES, STUDY], Policy())
    quizzes = (100 + 20) / 150
    assert row.categories == {"quiz": pytest.approx(quizzes), "study": pytest.approx(0.5)}
    assert row.total == pytest.approx(0.7 * quizzes + 0.3 * 0.5)
    assert [c.text for c in row.cells] == ["100/100", "20/50", "5/10"]


def test_a_category_with_nothing_counted_shares_out_its_weight() -> None:
    items = [Item(1, "quiz"), Item(2, "study")]
    works = [
        compute.quiz_work(LAST_WEEK, NOW, [(0.6, LAST_WEEK)]),
        compute.study_work(NEXT_WEEK, NOW, 0.2, 0.9, NOW, studied=1),
    ]
    row = compute.grade_row(items, works, [QUIZZES, STUDY], Policy())
    assert row.categories["study"] is None
    assert row.total == pytest.approx(0.6)


def test_zero_weights_everywhere_count_each_category_the_same() -> None:
    cats = [Category("quiz", "Q", 0), Category("study", "S", 0)]
    items = [Item(1, "quiz"), Item(2, "study")]
    works = [
        compute.quiz_work(LAST_WEEK, NOW, [(1.0, LAST_WEEK)]),
        compute.study_work(LAST_WEEK, NOW, 0.0, 0.9, None, studied=0),
    ]
    row = compute.grade_row(items, works, cats, Policy(missing_counts_zero=True))
    assert row.total == pytest.approx(0.5)
    assert compute.weight_shares(cats) == {"quiz": 0.5, "study": 0.5}


def test_late_penalty_comes_off_late_attempts_only_and_the_best_counts() -> None:
    due = LAST_WEEK
    tries = [(0.6, due - timedelta(hours=1)), (1.0, due + timedelta(hours=1))]
    work = compute.quiz_work(due, NOW, tries)
    assert work.finished == ((0.6, False), (1.0, True))
    cell = compute.grade_cell(Item(1, "quiz"), work, Policy(late_penalty_pct=20))
    assert cell.fraction == pytest.approx(0.8) and cell.late and cell.text == "80/100 late"
    harsh = compute.grade_cell(Item(1, "quiz", late_penalty_pct=50), work, Policy(20))
    assert harsh.fraction == pytest.approx(0.6) and not harsh.late
    none = compute.grade_cell(Item(1, "quiz", late_penalty_pct=0), work, Policy(20))
    assert none.fraction == pytest.approx(1.0)


def test_study_reaching_its_target_is_full_marks_late_when_reached_after_due() -> None:
    on_time = compute.study_work(
        LAST_WEEK, NOW, 0.93, 0.9, LAST_WEEK - timedelta(days=1), studied=5
    )
    assert compute.grade_cell(Item(1, "study"), on_time, Policy(late_penalty_pct=10)).text == (
        "100/100"
    )
    late = compute.study_work(LAST_WEEK, NOW, 0.93, 0.9, NOW, studied=5)
    assert compute.grade_cell(Item(1, "study"), late, Policy(late_penalty_pct=10)).text == (
        "90/100 late"
    )


def test_study_short_of_target_is_blank_before_due_and_partial_after() -> None:
    before = compute.study_work(NEXT_WEEK, NOW, 0.45, 0.9, NOW, studied=2)
    after = compute.study_work(LAST_WEEK, NOW, 0.45, 0.9, LAST_WEEK, studied=2)
    never = compute.study_work(LAST_WEEK, NOW, 0.0, 0.9, None, studied=0)
    assert compute.grade_cell(Item(1, "study"), before, Policy()).state == compute.BLANK
    assert compute.grade_cell(Item(1, "study"), after, Policy()).text == "50/100"
    assert compute.grade_cell(Item(1, "study"), never, Policy()).text == "missing"


def test_override_credit_is_part_of_the_score_it_is_given() -> None:
    """The loader adds the "I was right" credit to attempts; here the credited score counts."""
    plain = compute.quiz_work(LAST_WEEK, NOW, [(2 / 3, LAST_WEEK)])
    credited = compute.quiz_work(LAST_WEEK, NOW, [(min(1.0, 2 / 3 + 1 / 3), LAST_WEEK)])
    assert compute.grade_cell(Item(1, "quiz"), plain, Policy()).text == "66.67/100"
    assert compute.grade_cell(Item(1, "quiz"), credited, Policy()).text == "100/100"


def test_texts_round_for_people() -> None:
    assert compute.points_text(72.5) == "72.5" and compute.points_text(100.0) == "100"
    assert compute.percent_text(0.84567) == "84.6%" and compute.percent_text(None) == ""


def test_settings_form_names_each_problem_and_reads_good_values() -> None:
    form = {
        "missing_zero": "1",
        "late_penalty": "10",
        "cat-quiz-name": "Quizzes",
        "cat-quiz-weight": "70",
        "cat-study-name": "Study",
        "cat-study-weight": "30",
        "a-5-points": "50",
        "a-5-penalty": "",
        "a-5-category": "study",
    }
    parsed = settings.parse(form, ["quiz", "study"], [(5, "Week 1")])
    assert parsed.errors == []
    assert parsed.missing_counts_zero and parsed.late_penalty_pct == 10
    assert [(c.key, c.weight) for c in parsed.categories] == [("quiz", 70), ("study", 30)]
    change = parsed.assignments[0]
    assert (change.points, change.late_penalty_pct, change.category) == (50, None, "study")
    bad = settings.parse(
        {**form, "late_penalty": "150", "a-5-points": "lots", "cat-study-name": "quizzes"},
        ["quiz", "study"],
        [(5, "Week 1")],
    )
    assert bad.errors == [
        "Class late penalty: give a number from 0 to 100.",
        "Two categories have the same name: give each its own.",
        "“Week 1” points: “lots” is not a number.",
    ]
    nan = settings.parse({**form, "a-5-penalty": "nan"}, ["quiz", "study"], [(5, "W")])
    assert nan.errors == ["“W” late penalty: give a number from 0 to 100."]


@pytest.mark.parametrize("name", ["compute.py", "layouts.py", "settings.py"])
def test_pure_modules_import_neither_flask_nor_the_database(name: str) -> None:
    path = Path(compute.__file__).with_name(name)
    tree = ast.parse(path.read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"flask", "sqlalchemy", "flask_login", "flask_wtf"}
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in modules if m and m.startswith("quiz.") and m != "quiz.gradebook"}
