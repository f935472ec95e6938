"""Issue 23's classes of typed answers, each on its own question: context, people, quantities.

The examples are not those of tests/data/typed_answers_subjects*.yaml: they test the class.
"""

from __future__ import annotations

from typing import Any

import pytest

from quiz.answers.dates import reading_dates
from quiz.questions import Question, QuestionError, ResponseError, question_from_dict
from quiz.sets.drafts import Draft, draft_from_dict, draft_to_dict


def question(kind: str, prompt: str = "Q?", **fields: Any) -> Question:
    return question_from_dict({"kind": kind, "prompt": prompt, "explanation": "Why.", **fields})


def right(item: Question, response: Any) -> bool:
    return item.grade(response).correct


KENYA = question(
    "short_answer", "What is the capital of Kenya?", answers=["Nairobi"], near_misses=["Mombasa"]
)


@pytest.mark.parametrize(
    "said",
    [
        "Nairobi, not Mombasa",
        "Nairobi (Mombasa is the port)",
        "Nairobi, unlike Mombasa",
        "Nairobi, in the highlands",
        "Nairobi city",
        "Nairobi, Kenya",
    ],
)
def test_context_that_sets_a_near_miss_aside_is_right(said: str) -> None:
    assert right(KENYA, said)


@pytest.mark.parametrize(
    "said",
    [
        "Nairobi or Mombasa",
        "either Mombasa or Nairobi",
        "Nairobi/Mombasa",
        "Mombasa, not Nairobi",
        "Nairobi and Mombasa",
        "Nairobi National Park",
        "Nairobi Hospital",
    ],
)
def test_hedges_contradictions_and_longer_names_are_wrong(said: str) -> None:
    assert not right(KENYA, said)


def test_a_word_of_the_question_after_the_answer_is_context() -> None:
    river = question("short_answer", "Which river flows through Baghdad?", answers=["Tigris"])
    assert right(river, "Tigris River") and right(river, "the Tigris river, in Iraq")
    city = question("short_answer", "Which city is on the Tigris?", answers=["Mosul"])
    assert not right(city, "Mosul Dam")


PAINTER = question(
    "short_answer",
    "Which painter made The Starry Night?",
    answers=["Vincent van Gogh"],
    near_misses=["Paul Gauguin"],
)
POET = question("short_answer", "Who wrote Leaves of Grass?", answers=["Walt Whitman"])


@pytest.mark.parametrize("said", ["Whitman", "W. Whitman", "Whitman, Walt", "Mr Whitman"])
def test_a_persons_surname_initials_or_surname_first_are_right(said: str) -> None:
    assert right(POET, said)


@pytest.mark.parametrize("said", ["Van Gogh", "V. van Gogh", "van gogh", "Van Gogh, Vincent"])
def test_a_name_of_several_words_keeps_its_parts(said: str) -> None:
    assert right(PAINTER, said)


@pytest.mark.parametrize("said", ["Jack Whitman", "Whitman or Frost", "Gauguin"])
def test_another_person_is_wrong(said: str) -> None:
    assert not right(POET, said) and not right(PAINTER, said)


def test_a_question_that_needs_the_full_name() -> None:
    full = question(
        "short_answer", "Give the full name of the poet.", answers=["Walt Whitman"], full_name=True
    )
    assert right(full, "Walt Whitman") and right(full, "Whitman, Walt")
    assert not right(full, "Whitman") and not right(full, "W. Whitman")
    assert full.spec()["full_name"] is True
    assert "full_name" not in POET.spec()


def test_a_place_is_no_person() -> None:
    place = question("short_answer", "Which country is north of Bolivia?", answers=["Brazil"])
    assert not right(place, "Brazilian")
    two_words = question("short_answer", "Which city hosts the UN?", answers=["New York"])
    assert not right(two_words, "York")


def test_roman_numerals_written_in_capitals() -> None:
    king = question(
        "short_answer", "Which king?", answers=["Henry VIII"], near_misses=["Henry VII"]
    )
    assert right(king, "Henry 8") and right(king, "Henry the Eighth") and right(king, "henry viii")
    assert not right(king, "Henry VII") and not right(king, "Henry 7")


def test_a_chemical_formula_is_one_word() -> None:
    acid = question("short_answer", "Formula of sulfuric acid?", answers=["H2SO4"])
    assert right(acid, "H2SO4") and right(acid, "h2so4") and right(acid, "H₂SO₄")
    assert not right(acid, "H2SO3") and not right(acid, "H2SO4 or H2SO3")
    salt = question("short_answer", "Formula of potassium chloride?", answers=["KCl"])
    assert not right(salt, "KCl2")


def test_a_typo_that_spells_another_word_of_the_question_is_that_word() -> None:
    gap = question(
        "cloze", text="Chalk is calcium carbonate, made of calcium, {{carbon}} and oxygen."
    )
    assert not right(gap, ["carbonate"])
    assert right(gap, ["carbn"])


@pytest.mark.parametrize(
    ("unit", "said", "value"),
    [
        ("degC", "39C", 39),
        ("degC", "39 degrees Celsius", 39),
        ("degC", "39 degrees", 39),
        ("degC", "39°", 39),
        ("degC", "102.2 °F", 39),
        ("degC", "102.2F", 39),
        ("degC", "312.15 K", 39),
        ("degF", "212 degrees F", 212),
        ("degF", "100C", 212),
        ("kelvin", "0 °C", 273.15),
    ],
)
def test_temperatures_in_any_scale(unit: str, said: str, value: float) -> None:
    fever = question("numeric", value=value, tolerance=0.05, unit=unit)
    assert right(fever, said)


def test_c_after_a_number_is_coulomb_in_a_charge_question() -> None:
    charge = question("numeric", value=5, unit="coulomb")
    assert right(charge, "5 C")


@pytest.mark.parametrize("said", ["300 km west", "300 km to the west", "300km SW of Lyon"])
def test_a_distance_followed_by_a_direction(said: str) -> None:
    assert right(question("numeric", value=300, tolerance=10, unit="km"), said)


@pytest.mark.parametrize(
    ("said", "ok"),
    [
        ("3/4", True),
        ("three quarters", True),
        ("three-quarters", True),
        ("75%", True),
        ("0.75", True),
        ("15/20", True),
        ("1/4", False),
        ("4/3", False),
        ("3/4 or 1/2", None),
    ],
)
def test_fractions_and_percentages_of_a_proportion(said: str, ok: bool | None) -> None:
    share = question("numeric", value=0.75, tolerance=0.01)
    if ok is None:
        with pytest.raises(ResponseError):
            share.grade(said)
    else:
        assert right(share, said) is ok


@pytest.mark.parametrize(
    ("said", "value"), [("a third", 1 / 3), ("one third", 1 / 3), ("half", 0.5)]
)
def test_fraction_words(said: str, value: float) -> None:
    assert right(question("numeric", value=value, tolerance=0.01), said)


def test_minus_in_words() -> None:
    assert right(question("numeric", value=-18, unit="degC"), "minus 18 degrees")


def test_a_title_after_a_name_starts_another_name() -> None:
    assert not right(KENYA, "Nairobi Saint-Denis")
    activist = question("short_answer", "Who gave the speech?", answers=["Martin Luther King"])
    assert right(activist, "Martin Luther King Jr")


def test_a_percentage_question_keeps_its_percent() -> None:
    assert right(question("numeric", value=40, tolerance=1), "40%")


@pytest.mark.parametrize(
    "said", ["Jul 20, 1969", "20/07/1969", "the 20th of July 1969", "1969-07-20", "July 20th 1969"]
)
def test_dates_in_many_forms(said: str) -> None:
    landing = question("short_answer", "When?", answers=["20 July 1969"])
    assert right(landing, said)


def test_ambiguous_numeric_dates_follow_the_students_order() -> None:
    day = question("short_answer", "When?", answers=["3 April 1968"])
    assert right(day, "03/04/1968") and not right(day, "04/03/1968")
    with reading_dates(False):
        assert right(day, "04/03/1968") and not right(day, "03/04/1968")


def test_the_question_says_how_numeric_dates_are_read() -> None:
    assert question("short_answer", answers=["3 April"]).view(0)["dates"]
    assert not question("short_answer", answers=["Lima"]).view(0)["dates"]
    assert question("cloze", text="On {{3 April}}.").view(0)["dates"]


TRIO = question(
    "cloze", text="{{Oslo}}, {{Bergen}} and {{Trondheim}} are in Norway.", groups=[[1, 2, 3]]
)


@pytest.mark.parametrize(
    ("said", "score"),
    [
        (["Trondheim", "Oslo", "Bergen"], 1.0),
        (["Bergen", "Trondheim", "Oslo"], 1.0),
        (["Trondhiem", "Bergn", "Oslo"], 1.0),
        (["Oslo", "Oslo", "Oslo"], 1 / 3),
        (["Oslo", "Stockholm", "Bergen"], 2 / 3),
    ],
)
def test_a_group_of_gaps_in_any_order(said: list[str], score: float) -> None:
    assert TRIO.grade(said).score == pytest.approx(score)


def test_gaps_outside_a_group_keep_their_order() -> None:
    part = question("cloze", text="{{A1}} {{B2}} then {{C3}}", groups=[[1, 2]])
    assert right(part, ["B2", "A1", "C3"]) and not right(part, ["A1", "C3", "B2"])


@pytest.mark.parametrize(
    ("groups", "problem"),
    [
        ([[1, 4]], "there is no gap 4"),
        ([[1, 2], [2, 3]], "gap 2 is in more than one group"),
        ([[1]], "must be a list of 2 to 6 gap numbers"),
        ([["one", 2]], "'one' is not a gap number"),
        ("1 2", "must be a list"),
    ],
)
def test_bad_groups_are_refused_with_the_reason(groups: Any, problem: str) -> None:
    with pytest.raises(QuestionError, match=problem):
        question("cloze", text="{{a}} {{b}} {{c}}", groups=groups)


def test_the_authoring_form_round_trips_groups_and_full_name() -> None:
    cloze = draft_from_dict({"kind": "cloze", "text": "{{a}} {{b}}", "groups": [[1, 2]]})
    assert cloze.groups == "1 2"
    assert draft_to_dict(cloze)["groups"] == [[1, 2]]
    person = Draft(kind="short_answer", prompt="Who?", explanation="x", answers="Ada Lovelace")
    person.full_name = True
    assert draft_to_dict(person)["full_name"] is True
    assert draft_from_dict({"kind": "short_answer", "answers": ["A"], "full_name": True}).full_name
