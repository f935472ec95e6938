"""The GIFT reader on a file with every construct, and the writer's escapes and mappings."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.formats.common import FormatError
from quiz.formats.gift import find, read_gift, unescape
from quiz.formats.gift_writer import escape, write_gift
from quiz.questions import (
    Cloze,
    Matching,
    MultipleChoice,
    MultipleSelect,
    Numeric,
    Ordering,
    ShortAnswer,
    TrueFalse,
)
from tests.transfer_helpers import set_of

DATA = Path(__file__).parent / "data" / "formats"


@pytest.fixture(scope="module")
def every() -> dict:
    """The every-construct file, read once, by key."""
    result = read_gift((DATA / "every_construct.gift").read_text(encoding="utf-8"))
    return {"result": result, **{item.key: item.question for item in result.questions}}


def test_category_becomes_tag_and_title(every: dict) -> None:
    assert every["result"].title == "Air bases"
    assert all("air-bases" in item.question.tags for item in every["result"].questions)


def test_multiple_choice_with_feedback_and_markdown(every: dict) -> None:
    question = every["base-host"]
    assert isinstance(question, MultipleChoice)
    assert question.prompt == "Which country hosts **Air Base 101**?"
    assert [(c.text, c.correct) for c in question.choices] == [
        ("Niger", True),
        ("Chad", False),
        ("Mali", False),
    ]
    assert question.choices[0].feedback == "Yes, next to the airport in Niamey."
    assert question.choices[1].feedback == "No: Chad is another story."
    assert question.explanation == "The base is in Niger's capital."


def test_weights_make_multiple_select(every: dict) -> None:
    question = every["aes-members"]
    assert isinstance(question, MultipleSelect)
    assert [c.correct for c in question.choices] == [True, True, True, False]
    assert question.choices[3].feedback == "Not a member."


def test_partial_credit_on_single_choice_keeps_its_weight(every: dict) -> None:
    question = every["partial-one"]
    assert isinstance(question, MultipleChoice)
    assert [c.correct for c in question.choices] == [True, False, False]
    assert [c.weight for c in question.choices] == [None, 50.0, None]
    assert question.grade(1).score == 0.5 and not question.grade(1).correct
    assert not [w for w in every["result"].warnings if "line 20" in str(w)]


def test_true_false_feedback_order(every: dict) -> None:
    question = every["austin-problem"]
    assert isinstance(question, TrueFalse) and question.answer is False
    assert question.feedback_true == "He said he saw none."  # the first feedback: wrong answer
    assert question.feedback_false == "Right, he saw none."
    assert question.prompt.startswith("<p>Austin")  # [html] kept; sanitized when shown
    assert isinstance(every["true-short"], TrueFalse) and every["true-short"].answer is True


def test_short_answer_with_near_miss(every: dict) -> None:
    question = every["drone-city"]
    assert isinstance(question, ShortAnswer)
    assert question.answers == ("Agadez", "Agadez city")
    assert question.near_misses == ("Niamey",)


def test_matching(every: dict) -> None:
    question = every["people"]
    assert isinstance(question, Matching)
    assert question.pairs[2] == ("Paul Melly", "Chatham House analyst")
    assert question.explanation == "Austin, Langley and Melly."


def test_missing_word_short_is_cloze_and_choice_keeps_a_blank(every: dict) -> None:
    cloze = every["missing-word"]
    assert isinstance(cloze, Cloze)
    assert cloze.text == "The junta ordered US troops {{out|to leave}} of Niger in March."
    choice = every["missing-choice"]
    assert isinstance(choice, MultipleChoice)
    assert choice.prompt == "Russian soldiers arrived at Air Base _____ in Niamey."


def test_numerical_forms(every: dict) -> None:
    assert isinstance(every["distance"], Numeric)
    assert (every["distance"].value, every["distance"].tolerance) == (750.0, 50.0)
    assert every["distance-range"].bounds == (700.0, 800.0)
    weighted = every["weighted"]
    assert (weighted.value, weighted.tolerance) == (60.0, 0.0)
    assert [(p.value, p.tolerance, p.weight) for p in weighted.partial] == [(60.0, 10.0, 50.0)]
    assert weighted.grade("65").score == 0.5


def test_escapes(every: dict) -> None:
    question = every["escapes"]
    assert question.prompt == (
        "Literal {braces}, = equals, ~ tilde, # hash, : colon and a\nnew line?"
    )
    assert question.answers == ("yes: really", "a ~ b")


def test_essay_imported_and_description_skipped_with_its_line(every: dict) -> None:
    warnings = [str(w) for w in every["result"].warnings]
    assert not any("essay" in w for w in warnings)
    assert every["essay"].kind == "essay" and every["essay"].prompt == "Write about the base."
    assert any(w.startswith("line 53: 'description' has no answers") for w in warnings)
    assert "description" not in every


def test_meta_comment_gives_ordering_tags_and_paragraph(every: dict) -> None:
    question = every["chad-order"]
    assert isinstance(question, Ordering)
    assert question.items == ("Concerns raised", "Troops withdraw", "Elections held")
    assert question.tags == ("timeline", "air-bases")
    assert question.paragraph == 23


def test_lines_and_counts(every: dict) -> None:
    result = every["result"]
    assert result.lines[0] == 6
    assert sum(result.counts().values()) == len(result.questions) == 15


def test_untitled_question_gets_a_stable_key() -> None:
    text = "Which city hosts the base? {=Niamey ~Agadez}\n"
    first, again = read_gift(text), read_gift("// changed comment\n" + text)
    assert first.questions[0].key == again.questions[0].key
    assert first.questions[0].key.startswith("which-city-hosts-the-base-")


def test_repeated_titles_get_numbered_keys_with_a_warning() -> None:
    result = read_gift("::q::A? {T}\n\n::q::B? {F}\n")
    assert [item.key for item in result.questions] == ["q", "q-2"]
    assert "line 3: same title or text as line 1" in str(result.warnings[0])


@pytest.mark.parametrize(
    "text", ["a{b", "x \\{ y", "\\\\", "a\\nb", "50% ~ = # : {}", "tab\there", "\\~"]
)
def test_escape_round_trip(text: str) -> None:
    written = escape(text)
    for special in "~=#{}":
        assert find(written, special) == -1  # nothing left unescaped
    assert unescape(written) == text


def test_writer_warns_for_kinds_moodle_lacks(every: dict) -> None:
    result = every["result"]
    data = set_of(result.questions)
    text, notices = write_gift(data)
    assert "// @quiz" in text and '"kind": "ordering"' in text
    assert any("ordering question written as matching" in str(n) for n in notices)
    assert read_gift(text).questions == result.questions


def test_error_carries_line_and_column() -> None:
    with pytest.raises(FormatError) as caught:
        read_gift("\n\n::t:: Q? {=a ~%abc%b}\n")
    assert caught.value.line == 3
    assert caught.value.column == 15  # the '%' that begins the weight
    assert str(caught.value) == "line 3, column 15: a weight is written %50% or %-100%"


MOODLE_STYLE = """// question: 0  name: Switch category to $course$/top/Default for Sahel
$CATEGORY: $course$/top/Default for Sahel

// question: 41  name: base
::base::[html]<p>Where is Air Base 101?</p>{
\t=%100%Niamey#<p>Yes.</p>
\t=%50%Niamey airport#
\t=%0%Agadez#<p>That is the drone base.</p>
}

// question: 42  name: distance
::distance::[html]<p>Agadez to Niamey, in km?</p>{#
\t=%100%750\\:50#
}

// question: 43  name: say
::say::[html]<p>Austin saw a problem.</p>{FALSE#<p>No.</p>#<p>Right.</p>####<p>He said no.</p>}
"""


def test_reads_moodle_shaped_export() -> None:
    """Tabs, %100% weights, empty '#' feedback and [html] text, as Moodle writes them."""
    result = read_gift(MOODLE_STYLE)
    base, distance, say = (item.question for item in result.questions)
    assert [item.key for item in result.questions] == ["base", "distance", "say"]
    # 50% is partly right, never right; 0% is a near miss.
    assert base.answers == ("Niamey",) and base.near_misses == ("Agadez",)
    assert [(p.text, p.weight) for p in base.partial] == [("Niamey airport", 50.0)]
    assert (distance.value, distance.tolerance) == (750.0, 50.0)
    assert say.answer is False and say.explanation == "<p>He said no.</p>"
    assert base.tags == ()  # "top" and "Default for ..." are Moodle's, not topics


def test_plain_text_is_shown_as_typed() -> None:
    """[plain] text keeps its asterisks and angle brackets instead of becoming Markdown/HTML."""
    from quiz.markup import render_html

    prompt = read_gift("[plain]Is 2 * 3 * 4 <b>24</b>? {T}\n").questions[0].question.prompt
    assert render_html(prompt) == "<p>Is 2 * 3 * 4 &lt;b&gt;24&lt;/b&gt;?</p>"


def test_repeated_warnings_are_grouped() -> None:
    """Issue 20: a long file's preview said "same title or text as line 1" once per repeat."""
    one = "::Capital:: Niger's capital is {=Niamey ~Agadez}\n\n"
    text = one * 14 + "::Other:: Which base? {=Air Base 101 ~Air Base 202}\n"
    result = read_gift(text)
    assert len(result.questions) == 15
    repeats = [str(w) for w in result.warnings if "share a title or text" in str(w)]
    assert repeats == [
        "line 3: 13 questions share a title or text with an earlier one (lines 3, 5, 7, 9, 11, "
        "13, 15, 17, 19, 21, 23, 25 and 1 more); each is kept under a numbered key, such as "
        "'capital-2'"
    ]
    assert not any("same title or text" in str(w) for w in result.warnings)


def test_one_message_on_many_lines_is_said_once() -> None:
    from quiz.formats.common import Notice, group_notices

    notices = [Notice(2, "x is ignored"), Notice(5, "y"), Notice(9, "x is ignored")]
    assert [str(n) for n in group_notices(notices)] == [
        "line 2: x is ignored (also line 9)",
        "line 5: y",
    ]


MOODLE_EXAMPLES = (
    Path(__file__).resolve().parent.parent.parent / "shared/reference/moodle/examples.gift"
)


@pytest.fixture
def moodle_examples() -> str:
    if not MOODLE_EXAMPLES.is_file():
        pytest.skip(f"Moodle's example file is not beside the checkout ({MOODLE_EXAMPLES})")
    return MOODLE_EXAMPLES.read_text(encoding="utf-8")


def test_moodles_example_file_imports_whole(moodle_examples: str) -> None:
    """Issue 22: the file was refused whole, its escaped-character choices called repeats."""
    result = read_gift(moodle_examples)
    assert len(result.questions) == 43
    control = next(q for q in result.questions if "NOT a control character" in q.question.prompt)
    texts = [choice.text for choice in control.question.choices]
    assert len(texts) == len(set(texts)) >= 6 and "{" in texts and "#" in texts


def test_partial_credit_is_kept_and_never_rounded_up_to_right(moodle_examples: str) -> None:
    """Issue 22: "Bethlehem" (25%) and "Nazereth" (75%) keep their weights and feedback."""
    result = read_gift(moodle_examples)
    shorts = [q.question for q in result.questions if q.question.kind == "short_answer"]
    hometown = [q for q in shorts if any(p.text == "Bethlehem" for p in q.partial)]
    assert len(hometown) == 2  # line 123, and line 195's lone gap kept as a short answer
    for question in hometown:
        assert question.answers == ("Nazareth",)
        assert {(p.text, p.weight, p.feedback) for p in question.partial} == {
            ("Nazereth", 75.0, "Right, but misspelled."),
            ("Bethlehem", 25.0, "He was born here, but not raised here."),
        }
        grade = question.grade("Bethlehem")
        assert (grade.correct, grade.score) == (False, 0.25)
        assert grade.feedback == "He was born here, but not raised here."
    said = "\n".join(str(w) for w in result.warnings)
    assert "not kept" not in said and "accepted as right" not in said
    choice = next(
        q.question
        for q in result.questions
        if q.question.kind == "multiple_choice"
        and q.question.prompt.endswith("_____.")
        and "Jesus" in q.question.prompt
    )
    assert [(c.text, c.weight) for c in choice.choices if c.weight] == [
        ("Bethlehem", 25.0),
        ("Galilee", 50.0),
    ]


def test_a_question_with_only_partial_answers_is_skipped_and_said() -> None:
    result = read_gift("::A:: Capital? {=%50%Niamey =%50%niamey}\n\n::B:: Base? {=Agadez}\n")
    assert [q.key for q in result.questions] == ["b"]
    assert any("'A' skipped: no answer is worth 100%" in str(w) for w in result.warnings)
