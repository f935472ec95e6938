"""Moodle XML: the reader (the writer is in moodle_writer.py). Pure.

Parsed by defusedxml (a DOCTYPE or entity declaration is refused: billion laughs, XXE) with line
numbers kept for every element, so a refusal names the line and the element. Questions map to
our kinds; what a kind cannot hold is skipped with a warning naming the question and why, never
changed silently. Partial credit is not kept yet: an answer worth between 0 and 100% is never
taken as right. Categories (`$course$/A/B`) become tags, one per level of the path (A and b).

Our own extension, invisible to Moodle (an XML comment): `<!-- @quiz {json} -->` inside a
question carries what Moodle XML cannot say (kind, paragraph, fuzzy, a cloze's prompt, a range,
and the Markdown each written text came from), so an export read back gives equal questions.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

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
from quiz.formats.moodle_cloze import cloze_fields
from quiz.formats.yaml_bank import SLUG
from quiz.questions import QuestionError

META_PREFIX = "@quiz"
GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
          16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)  # fmt: skip
SKIPPED_TYPES = {
    "essay": "essay questions are not supported yet",
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
    tags: list[str] = []
    title = ""
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
            tags, name = _category(_text(element, "category/text"))
            title = title or name
            continue
        number += 1
        item = _Item(element, line, number, lines, collector, _meta(element, line))
        item.read(kind, tags)
    if not collector.questions and collector.warnings:
        skips = [w for w in collector.warnings if "skipped" in w.message]
        first = (skips or collector.warnings)[0]
        raise FormatError(first.line, f"nothing to import: {first.message}")
    return collector.result(title)


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


def _text(element: ET.Element, path: str) -> str:
    """The text at a path (the first such element), "" when absent."""
    found = element.find(path)
    return "" if found is None else "".join(found.itertext())


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
            out.update(value)
    return out


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
class _Item:
    """One <question> being read into the collector."""

    element: ET.Element
    line: int
    number: int
    lines: dict[int, int]
    collector: Collector
    meta: dict[str, Any]
    dropped: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The question's name, as plain text."""
        return " ".join(_text(self.element, "name/text").split())

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
        raw = _text(element, "text") if element.find("text") is not None else element.text or ""
        self.drop_files(element)
        if raw.strip() in self.meta.get("md", {}):
            return str(self.meta["md"][raw.strip()])
        fmt = element.get("format", "html")
        if plain or fmt == "plain_text":
            return plain_to_markdown(raw)
        if fmt == "markdown":
            return raw.strip()
        converted = html_to_markdown(raw)
        self.dropped.extend(converted.images + converted.files)
        return converted.text

    def drop_files(self, element: ET.Element) -> None:
        """Note the files embedded in a text element: they are not kept yet."""
        self.dropped.extend(f"@@PLUGINFILE@@/{f.get('name', '?')}" for f in element.findall("file"))

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
            self.warn("the Moodle 1.9 <image> was dropped (images are not kept yet)")
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
            self.warn(f"images and embedded files dropped (not kept yet): {', '.join(names)}")
        if fields is None:
            return
        tags = [" ".join(_text(t, "text").split()) for t in self.element.findall("tags/tag")]
        tags = [*self.meta.get("tags", []), *(t for t in tags if t), *category_tags]
        fields.update(tags=list(dict.fromkeys(tags)), paragraph=self.meta.get("paragraph"))
        idnumber = _text(self.element, "idnumber").strip()
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


def _flag(item: _Item, path: str, default: bool) -> bool:
    """A Moodle boolean (true/false/1/0) at a path."""
    raw = _text(item.element, path).strip().lower()
    return default if not raw else raw in ("1", "true", "yes")


def _multichoice(item: _Item) -> dict[str, Any] | None:
    """Single: one 100% choice (partial ones count as wrong); multiple: equal right shares."""
    answers = item.answers()
    single = _flag(item, "single", True)
    choices = []
    for fraction, answer in answers:
        choice: dict[str, Any] = {"text": item.rich(answer)}
        feedback = item.rich(answer.find("feedback"))
        if feedback:
            choice["feedback"] = feedback
        choice["correct"] = fraction >= 99.999 if single else fraction > 0
        if single and 0 < fraction < 99.999:
            item.warn(
                f"partial credit is not kept yet: '{choice['text']}' ({fraction:g}%) "
                "counts as wrong"
            )
        choices.append(choice)
    shuffle = _flag(item, "shuffleanswers", True)
    if single:
        full = sum(c["correct"] for c in choices)
        if full != 1:
            item.warn(f"skipped: a single-answer question needs one 100% answer, found {full}")
            return None
        return {"kind": "multiple_choice", "choices": choices, "shuffle": shuffle}
    shares = [f for f, _ in answers if f > 0]
    if not shares or abs(sum(shares) - 100) > 0.01 or max(shares) - min(shares) > 0.01:
        item.warn(
            "skipped: partial credit is not kept yet, and here the right choices' weights "
            f"({', '.join(f'{s:g}%' for s in shares)}) are not equal shares of 100%"
        )
        return None
    penalties = {round(-f, 3) for f, _ in answers if f <= 0}
    share = round(100 / len(shares), 3)
    if penalties - {share}:
        item.warn(
            f"a wrong tick costs {share:g}% here (what a right tick earns); the file's "
            f"penalties ({', '.join(f'{-p:g}%' for p in sorted(penalties))}) are not kept"
        )
    return {"kind": "multiple_select", "choices": choices, "shuffle": shuffle}


def _truefalse(item: _Item) -> dict[str, Any] | None:
    """The answer with fraction 100 is the truth; each answer's feedback is kept."""
    out: dict[str, Any] = {"kind": "true_false"}
    truth = None
    for fraction, answer in item.answers():
        said = _text(answer, "text").strip().lower() == "true"
        feedback = item.rich(answer.find("feedback"))
        if feedback:
            out["feedback_true" if said else "feedback_false"] = feedback
        if fraction >= 99.999:
            truth = said
    if truth is None:
        item.warn("skipped: neither true nor false is worth 100%")
        return None
    return {**out, "answer": truth}


def _shortanswer(item: _Item) -> dict[str, Any] | None:
    """100% answers are accepted, 0% ones near misses; partial ones and `*` are dropped."""
    accepted, near = [], []
    for fraction, answer in item.answers():
        text = _text(answer, "text").strip()
        if text == "*":
            item.warn("the '*' answer (feedback for any other answer) is not kept")
            continue
        if re.search(r"(?<!\\)\*", text):
            item.warn(f"answer '{text}' uses Moodle's '*' wildcard, which is not kept; dropped")
            continue
        text = text.replace("\\*", "*")
        if 0 < fraction < 99.999:
            item.warn(f"partial credit is not kept yet: '{text}' ({fraction:g}%) dropped")
            continue
        if _text(answer, "feedback/text").strip():
            item.warn(f"the feedback for '{text}' is not kept on a short answer")
        (accepted if fraction >= 99.999 else near).append(text)
    if not accepted:
        item.warn("skipped: no answer is worth 100%")
        return None
    if _flag(item, "usecase", False):
        item.warn("case-sensitive matching (usecase) is not kept: case is ignored here")
    if item.meta.get("kind") == "flashcard":
        return {"kind": "flashcard", "back": item.meta.get("back") or accepted[0]}
    out: dict[str, Any] = {"kind": "short_answer", "answers": accepted, "near_misses": near}
    if "fuzzy" in item.meta:
        out["fuzzy"] = item.meta["fuzzy"]
    return out


def _numerical(item: _Item) -> dict[str, Any] | None:
    """The first 100% answer with its tolerance, and the unit whose multiplier is 1."""
    from quiz import units  # pint loads lazily; only numerical questions need it

    full = []
    for fraction, answer in item.answers():
        text = _text(answer, "text").strip()
        if text == "*" or fraction < 99.999:
            what = "the '*' answer" if text == "*" else f"'{text}' ({fraction:g}%)"
            item.warn(f"{what} not kept: one right answer per question, no partial credit yet")
            continue
        try:
            value, tolerance = float(text), abs(float(_text(answer, "tolerance") or 0))
        except ValueError:
            raise item.refuse(f"'{text}' is not a number", answer) from None
        if not (math.isfinite(value) and math.isfinite(tolerance)):
            raise item.refuse(f"'{text}' is not a finite number", answer)
        full.append((value, tolerance))
    if not full:
        item.warn("skipped: no answer is worth 100%")
        return None
    if len(full) > 1:
        item.warn("only the first 100% answer is kept")
    value, tolerance = full[0]
    out: dict[str, Any] = {"kind": "numeric", "value": value, "tolerance": tolerance}
    bounds = item.meta.get("range")
    if isinstance(bounds, list) and len(bounds) == 2:
        low, high = bounds
        if abs(low - (value - tolerance)) < 1e-9 * max(1, abs(low)):
            out = {"kind": "numeric", "range": [low, high]}
    unit = _base_unit(item, units)
    if unit:
        out["unit"] = unit
    return out


def _base_unit(item: _Item, units: Any) -> str:
    """The unit with multiplier 1 when pint knows it; the others are warned about if pint
    converts them differently (pint's conversion is what grades an answer here)."""
    found = [
        (_text(u, "unit_name").strip(), float(_text(u, "multiplier") or 1))
        for u in item.element.findall("units/unit")
    ]
    base = next((name for name, factor in found if abs(factor - 1) < 1e-12), "")
    if not base:
        if found:
            item.warn("no unit with multiplier 1; the number is asked without a unit")
        return ""
    try:
        units.parse_unit(base)
    except units.UnitError:
        item.warn(f"unit '{base}' is not one this app knows; the number is asked without it")
        return ""
    for name, factor in found:
        try:
            converted = units.to_unit(f"1 {base}", name)
        except units.UnitError:
            item.warn(f"unit '{name}' is not one this app knows; answers in it are refused")
            continue
        if abs(converted - factor) > 1e-6 * max(1.0, abs(factor)):
            item.warn(f"1 {base} is {converted:g} {name} here, not {factor:g} as in the file")
    return base


def _matching(item: _Item) -> dict[str, Any] | None:
    """Subquestions as pairs; a subquestion without text is an extra answer (not kept)."""
    pairs = []
    for sub in item.element.findall("subquestion"):
        left = item.rich(sub)
        raw = _text(sub, "answer/text").strip()
        right = item.meta.get("md", {}).get(raw) or plain_to_markdown(raw)
        if not left:
            item.warn(f"the extra answer '{right}' (a distractor) is not kept")
            continue
        pairs.append({"left": left, "right": right})
    return {"kind": "matching", "pairs": pairs}


def _ordering(item: _Item) -> dict[str, Any] | None:
    """Moodle's ordering plug-in: answers ranked by their fraction 1, 2, 3..."""
    ranked = sorted(item.answers(ranks=True), key=lambda pair: pair[0])
    select = _text(item.element, "selecttype").strip().upper()
    if select and select != "ALL":
        item.warn(f"only a subset of the items is shown in Moodle ({select}); all are asked here")
    return {"kind": "ordering", "items": [item.rich(answer) for _, answer in ranked]}


def _cloze(item: _Item) -> dict[str, Any] | None:
    """Moodle's embedded answers (multianswer) as a cloze, when each gap can be typed."""
    element = item.element.find("questiontext")
    raw = _text(element, "text") if element is not None else ""
    if element is not None:
        item.drop_files(element)
    return cloze_fields(raw, item.meta, item.warn, item.refuse, item.dropped)


READERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "ordering": _ordering,
    "cloze": _cloze,
    "multianswer": _cloze,
}

__all__ = ["escape_markdown", "parse", "read_moodle_xml"]
