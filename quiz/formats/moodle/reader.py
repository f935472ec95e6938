"""Moodle XML: the reader (the writer is in writer.py). Pure.

Parsed by defusedxml (a DOCTYPE or entity declaration is refused: billion laughs, XXE) with line
numbers kept for every element, so a refusal names the line and the element. Questions map to
our kinds; what a kind cannot hold is skipped with a warning naming the question and why, never
changed silently. Partial credit is not kept yet: an answer worth between 0 and 100% is never
taken as right. Categories (`$course$/A/B`) become tags, one per level of the path (A and b);
each question's category path is its group (ReadResult.groups), for one set per category.

Our own extension, invisible to Moodle (an XML comment): `<!-- @quiz {json} -->` inside a
question carries what Moodle XML cannot say (kind, paragraph, fuzzy, a cloze's prompt, a range,
and the Markdown each written text came from), so an export read back gives equal questions.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from quiz.formats.common import (
    KEY_LENGTH,
    MAX_QUESTIONS,
    Collector,
    FormatError,
    ReadResult,
    key_for_title,
)
from quiz.formats.html_text import escape_markdown, html_to_markdown, plain_to_markdown
from quiz.formats.media_files import names_used, plugin_name, rename_text
from quiz.formats.moodle.files import FileFinder
from quiz.formats.moodle.kinds import READERS, text_at
from quiz.formats.yaml_bank import SLUG
from quiz.questions import QuestionError

META_PREFIX = "@quiz"
GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
          16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)  # fmt: skip
SKIPPED_TYPES = {
    "description": "a description is not a question",
}


class _Parser(DefusedXMLParser):
    """defusedxml's parser, noting each element's line and the elements still open."""

    def __init__(self) -> None:
        self.lines: dict[int, int] = {}
        self.open: list[str] = []
        super().__init__(target=ET.TreeBuilder(insert_comments=True), forbid_dtd=True)
        start, end = self.parser.StartElementHandler, self.parser.EndElementHandler

        def on_start(tag: str, attrs: Any) -> Any:
            element = start(tag, attrs)
            self.lines[id(element)] = self.parser.CurrentLineNumber
            self.open.append(tag)
            return element

        def on_end(tag: str) -> Any:
            if self.open:
                self.open.pop()
            return end(tag)

        self.parser.StartElementHandler = on_start
        self.parser.EndElementHandler = on_end


def parse(text: str) -> tuple[ET.Element, dict[int, int]]:
    """The root element and each element's line; FormatError naming the line and element."""
    parser = _Parser()
    try:
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as error:
        line, column = error.position
        inside = f" inside <{parser.open[-1]}>" if parser.open else ""
        problem = str(error).split(":")[0]
        raise FormatError(line, f"not well-formed XML{inside}: {problem}", column + 1) from error
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as error:
        raise FormatError(
            parser.parser.CurrentLineNumber,
            "a DOCTYPE or entity declaration is not allowed in a Moodle XML file "
            "(Moodle never writes one; it can hide an XML bomb or read local files)",
        ) from error
    if root.tag != "quiz":
        raise FormatError(1, f"the root element is <{root.tag}>, not <quiz>: not Moodle XML")
    return root, parser.lines


def read_moodle_xml(text: str) -> ReadResult:
    """Read a Moodle XML file; FormatError (line, element, problem) if it cannot be imported."""
    if "\x00" in text:
        raise FormatError(text[: text.index("\x00")].count("\n") + 1, "contains a NUL character")
    root, lines = parse(text.lstrip("\ufeff"))
    collector = Collector()
    finder = FileFinder(lines)
    tags: list[str] = []
    title, group, groups = "", "", []
    number = 0
    for element in root:
        if element.tag is ET.Comment:
            continue
        line = lines.get(id(element), 1)
        if element.tag != "question":
            collector.warn(line, f"<{element.tag}> is not a question; ignored")
            continue
        kind = element.get("type", "")
        if kind == "category":
            tags, name = _category(text_at(element, "category/text"))
            title = title or name
            group = category_path(text_at(element, "category/text"))
            continue
        number += 1
        item = Item(element, line, number, lines, collector, _meta(element, line), finder=finder)
        before = len(collector.questions)
        item.read(kind, tags)
        groups.extend([group] * (len(collector.questions) - before))
    if not collector.questions and collector.warnings:
        skips = [w for w in collector.warnings if "skipped" in w.message]
        first = (skips or collector.warnings)[0]
        raise FormatError(first.line, f"nothing to import: {first.message}")
    media = tuple(finder.blobs.values())
    return replace(collector.result(title), groups=tuple(groups), media=media)


def category_path(path: str) -> str:
    """A category as the teacher names it: its levels below the course, joined by ' / '."""
    parts = [part.strip() for part in path.replace("//", "\x00").split("/")]
    names = [
        part.replace("\x00", "/")
        for part in parts
        if part
        and not part.startswith("$")
        and part.lower() != "top"
        and not part.lower().startswith("default for")
    ]
    return " / ".join(names)


def _category(path: str) -> tuple[list[str], str]:
    """A category path as tags (one per level) and its last level's name."""
    parts = [part.strip().replace("\x00", "/") for part in path.replace("//", "\x00").split("/")]
    names = [
        part
        for part in parts
        if part
        and not part.startswith("$")
        and part.lower() != "top"
        and not part.lower().startswith("default for")
    ]
    tags = [tag for tag in (key_for_title(name) for name in names) if tag]
    return list(dict.fromkeys(tags)), (names[-1] if names else "")


def _meta(element: ET.Element, line: int) -> dict[str, Any]:
    """The `<!-- @quiz {...} -->` comment of a question, merged."""
    out: dict[str, Any] = {}
    for child in element:
        body = (child.text or "").strip() if child.tag is ET.Comment else ""
        if body.startswith(META_PREFIX):
            try:
                value = json.loads(body[len(META_PREFIX) :])
            except json.JSONDecodeError as error:
                raise FormatError(line, f"'<!-- @quiz -->' needs JSON: {error.msg}") from error
            if not isinstance(value, dict):
                raise FormatError(line, "'<!-- @quiz -->' needs a JSON object")
            for key, item in value.items():
                check = META_TYPES.get(key)
                if check is None or not check(item):
                    raise FormatError(line, f"'<!-- @quiz -->' has an unknown or wrong '{key}'")
            out.update(value)
    return out


def _strings(value: Any) -> bool:
    """Whether a value is a list of strings."""
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


META_TYPES = {
    "partial_ranges": lambda v: (
        isinstance(v, list)
        and all(
            x is None
            or (
                isinstance(x, list)
                and len(x) == 2
                and all(isinstance(n, int | float) and not isinstance(n, bool) for n in x)
            )
            for x in v
        )
    ),
    "kind": lambda v: v == "flashcard",
    "back": lambda v: isinstance(v, str),
    "prompt": lambda v: isinstance(v, str),
    "fuzzy": lambda v: isinstance(v, bool),
    "paragraph": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "tags": _strings,
    "range": lambda v: (
        isinstance(v, list)
        and len(v) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in v)
    ),
    "md": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    "rubric": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
}


def fraction_of(raw: str | None, line: int, ranks: bool = False) -> float:
    """An answer's fraction; one of Moodle's grade options unless it is an ordering's rank."""
    try:
        value = float(raw if raw is not None else "0")
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise FormatError(line, f'<answer fraction="{raw}">: not a number')
    if not ranks and not any(abs(abs(value) - grade) < 0.001 for grade in GRADES):
        raise FormatError(
            line,
            f'<answer fraction="{raw}">: not one of Moodle\'s grades (such as 100, 50, '
            "33.33333, 0); Moodle refuses this file too",
        )
    return value


@dataclass
class Item:
    """One <question> being read into the collector."""

    element: ET.Element
    line: int
    number: int
    lines: dict[int, int]
    collector: Collector
    meta: dict[str, Any]
    dropped: list[str] = field(default_factory=list)
    finder: FileFinder | None = None
    used: set[str] = field(default_factory=set)  # the embedded files the texts name

    @property
    def name(self) -> str:
        """The question's name, as plain text."""
        return " ".join(text_at(self.element, "name/text").split())

    def warn(self, message: str) -> None:
        """A warning that names this question."""
        self.collector.warn(self.line, f"question {self.number} '{self.name}': {message}")

    def refuse(self, message: str, element: ET.Element | None = None) -> FormatError:
        """An error naming this question (and the line of an element in it)."""
        line = self.lines.get(id(element), self.line) if element is not None else self.line
        return FormatError(line, f"question {self.number} '{self.name}': {message}")

    def rich(self, element: ET.Element | None, plain: bool = False) -> str:
        """A text element (questiontext, feedback, answer) as Markdown; files dropped."""
        if element is None:
            return ""
        raw = text_at(element, "text") if element.find("text") is not None else element.text or ""
        if raw.strip() in self.meta.get("md", {}):
            return self.kept_markdown(str(self.meta["md"][raw.strip()]))
        fmt = element.get("format", "html")
        if plain or fmt == "plain_text":
            return plain_to_markdown(raw)
        if fmt == "markdown":
            return raw.strip()
        converted = html_to_markdown(raw, self.resolve)
        self.dropped.extend(converted.images + converted.files)
        return converted.text

    def resolve(self, src: str) -> str | None:
        """An `@@PLUGINFILE@@/x` of this question as the media name of its file, or None."""
        if self.finder is None:
            return None
        name = self.finder.resolver(self.element, self.number)(src)
        if name is not None:
            self.used.add(plugin_name(src) or "")
        return name

    def kept_markdown(self, markdown: str) -> str:
        """The Markdown our export kept, its `media:` names taken from this file's files."""
        renamed = {}
        for name in names_used([markdown]):
            found = self.resolve(f"@@PLUGINFILE@@/{quote(name)}")
            if found is None:
                raise self.refuse(f"'{name}' is used but no <file name=\"{name}\"> holds it")
            renamed[name] = found
        return rename_text(markdown, renamed)

    def answers(self, ranks: bool = False) -> list[tuple[float, ET.Element]]:
        """Each <answer> with its fraction."""
        return [
            (fraction_of(a.get("fraction"), self.lines.get(id(a), self.line), ranks), a)
            for a in self.element.findall("answer")
        ]

    def read(self, kind: str, category_tags: list[str]) -> None:
        """Map the question to one of our kinds and add it, or skip it with a warning."""
        if kind in SKIPPED_TYPES:
            self.warn(f"skipped: {SKIPPED_TYPES[kind]}")
            return
        reader = READERS.get(kind)
        if reader is None:
            self.warn(f"skipped: Moodle's '{kind}' type has no kind here yet")
            return
        if self.element.find("image_base64") is not None or self.element.find("image") is not None:
            self.warn("the Moodle 1.9 <image> was dropped (only @@PLUGINFILE@@ files are read)")
        if self.element.find("hint") is not None:
            self.warn("hints are not kept")
        fields = reader(self)
        if fields is not None:
            fields.update(
                explanation=self.rich(self.element.find("generalfeedback")),
                prompt=fields.get("prompt") or self.rich(self.element.find("questiontext")),
            )
        if self.dropped:
            names = sorted({name.rsplit("/", 1)[-1] or name for name in self.dropped})
            self.warn(f"images and links to files not in this file dropped: {', '.join(names)}")
        unused = self.finder.unused(self.element, self.used) if self.finder else []
        if unused:
            self.warn(f"embedded files no text names, not kept: {', '.join(sorted(unused))}")
        if fields is None:
            return
        tags = [" ".join(text_at(t, "text").split()) for t in self.element.findall("tags/tag")]
        tags = [*self.meta.get("tags", []), *(t for t in tags if t), *category_tags]
        fields.update(tags=list(dict.fromkeys(tags)), paragraph=self.meta.get("paragraph"))
        idnumber = text_at(self.element, "idnumber").strip()
        key = idnumber if SLUG.fullmatch(idnumber) and len(idnumber) <= KEY_LENGTH else ""
        key = key or key_for_title(idnumber or self.name)
        if len(self.collector.questions) >= MAX_QUESTIONS:
            raise FormatError(self.line, f"more than {MAX_QUESTIONS:,} questions in one file")
        try:
            self.collector.add(self.line, fields, key=key, label=self.name)
        except FormatError as error:
            if not isinstance(error.__cause__, QuestionError):
                raise
            self.warn(f"skipped: {error.__cause__}")


__all__ = ["escape_markdown", "parse", "read_moodle_xml"]
