"""Authored Markdown is rendered and sanitized: no script, handler or unsafe URL survives."""

from __future__ import annotations

import pytest

from quiz.markup import plain_text, render_html, render_inline_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src='https://example.org'></iframe>",
    "<style>body{display:none}</style>",
    "![x](data:image/png;base64,AAAA)",
    "<svg onload=alert(1)>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<div onclick='alert(1)'>x</div>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_defused(payload: str) -> None:
    for out in (render_html(payload), render_inline_html(payload)):
        lowered = out.lower()
        assert "<script" not in lowered and "<iframe" not in lowered and "<style" not in lowered
        assert "onerror" not in lowered and "onload" not in lowered and "onclick" not in lowered
        assert "javascript:" not in lowered.replace("[click](javascript:", "")
        assert 'href="data:' not in lowered and 'src="data:' not in lowered


def test_markdown_is_rendered() -> None:
    assert (
        render_html("**Agadez** is *north*") == "<p><strong>Agadez</strong> is <em>north</em></p>"
    )
    assert render_inline_html("`code`") == "<code>code</code>"


def test_images_only_from_this_site() -> None:
    assert 'src="/static/map.png"' in render_html("![map](/static/map.png)")
    assert "src=" not in render_html("![map](https://example.org/map.png)")
    assert "src=" not in render_html("![map](//example.org/map.png)")


def test_plain_text_drops_markup_and_keeps_characters() -> None:
    assert plain_text("**Niger** & <b>Mali</b>") == "Niger & Mali"
