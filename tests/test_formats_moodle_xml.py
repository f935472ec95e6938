"""Moodle XML: the reader against files written from the format's rules and Moodle's own test
fixtures (../shared/reference/moodle/xml, GPL v3, used unchanged as input), the writer's
structure, and round trips of every kind."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml.ElementTree as SafeET
import pytest
from hypothesis import HealthCheck, given, settings

from quiz.formats.common import FormatError, ReadResult
from quiz.formats.detect import detect, read
from quiz.formats.html_text import html_to_markdown
from quiz.formats.moodle.reader import read_moodle_xml
from quiz.formats.moodle.writer import write_moodle_xml
from quiz.formats.yaml_bank import QuestionData, SetData, load_bank
from quiz.questions import question_from_dict
from tests.test_formats_roundtrip import question_set
from tests.transfer_helpers import set_of, without_groups

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "reference" / "moodle" / "xml"
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"Moodle's fixtures are not at {FIXTURES} (CI has them)"
)


def quiz(*questions: str) -> str:
    """A Moodle XML file around question elements."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def question(kind: str, name: str, text: str, body: str, feedback: str = "Because.") -> str:
    """One <question> element."""
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>\n'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>\n'
        f'<generalfeedback format="html"><text>{feedback}</text></generalfeedback>\n'
        f"{body}\n</question>"
    )


def answer(fraction: str, text: str, feedback: str = "", extra: str = "") -> str:
    """One <answer>."""
    return (
        f'<answer fraction="{fraction}" format="html"><text><![CDATA[{text}]]></text>'
        f"<feedback><text>{feedback}</text></feedback>{extra}</answer>"
    )


def fixture(name: str) -> ReadResult:
    """A Moodle fixture, read."""
    return read_moodle_xml((FIXTURES / name).read_text(encoding="utf-8"))


def warned(result: ReadResult, *words: str) -> bool:
    """Whether one warning holds all the words."""
    return any(all(word in str(w) for word in words) for w in result.warnings)


# --- files written from the format's rules ---------------------------------------------------


def test_every_core_type_maps_to_its_kind() -> None:
    text = quiz(
        '<question type="category"><category><text>$course$/top/Geography/Africa</text>'
        "</category></question>",
        question(
            "multichoice",
            "capital",
            "<p>Capital of <b>Niger</b>?</p>",
            "<single>true</single><shuffleanswers>0</shuffleanswers>"
            + answer("100", "Niamey", "Yes")
            + answer("0", "Agadez", "No"),
        ),
        question(
            "multichoice",
            "cities",
            "Which are cities?",
            "<single>false</single>"
            + answer("50", "Niamey")
            + answer("50", "Agadez")
            + answer("-50", "Sahara")
            + answer("-50", "Niger"),
        ),
        question("truefalse", "tf", "On the Niger.", answer("100", "true") + answer("0", "false")),
        question(
            "shortanswer",
            "sa",
            "Capital?",
            "<usecase>0</usecase>" + answer("100", "Niamey") + answer("0", "Agadez"),
        ),
        question(
            "numerical",
            "num",
            "How far?",
            answer("100", "750", extra="<tolerance>25</tolerance>")
            + "<units><unit><multiplier>1</multiplier><unit_name>km</unit_name></unit>"
            "<unit><multiplier>1000</multiplier><unit_name>m</unit_name></unit></units>",
        ),
        question(
            "matching",
            "match",
            "Match.",
            "".join(
                f"<subquestion format='html'><text>{a}</text><answer><text>{b}</text></answer>"
                "</subquestion>"
                for a, b in (("Niger", "Niamey"), ("Mali", "Bamako"), ("Chad", "N'Djamena"))
            ),
        ),
        question(
            "ordering",
            "order",
            "Order them.",
            answer("2", "Second") + answer("1", "First") + answer("3", "Third"),
        ),
        question(
            "cloze",
            "gaps",
            "<p>The capital is {1:SHORTANSWER:=Niamey~=Niamé} and 2+2 is {1:NUMERICAL:=4}.</p>",
            "",
        ),
    )
    assert detect(text) == "moodle-xml"
    _, result = read(text)
    kinds = [item.question.kind for item in result.questions]
    assert kinds == [
        "multiple_choice", "multiple_select", "true_false", "short_answer", "numeric",
        "matching", "ordering", "cloze",
    ]  # fmt: skip
    by_key = {item.key: item.question for item in result.questions}
    assert by_key["capital"].prompt == "Capital of **Niger**?"
    assert not by_key["capital"].shuffle
    assert [c.correct for c in by_key["cities"].choices] == [True, True, False, False]
    assert by_key["tf"].answer is True
    assert by_key["sa"].answers == ("Niamey",) and by_key["sa"].near_misses == ("Agadez",)
    assert (by_key["num"].value, by_key["num"].tolerance, by_key["num"].unit) == (750, 25, "km")
    assert by_key["order"].items == ("First", "Second", "Third")
    assert by_key["gaps"].text == "The capital is {{Niamey|Niamé}} and 2+2 is {{4}}."
    assert all(q.tags == ("geography", "africa") for q in by_key.values())
    assert result.title == "Africa"


def test_partial_credit_keeps_its_weight_and_is_never_taken_as_right() -> None:
    text = quiz(
        question(
            "multichoice",
            "single",
            "Pick.",
            "<single>true</single>"
            + answer("100", "Right")
            + answer("50", "Half", "&lt;p&gt;Half of it.&lt;/p&gt;")
            + answer("0", "No"),
        ),
        question("shortanswer", "short", "Say.", answer("100", "frog") + answer("80", "toad")),
        question("numerical", "num", "How many?", answer("100", "4") + answer("50", "5")),
        question(
            "multichoice",
            "uneven",
            "Tick.",
            "<single>false</single>" + answer("70", "A") + answer("30", "B") + answer("-50", "C"),
        ),
        question(
            "multichoice",
            "short-of-100",
            "Tick.",
            "<single>false</single>" + answer("50", "A") + answer("30", "B") + answer("0", "C"),
        ),
        question("cloze", "gap", "It is {1:SHORTANSWER:=Paris~%50%Lyon}.", ""),
    )
    result = read_moodle_xml(text)
    by_key = {item.key: item.question for item in result.questions}
    single = by_key["single"]
    assert [(c.correct, c.weight) for c in single.choices] == [
        (True, None),
        (False, 50.0),
        (False, None),
    ]
    assert single.choices[1].feedback == "Half of it."
    assert by_key["short"].answers == ("frog",)
    assert [(p.text, p.weight) for p in by_key["short"].partial] == [("toad", 80.0)]
    assert by_key["num"].value == 4 and by_key["num"].partial[0].weight == 50.0
    uneven = by_key["uneven"]
    assert [c.weight for c in uneven.choices] == [70.0, 30.0, -50.0]
    assert uneven.grade([0, 2]).score == 0.2 and uneven.grade([0, 1]).correct
    assert "short-of-100" not in by_key  # can never be fully right: skipped, not rounded up
    # A gap's partly right answer keeps its weight (issue 22), graded as half a gap.
    assert by_key["gap"].text == "It is {{Paris|%50%Lyon}}."
    assert by_key["gap"].gaps() == [("Paris",)]
    assert by_key["gap"].score(["Lyon"])[0] == 0.5 and by_key["gap"].score(["Paris"])[0] == 1
    assert by_key["gap"].score(["Nice"])[0] == 0
    assert warned(result, "short-of-100", "80%", "not 100%")
    assert not warned(result, "Lyon")


def test_skipped_types_and_images_are_named() -> None:
    text = quiz(
        question("essay", "Essay one", "Write.", ""),
        question("description", "Intro", "Read this.", ""),
        question("calculated", "Calc", "{a} + {b}?", ""),
        question(
            "truefalse",
            "Pictured",
            '<p>Is this <img src="@@PLUGINFILE@@/flag.png" alt="flag"> Niger?</p>'
            '<file name="flag.png" encoding="base64">iVBORw0KGgo=</file>',
            answer("100", "true") + answer("0", "false"),
        ),
        question("cloze", "Response", "Tick {1:MULTIRESPONSE:=a~=b~c}.", ""),
        question("cloze", "Tolerant", "About {1:NUMERICAL:=71:1}.", ""),
    )
    result = read_moodle_xml(text)
    assert [item.key for item in result.questions] == ["essay-one", "pictured"]
    assert result.questions[0].question.kind == "essay"  # imported since issue 23
    assert "PLUGINFILE" not in result.questions[1].question.prompt
    assert "<" not in result.questions[1].question.prompt
    assert not warned(result, "Essay one", "skipped")
    assert warned(result, "Intro", "skipped", "description")
    assert warned(result, "Calc", "skipped", "calculated")
    assert warned(result, "Pictured", "flag.png", "dropped")
    assert warned(result, "Response", "skipped", "multiple-response")
    assert warned(result, "Tolerant", "skipped", "tolerance")


def test_html_becomes_markdown_never_raw_html() -> None:
    converted = html_to_markdown(
        '<p>One <script>alert(1)</script><strong>bold</strong> <a href="javascript:x">link</a>'
        '</p><p>Two<br />lines & <span style="color:red">2 < 3</span> *not* {{gap}}</p>'
        '<a href="https://example.org/a b">site</a>'
    )
    assert converted.text == (
        "One **bold** link\n\nTwo\\\nlines & 2 \\< 3 \\*not\\* \\{\\{gap\\}\\}\n\n"
        "[site](https://example.org/a%20b)"
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n</quiz>', 4, ["question"]),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>\n'
            "<quiz>&b;</quiz>",
            2,
            ["DOCTYPE", "bomb"],
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "file:///etc/passwd">\n<quiz/>',
            2,
            ["DOCTYPE"],
        ),
        ("<?xml version='1.0'?>\n<questions/>", 1, ["not <quiz>"]),
    ],
)
def test_malformed_and_unsafe_files_are_refused_naming_the_line(
    text: str, line: int, words: list[str]
) -> None:
    with pytest.raises(FormatError) as caught:
        read_moodle_xml(text)
    assert caught.value.line == line
    assert all(word in str(caught.value) for word in words), str(caught.value)


@pytest.mark.parametrize(
    "comment", ['{"md": 5}', '{"tags": "abc"}', '{"paragraph": "2"}', '{"kind": "essay"}', "[1]"]
)
def test_a_wrong_quiz_comment_is_refused_not_a_crash(comment: str) -> None:
    body = f"<!-- @quiz {comment} -->" + answer("100", "true") + answer("0", "false")
    with pytest.raises(FormatError) as caught:
        read_moodle_xml(quiz(question("truefalse", "tf", "True?", body)))
    assert "@quiz" in str(caught.value) and caught.value.line == 3


def test_a_semantic_error_names_the_answer_line_and_question() -> None:
    text = quiz(question("numerical", "far", "How far?", "\n\n" + answer("100", "seven hundred")))
    with pytest.raises(FormatError) as caught:
        read_moodle_xml(text)
    assert "question 1 'far'" in str(caught.value) and "seven hundred" in str(caught.value)
    assert caught.value.line == 8


# --- Moodle's own fixtures -------------------------------------------------------------------


@needs_fixtures
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("category_with_description.xml", [("true_false", 15)]),
        # The essay (line 55) is imported since issue 23; the fixture's README lists it apart.
        (
            "nested_categories_with_questions.xml",
            [("true_false", 15), ("essay", 55), *(("true_false", n) for n in (87, 127, 167))],
        ),
        ("qtype_essay_testquestion.moodle.xml", [("essay", 12)]),
        ("truefalse.xml", [("true_false", 12), ("true_false", 40)]),
        ("multichoice.xml", [("multiple_choice", 12)]),
        ("qtype_multichoice_testquestion.moodle.xml", [("multiple_select", 12)]),
        ("qtype_shortanswer_testquestion.moodle.xml", [("short_answer", 12)]),
        ("qtype_ordering_testquestion.moodle.xml", [("ordering", 12)]),
        ("multianswer.xml", [("cloze", 12)]),
        ("sample_questions_with_old_image_tag.xml", [("cloze", 16), ("multiple_choice", 36)]),
        ("qtype_gapselect_testquestion.moodle.xml", [("cloze", 12)]),
    ],
)
def test_moodle_fixtures_import(name: str, expected: list[tuple[str, int]]) -> None:
    result = fixture(name)
    assert [(item.question.kind, line) for item, line in
            zip(result.questions, result.lines, strict=True)] == expected  # fmt: skip
    for item in result.questions:
        for text in (item.question.prompt, item.question.explanation):
            assert "@@PLUGINFILE@@" not in text and "<p>" not in text


@needs_fixtures
def test_moodle_fixtures_give_what_their_readme_says() -> None:
    alpha = fixture("category_with_description.xml").questions[0].question
    assert alpha.answer is True and alpha.tags == ("alpha",)
    nested = fixture("nested_categories_with_questions.xml")
    assert [q.question.tags for q in nested.questions] == [
        ("iota",), ("iota", "kappa"), ("iota", "kappa"), ("iota", "kappa", "lambda"), ("iota", "mu")
    ]  # fmt: skip
    kappa = nested.questions[1].question
    assert kappa.kind == "essay" and kappa.prompt == "Testing Kappa Essay Question"
    essay = fixture("qtype_essay_testquestion.moodle.xml").questions[0].question
    assert (essay.prompt, essay.word_limit) == ("Write an essay with 500 words.", 20)
    false, true = (item.question for item in fixture("truefalse.xml").questions)
    assert false.answer is False and true.answer is True
    assert "correct" in false.feedback_false and "incorrect" in false.feedback_true
    greeting = fixture("multichoice.xml")
    choices = greeting.questions[0].question.choices
    # The flags and the greeting come along as the set's media (issue 24), named as Moodle did.
    assert [(c.text, c.correct) for c in choices] == [
        ("![British Flag](media:flag-uk.jpg) English", False),
        ("![French flag](media:flag-france.jpg) French", True),
        ("![German flag](media:flag-german.jpg) German", False),
        ("![Denmark flag](media:flag-denmark.jpg) Danish", False),
    ]  # fmt: skip
    assert all(c.feedback for c in choices)
    prompt = greeting.questions[0].question.prompt
    assert prompt.startswith("![Listen to this greeting:](media:bonjour.mp3)")
    assert [blob.name for blob in greeting.media] == [
        "flag-uk.jpg", "flag-france.jpg", "flag-german.jpg", "flag-denmark.jpg", "bonjour.mp3"
    ]  # fmt: skip
    capitals = fixture("qtype_multichoice_testquestion.moodle.xml").questions[0].question
    assert {c.text for c in capitals.choices if c.correct} == {"London", "Paris"}
    frog = fixture("qtype_shortanswer_testquestion.moodle.xml")
    assert frog.questions[0].question.answers == ("frog",)
    toad = frog.questions[0].question.partial  # 80% partial credit, kept as such (issue 22)
    assert [(p.text, p.weight) for p in toad] == [("toad", 80.0)] and toad[0].feedback
    order = fixture("qtype_ordering_testquestion.moodle.xml").questions[0]
    assert order.key == "dd1"
    assert order.question.items == (
        "Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"
    )  # fmt: skip
    for name in ("multianswer.xml", "sample_questions_with_old_image_tag.xml"):
        cloze = fixture(name).questions[0].question
        assert [gap[0] for gap in cloze.gaps()] == [
            "California", "Arizona", "California", "Arizona", "Paris"
        ]  # fmt: skip
    gapselect = fixture("qtype_gapselect_testquestion.moodle.xml")
    assert gapselect.questions[0].question.text == "The {{cat}} {{sat}} on the {{mat}}."
    assert warned(gapselect, "typed gaps", "dog, table")
    mcq = fixture("sample_questions_with_old_image_tag.xml").questions[1].question
    assert [c.text for c in mcq.choices if c.correct] == ["right answer"]


@needs_fixtures
@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("error_invalid_grades.xml", 38, ['fraction="33"']),
        ("broken_cloze_questions.xml", 4, ["question 1", "without subquestions", "no gap"]),
        ("qtype_match_testquestion.moodle.xml", 12, ["nothing to import", "amphibian"]),
    ],
)
def test_moodle_fixtures_refused_or_with_nothing_to_import(
    name: str, line: int, words: list[str]
) -> None:
    with pytest.raises(FormatError) as caught:
        fixture(name)
    assert caught.value.line == line
    assert all(word in str(caught.value) for word in words), str(caught.value)


@needs_fixtures
def test_each_broken_cloze_is_refused_on_its_own() -> None:
    root = SafeET.parse(FIXTURES / "broken_cloze_questions.xml").getroot()
    problems = ["no gap", "has no answers", "two choices", "worth 100%", "not a number"]
    for element, problem in zip(root.findall("question"), problems, strict=True):
        with pytest.raises(FormatError) as caught:
            read_moodle_xml(quiz(ET.tostring(element, encoding="unicode")))
        assert problem in str(caught.value), str(caught.value)


# --- the writer ------------------------------------------------------------------------------

BANK = load_bank(ROOT / "questions")


@pytest.mark.parametrize("data", BANK, ids=[s.slug for s in BANK])
def test_starter_bank_round_trips_through_moodle_xml(data: SetData) -> None:
    text, _ = write_moodle_xml(data)
    fmt, result = read(text)
    assert fmt == "moodle-xml"
    assert result.questions == without_groups(data.questions)
    assert not result.warnings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=question_set())
def test_generated_sets_round_trip_through_moodle_xml(data: SetData) -> None:
    text, _ = write_moodle_xml(data)
    assert read(text)[1].questions == data.questions


def _every_kind() -> SetData:
    fields = [
        {"kind": "multiple_choice", "prompt": "Capital?", "explanation": "It is.",
         "choices": [{"text": "Niamey", "correct": True}, {"text": "Agadez"}]},
        {"kind": "multiple_select", "prompt": "Cities?", "explanation": "Both.",
         "choices": [{"text": "Niamey", "correct": True}, {"text": "Agadez", "correct": True},
                     {"text": "Sahara"}]},
        {"kind": "true_false", "prompt": "On the Niger?", "explanation": "Yes.", "answer": True},
        {"kind": "short_answer", "prompt": "Capital?", "explanation": "Niamey.",
         "answers": ["Niamey"]},
        {"kind": "numeric", "prompt": "How far?", "explanation": "750.", "value": 750,
         "tolerance": 25, "unit": "km"},
        {"kind": "cloze", "prompt": "Fill in the gap.", "explanation": "N.",
         "text": "The capital is {{Niamey}}."},
        {"kind": "matching", "prompt": "Match.", "explanation": "M.",
         "pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"},
                   {"left": "c", "right": "3"}]},
        {"kind": "ordering", "prompt": "Order.", "explanation": "O.", "items": ["x", "y", "z"]},
        {"kind": "flashcard", "prompt": "Front", "explanation": "F.", "back": "Back"},
    ]  # fmt: skip
    return set_of([QuestionData(f"q{n}", question_from_dict(f)) for n, f in enumerate(fields)])


def test_export_has_the_structure_of_moodles_fixtures() -> None:
    text, notices = write_moodle_xml(_every_kind())
    root = SafeET.fromstring(text)
    assert root.tag == "quiz"
    types = [q.get("type") for q in root.findall("question")]
    assert types == [
        "multichoice", "multichoice", "truefalse", "shortanswer", "numerical", "cloze",
        "matching", "ordering", "shortanswer",
    ]  # fmt: skip
    for element in root.findall("question"):
        assert element.find("name/text").text
        assert element.find("questiontext").get("format") == "html"
        assert element.find("questiontext/text").text
        assert element.find("generalfeedback/text").text
    fractions = [a.get("fraction") for a in root.findall("question")[1].findall("answer")]
    assert fractions == ["50", "50", "-50"]
    assert root.findall("question")[4].find("units/unit/unit_name").text == "km"
    assert "{1:SHORTANSWER:=Niamey}" in root.findall("question")[5].find("questiontext/text").text
    assert any("flashcard" in str(notice) for notice in notices)
    assert read_moodle_xml(text).questions == _every_kind().questions


@needs_fixtures
def test_export_uses_only_elements_moodles_fixtures_use() -> None:
    known: set[str] = set()
    for path in FIXTURES.glob("*.xml"):
        known |= {element.tag for element in SafeET.parse(path).iter()}
    written = {e.tag for e in SafeET.fromstring(write_moodle_xml(_every_kind())[0]).iter()}
    numerical_only = {"units", "unit", "multiplier", "unit_name", "unitgradingtype",
                      "unitpenalty", "showunits", "unitsleft", "tolerance", "tags",
                      "tag"}  # fmt: skip
    assert written - known - numerical_only - {ET.Comment} == set()
