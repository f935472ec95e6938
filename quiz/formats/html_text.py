"""HTML from another app (Moodle) as the authored Markdown this app stores. Pure.

No raw HTML passes through: paragraphs, line breaks, list items, bold, italics, code and
http(s)/mailto links are kept as Markdown; every other tag is dropped and only its text kept;
the text itself is escaped so it shows as written. An image or a link to an embedded file
(`@@PLUGINFILE@@`) that the reader's `media` resolves to a file of the import becomes
`![alt](media:NAME)`; any other is dropped and counted, so the reader can name it in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from quiz.formats.latex import markdown_outside_tex
from quiz.formats.media_files import media_markdown

Resolver = Callable[[str], str | None]  # an <img src> or <a href> -> its media name, or None
MEDIA_LINK = "\x03"  # on the links stack: a link to a file, where its text starts, its name

BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr", "ul", "ol", "pre"}
)
SKIPPED = frozenset({"script", "style", "iframe", "object", "embed", "template", "audio", "video"})
MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
BREAK = "\x01"  # a <br>, written as Markdown's hard break once the ends are trimmed
_SPECIAL = re.compile(r"([\\`*_\[\]<>{}])")
_LINE_START = re.compile(r"^(\s*)([#>+\-=])", re.MULTILINE)
_NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)  # "1." would start a list


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows it as written (braces too: they would open a gap)."""
    out = _SPECIAL.sub(r"\\\1", text)
    out = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out)
    return _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), out)


@dataclass
class Converted:
    """The Markdown, and what was dropped on the way."""

    text: str
    images: list[str] = field(default_factory=list)  # src of each dropped <img>
    files: list[str] = field(default_factory=list)  # dropped links to embedded files
    used: list[str] = field(default_factory=list)  # media names placed


class _Converter(HTMLParser):
    """Collects Markdown pieces while walking the HTML."""

    def __init__(self, media: Resolver | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.media = media or (lambda _src: None)
        self.used: list[str] = []
        self.pieces: list[str] = []
        self.skip = 0
        self.links: list[str | None] = []
        self.images: list[str] = []
        self.files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a block, a mark or a link; drop images."""
        values = dict(attrs)
        if tag in SKIPPED:
            self.skip += 1
        elif tag in BLOCKS:
            self.pieces.append("\n\n")
        elif tag == "li":
            self.pieces.append("\n\n- ")
        elif tag == "br":
            self.pieces.append(BREAK)
        elif tag in MARKS:
            self.pieces.append(MARKS[tag])
        elif tag == "img":
            src = (values.get("src") or "").strip()
            name = self.media(src) if src else None
            if name is None:
                self.images.append(src)
            elif not self.skip:
                self.used.append(name)
                self.pieces.append(media_markdown(values.get("alt") or "", name))
        elif tag == "a":
            href = (values.get("href") or "").strip()
            name = self.media(href) if href else None
            if name is not None:
                # A sound (or picture) linked as Moodle does: the player replaces the link,
                # whose text becomes its label.
                self.links.append(f"{MEDIA_LINK}{len(self.pieces)}{MEDIA_LINK}{name}")
                return
            if "@@PLUGINFILE@@" in href:
                self.files.append(href)
            keep = href.startswith(LINK_SCHEMES) and "@@PLUGINFILE@@" not in href
            self.links.append(href if keep else None)
            if keep:
                self.pieces.append("[")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """`<br />` and `<img />`: only the opening matters."""
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close what handle_starttag opened."""
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.pieces.append("\n\n")
        elif tag in MARKS:
            if self.pieces and self.pieces[-1] == MARKS[tag]:
                self.pieces.pop()  # a mark around nothing would show as stars
            else:
                self.pieces.append(MARKS[tag])
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href is not None and href.startswith(MEDIA_LINK):
                self.place_link(*href[1:].split(MEDIA_LINK))
            elif href is not None:
                self.pieces.append(f"]({href.replace(')', '%29').replace(' ', '%20')})")

    def place_link(self, start: str, name: str) -> None:
        """A link to a file of the import as `![its text](media:NAME)`."""
        text = re.sub(r"\\(.)", r"\1", "".join(self.pieces[int(start) :]).replace(BREAK, " "))
        del self.pieces[int(start) :]
        if not self.skip:
            self.used.append(name)
            label = "" if text.strip() in (name, "") else text
            self.pieces.append(media_markdown(label, name))

    def handle_data(self, data: str) -> None:
        """Text, with runs of white space as one space (as a browser shows it)."""
        if not self.skip:
            # Formulas (\(...\), \[...\]) become $...$, $$...$$ and are not escaped.
            self.pieces.append(markdown_outside_tex(re.sub(r"\s+", " ", data), escape_markdown))


def html_to_markdown(html: str, media: Resolver | None = None) -> Converted:
    """Moodle HTML as Markdown: paragraphs kept, tags dropped, text escaped; the images and
    links `media` resolves become `![alt](media:NAME)`."""
    parser = _Converter(media)
    parser.feed(html)
    parser.close()
    text = "".join(parser.pieces)
    text = re.sub(rf"[ \t]*{BREAK}[ \t]*", BREAK, text)
    paragraphs = []
    for paragraph in re.split(r"\s*\n\s*\n\s*", text):
        # A <br> at a paragraph's start or end breaks nothing.
        lines = paragraph.strip(f" \n{BREAK}").split(BREAK)
        lines = [re.sub(r"\s+", " ", line).strip() for line in lines]
        if any(lines):
            paragraphs.append("\\\n".join(lines))
    return Converted("\n\n".join(paragraphs), parser.images, parser.files, parser.used)


def plain_to_markdown(text: str) -> str:
    """Moodle's plain_text format: shown as written, its line breaks kept."""
    lines = [escape_markdown(line.strip()) for line in text.strip().split("\n")]
    return "\\\n".join(line for line in lines if line) if len(lines) > 1 else "".join(lines)
