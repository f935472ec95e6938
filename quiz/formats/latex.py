"""Formulas between the app's Markdown (`$...$`, `$$...$$`) and Moodle's and Anki's TeX
delimiters (`\\(...\\)`, `\\[...\\]`), which MathJax shows there. Pure.

The writers keep the LaTeX source (a formula is never flattened into MathML or text in a
file), and the readers turn the delimiters back into dollars, so a formula survives a round
trip. The spans are found the way the app's renderer finds them (mdit-py-plugins' dollarmath:
no digit right after the closing dollar, so "$5 and $6" is not a formula).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from quiz.markup import sanitize

_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_BLOCK = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.DOTALL)
_INLINE = re.compile(r"(?<![\\$\d])\$(?!\$)((?:\\.|[^$\\\n])+?)(?<!\s)\$(?![\d$])")
_TEX = re.compile(r"\\\[(.+?)\\\]|\\\((.+?)\\\)", re.DOTALL)


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    """The text with `change` applied to all but its code spans."""
    out, last = [], 0
    for span in _CODE.finditer(text):
        out += [change(text[last : span.start()]), span.group(0)]
        last = span.end()
    return "".join([*out, change(text[last:])])


def dollars_to_tex(markdown: str) -> str:
    """`$x$` as `\\(x\\)` and `$$x$$` as `\\[x\\]`, for a file another program reads."""
    if "$" not in markdown:
        return markdown

    def change(part: str) -> str:
        part = _BLOCK.sub(lambda m: f"\\[{m.group(1)}\\]", part)
        return _INLINE.sub(lambda m: f"\\({m.group(1)}\\)", part)

    return _outside_code(markdown, change)


def tex_to_dollars(text: str) -> str:
    """`\\(x\\)` as `$x$` and `\\[x\\]` as `$$x$$`, as the app's Markdown writes formulas."""
    if "\\(" not in text and "\\[" not in text:
        return text
    return _TEX.sub(
        lambda m: f"$${m.group(1)}$$" if m.group(1) is not None else f"${m.group(2)}$", text
    )


def markdown_outside_tex(text: str, escape: Callable[[str], str]) -> str:
    """Plain text read from HTML as Markdown: `escape` applied outside its formulas, the
    formulas themselves written with dollars and left unescaped."""
    out, last = [], 0
    for span in _TEX.finditer(text):
        out += [escape(text[last : span.start()]), tex_to_dollars(span.group(0))]
        last = span.end()
    return "".join([*out, escape(text[last:])])


def _tex(latex: str, options: dict[str, Any]) -> str:
    """A formula as its TeX source between MathJax's delimiters."""
    source = html.escape(latex, quote=False)
    return f"\\[{source}\\]" if options.get("display_mode") else f"\\({source}\\)"


_md = MarkdownIt("commonmark", {"html": True}).use(
    dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True, renderer=_tex
)


@lru_cache(maxsize=4096)
def tex_html(text: str) -> str:
    """Markdown as sanitized HTML with formulas as `\\(...\\)` / `\\[...\\]` (exports)."""
    return sanitize(_md.render(text or "")).strip()


@lru_cache(maxsize=4096)
def tex_inline_html(text: str) -> str:
    """One line of Markdown as sanitized HTML with formulas as `\\(...\\)` (exports)."""
    return sanitize(_md.renderInline(text or "")).strip()
