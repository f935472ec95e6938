"""Grading of each question kind, including partial credit, typos, near misses and units."""

import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz import units
from quiz.questions import Question, ResponseError, question_from_dict


def question(kind: str, **fields: Any) -> Question:
    """A validated question with placeholder prompt and explanation."""
    return question_from_dict({"kind": kind, "prompt": "Q?", "explanation": "Why.", **fields})


AGADEZ = question("short_answer", answers=["Agadez"], near_misses=["Niamey"])
DISTANCE = question("numeric", value=750, tolerance=25, unit="km")
CLOZE = question("cloze", text="Drones flew from {{Agadez|Agades}} and {{Niamey}} in {{Niger}}.")


def test_multiple_choice_gives_the_picked_choice_feedback() -> None:
    mc = question(
        "multiple_choice",
        choices=[
            {"text": "The junta", "correct": True, "feedback": "Yes, in March."},
            {"text": "The UN", "feedback": "No: the UN was not involved."},
            {"text": "France"},
        ],
    )
    right, wrong, plain = mc.grade(0), mc.grade(1), mc.grade(2)
    assert (right.correct, right.score, right.feedback) == (True, 1.0, "Yes, in March.")
    assert (wrong.correct, wrong.score) == (False, 0.0)
    assert wrong.feedback == "No: the UN was not involved."
    assert plain.feedback == "Not right." and plain.answer == "The junta"
    for bad in (3, -1, True, "0", None):
        with pytest.raises(ResponseError):
            mc.grade(bad)


SAHEL = question(
    "multiple_select",
    choices=[
        {"text": "Niger", "correct": True},
        {"text": "Mali", "correct": True},
        {"text": "Burkina Faso", "correct": True},
        {"text": "Chad", "feedback": "Chad is not in the alliance."},
    ],
)


@pytest.mark.parametrize(
    ("picked", "score"),
    [
        ([0, 1, 2], 1.0),
        ([0, 1], 2 / 3),
        ([0, 1, 3], 1 / 3),  # a wrong pick cancels a right one
        ([0, 3], 0.0),
        ([3], 0.0),  # never below zero
        ([0, 1, 2, 3], 2 / 3),
        ([], 0.0),
    ],
)
def test_multiple_select_partial_credit_and_wrong_pick_cost(
    picked: list[int], score: float
) -> None:
    grade = SAHEL.grade(picked)
    assert grade.score == pytest.approx(score)
    assert grade.correct is (picked == [0, 1, 2])


def test_multiple_select_feedback_names_picks_and_misses() -> None:
    feedback = SAHEL.grade([0, 3]).feedback
    assert feedback.startswith("1 of 3 right choices ticked, 1 wrong.")
    assert "'Chad': Chad is not in the alliance." in feedback
    assert "Missed: 'Mali', 'Burkina Faso'." in feedback
    assert SAHEL.grade([0, 1, 2]).answer == "Niger; Mali; Burkina Faso"
    with pytest.raises(ResponseError):
        SAHEL.grade([0, 0])


def test_true_false_feedback_follows_what_was_answered() -> None:
    tf = question("true_false", answer=False, feedback_true="It left.", feedback_false="Yes.")
    assert tf.grade(False).correct and tf.grade(False).feedback == "Yes."
    assert not tf.grade(True).correct and tf.grade(True).feedback == "It left."
    assert tf.grade(True).answer == "False"
    with pytest.raises(ResponseError):
        tf.grade("false")


@pytest.mark.parametrize(
    ("response", "feedback"),
    [
        ("Agadez", "Right."),
        ("agadez", "Right."),
        ("  AGADEZ. ", "Right."),
        ("Agadès", "Accepted; the exact spelling is 'Agadez'."),
        ("Agadex", "Accepted; the exact spelling is 'Agadez'."),
    ],
)
def test_short_answer_accepts_case_accents_and_typos(response: str, feedback: str) -> None:
    grade = AGADEZ.grade(response)
    assert grade.correct and grade.feedback == feedback


@pytest.mark.parametrize("response", ["Niamey", "niamey", "Niamy"])
def test_short_answer_refuses_near_misses(response: str) -> None:
    grade = AGADEZ.grade(response)
    assert not grade.correct
    assert grade.feedback == f"'{response}' is a different answer."


def test_near_miss_wins_even_when_typo_tolerance_would_accept() -> None:
    sa = question("short_answer", answers=["Niamey"], near_misses=["Niamei"])
    assert sa.grade("Niamei").feedback == "'Niamei' is a different answer."
    assert not sa.grade("Niamei").correct
    assert sa.grade("Niamay").correct  # one edit from the answer, two from the near miss


def test_typo_tolerance_depends_on_length_and_can_be_off() -> None:
    chad = question("short_answer", answers=["Chad"])
    assert not chad.grade("Chadd").correct  # under 5 characters: exact only
    honolulu = question("short_answer", answers=["Honolulu"])
    assert honolulu.grade("Hnolul").correct  # 8+ characters: two edits
    assert not honolulu.grade("Hnolu").correct
    agadez = question("short_answer", answers=["Agadez"])
    assert not agadez.grade("Agdx").correct  # 5-7 characters: one edit
    strict = question("short_answer", answers=["Agadez"], fuzzy=False)
    assert not strict.grade("Agadex").correct and strict.grade("AGADEZ").correct
    assert not AGADEZ.grade("Paris").correct
    assert AGADEZ.grade("Paris").feedback == "'Paris' is not right."


@pytest.mark.parametrize("response", ["750 km", "750", "750km", "460 miles", "466 mi", "775 km"])
def test_numeric_converts_units(response: str) -> None:
    assert DISTANCE.grade(response).correct


@pytest.mark.parametrize(
    "response", ["750,000 m", "7.5e2 km", "725 km", "750 KM", "0.75e3km", "466 Miles", "466 MI"]
)
def test_numeric_number_formats(response: str) -> None:
    assert DISTANCE.grade(response).correct


def test_numeric_wrong_values_say_which_way() -> None:
    assert DISTANCE.grade("900 km").feedback == "'900 km' is too high."
    assert DISTANCE.grade("724.9 km").feedback == "'724.9 km' is too low."
    assert DISTANCE.grade("460 miles").feedback == "'460 miles' (740.298 km) is right."
    assert not DISTANCE.grade("775.1 km").correct
    minus = DISTANCE.grade("\u2212750 km")  # the typographic minus sign
    assert minus.feedback == "'\u2212750 km' (-750 km) is too low."
    assert DISTANCE.grade("900 km").answer == "750 km (give or take 25 km)"


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ("750 kg", "'kg' is a mass; this answer is a length, for example '750 km'"),
        ("3 m^2", "'m^2' is an area; this answer is a length"),
        ("750 xyz", "Unknown unit 'xyz'"),
        ("750 km/", "'km/' is not a unit: write a unit such as km, miles or km/h after the"),
        ("750 km2", "'km2' is not a unit"),
        ("3 m^-2", "'m^-2' is a quantity of dimension 1 / [length] ** 2"),
        ("3 km/h", "'km/h' is a speed"),
        ("3 sq km", "'sq km' is an area"),
        ("3 °C", "'°C' is a temperature"),
        ("about a lot", "'about a lot' is not a number"),  # "about 750" is read since issue 8
        ("nan", "not a number"),
        ("inf km", "not a number"),
        ("1e999 km", "too large"),
        ("7,5 km", "write it like 750000, 750,000 or 7.5"),
        ("", "Enter an answer"),
    ],
)
def test_numeric_refuses_what_it_cannot_judge(response: str, message: str) -> None:
    with pytest.raises(ResponseError, match=re.escape(message)):
        DISTANCE.grade(response)


def test_numeric_range_and_plain_numbers() -> None:
    troops = question("numeric", range=[1000, 1100])
    assert troops.grade("1,000").correct and troops.grade("1100").correct
    assert not troops.grade("999").correct
    assert troops.grade("1000 troops").correct  # the noun counted is fine since issue 8
    with pytest.raises(ResponseError, match="plain number: leave out 'km'"):
        troops.grade("1000 km")
    assert question("numeric", value=2023).grade("2023").correct
    assert not question("numeric", value=2023).grade("2024").correct


def test_cloze_scores_each_gap() -> None:
    grade = CLOZE.grade(["Agades", "Zinder", "Chad"])
    assert grade.score == pytest.approx(1 / 3) and not grade.correct
    assert grade.feedback == (
        "1 of 3 gaps right. Gap 2: 'Zinder' is not right. Gap 3: 'Chad' is not right."
    )
    assert grade.answer == "Drones flew from Agadez and Niamey in Niger."
    full = CLOZE.grade(["agadez", "Niamei", "niger"])
    assert full.correct and full.score == 1.0
    assert full.feedback == "3 of 3 gaps right. Gap 2: Accepted; the exact spelling is 'Niamey'."
    assert CLOZE.grade(["Agadez", "", "Niger"]).feedback.endswith("Gap 2: left empty.")


@pytest.mark.parametrize("response", [["", " ", ""], ["Agadez"], "Agadez", None])
def test_cloze_refuses_unusable_responses(response: Any) -> None:
    with pytest.raises(ResponseError):
        CLOZE.grade(response)


PEOPLE = question(
    "matching",
    pairs=[
        {"left": "Lloyd Austin", "right": "Defense Secretary"},
        {"left": "Michael Langley", "right": "Africa Command"},
        {"left": "Paul Melly", "right": "Chatham House"},
    ],
)


def test_matching_scores_per_pair() -> None:
    assert PEOPLE.grade([0, 1, 2]).correct
    swapped = PEOPLE.grade([0, 2, 1])
    assert swapped.score == pytest.approx(1 / 3)
    assert swapped.feedback == (
        "1 of 3 pairs right. 'Michael Langley' does not go with 'Chatham House'. "
        "'Paul Melly' does not go with 'Africa Command'."
    )
    partial = PEOPLE.grade([0, None, None])
    assert (
        partial.score == pytest.approx(1 / 3)
        and "'Paul Melly' was not matched." in partial.feedback
    )
    assert PEOPLE.grade([0, 1, 2]).answer.startswith("Lloyd Austin → Defense Secretary; ")
    for bad in ([None, None, None], [0, 1], [0, 1, 3], "012"):
        with pytest.raises(ResponseError):
            PEOPLE.grade(bad)


EVENTS = question("ordering", items=["coup", "expulsion order", "Russians arrive", "withdrawal"])


@pytest.mark.parametrize(
    ("order", "score"),
    [
        ([0, 1, 2, 3], 1.0),
        ([3, 2, 1, 0], 0.0),
        ([1, 0, 2, 3], 5 / 6),  # one of six pairs swapped
        ([3, 0, 1, 2], 3 / 6),
    ],
)
def test_ordering_partial_credit_by_pairs_in_order(order: list[int], score: float) -> None:
    grade = EVENTS.grade(order)
    assert grade.score == pytest.approx(score)
    assert grade.correct is (order == [0, 1, 2, 3])


def test_ordering_feedback_and_bad_orders() -> None:
    assert EVENTS.grade([1, 0, 2, 3]).feedback == (
        "5 of 6 pairs in the right order; 2 of 4 items in place."
    )
    assert EVENTS.grade([0, 1, 2, 3]).answer.startswith("1. coup; 2. expulsion order;")
    for bad in ([0, 1, 2], [0, 0, 1, 2], [0, 1, 2, 4], [0, 1, 2, True], None):
        with pytest.raises(ResponseError):
            EVENTS.grade(bad)


@pytest.mark.parametrize(("rating", "score"), [("again", 0.0), ("hard", 1.0), ("easy", 1.0)])
def test_flashcard_is_self_rated(rating: str, score: float) -> None:
    card = question("flashcard", back="Agadez")
    grade = card.grade(rating)
    assert (grade.score, grade.correct, grade.answer) == (score, score == 1.0, "Agadez")
    with pytest.raises(ResponseError):
        card.grade("meh")


def _graded_or_refused(item: Question, response: Any) -> None:
    """Grading either succeeds with a score in [0, 1] or refuses with a ResponseError."""
    try:
        grade = item.grade(response)
    except ResponseError:
        return
    assert 0.0 <= grade.score <= 1.0
    assert grade.correct is (grade.score == 1.0)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_short_answer_grades_any_text(response: str) -> None:
    _graded_or_refused(AGADEZ, response)


# Pint evaluates the unit part of an answer as an expression, so that is where slow or huge
# input hurts: long text over unit letters, operators, brackets and digits, and expressions
# built from tokens, which parse far more often than random characters do. Whatever pint is
# asked, the unit it returns must have small powers: "m**(99*9)" breaks that, and it is a step
# from "m**(9**9**9)", which holds the GIL for hours. Words such as "cubic" are among the tokens
# because pint rewrites them into exponents: "sq cubic m^9" is m to the power 2**19683.
NUMBERISH = st.from_regex(r"[-+]?[0-9.,eE]{0,8} ?", fullmatch=True)
UNIT_CHARS = st.text(alphabet="kmilesµ°/*^()0123456789 .-", max_size=80)
OPERATORS = st.sampled_from(["*", "/", "**", "^", " ", " / "])
EXPRESSIONS = st.recursive(
    st.sampled_from(["m", "km", "mi", "h", "2", "9", "99", "sq", "cubic", "cubed"]),
    lambda inner: st.one_of(
        st.tuples(inner, OPERATORS, inner).map("".join), inner.map(lambda text: f"({text})")
    ),
    max_leaves=6,
)
UNIT_EXPRESSIONS = st.tuples(st.sampled_from(["m", "km", "sq", "cubic"]), OPERATORS, EXPRESSIONS)
UNITISH = st.one_of(
    st.builds(str.__add__, NUMBERISH, UNIT_CHARS),
    st.builds(
        str.__add__, st.sampled_from(["750 ", "1", "-2.5 ", "7e2 "]), UNIT_EXPRESSIONS.map("".join)
    ),
)
MAX_POWER = 144  # four units with one-digit exponents, of units such as σ (temperature ** -4)
real_parse_unit = units.parse_unit


def _small_powers_only(text: str) -> Any:
    """units.parse_unit, checking that the unit pint returned has only small powers."""
    unit = real_parse_unit(text)
    powers = dict(unit.dimensionality)
    assert all(abs(power) <= MAX_POWER for power in powers.values()), (text, powers)
    return unit


@settings(max_examples=1000, deadline=timedelta(seconds=2))
@given(st.one_of(st.text(max_size=80), UNITISH))
def test_numeric_grades_any_text(response: str) -> None:
    with patch.object(units, "parse_unit", _small_powers_only):
        _graded_or_refused(DISTANCE, response)


HUGE_UNITS = [
    "1 m**(9**8**2)",  # the worst, "1 m**(9**9**9)", is run in a child process below
    "1 m**99999999",
    "1 m^(9)",
    "1 cubic m^9",  # pint reads m**3**9
    "1 sq cubic m^9",  # m**2**3**9: an exponent too long to print
    "1 m^9 m^9 m^9 m^9 m^9",
    "1 (m)",
    "1 m*m*m*m*m*m*m*m*m*m*m*m*m*m*m*m*m*m*m*m",
    "1 " + "m" * 10_000,
    "1 " + "m/" * 5_000 + "h",
]


@pytest.mark.parametrize("response", HUGE_UNITS, ids=lambda text: text[:24])
def test_unit_outside_the_grammar_is_refused_before_pint(response: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ResponseError):
        DISTANCE.grade(response)  # over 500 characters, refused as too long an answer
    # measure() skips the answer length limit: the unit grammar alone must refuse these.
    with pytest.raises(ResponseError, match="write a unit such as km, miles or km/h after the"):
        DISTANCE.measure(response)
    assert time.perf_counter() - started < 1


def test_worst_units_cannot_hang_the_test_run() -> None:
    """A pint power is one C call holding the GIL, which a thread's timeout cannot interrupt:
    grade in a child process, which subprocess.run kills at the timeout, so a regression fails."""
    script = (
        "from quiz.questions import ResponseError, question_from_dict\n"
        "q = question_from_dict({'kind': 'numeric', 'prompt': 'Q?', 'explanation': 'W.',"
        " 'value': 750, 'unit': 'km'})\n"
        "for answer in ('1 m**(9**9**9)', '1 square cubic m cubed^9'):\n"
        "    try:\n"
        "        q.grade(answer)\n"
        "    except ResponseError as error:\n"
        "        print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=30,  # about a second with the grammar; without it, pint never finishes
        check=True,
    )
    assert result.stdout.splitlines() == [
        "'m**(9**9**9)' is not a unit: write a unit such as km, miles or km/h after the number.",
        "'square cubic m cubed^9' is not a unit: write a unit such as km, miles or km/h after "
        "the number.",
    ]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=3, max_size=3))
def test_cloze_grades_any_text(response: list[str]) -> None:
    _graded_or_refused(CLOZE, response)


# Partial credit (issue 22): weights in percent, each answer's own feedback, never rounded up.

HOMETOWN = question(
    "short_answer",
    answers=[
        {"text": "Nazareth", "feedback": "Yes! That's right!"},
        {"text": "Nazereth", "weight": 75, "feedback": "Right, but misspelled."},
        {"text": "Bethlehem", "weight": 25, "feedback": "He was born here, but not raised here."},
    ],
    near_misses=[{"text": "Jerusalem", "feedback": "An important city, but no."}],
    fuzzy=False,
)


@pytest.mark.parametrize(
    ("response", "score", "feedback"),
    [
        ("Nazareth", 1.0, "Yes! That's right!"),
        ("nazareth", 1.0, "Yes! That's right!"),
        ("Nazereth", 0.75, "Right, but misspelled."),
        ("Bethlehem", 0.25, "He was born here, but not raised here."),
        ("Jerusalem", 0.0, "An important city, but no."),
        ("Rome", 0.0, "'Rome' is not right."),
    ],
)
def test_short_answer_weights_and_feedback(response: str, score: float, feedback: str) -> None:
    grade = HOMETOWN.grade(response)
    assert (grade.score, grade.feedback) == (score, feedback)
    assert grade.correct is (score == 1.0)


def test_partly_right_short_answer_forgives_typos_like_a_right_one() -> None:
    town = question("short_answer", answers=["Agadez", {"text": "Niamey", "weight": 50}])
    grade = town.grade("Niamy")
    assert grade.score == 0.5 and "partly right (50%)" in grade.feedback
    assert "exact spelling is 'Niamey'" in grade.feedback
    assert town.grade("Agadez").score == 1.0
    assert town.grade("Agadez").answer == "Agadez (partly right: Niamey 50%)"


def test_multiple_choice_partly_right_choice_scores_its_weight() -> None:
    mc = question(
        "multiple_choice",
        choices=[
            {"text": "Jerusalem"},
            {"text": "Bethlehem", "weight": 25, "feedback": "Born there, not raised."},
            {"text": "Galilee", "weight": 50},
            {"text": "Nazareth", "correct": True},
        ],
    )
    assert (mc.grade(1).correct, mc.grade(1).score) == (False, 0.25)
    assert mc.grade(1).feedback == "Born there, not raised."
    assert mc.grade(2).feedback == "Partly right: 50%."
    assert mc.grade(3).correct and mc.grade(0).score == 0.0
    assert mc.grade(3).answer == "Nazareth (partly right: Bethlehem 25%, Galilee 50%)"


TOMB = question(
    "multiple_select",
    choices=[
        {"text": "No one", "weight": -100},
        {"text": "Grant", "weight": 50},
        {"text": "Grant's wife", "weight": 50},
        {"text": "Grant's father", "weight": -25},
        {"text": "Nobody knows"},
    ],
)


@pytest.mark.parametrize(
    ("picked", "score"),
    [
        ([1, 2], 1.0),
        ([1], 0.5),
        ([1, 2, 3], 0.75),  # Moodle's penalty for a wrong tick
        ([1, 3], 0.25),
        ([0, 1], 0.0),  # floored at 0, never negative
        ([0, 1, 2, 3], 0.0),
        ([1, 2, 4], 1.0),  # a 0% choice costs nothing, as in Moodle
        ([], 0.0),
    ],
)
def test_multiple_select_negative_weights_are_penalties(picked: list[int], score: float) -> None:
    grade = TOMB.grade(picked)
    assert grade.score == pytest.approx(score)
    assert grade.correct is (score == 1.0)


def test_thirds_add_up_to_right_and_nothing_less_is_right() -> None:
    thirds = question(
        "multiple_select",
        choices=[{"text": t, "weight": 33.33333} for t in "abc"] + [{"text": "d", "weight": -50}],
    )
    assert thirds.grade([0, 1, 2]).correct
    assert 0.66 < thirds.grade([0, 1]).score < 0.67 and not thirds.grade([0, 1]).correct


def test_numeric_partly_right_numbers_score_their_weight() -> None:
    born = question(
        "numeric",
        value=1822,
        feedback="Correct!",
        partial=[
            {"value": 1822, "tolerance": 2, "weight": 50, "feedback": "Close."},
            {"range": [1800, 1850], "weight": 10},
        ],
    )
    assert (born.grade("1822").score, born.grade("1822").feedback) == (1.0, "Correct!")
    assert (born.grade("1824").score, born.grade("1824").feedback) == (0.5, "Close.")
    assert born.grade("1830").score == 0.1 and "partly right (10%)" in born.grade("1830").feedback
    assert born.grade("1900").score == 0.0 and "too high" in born.grade("1900").feedback


def test_answers_without_weights_mean_what_they_always_meant() -> None:
    """Stored specs from before weights read the same and grade the same."""
    assert AGADEZ.spec() == {"answers": ["Agadez"], "near_misses": ["Niamey"]}
    assert SAHEL.spec()["choices"][0] == {"text": "Niger", "correct": True}
    assert DISTANCE.spec() == {"value": 750, "tolerance": 25, "unit": "km"}
    assert AGADEZ.grade("Niamey").feedback == "'Niamey' is a different answer."


RIGHT_A = {"text": "a", "correct": True}


@pytest.mark.parametrize(
    ("kind", "fields", "problem"),
    [
        ("multiple_choice", {"choices": [RIGHT_A, {"text": "b", "weight": 120}]},
         "choices[1].weight: must be a percentage from 0 to 100, not 120"),
        ("multiple_choice", {"choices": [RIGHT_A, {"text": "b", "weight": -5}]},
         "from 0 to 100"),
        ("multiple_choice", {"choices": [{"text": "a", "weight": 50}, {"text": "b"}]},
         "exactly one correct choice, found 0"),
        ("multiple_choice", {"choices": [{**RIGHT_A, "weight": 50}, {"text": "b"}]},
         "a correct choice is worth 100%"),
        ("multiple_select", {"choices": [{"text": "a", "weight": 50}, {"text": "b", "weight": 3}]},
         "add up to 100%, not 53%"),
        ("multiple_select", {"choices": [RIGHT_A | {"weight": 100}, {"text": "b", "weight": -200}]},
         "from -100 to 100"),
        ("multiple_select", {"choices": [{"text": "a", "weight": 50}, RIGHT_A | {"text": "b"}]},
         "every right choice needs one"),
        ("short_answer", {"answers": [{"text": "a", "weight": 50}]},
         "answers: needs at least one answer worth 100%"),
        ("short_answer", {"answers": ["Agadez", {"text": "agadez", "weight": 50}]},
         "is also an accepted answer"),
        ("numeric", {"value": 1, "partial": [{"value": 2, "weight": 100}]}, "between 0 and 100"),
        ("numeric", {"value": 1, "partial": [{"value": 2}]}, "weight: required"),
    ],
)  # fmt: skip
def test_weights_are_validated(kind: str, fields: dict[str, Any], problem: str) -> None:
    from quiz.questions import QuestionError

    with pytest.raises(QuestionError, match=re.escape(problem)):
        question(kind, **fields)


def test_a_teacher_accepting_a_partly_right_answer_makes_it_fully_right() -> None:
    """The one-click accept of an "I was right" replaces the weighted answer, not repeats it."""
    from quiz.models import Question as StoredQuestion
    from quiz.overrides.accept import accepted_spec

    stored = StoredQuestion(
        kind="short_answer",
        prompt="Jesus was from",
        explanation="Nazareth.",
        tags=[],
        paragraph=None,
        spec=HOMETOWN.spec(),
    )
    spec = accepted_spec(stored, "Bethlehem")
    changed = question_from_dict({**stored.as_dict(), **spec})
    assert changed.grade("Bethlehem").correct
    assert [a.text for a in changed.partial] == ["Nazereth"]
