"""Authored Markdown to sanitized HTML: markdown-it-py renders, nh3 cleans. Pure.

Question text, choices, explanations and source passages are written by teachers (or imported
from GIFT's `[html]`/`[markdown]` text), so every rendering goes through nh3 with a short list of
tags: no script, style, iframe, event handler, `javascript:` or `data:` URL ever reaches a page.
Images are allowed only from this site itself (a path such as `/static/map.png`), which is what
the Content-Security-Policy's `img-src 'self'` permits too; links may go anywhere over http(s).
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Block tags whose content goes too, not only the tag (a <script>'s text is not prose).
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})

_md = MarkdownIt("commonmark", {"html": True})


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image only when it comes from this site: a path, never another host or data:."""
    if tag == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def sanitize(html: str) -> str:
    """HTML with only the allowed tags, attributes and URL schemes left."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=4096)
def render_html(text: str) -> str:
    """Markdown (with inline HTML allowed) as sanitized HTML, block-level (paragraphs)."""
    return sanitize(_md.render(text or "")).strip()


@lru_cache(maxsize=4096)
def render_inline_html(text: str) -> str:
    """Markdown for one line (a choice, a prompt inside a legend): no paragraph around it."""
    return sanitize(_md.renderInline(text or "")).strip()


def markdown(text: str) -> Markup:
    """Safe block HTML for a template."""
    return Markup(render_html(text))  # noqa: S704 - sanitized by nh3 just above


def markdown_inline(text: str) -> Markup:
    """Safe inline HTML for a template."""
    return Markup(render_inline_html(text))  # noqa: S704 - sanitized by nh3 just above


@lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """The authored text with all markup removed, for CSV cells, titles and Anki fields."""
    return html.unescape(nh3.clean(render_inline_html(text), tags=set())).strip()
