"""The essay kind, its imports and authoring form, and the marking rules: pure, no app."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from quiz.formats.gift import read_gift
from quiz.formats.moodle.reader import read_moodle_xml
from quiz.formats.yaml_bank import BankError, parse_set
from quiz.marking import rules
from quiz.questions import (
    KINDS,
    MARKED_KINDS,
    Essay,
    QuestionError,
    ResponseError,
    question_from_dict,
    question_to_dict,
)
from quiz.questions.essay import Criterion, word_count
from quiz.sets.draft_checks import check_draft
from quiz.sets.drafts import draft_from_dict, draft_from_form

BASE = {"kind": "essay", "prompt": "Why did France leave?", "explanation": "See the article."}
RUBRIC = (Criterion("Names the coup", 2.0), Criterion("Dates it", 1.0))


def essay(**more: object) -> Essay:
    question = question_from_dict({**BASE, **more})
    assert isinstance(question, Essay)
    return question


def test_essay_is_the_tenth_kind_and_the_only_one_marked_by_hand() -> None:
    assert len(KINDS) == 10
    assert frozenset({"essay"}) == MARKED_KINDS


def test_essay_fields_round_trip() -> None:
    question = essay(
        word_limit=50,
        model_answer="After the 2023 coup.",
        rubric=[{"criterion": "Names the coup", "points": 2}, {"criterion": "Dates", "points": 1}],
    )
    assert question.rubric_total == 3.0
    assert question_from_dict(question_to_dict(question)) == question
    assert essay().spec() == {}


@pytest.mark.parametrize(
    ("more", "words"),
    [
        ({"word_limit": 0}, "word_limit: must be a whole number"),
        ({"word_limit": True}, "word_limit: must be a whole number"),
        ({"word_limit": "50"}, "word_limit: must be a whole number"),
        ({"rubric": [{"criterion": "x", "points": 0}]}, "rubric[0].points: must be above 0"),
        ({"rubric": [{"criterion": "", "points": 1}]}, "rubric[0].criterion"),
        ({"rubric": [{"criterion": "x"}]}, "rubric[0].points: required"),
        ({"rubric": "all of it"}, "rubric: must be a list"),
        ({"answers": ["x"]}, "unknown field 'answers'"),
    ],
)
def test_bad_essay_fields_are_named(more: dict, words: str) -> None:
    with pytest.raises(QuestionError, match=words.replace("[", r"\[").replace("]", r"\]")):
        question_from_dict({**BASE, **more})


def test_an_essay_is_kept_ungraded_and_its_limit_enforced() -> None:
    question = essay(word_limit=3)
    assert question.parse_form(MultiDict({"answer": "  one two three "}), 0) == "one two three"
    with pytest.raises(ResponseError, match="4 words; the limit is 3"):
        question.parse_form(MultiDict({"answer": "one two three four"}), 0)
    with pytest.raises(ResponseError, match="Write your answer"):
        question.parse_form(MultiDict({"answer": "   "}), 0)
    grade = question.grade("one two")
    assert (grade.correct, grade.score) == (False, 0.0) and "marking" in grade.feedback
    assert word_count("a  b\nc") == 3


def test_gift_essay_is_imported_with_its_feedback() -> None:
    result = read_gift("::E1:: Write about the base. {}\n\n::E2:: Why? {####The climate.}\n")
    first, second = (item.question for item in result.questions)
    assert isinstance(first, Essay) and first.prompt == "Write about the base."
    assert isinstance(second, Essay) and second.explanation == "The climate."


def test_moodle_essay_keeps_word_limit_and_grader_info() -> None:
    text = """<quiz><question type="essay"><name><text>Long</text></name>
      <questiontext format="html">
        <text>&lt;p&gt;Explain the withdrawal.&lt;/p&gt;</text></questiontext>
      <generalfeedback format="html"><text>See paragraph 3.</text></generalfeedback>
      <maxwordlimit>200</maxwordlimit><attachments>1</attachments>
      <graderinfo format="html"><text>&lt;p&gt;Mentions the coup.&lt;/p&gt;</text></graderinfo>
    </question></quiz>"""
    result = read_moodle_xml(text)
    question = result.questions[0].question
    assert isinstance(question, Essay)
    assert (question.prompt, question.word_limit) == ("Explain the withdrawal.", 200)
    assert question.model_answer == "Mentions the coup."
    assert any("attachments" in str(w) for w in result.warnings)


def test_authoring_form_builds_an_essay_with_a_rubric() -> None:
    form = MultiDict(
        {
            "prompt": "Why?",
            "explanation": "Because.",
            "word_limit": "120",
            "model_answer": "The coup.",
            "rubric-0-criterion": "Names the coup",
            "rubric-0-points": "2",
            "rubric-1-criterion": "",
            "rubric-1-points": "",
        }
    )
    data, errors = check_draft(draft_from_form(form, "essay"), 0)
    assert errors == {}
    assert data["rubric"] == [{"criterion": "Names the coup", "points": 2.0}]
    assert data["word_limit"] == 120
    again = draft_from_dict(data)
    assert again.rows == [{"criterion": "Names the coup", "points": "2"}]


def test_authoring_form_names_the_bad_rubric_field() -> None:
    form = MultiDict(
        {"prompt": "Why?", "explanation": "B.", "rubric-0-criterion": "x", "rubric-0-points": "-1"}
    )
    _data, errors = check_draft(draft_from_form(form, "essay"), 0)
    assert "rubric-0-points" in errors


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"score": "75"}, 0.75),
        ({"score": "62.5%"}, 0.625),
        ({"ticks": ["0"]}, 2 / 3),
        ({"ticks": ["0", "1"], "score": "90"}, 0.9),  # a typed score wins over the ticks
    ],
)
def test_an_essay_mark_from_score_or_ticks(fields: dict, expected: float) -> None:
    mark = rules.read_mark(
        score=fields.get("score", ""),
        ticks=fields.get("ticks", []),
        comment=" Good. ",
        reason="",
        rubric=RUBRIC,
        marked_by_hand=True,
        automatic=0.0,
    )
    assert mark.score == pytest.approx(expected) and mark.comment == "Good."


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "score"),
        ({"score": "101"}, "score"),
        ({"score": "-1"}, "score"),
        ({"score": "inf"}, "score"),
        ({"score": "ten"}, "score"),
        ({"ticks": ["2"]}, "ticks"),
        ({"ticks": ["x"]}, "ticks"),
        ({"score": "5", "comment": "x" * 5001}, "comment"),
    ],
)
def test_bad_essay_marks_are_refused(fields: dict, field: str) -> None:
    with pytest.raises(rules.MarkRefused) as refused:
        rules.read_mark(
            score=fields.get("score", ""),
            ticks=fields.get("ticks", []),
            comment=fields.get("comment", ""),
            reason="",
            rubric=RUBRIC,
            marked_by_hand=True,
            automatic=0.0,
        )
    assert refused.value.field == field


def test_an_automatic_mark_changes_only_with_a_reason() -> None:
    def read(score: str, comment: str = "", reason: str = "") -> rules.Mark:
        return rules.read_mark(
            score=score,
            ticks=[],
            comment=comment,
            reason=reason,
            rubric=(),
            marked_by_hand=False,
            automatic=1.0,
        )

    with pytest.raises(rules.MarkRefused, match="Say why"):
        read("50")
    assert read("50", reason="Half of it.").score == 0.5
    assert read("", comment="Well done.").score is None
    assert read("100", comment="Same.").score is None  # the automatic score typed again
    with pytest.raises(rules.MarkRefused, match="Write a comment"):
        read("")


def test_counted_scores() -> None:
    assert rules.counted(0.0, None) == 0.0 and rules.counted(0.0, 0.8) == 0.8
    assert rules.attempt_score([1.0, 0.5], 4) == 0.375
    assert rules.percent_text(0.625) == "62.5" and rules.percent_text(1.0) == "100"


YAML_SET = """
slug: sahel-essays
title: Sahel essays
description: Written answers.
questions:
  - id: withdrawal
    kind: essay
    prompt: Why did the United States leave Agadez?
    word_limit: 150
    model_answer: The junta ended the agreement.
    rubric:
      - {criterion: Names the junta, points: 2}
      - {criterion: Dates it, points: 1}
    explanation: See the article.
  - id: bad
    kind: essay
    prompt: And?
    rubric: [{criterion: Anything}]
    explanation: x
"""


def test_yaml_loader_reads_an_essay_and_names_a_bad_rubric() -> None:
    with pytest.raises(BankError) as caught:
        parse_set(YAML_SET, "essays.yaml")
    assert "rubric[0].points: required" in str(caught.value)
    good = parse_set(YAML_SET.split("  - id: bad")[0], "essays.yaml")
    question = good.questions[0].question
    assert isinstance(question, Essay) and question.rubric_total == 3.0
    assert question.word_limit == 150
