"""The native YAML question-set format: parsing, errors with their place, loading, round trip."""

import textwrap
from pathlib import Path

import pytest

from quiz.formats.yaml_bank import (
    BankError,
    QuestionData,
    SetData,
    dump_set,
    load_bank,
    load_set_file,
    parse_set,
)
from quiz.questions import KINDS, question_from_dict

EVERY_KIND = textwrap.dedent(
    """\
    slug: niger-sample
    title: Niger, a sample of every kind
    description: One question of each kind.
    source: {article: niger-air-base-101, paragraph: 8}
    tags: [niger, sahel]
    questions:
      - id: who-ordered
        kind: multiple_choice
        prompt: Who ordered US troops to leave Niger?
        choices:
          - {text: "Niger's military junta", correct: true, feedback: "Right: in March."}
          - {text: The UN Security Council, feedback: "No."}
        explanation: The junta revoked the agreement.
        tags: [us-forces]
        paragraph: 16
      - id: sahel-alliance
        kind: multiple_select
        prompt: Which countries are run by juntas?
        choices:
          - {text: Niger, correct: true}
          - {text: Mali, correct: true}
          - {text: Senegal}
        shuffle: false
        explanation: Niger and Mali had coups.
      - id: russians-trainers
        kind: true_false
        prompt: The Russians at Air Base 101 are said to be military trainers.
        answer: true
        feedback_false: "They are said to be trainers."
        explanation: So US officials say.
      - id: drone-base
        kind: short_answer
        prompt: Which city hosts the main US drone base?
        answers: [Agadez, Agades]
        near_misses: [Niamey]
        explanation: Air Base 201 is near Agadez.
      - id: agadez-distance
        kind: numeric
        prompt: How far is Agadez from Niamey by road?
        value: 750
        tolerance: 25
        unit: km
        explanation: About 750 km.
      - id: troops
        kind: numeric
        prompt: How many US troops were in Niger?
        range: [1000, 1100]
        explanation: About 1,000.
      - id: bases
        kind: cloze
        prompt: Fill in the gaps.
        text: "The drone base is in {{Agadez|Agades}}; the capital is {{Niamey}}."
        explanation: Two cities.
      - id: people
        kind: matching
        prompt: Match each person to their role.
        pairs:
          - {left: Lloyd Austin, right: US Defense Secretary}
          - {left: Paul Melly, right: Chatham House analyst}
          - {left: Michael Langley, right: Head of US Africa Command}
        explanation: As the article says.
      - id: events
        kind: ordering
        prompt: Put these in order.
        items: [coup, expulsion order, Russians arrive]
        explanation: July, March, April.
      - id: sahel-card
        kind: flashcard
        prompt: Sahel
        back: The belt south of the Sahara.
        explanation: A region.
    """
)


def test_parse_set_reads_every_kind() -> None:
    data = parse_set(EVERY_KIND, "questions/sample.yaml")
    assert (data.slug, data.title, data.description) == (
        "niger-sample",
        "Niger, a sample of every kind",
        "One question of each kind.",
    )
    assert data.source == {"article": "niger-air-base-101", "paragraph": 8}
    assert data.tags == ("niger", "sahel")
    assert [item.key for item in data.questions][:3] == [
        "who-ordered",
        "sahel-alliance",
        "russians-trainers",
    ]
    # Every kind but the essay, which the starter bank leaves to teachers' quizzes (test_bank.py).
    assert {item.question.kind for item in data.questions} == set(KINDS) - {"essay"}
    first = data.questions[0].question
    assert first.tags == ("us-forces",) and first.paragraph == 16


def test_dump_set_round_trips() -> None:
    data = parse_set(EVERY_KIND, "questions/sample.yaml")
    text = dump_set(data)
    assert parse_set(text, "dumped.yaml") == data
    assert "paragraph: 16" in text and "tags: []" not in text


def test_dump_set_round_trips_minimal_set_with_awkward_strings() -> None:
    card = question_from_dict(
        {"kind": "flashcard", "prompt": "yes", "explanation": "1999", "back": "null: {x}"}
    )
    data = SetData("s", "Title: with colon", "", {}, (), (QuestionData("c-1", card),))
    assert parse_set(dump_set(data), "x.yaml") == data


def broken(old: str, new: str) -> str:
    """EVERY_KIND with one line replaced."""
    assert old in EVERY_KIND
    return EVERY_KIND.replace(old, new, 1)


def test_bad_question_names_file_line_index_and_id() -> None:
    text = broken("tolerance: 25", "tolerance: '25'")
    with pytest.raises(BankError) as raised:
        parse_set(text, "questions/niger.yaml")
    assert str(raised.value) == (
        "questions/niger.yaml, line 37: question 5 (id 'agadez-distance'): "
        "tolerance: must be a number"
    )


def test_yaml_syntax_error_names_file_and_line() -> None:
    text = "slug: x\ntitle: [unclosed\nquestions: []\n"
    with pytest.raises(BankError, match=r"^questions/x\.yaml, line 3: "):
        parse_set(text, "questions/x.yaml")


def test_key_written_twice_is_an_error_with_its_line() -> None:
    text = broken("value: 750", "value: 750\n    value: 760")
    with pytest.raises(BankError, match=r"^q\.yaml, line 41: key 'value' appears twice$"):
        parse_set(text, "q.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "f.yaml: must be a mapping with slug, title and questions, not empty"),
        ("- a\n- b\n", "f.yaml: must be a mapping with slug, title and questions, not a list"),
        ("title: T\nquestions: [{}]\n", "f.yaml: slug: required"),
        ("slug: Bad Slug\ntitle: T\nquestions: []\n", "slug: must be lower-case letters"),
        ("slug: s\nquestions: [{}]\n", "f.yaml: title: required"),
        ("slug: s\ntitle: T\n", "f.yaml: questions: required"),
        ("slug: s\ntitle: T\nquestions: []\n", "f.yaml: questions: needs at least 1, found 0"),
        ("slug: s\ntitle: T\nqestions: []\n", "unknown field 'qestions' (did you mean 'questions'"),
        ("slug: s\ntitle: T\nsource: x\nquestions: [{}]\n", "source: must be a mapping"),
        ("slug: s\ntitle: T\nsource: {d: 2024-01-02}\nquestions: [{}]\n", "source.d: must be"),
        ("slug: s\ntitle: T\nquestions: [x]\n", "f.yaml, line 3: question 1: must be a mapping"),
        ("slug: s\ntitle: T\nquestions:\n  - kind: flashcard\n", "question 1: id: required"),
        (
            "slug: s\ntitle: T\nquestions:\n  - {id: Bad Id}\n",
            "f.yaml, line 4: question 1 (id 'Bad Id'): id: required, made of lower-case",
        ),
    ],
)
def test_bad_set_names_the_problem(text: str, message: str) -> None:
    with pytest.raises(BankError) as raised:
        parse_set(text, "f.yaml")
    assert message in str(raised.value)


def test_repeated_question_id_is_an_error() -> None:
    text = broken("id: troops", "id: agadez-distance")
    with pytest.raises(BankError) as raised:
        parse_set(text, "q.yaml")
    assert str(raised.value) == (
        "q.yaml, line 44: question 6 (id 'agadez-distance'): id repeats question 5"
    )


def write_set(directory: Path, name: str, slug: str) -> Path:
    """A one-question set file."""
    path = directory / name
    path.write_text(
        f"slug: {slug}\ntitle: {slug}\nquestions:\n"
        "  - {id: c, kind: flashcard, prompt: P, back: B, explanation: E}\n",
        encoding="utf-8",
    )
    return path


def test_load_bank_reads_yaml_files_in_name_order(tmp_path: Path) -> None:
    write_set(tmp_path, "b.yml", "second")
    write_set(tmp_path, "a.yaml", "first")
    (tmp_path / "notes.txt").write_text("not a set", encoding="utf-8")
    assert [data.slug for data in load_bank(tmp_path)] == ["first", "second"]
    assert load_set_file(tmp_path / "b.yml").slug == "second"


def test_load_bank_refuses_repeated_slugs(tmp_path: Path) -> None:
    write_set(tmp_path, "a.yaml", "same")
    write_set(tmp_path, "b.yaml", "same")
    with pytest.raises(BankError, match=r"b\.yaml: slug 'same' is already used by .*a\.yaml"):
        load_bank(tmp_path)


def test_load_bank_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("title: Agad\xe8s\n".encode("latin-1"))
    with pytest.raises(BankError, match=r"latin1\.yaml: not UTF-8 text"):
        load_bank(tmp_path)
    with pytest.raises(BankError, match="not a directory"):
        load_bank(tmp_path / "missing")


def test_starter_bank_loads() -> None:
    """Every file in questions/ is valid, and survives a dump and re-parse."""
    bank = Path(__file__).resolve().parent.parent / "questions"
    sets = load_bank(bank)
    assert len(sets) == len(list(bank.glob("*.yaml")))
    for data in sets:
        assert parse_set(dump_set(data), data.slug) == data
