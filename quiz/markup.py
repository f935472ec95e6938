"""Authored Markdown to sanitized HTML: markdown-it-py renders, nh3 cleans. Pure.

Question text, choices, explanations and source passages are written by teachers (or imported
from GIFT's `[html]`/`[markdown]` text), so every rendering goes through nh3 with a short list of
tags: no script, style, iframe, event handler, `javascript:` or `data:` URL ever reaches a page.
Images are allowed only from this site itself (a path such as `/static/map.png`), which is what
the Content-Security-Policy's `img-src 'self'` permits too; links may go anywhere over http(s).

`![alt](media:NAME)` names a file of the question's set: the caller passes the set's files as a
MediaMap, and the picture becomes an <img>, the sound an <audio controls> with its transcript in
a <details> (read by screen readers, open on demand). `$...$` and `$$...$$` are LaTeX, written
as MathML here on the server (latex2mathml), so formulas need no script and no outside server.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup
from mdit_py_plugins.dollarmath import dollarmath_plugin

TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
        "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
        "audio", "details", "summary", "span", "div",
    }
)  # fmt: skip
# Exactly what latex2mathml writes (colours and links left out).
MATHML_TAGS = frozenset(
    {
        "math", "menclose", "mfrac", "mi", "mn", "mo", "mover", "mpadded", "mphantom", "mroot",
        "mrow", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd",
        "mtext", "mtr", "munder", "munderover", "none",
    }
)  # fmt: skip
MATHML_ATTRIBUTES = frozenset(
    {
        "accent", "accentunder", "columnalign", "columnlines", "columnspacing", "depth",
        "display", "displaystyle", "fence", "form", "height", "largeop", "linethickness",
        "lspace", "mathsize", "mathvariant", "maxsize", "minsize", "movablelimits", "notation",
        "rowlines", "rowspacing", "rspace", "scriptlevel", "separator", "stretchy", "symmetric",
        "width", "xmlns",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "audio": {"src", "controls", "preload", "aria-label", "data-media"},
    "details": {"class"},
    "span": {"class"},
    "div": {"class"},
    **{tag: set(MATHML_ATTRIBUTES) for tag in MATHML_TAGS},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Block tags whose content goes too, not only the tag (a <script>'s text is not prose).
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})

CLASSES = frozenset({"transcript", "math inline", "math block", "media-missing"})


@dataclass(frozen=True)
class MediaRef:
    """One file of a set as Markdown sees it: `media:NAME` -> its URL, kind and texts."""

    name: str
    url: str
    is_image: bool
    alt: str = ""
    transcript: str = ""
    width: int | None = None
    height: int | None = None


MediaMap = tuple[MediaRef, ...]  # hashable, so renderings stay cached per text and files


def _math(latex: str, options: dict[str, Any]) -> str:
    """LaTeX as MathML; a formula latex2mathml cannot read is shown as its source."""
    display = options.get("display_mode", False)
    try:
        written = latex_to_mathml(latex, display="block" if display else "inline")
    except Exception:
        written = f"<code>{html.escape(latex)}</code>"
    return written


def _media_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """`![alt](media:NAME)` as the set's picture or sound; other images as CommonMark does."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if not src.startswith("media:"):
        return self.image(tokens, idx, options, env)
    alt = self.renderInlineAsText(token.children or [], options, env)
    ref = env.get("media", {}).get(src.removeprefix("media:"))
    if ref is None:
        shown = html.escape(alt or src)
        return f'<span class="media-missing">[{shown}: no such file in this set]</span>'
    alt = alt or ref.alt
    if ref.is_image:
        size = f' width="{ref.width}" height="{ref.height}"' if ref.width and ref.height else ""
        return f'<img src="{html.escape(ref.url)}" alt="{html.escape(alt)}"{size}>'
    label = html.escape(alt or ref.name)
    url = html.escape(ref.url)
    audio = f'<audio controls preload="none" src="{url}" aria-label="{label}" data-media></audio>'
    if not ref.transcript:
        return audio
    text = html.escape(ref.transcript)
    return f'{audio}<details class="transcript"><summary>Transcript</summary>{text}</details>'


_md = MarkdownIt("commonmark", {"html": True}).use(
    dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True, renderer=_math
)
_md.add_render_rule("image", _media_image)


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image or a sound only when it comes from this site: a path, never another host
    or data:; classes only from the few this module writes."""
    if tag in ("img", "audio") and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    if attribute == "class":
        return value if value in CLASSES else None
    return value


def sanitize(html: str) -> str:
    """HTML with only the allowed tags, attributes and URL schemes left."""
    return nh3.clean(
        html,
        tags=set(TAGS | MATHML_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


def _env(media: MediaMap) -> dict[str, Any]:
    """markdown-it's environment: the set's files by name."""
    return {"media": {ref.name: ref for ref in media}}


def _is_sound(token: Token, env: EnvType) -> bool:
    """True for `![..](media:NAME)` naming a sound of the set."""
    src = str(token.attrGet("src") or "")
    ref = env["media"].get(src.removeprefix("media:")) if src.startswith("media:") else None
    return ref is not None and not ref.is_image


def _unwrap_sound_paragraphs(tokens: list[Token], env: EnvType) -> None:
    """A paragraph holding a sound becomes a <div>: its transcript's <details> may not sit in a
    <p>, and the HTML parser would otherwise split the paragraph around it."""
    for i, token in enumerate(tokens):
        if token.type != "inline" or i == 0 or tokens[i - 1].type != "paragraph_open":
            continue
        if any(child.type == "image" and _is_sound(child, env) for child in token.children or []):
            tokens[i - 1].tag = tokens[i + 1].tag = "div"


@lru_cache(maxsize=4096)
def render_html(text: str, media: MediaMap = ()) -> str:
    """Markdown (with inline HTML allowed) as sanitized HTML, block-level (paragraphs)."""
    env = _env(media)
    tokens = _md.parse(text or "", env)
    if media:
        _unwrap_sound_paragraphs(tokens, env)
    return sanitize(_md.renderer.render(tokens, _md.options, env)).strip()


@lru_cache(maxsize=4096)
def render_inline_html(text: str, media: MediaMap = ()) -> str:
    """Markdown for one line (a choice, a prompt inside a legend): no paragraph around it."""
    return sanitize(_md.renderInline(text or "", _env(media))).strip()


def markdown(text: str, media: MediaMap = ()) -> Markup:
    """Safe block HTML for a template."""
    return Markup(render_html(text, media))  # noqa: S704 - sanitized by nh3 just above


def markdown_inline(text: str, media: MediaMap = ()) -> Markup:
    """Safe inline HTML for a template."""
    return Markup(render_inline_html(text, media))  # noqa: S704 - sanitized by nh3 just above


@lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """The authored text with all markup removed, for CSV cells, titles and Anki fields."""
    return html.unescape(nh3.clean(render_inline_html(text), tags=set())).strip()
