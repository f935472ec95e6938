"""Formulas as MathML and media references in the pure Markdown renderer, and the sanitizer
letting through exactly the MathML it needs and nothing more."""

from __future__ import annotations

import pytest

from quiz.markup import MediaRef, render_html, render_inline_html, sanitize

MEDIA = (
    MediaRef("map.png", "/media/1/" + "a" * 64, True, "A map", width=40, height=30),
    MediaRef("word.mp3", "/media/1/" + "b" * 64, False, "", transcript="Bonjour <b>"),
)


def test_inline_and_block_formulas_become_mathml() -> None:
    html = render_html("Area $\\pi r^2$ and\n\n$$\\frac{a}{b} = \\sqrt{x}$$")
    assert '<span class="math inline"><math xmlns="http://www.w3.org/1998/Math/MathML"' in html
    assert "<msup><mi>r</mi><mn>2</mn></msup>" in html
    assert '<div class="math block">' in html and 'display="block"' in html
    assert "<mfrac>" in html and "<msqrt>" in html


def test_formulas_in_one_line_fields() -> None:
    assert "<msub>" in render_inline_html("$x_1$ or $x_2$")


def test_prices_are_not_formulas() -> None:
    assert render_html("It costs $5 and $6.") == "<p>It costs $5 and $6.</p>"


def test_bad_latex_shows_its_source() -> None:
    html = render_html("$\\frac{1}{$")
    assert "<math" not in html or "merror" not in html
    assert "frac" in html


@pytest.mark.parametrize(
    "attack",
    [
        '<math><mi href="javascript:alert(1)">x</mi></math>',
        '<math><maction actiontype="statusline">x</maction></math>',
        "<math><mtext><script>alert(1)</script></mtext></math>",
        '<math><mi style="color:red" onclick="alert(1)">x</mi></math>',
        '<math><annotation-xml encoding="text/html">'
        "<img src=x onerror=alert(1)></annotation-xml></math>",
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    ],
)
def test_sanitizer_keeps_no_mathml_attack(attack: str) -> None:
    cleaned = sanitize(attack)
    for bad in ("javascript", "onclick", "onerror", "<script", "style=", "maction", "<svg"):
        assert bad not in cleaned


def test_the_mathml_allowed_is_exactly_what_formulas_need() -> None:
    html = render_html(
        "$$\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} \\sum_{i=1}^n \\hat{x} \\left(y\\right)$$"
    )
    for tag in ("<mtable>", "<mtr>", "<mtd>", "<munderover>", "<mover", 'stretchy="true"'):
        assert tag in html


def test_media_picture_and_sound() -> None:
    html = render_html("Where? ![](media:map.png)\n\n![Say it](media:word.mp3)", MEDIA)
    assert f'<img src="/media/1/{"a" * 64}" alt="A map" width="40" height="30">' in html
    assert (
        f'<audio controls="" preload="none" src="/media/1/{"b" * 64}" aria-label="Say it"' in html
    )
    # The transcript may not sit in a <p>: the paragraph holding the sound is a <div>.
    assert "<div><audio" in html
    assert (
        '<details class="transcript"><summary>Transcript</summary>Bonjour &lt;b&gt;</details>'
        in html
    )


def test_media_names_elsewhere_do_not_load_anything() -> None:
    html = render_html(
        "![x](media:other.png) ![y](https://evil.example/x.png) ![z](data:image/png;base64,AA)",
        MEDIA,
    )
    assert "no such file in this set" in html
    assert "evil.example" not in html and "data:" not in html


def test_raw_audio_from_elsewhere_is_dropped() -> None:
    html = render_html('<audio src="https://evil.example/a.mp3" autoplay onplay="x()"></audio>')
    assert "evil" not in html and "autoplay" not in html and "onplay" not in html
