"""Question kinds: validation, round trips, views without answers and form parsing."""

import copy
import json
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from quiz.questions import (
    KINDS,
    Grade,
    Question,
    QuestionError,
    ResponseError,
    question_from_dict,
    question_to_dict,
)

COMMON = {"prompt": "Say it.", "explanation": "Because."}
SAMPLES: dict[str, dict[str, Any]] = {
    "multiple_choice": {
        "choices": [
            {"text": "Niger's junta", "correct": True, "feedback": "Yes: SECRET-MC-1"},
            {"text": "The UN", "feedback": "No: SECRET-MC-2"},
            {"text": "France"},
        ],
    },
    "multiple_select": {
        "choices": [
            {"text": "Niger", "correct": True, "feedback": "SECRET-MS-1"},
            {"text": "Mali", "correct": True},
            {"text": "Burkina Faso", "correct": True},
            {"text": "Chad", "feedback": "SECRET-MS-2"},
        ],
        "shuffle": False,
    },
    "true_false": {
        "answer": False,
        "feedback_true": "SECRET-TF-1",
        "feedback_false": "SECRET-TF-2",
    },
    "short_answer": {"answers": ["Agadez", "Agades"], "near_misses": ["Niamey"]},
    "numeric": {"value": 750, "tolerance": 25, "unit": "km"},
    "cloze": {"text": "US drones flew from {{Agadez|Agades}} and {{Niamey}} in {{Niger}}."},
    "matching": {
        "pairs": [
            {"left": "Lloyd Austin", "right": "Defense Secretary"},
            {"left": "Michael Langley", "right": "Africa Command"},
            {"left": "Paul Melly", "right": "Chatham House"},
        ]
    },
    "ordering": {"items": ["coup", "expulsion order", "Russians arrive", "withdrawal"]},
    "flashcard": {"back": "SECRET-FLASHCARD-BACK"},
    "essay": {
        "word_limit": 100,
        "model_answer": "SECRET-ESSAY-MODEL",
        "rubric": [{"criterion": "SECRET-ESSAY-CRITERION", "points": 2}],
    },
}
DROP = object()


def spec_for(sample: str, /, **changes: Any) -> dict[str, Any]:
    """A valid question dict of a kind, with fields changed (or removed with DROP)."""
    data = {"kind": sample, **COMMON, **copy.deepcopy(SAMPLES[sample])}
    for name, value in changes.items():
        if value is DROP:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def make(sample: str, /, **changes: Any) -> Question:
    """A validated question of a kind."""
    return question_from_dict(spec_for(sample, **changes))


def test_every_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_round_trip_through_dict_and_json(kind: str) -> None:
    question = make(kind, tags=["sahel", "us-forces"], paragraph=16)
    data = question_to_dict(question)
    assert question_from_dict(data) == question
    assert question_from_dict(json.loads(json.dumps(data))) == question
    assert data["kind"] == kind and data["tags"] == ["sahel", "us-forces"]
    assert data["paragraph"] == 16


def test_common_fields_are_kept() -> None:
    question = make("flashcard", tags=["people"], paragraph=3)
    assert (question.prompt, question.explanation) == ("Say it.", "Because.")
    assert question.tags == ("people",) and question.paragraph == 3


MC, MS, SA = "multiple_choice", "multiple_select", "short_answer"
PAIR_EF = {"left": "e", "right": "f"}
BAD_SPECS = [
    ("flashcard", {"prompt": DROP}, "prompt: required"),
    ("flashcard", {"prompt": "  "}, "prompt: must be a non-empty string"),
    ("flashcard", {"prompt": 1999}, "prompt: must be a non-empty string, not a number (1999)"),
    ("flashcard", {"explanation": 1999}, "explanation: must be a non-empty string"),
    ("flashcard", {"tags": "sahel"}, "tags: must be a list"),
    ("flashcard", {"tags": ["ok", ""]}, "tags[1]: must be a non-empty string"),
    ("flashcard", {"paragraph": 0}, "paragraph: must be a whole number"),
    ("flashcard", {"paragraph": True}, "paragraph: must be a whole number"),
    ("flashcard", {"paragraph": 2.5}, "paragraph: must be a whole number"),
    ("flashcard", {"anwser": "x"}, "unknown field 'anwser'"),
    ("flashcard", {"id": "card-1"}, "unknown field 'id'"),
    ("flashcard", {"kind": DROP}, "kind: required"),
    ("flashcard", {"kind": "calculated"}, "kind: unknown kind 'calculated'"),
    ("flashcard", {"back": DROP}, "back: required"),
    ("true_false", {"anwser": True}, "unknown field 'anwser' (did you mean 'answer'?)"),
    ("true_false", {"answer": DROP}, "answer: required"),
    ("true_false", {"answer": "yes"}, "answer: must be true or false"),
    ("true_false", {"answer": 1}, "answer: must be true or false, not a number (1)"),
    ("true_false", {"feedback_true": 3}, "feedback_true: must be a non-empty string"),
    (MC, {"choices": DROP}, "choices: required"),
    (MC, {"choices": "Niger"}, "choices: must be a list"),
    (MC, {"choices": [{"text": "a", "correct": True}]}, "choices: needs at least 2, found 1"),
    (MC, {"shuffle": "yes"}, "shuffle: must be true or false"),
    (MC, {"choices": ["a", "b"]}, "choices[0]: must be a mapping of fields"),
    (
        MC,
        {"choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}]},
        "multiple_choice needs exactly one correct choice, found 2",
    ),
    (MC, {"choices": [{"text": "a"}, {"text": "b"}]}, "exactly one correct choice, found 0"),
    (
        MC,
        {"choices": [{"text": "a", "correct": True}, {"text": "b"}, {"text": ""}]},
        "choices[2].text: must be a non-empty string",
    ),
    (
        MC,
        {"choices": [{"text": "a", "correct": 1}, {"text": "b"}]},
        "choices[0].correct: must be true or false",
    ),
    (
        MC,
        {"choices": [{"text": "a", "correct": True}, {"text": "b", "corect": True}]},
        "choices[1]: unknown field 'corect' (did you mean 'correct'?)",
    ),
    (
        MC,
        {"choices": [{"text": "Mali", "correct": True}, {"text": "mali "}]},
        "choices[1].text: 'mali ' repeats choices[0]",
    ),
    (MS, {"choices": [{"text": "a"}, {"text": "b"}]}, "needs at least one correct choice"),
    (SA, {"answers": []}, "answers: needs at least 1, found 0"),
    (SA, {"answers": "Agadez"}, "answers: must be a list"),
    (SA, {"answers": ["..."]}, "answers[0]: has no letters or digits"),
    (SA, {"answers": ["ok", 1999]}, "answers[1]: must be a non-empty string"),
    (SA, {"near_misses": ["Niamey", "agadez!"]}, "near_misses[1]: 'agadez!' is also an accepted"),
    (SA, {"fuzzy": "no"}, "fuzzy: must be true or false"),
    ("numeric", {"tolerance": "25"}, "tolerance: must be a number"),
    ("numeric", {"value": True}, "value: must be a number"),
    ("numeric", {"value": float("nan")}, "value: must be a finite number"),
    ("numeric", {"value": DROP}, "numeric needs either value (with tolerance) or range"),
    ("numeric", {"range": [700, 800]}, "range: numeric takes value or range, not both"),
    ("numeric", {"value": DROP, "tolerance": DROP, "range": [800, 700]}, "low (800) is above"),
    ("numeric", {"value": DROP, "tolerance": DROP, "range": [1, 2, 3]}, "must be [low, high]"),
    ("numeric", {"value": DROP, "tolerance": DROP, "range": [1]}, "range: needs at least 2"),
    ("numeric", {"value": DROP, "tolerance": DROP, "range": [1, "2"]}, "range[1]: must be a num"),
    ("numeric", {"value": DROP, "range": [1, 2]}, "tolerance: goes with value, not with range"),
    ("numeric", {"tolerance": -1}, "tolerance: must not be negative"),
    ("numeric", {"unit": "kmm"}, "unit: unknown unit 'kmm'"),
    ("numeric", {"unit": "m**(9**9**9)"}, "unit: 'm**(9**9**9)' is not written as a unit"),
    ("numeric", {"unit": "(km)"}, "unit: '(km)' is not written as a unit"),
    ("numeric", {"unit": "m^10"}, "unit: 'm^10' is not written as a unit"),
    ("numeric", {"unit": "km2"}, "unit: 'km2' is not written as a unit"),
    ("numeric", {"unit": "m*m*m*m*m"}, "unit: 'm*m*m*m*m' is not written as a unit"),
    ("numeric", {"unit": "sq cubic m^9"}, "unit: 'sq cubic m^9' is not written as a unit"),
    ("numeric", {"unit": "k" * 41}, "unit: this text is not written as a unit"),
    ("cloze", {"text": DROP}, "text: required"),
    ("cloze", {"text": "The base at {{Agadez is"}, "text: unclosed '{{' at character 13"),
    ("cloze", {"text": "No gaps here."}, "text: has no gap"),
    ("cloze", {"text": "a }} b {{x}}"}, "text: '}}' without a matching '{{' at character 3"),
    ("cloze", {"text": "{{a||b}}"}, "text: gap 1 has an empty answer"),
    ("cloze", {"text": "{{a}} and {{b{c}}"}, "text: gap 2 contains a brace"),
    (
        "matching",
        {"pairs": [{"left": "a", "right": "b"}]},
        "pairs: needs at least 3 pairs, found 1",
    ),
    ("matching", {"pairs": []}, "pairs: needs at least 3 pairs, found 0"),
    ("matching", {"pairs": "a=b"}, "pairs: must be a list"),
    (
        "matching",
        {"pairs": [{"left": "a", "right": "b"}, {"left": "A", "right": "c"}, PAIR_EF]},
        "pairs[1].left: 'A' repeats pairs[0]",
    ),
    (
        "matching",
        {"pairs": [{"left": "a", "right": "b"}, {"left": "c", "right": "b"}, PAIR_EF]},
        "pairs[1].right: 'b' repeats pairs[0]",
    ),
    (
        "matching",
        {"pairs": [{"left": "a"}, {"left": "c", "right": "d"}, PAIR_EF]},
        "pairs[0].right: required",
    ),
    ("ordering", {"items": ["only"]}, "items: needs at least 3 items, found 1"),
    ("ordering", {"items": DROP}, "items: required"),
    ("ordering", {"items": ["a", "b", "a"]}, "items[2]: 'a' repeats items[0]"),
    ("ordering", {"items": [1, 2]}, "items[0]: must be a non-empty string"),
]


@pytest.mark.parametrize(("kind", "changes", "message"), BAD_SPECS)
def test_invalid_question_names_field_and_problem(
    kind: str, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(QuestionError) as raised:
        make(kind, **changes)
    assert message in str(raised.value)


@pytest.mark.parametrize("data", [None, [], "flashcard"])
def test_question_must_be_a_mapping(data: Any) -> None:
    with pytest.raises(QuestionError, match="must be a mapping"):
        question_from_dict(data)


def test_range_question_is_valid_without_value() -> None:
    question = make("numeric", value=DROP, tolerance=DROP, range=[700, 800])
    assert question_to_dict(question)["range"] == [700.0, 800.0]
    assert question.answer_text() == "between 700 and 800 km"


def test_grade_refuses_inconsistent_values() -> None:
    with pytest.raises(ValueError, match="inconsistent"):
        Grade(correct=True, score=0.5, feedback="", answer="")
    with pytest.raises(ValueError, match="inconsistent"):
        Grade(correct=False, score=1.5, feedback="", answer="")


SECRETS = {
    "multiple_choice": ["correct", "SECRET-MC"],
    "multiple_select": ["correct", "SECRET-MS"],
    "true_false": ["SECRET", "False", "True"],
    "short_answer": ["Agadez", "Agades", "Niamey"],
    "numeric": ["750", "25"],
    "cloze": ["Agadez", "Agades", "Niamey", "Niger"],
    "matching": [],  # lefts and rights are shown; their pairing is checked below
    "ordering": [],
    "flashcard": ["SECRET-FLASHCARD-BACK"],
    "essay": ["SECRET-ESSAY-MODEL", "SECRET-ESSAY-CRITERION"],
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_view_never_contains_the_answer(kind: str) -> None:
    question = make(kind)
    for seed in range(20):
        shown = repr(question.view(seed))
        for secret in SECRETS[kind]:
            assert secret not in shown, (seed, secret)


def test_choice_view_is_a_seeded_shuffle() -> None:
    question = make("multiple_choice")
    views = {seed: question.view(seed) for seed in range(10)}
    assert views[3] == question.view(3)
    assert len({tuple(v["choices"]) for v in views.values()}) > 1
    assert [p for p, _ in views[3]["choices"]] == [0, 1, 2]  # values are display positions
    assert sorted(t for _, t in views[3]["choices"]) == ["France", "Niger's junta", "The UN"]
    assert views[3]["multiple"] is False
    assert set(views[3]) == {"choices", "multiple"}  # nothing else, such as correct flags


def test_unshuffled_choices_keep_yaml_order() -> None:
    shown = make("multiple_select").view(7)
    assert [index for index, _ in shown["choices"]] == [0, 1, 2, 3]
    assert shown["multiple"] is True


@pytest.mark.parametrize("kind", ["matching", "ordering"])
def test_arrangement_is_never_shown_solved(kind: str) -> None:
    question = make(kind)
    key = "rights" if kind == "matching" else "items"
    solved = [r for _, r in question.pairs] if kind == "matching" else list(question.items)
    for seed in range(200):
        shown = question.view(seed)[key]
        assert [p for p, _ in shown] == list(range(len(shown)))
        assert [text for _, text in shown] != solved, seed


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        ("ordering", {"items": ["first", "second"]}, "items: needs at least 3 items, found 2"),
        (
            "matching",
            {"pairs": [{"left": "a", "right": "b"}, {"left": "c", "right": "d"}]},
            "pairs: needs at least 3 pairs, found 2",
        ),
    ],
)
def test_two_item_arrangement_is_refused(kind: str, changes: dict[str, Any], message: str) -> None:
    """Never shown solved, two items could only be shown swapped: the answer would be certain."""
    with pytest.raises(QuestionError) as raised:
        make(kind, **changes)
    assert (
        str(raised.value)
        == f"{message}: with fewer, the shuffled order shown gives the answer away"
    )


def test_three_item_arrangements_are_shown_in_more_than_one_wrong_order() -> None:
    ordering = make("ordering", items=["first", "second", "third"])
    matching = make("matching", pairs=[{"left": f"l{i}", "right": f"r{i}"} for i in range(3)])
    orders = {tuple(text for _, text in ordering.view(seed)["items"]) for seed in range(50)}
    rights = {tuple(text for _, text in matching.view(seed)["rights"]) for seed in range(50)}
    assert len(orders) > 1 and ("first", "second", "third") not in orders
    assert len(rights) > 1 and ("r0", "r1", "r2") not in rights


@pytest.mark.parametrize(
    "unit", ["km", "miles", "km/h", "km / h", "m^2", "m**2", "m s^-2", "sq km", "km²", "µm", "°C"]
)
def test_numeric_unit_written_in_the_grammar_is_accepted(unit: str) -> None:
    assert make("numeric", unit=unit).view(0) == {"unit": unit}


def test_matching_view_lists_lefts_in_order() -> None:
    assert make("matching").view(1)["lefts"] == [
        (0, "Lloyd Austin"),
        (1, "Michael Langley"),
        (2, "Paul Melly"),
    ]


def test_other_views() -> None:
    assert make("numeric").view(0) == {"unit": "km"}
    assert make("numeric", unit=DROP).view(0) == {"unit": None}
    assert make("true_false").view(0) == {} == make("flashcard").view(0)
    assert make("cloze", text="A {{b}} c {{d|e}}").view(0) == {
        "parts": [("text", "A "), ("gap", 0), ("text", " c "), ("gap", 1)],
        "dates": False,  # whether the page says how dates in numbers are read
    }


FORMS = [
    ("multiple_choice", [("answer", "1")], 1),
    ("multiple_select", [("answer", "2"), ("answer", "0"), ("answer", "2")], [0, 2]),
    ("multiple_select", [], []),
    ("true_false", [("answer", "true")], True),
    ("true_false", [("answer", "false")], False),
    ("short_answer", [("answer", "  Agadez ")], "Agadez"),
    ("numeric", [("answer", " 460 miles ")], "460 miles"),
    ("cloze", [("gap-0", " Agadez"), ("gap-2", "Niger")], ["Agadez", "", "Niger"]),
    ("matching", [("match-0", "2"), ("match-1", "")], [2, None, None]),
    ("ordering", [("pos-0", "3"), ("pos-1", "1"), ("pos-2", "4"), ("pos-3", "2")], [1, 3, 0, 2]),
    ("flashcard", [("rating", "hard")], "hard"),
]


SEED = 7


def as_shown(kind: str, fields: list[tuple[str, str]], seed: int = SEED) -> MultiDict:
    """Fields written with YAML indices, turned into what the page shown with `seed` posts."""
    question = make(kind)
    out = []
    for name, value in fields:
        if kind in ("multiple_choice", "multiple_select") and value.isdigit():
            order = question.display_order(seed)
            value = str(order.index(int(value))) if int(value) < len(order) else value
        elif kind == "matching" and value.isdigit() and int(value) < len(question.pairs):
            value = str(question.right_order(seed).index(int(value)))
        elif kind == "ordering" and name.startswith("pos-"):
            name = f"pos-{question.display_order(seed).index(int(name[4:]))}"
        out.append((name, value))
    return MultiDict(out)


@pytest.mark.parametrize(("kind", "fields", "expected"), FORMS)
def test_parse_form(kind: str, fields: list[tuple[str, str]], expected: Any) -> None:
    assert make(kind).parse_form(as_shown(kind, fields), SEED) == expected


@pytest.mark.parametrize("kind", ["multiple_choice", "matching", "ordering"])
def test_form_values_do_not_reveal_the_answer(kind: str) -> None:
    """Values and names are display positions: the right one moves with the seed."""
    question = make(kind)
    right_values = set()
    for seed in range(20):
        view = question.view(seed)
        if kind == "multiple_choice":
            right_text = question.choices[
                question.parse_form(as_shown(kind, [("answer", "1")], seed), seed)
            ].text
            right_values.add(next(p for p, text in view["choices"] if text == right_text))
        elif kind == "matching":
            right_values.add(next(p for p, text in view["rights"] if text == question.pairs[0][1]))
        else:
            right_values.add(next(p for p, text in view["items"] if text == question.items[0]))
    assert len(right_values) > 1


BAD_FORMS = [
    ("multiple_choice", [], "Choose an answer"),
    ("multiple_choice", [("answer", "3")], "not one of the choices"),
    ("multiple_choice", [("answer", "-1")], "not one of the choices"),
    ("multiple_choice", [("answer", "x")], "not one of the choices"),
    ("multiple_select", [("answer", "0"), ("answer", "9")], "not one of the choices"),
    ("true_false", [("answer", "yes")], "true or false"),
    ("short_answer", [("answer", "   ")], "Enter an answer"),
    ("short_answer", [("answer", "x" * 501)], "too long"),
    ("numeric", [("answer", "750 kg")], "'kg' is a mass; this answer is a length"),
    ("numeric", [], "Enter an answer"),
    ("cloze", [("gap-0", " ")], "Fill in the gaps"),
    ("matching", [], "Match at least one item"),
    ("matching", [("match-0", "3")], "Not a match"),
    ("ordering", [("pos-0", "1"), ("pos-1", "1"), ("pos-2", "2"), ("pos-3", "3")], "different"),
    ("ordering", [("pos-0", "1"), ("pos-1", "2"), ("pos-2", "3")], "every item a position"),
    ("ordering", [("pos-0", "0"), ("pos-1", "1"), ("pos-2", "2"), ("pos-3", "3")], "from 1"),
    ("ordering", [("pos-0", "5"), ("pos-1", "1"), ("pos-2", "2"), ("pos-3", "3")], "from 1"),
    ("flashcard", [("rating", "meh")], "Rate how well"),
]


@pytest.mark.parametrize(("kind", "fields", "message"), BAD_FORMS)
def test_parse_form_refuses_unusable_input(
    kind: str, fields: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(ResponseError, match=message):
        make(kind).parse_form(MultiDict(fields), SEED)


@pytest.mark.parametrize(("kind", "fields", "expected"), FORMS)
def test_parsed_form_can_be_graded(kind: str, fields: list[tuple[str, str]], expected: Any) -> None:
    grade = make(kind).grade(make(kind).parse_form(as_shown(kind, fields), SEED))
    assert 0.0 <= grade.score <= 1.0
    assert grade.answer == make(kind).answer_text()


def test_question_label_from_columns() -> None:
    """The last-answer line's label, from columns alone, agrees with Question.label."""
    from quiz.models import Question as StoredQuestion
    from quiz.models.content import question_label

    cloze = {"text": "Agadez lies {{750}} km from {{Niamey}}."}
    assert question_label("cloze", "Fill the gaps", cloze) == "Agadez lies ___ km from ___."
    assert question_label("cloze", "Fill the gaps", {}) == "Fill the gaps"
    assert question_label("true_false", "Is Niamey the capital?", None) == "Is Niamey the capital?"
    stored = StoredQuestion(kind="cloze", prompt="Fill the gaps", spec=cloze)
    assert stored.label == question_label("cloze", "Fill the gaps", cloze)


def test_choices_are_compared_as_displayed() -> None:
    """Issue 22: choices compared as typed answers are ("{" and "#" both normalise to nothing)
    were refused as repeats; a student picks what they see."""
    question = question_from_dict(
        {
            "kind": "multiple_choice",
            "prompt": "Which is not a GIFT control character?",
            "choices": [
                {"text": "{", "correct": True},
                {"text": "#"},
                {"text": "US"},
                {"text": "U.S."},
            ],
            "explanation": "Because.",
        }
    )
    assert [choice.text for choice in question.choices] == ["{", "#", "US", "U.S."]
