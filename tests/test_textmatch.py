"""The rules for typed answers (issue 8): words around an answer, typos, numbers and dates as
values, negation, abbreviations and other forms; each rule with right and wrong cases."""

from typing import Any

import pytest

from quiz.answers.dates import reading_dates
from quiz.answers.numbers import read_number_words
from quiz.answers.tokens import tokenise
from quiz.questions import Question, ResponseError, question_from_dict
from quiz.textmatch import judge


def question(kind: str, **fields: Any) -> Question:
    """A validated question with placeholder prompt and explanation."""
    return question_from_dict({"kind": kind, "prompt": "Q?", "explanation": "Why.", **fields})


LISBON = question("short_answer", answers=["Lisbon"], near_misses=["Porto", "Madrid"])
TREATY = question("short_answer", answers=["Treaty of Utrecht"], near_misses=["Treaty of Paris"])


def right(item: Question, response: Any) -> bool:
    """Whether a response gets full marks (a refusal counts as not right)."""
    try:
        return item.grade(response).correct
    except ResponseError:
        return False


@pytest.mark.parametrize(
    "response",
    [
        "the Lisbon",
        "Lisbon.",
        "in Lisbon",
        "It was Lisbon",
        "I think it's Lisbon!",
        "Lisbon, Portugal",
        "Lisbon, the capital",
        "the city of Lisbon",
        "Answer: Lisbon",
    ],
)
def test_harmless_words_around_the_answer_are_ignored(response: str) -> None:
    assert right(LISBON, response)


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        ("Lisbon and Porto", "it also names 'Porto'"),
        ("Porto, Lisbon", "it also names 'Porto'"),
        ("Lisbon or Seville", "give one answer, not several"),
        ("Lisbon / Seville", "give one answer, not several"),
        ("Lisbon|Seville", "give one answer, not several"),
        ("Lisbon & Seville", "give one answer, not several"),
        ("not Lisbon", "'not' changes the answer"),
        ("anywhere but Lisbon", "changes the answer"),
        ("north of Lisbon", "'north' changes the answer"),
        ("Lisbon " + "and more words " * 6, "give just the answer"),
    ],
)
def test_answer_beside_another_candidate_or_negated_is_wrong(response: str, reason: str) -> None:
    grade = LISBON.grade(response)
    assert not grade.correct
    assert reason in grade.feedback


def test_near_misses_keep_priority_over_typos_and_context() -> None:
    near = question("short_answer", answers=["Austria"], near_misses=["Australia"])
    assert near.grade("Australia").feedback == "'Australia' is a different answer."
    assert not near.grade("Austraila").correct  # a typo of the near miss, not of the answer
    assert near.grade("Austira").correct
    assert not TREATY.grade("the Treaty of Paris").correct
    assert TREATY.grade("the Treaty of Utrecht.").correct


def test_longer_accepted_answer_wins_over_a_near_miss_inside_it() -> None:
    city = question(
        "short_answer", answers=["Kingston", "Kingston, Jamaica"], near_misses=["Jamaica"]
    )
    assert city.grade("Kingston, Jamaica").correct
    assert city.grade("kingston jamaica").correct
    assert not city.grade("Jamaica").correct


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        ("Lsibon", True),  # a transposition is one edit
        ("Libson", True),
        ("Lisobn", True),
        ("Lsiobn", False),  # two transpositions are two edits: too many for six letters
        ("Lisbonne", False),
    ],
)
def test_transposed_letters_are_one_edit(response: str, correct: bool) -> None:
    assert right(LISBON, response) is correct


def test_typo_budget_grows_with_length_and_short_words_are_exact() -> None:
    assert right(TREATY, "Traety of Utrecth")  # two edits in a long answer
    assert not right(TREATY, "Traety of Utrcteh")
    vitamin = question("short_answer", answers=["Vitamin C"])
    assert right(vitamin, "vitamin c") and not right(vitamin, "Vitamin D")


@pytest.mark.parametrize(
    ("answer", "wrong", "fine"),
    [
        ("Apollo 11", "Apollo 12", "apollo 11."),
        ("Route 66", "Route 67", "route 66"),
        ("1815", "1816", "in 1815"),
        ("July 14th", "July 15th", "14 July"),
        ("the 3rd Republic", "the 4th Republic", "third Republic"),
    ],
)
def test_numbers_years_and_dates_are_never_typos(answer: str, wrong: str, fine: str) -> None:
    item = question("short_answer", answers=[answer])
    assert not right(item, wrong)
    assert right(item, fine)


@pytest.mark.parametrize(
    ("answer", "negated"),
    [
        ("democratic", "undemocratic"),
        ("democratic", "non-democratic"),
        ("democratic", "antidemocratic"),
        ("democratic", "not democratic"),
        ("regular", "irregular"),
        ("dialogue", "no dialogue"),
        ("dialogue", "without dialogue"),
        ("possible", "impossible"),
        ("agreement", "disagreement"),
        ("undemocratic", "democratic"),  # a missing negation is no typo either
    ],
)
def test_negation_is_never_a_typo(answer: str, negated: str) -> None:
    item = question("short_answer", answers=[answer])
    assert right(item, answer)
    assert not right(item, negated)


@pytest.mark.parametrize(
    ("answer", "response", "correct"),
    [
        ("Lieutenant General Ana Ruiz", "Lt. Gen. Ana Ruiz", True),
        ("Lieutenant General Ana Ruiz", "Lt Gen Ana Ruiz", True),
        ("Lieutenant General Ana Ruiz", "Lieut. Gen. Ana Ruiz", True),
        ("Governor Ana Ruiz", "Gov. Ana Ruiz", True),
        ("Gov. Ana Ruiz", "Governor Ana Ruiz", True),  # the author abbreviated, not the student
        ("Ana Ruiz", "A. Ruiz", True),
        ("Mount Fuji", "Mt. Fuji", True),
        ("Mount Fuji", "Fuji", True),  # a title or generic word in front may be left out
        ("Saint Lucia", "St Lucia", True),
        ("United Nations", "U.N.", True),
        ("United Nations", "UN", True),
        ("United Nations", "un", False),  # a lower-case word is not taken for initials
        ("Ana Ruiz", "B. Ruiz", False),
        ("Nigeria", "Niger.", False),  # a final full stop ends the answer, it abbreviates nothing
        ("Mount Fuji", "Mt. Kenya", False),
    ],
)
def test_abbreviations_and_initials(answer: str, response: str, correct: bool) -> None:
    assert right(question("short_answer", answers=[answer]), response) is correct


DAY = question("cloze", text="It happened on {{October 3}}.")


@pytest.mark.parametrize(
    "response",
    [
        "October 3",
        "3 October",
        "Oct. 3",
        "Oct 3rd",
        "3rd of October",
        "the third of October",
        "October the 3rd",
        "October 03",
        "on 3 Oct.",
        "Sept 30",  # not this date: listed here to check the parametrisation below
    ],
)
def test_dates_in_any_common_form(response: str) -> None:
    assert right(DAY, [response]) is (response != "Sept 30")


@pytest.mark.parametrize("response", ["October 4", "4 October", "November 3", "October", "3"])
def test_a_different_date_is_wrong(response: str) -> None:
    assert not right(DAY, [response])


def test_numeric_dates_are_read_only_when_unambiguous() -> None:
    late = question("cloze", text="It happened on {{October 23}}.")
    assert right(late, ["23/10"]) and right(late, ["10/23"])  # no month 23: one reading
    assert right(late, ["2024-10-23"]) and right(late, ["23.10."])
    assert not right(late, ["24/10"])
    with reading_dates(None), pytest.raises(ResponseError, match="write the month as a word"):
        DAY.grade(["3/10"])  # 3 October or March 10, when no date order is set
    assert not right(DAY, ["4/11"])  # wrong whichever way it is read


def test_numeric_dates_are_read_in_the_students_date_order() -> None:
    assert right(DAY, ["3/10"])  # day first by default: 3 October
    with reading_dates(False):
        assert not right(DAY, ["3/10"])  # March 10
        assert right(DAY, ["10/3"]) and right(DAY, ["10/03/2024"])
    assert not right(DAY, ["10/3"])


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two", 2),
        ("sixty", 60),
        ("sixty-two", 62),
        ("seven hundred and fifty", 750),
        ("one thousand two hundred", 1200),
        ("twenty twenty-two", 2022),
        ("seven fifty", 750),
        ("twenty-eighth", 28),
    ],
)
def test_number_words(words: str, value: int) -> None:
    read = read_number_words(words.replace("-", " ").split())
    assert read is not None and read[0] == value
    assert read_number_words(["about"]) is None


def test_ordinal_and_number_words_in_text_answers() -> None:
    assert tokenise("the Second World War") == tokenise("2nd World War")
    war = question("short_answer", answers=["Second World War"])
    assert right(war, "2nd World War") and not right(war, "First World War")


DISTANCE = question("numeric", value=300, tolerance=10, unit="km")
COUNT = question("numeric", value=40)


@pytest.mark.parametrize(
    "response",
    [
        "about 300 km",
        "around 300",
        "roughly 300 km",
        "approx. 300 km",
        "~300km",
        "≈ 300 km",
        "300 km approx.",
        "three hundred km",
        "300 kms",
        "300 km.",
        "300 Km",
        "300-km",
        "300 kilometres",
        "300 000 m",
        "300\u202f000 m",
        "300,000 m",
        "300 km (186 miles)",
        "300 km away",
    ],
)
def test_numbers_in_their_usual_wrapping(response: str) -> None:
    assert DISTANCE.grade(response).correct


@pytest.mark.parametrize(
    "response",
    ["40", "forty", "about forty", "40 people", "forty Russian troops", "c. 40", "40ish", "40."],
)
def test_a_plain_count_with_words(response: str) -> None:
    assert COUNT.grade(response).correct


@pytest.mark.parametrize(
    ("item", "response", "message"),
    [
        (DISTANCE, "300 kg", "'kg' is a mass; this answer is a length"),
        (DISTANCE, "300 parsnips", "Unknown unit 'parsnips'"),
        (DISTANCE, "lots", "'lots' is not a number"),
        (COUNT, "40 km", "plain number: leave out 'km'"),
        (COUNT, "35-45", "is a range: give one number"),
        (COUNT, "some", "'some' is not a number"),
    ],
)
def test_nonsense_is_still_refused_with_a_message(item: Question, response: str, message: str):
    with pytest.raises(ResponseError, match=message):
        item.grade(response)


@pytest.mark.parametrize(
    ("item", "response"),
    [
        (DISTANCE, "about 350 km"),
        (DISTANCE, "30 km"),
        (DISTANCE, "3000 km"),
        (DISTANCE, "300 miles"),
        (COUNT, "fourteen"),
        (COUNT, "about 400"),
        (COUNT, "41 people"),
    ],
)
def test_numbers_outside_the_tolerance_stay_wrong(item: Question, response: str) -> None:
    assert not item.grade(response).correct


def test_years_after_a_month_and_eras() -> None:
    year = question("numeric", value=1989)
    for response in ("November 1989", "9 Nov 1989", "in 1989", "1989 AD", "nineteen eighty-nine"):
        assert year.grade(response).correct, response
    assert not year.grade("1989 BC").correct
    assert not year.grade("November 1988").correct


def test_cloze_gap_holding_every_answer_is_wrong() -> None:
    pair = question("cloze", text="{{Lisbon}} is west of {{Madrid}}.")
    assert pair.grade(["the city of Lisbon", "Madrid."]).correct
    grade = pair.grade(["Lisbon Madrid", "Madrid"])
    assert grade.score == 0.5 and "it also names 'Madrid'" in grade.feedback


def test_judge_reports_why() -> None:
    assert judge("not Lisbon", ["Lisbon"]).verdict == "none"
    assert judge("Lisbon", ["Lisbon"]).verdict == "exact"
    assert judge("Lsibon", ["Lisbon"]).verdict == "typo"
    assert judge("Porto", ["Lisbon"], ["Porto"]).verdict == "near_miss"
    with reading_dates(None):
        assert judge("3/10", ["October 3"]).verdict == "ambiguous"


def test_several_values_of_one_kind_are_several_answers() -> None:
    month = question("cloze", text="It ended in {{April}}.")
    assert right(month, ["in April 2019"])  # a year beside a month is context
    assert not right(month, ["March April May"])
    assert not right(DAY, ["October 3 October 4"])
    assert right(LISBON, ["not sure, Lisbon"][0])  # a hedge is no negation


def test_an_adjective_is_not_a_typo_of_its_noun() -> None:
    country = question("short_answer", answers=["Mexico"])
    assert not right(country, "Mexican")
    america = question("short_answer", answers=["America"])
    assert not right(america, "American") and right(america, "Amercia")
    listed = question("short_answer", answers=["Mexico", "Mexican"])
    assert right(listed, "Mexican")


def test_short_initials_are_not_ordinary_words() -> None:
    gaps = question("cloze", text="It is in the {{Sahel}}, home of the {{Islamic State|IS}} group.")
    assert gaps.grade(["it is the Sahel", "IS"]).correct  # "is" here is a verb, not a near miss
    assert not gaps.grade(["Sahel", "it is ISIS"]).correct
    assert gaps.grade(["Sahel", "is"]).correct  # typed alone, lower case still answers


def test_words_before_a_number_unless_they_make_it_a_bound() -> None:
    assert DISTANCE.grade("The distance is about 300 km").correct
    assert COUNT.grade("there were forty").correct
    for bound in ("over 300 km", "more than 300 km", "not 300 km", "between 290 and 310 km"):
        with pytest.raises(ResponseError, match="not one number"):
            DISTANCE.grade(bound)


def test_a_negation_after_the_answer_negates_it_only_at_the_end() -> None:
    talks = question("short_answer", answers=["dialogue"])
    assert right(talks, "dialogue, not sanctions")
    assert right(LISBON, "Lisbon, in the west")  # a direction after the answer describes it
    assert not right(talks, "dialogue? No")
    assert not right(talks, "dialogue is not right")


def test_titled_names_have_their_short_forms() -> None:
    general = question("short_answer", answers=["General Ada Okafor"])
    for short in ("Ada Okafor", "Gen. Okafor", "General Okafor", "Okafor", "Gen Ada Okafor"):
        assert right(general, short), short
    assert not right(general, "Ada")
    assert not right(question("short_answer", answers=["Chatham House"]), "House")
    assert not right(question("short_answer", answers=["Lake Chad"]), "Chad")
