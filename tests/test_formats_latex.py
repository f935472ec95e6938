"""Formulas in files: GIFT and Moodle XML keep the LaTeX source between `\\(...\\)` and
`\\[...\\]` (what Moodle's MathJax shows), and their readers give back `$...$` and `$$...$$`."""

from __future__ import annotations

from quiz.formats.detect import read
from quiz.formats.gift_writer import write_gift
from quiz.formats.latex import dollars_to_tex, tex_to_dollars
from quiz.formats.moodle.writer import write_moodle_xml
from quiz.formats.yaml_bank import QuestionData
from quiz.questions import question_from_dict
from tests.transfer_helpers import set_of

MATH_SET = set_of(
    [
        QuestionData(
            "area",
            question_from_dict(
                {
                    "kind": "multiple_choice",
                    "prompt": "The area of a circle of radius $r$ is",
                    "choices": [
                        {"text": "$\\pi r^{2}$", "correct": True},
                        {"text": "$2 \\pi r$", "correct": False},
                    ],
                    "explanation": "$$A = \\int_0^r 2 \\pi t \\, dt = \\pi r^2$$",
                }
            ),
        ),
        QuestionData(
            "half",
            question_from_dict(
                {
                    "kind": "flashcard",
                    "prompt": "What is $\\frac{1}{2} + \\frac{1}{4}$? It costs $5 and $6.",
                    "back": "$\\frac{3}{4}$",
                    "explanation": "Quarters: $\\frac{2}{4} + \\frac{1}{4}$.",
                }
            ),
        ),
    ]
)


def test_delimiters_both_ways() -> None:
    text = "Area $\\pi r^2$, `$code$`, $5 and $6, and\n\n$$\\frac{a}{b}$$"
    tex = dollars_to_tex(text)
    assert tex == "Area \\(\\pi r^2\\), `$code$`, $5 and $6, and\n\n\\[\\frac{a}{b}\\]"
    assert tex_to_dollars(tex) == text


def test_gift_keeps_latex_and_reads_it_back() -> None:
    text, _notices = write_gift(MATH_SET)
    assert "\\\\(\\\\pi r^\\{2\\}\\\\)" in text  # \(\pi r^{2}\) with GIFT's escapes
    assert "\\\\[A \\= \\\\int_0^r" in text
    assert "$\\pi" not in text
    used, result = read(text)
    assert used == "gift"
    assert result.questions == MATH_SET.questions


def test_moodle_xml_keeps_latex_and_reads_it_back() -> None:
    text, _notices = write_moodle_xml(MATH_SET)
    assert "\\(\\pi r^{2}\\)" in text
    assert "\\[A = \\int_0^r" in text
    assert "<math" not in text and "&lt;math" not in text
    used, result = read(text)
    assert used == "moodle-xml"
    assert result.questions == MATH_SET.questions


def test_foreign_files_with_tex_read_as_dollars() -> None:
    gift = "::q1::[html]<p>Solve \\\\(x^2 \\= 4\\\\)</p>{=\\\\(x \\= 2\\\\) ~\\\\(x \\= 3\\\\)}\n"
    _used, result = read(gift, "gift")
    item = result.questions[0].question
    assert "Solve $x^2 = 4$" in item.prompt  # [html] text stays HTML inside the Markdown
    assert item.choices[0].text == "$x = 2$"
    xml = (
        '<?xml version="1.0"?><quiz><question type="truefalse"><name><text>t</text></name>'
        '<questiontext format="html"><text><![CDATA[<p>Is \\(\\frac{1}{2} &lt; 1\\)? '
        "Yes_really *</p>]]></text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>'
    )
    _used, result = read(xml, "moodle-xml")
    prompt = result.questions[0].question.prompt
    assert prompt == "Is $\\frac{1}{2} < 1$? Yes\\_really \\*"


def test_anki_cards_keep_latex(tmp_path) -> None:
    """Anki shows `\\(...\\)` with its own MathJax: the card's HTML keeps the source."""
    import sqlite3
    import zipfile

    from quiz.formats.apkg import write_apkg

    path = tmp_path / "deck.apkg"
    path.write_bytes(write_apkg(MATH_SET, "s")[0])
    with zipfile.ZipFile(path) as archive:
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as conn:
        fields = " ".join(row[0] for row in conn.execute("SELECT flds FROM notes"))
    assert "\\(\\frac{1}{2} + \\frac{1}{4}\\)" in fields
    assert "<math" not in fields
