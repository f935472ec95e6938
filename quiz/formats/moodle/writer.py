"""Moodle XML: the writer. Pure; the reader reads its output back to equal questions.

Texts are written as Moodle writes them (`format="html"`, rendered and sanitized from our
Markdown). What Moodle XML cannot say goes into a `<!-- @quiz {json} -->` comment that Moodle
ignores: the kind where Moodle has none (a flashcard is written as a short answer), paragraph,
fuzzy, a cloze's prompt, a numeric range, and the Markdown behind any HTML that would not read
back to the same Markdown (keyed by that HTML, so a text edited in Moodle is read as edited).
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from quiz.formats.common import Notice
from quiz.formats.gift_writer import number
from quiz.formats.html_text import html_to_markdown, plain_to_markdown
from quiz.formats.latex import tex_html as render_html  # formulas kept as \(...\) for Moodle
from quiz.formats.latex import tex_inline_html as render_inline_html
from quiz.formats.media_files import export_markdown, plugin_name
from quiz.formats.moodle.cloze import PLACEHOLDER
from quiz.formats.moodle.files import ROOTED, attach_files, plugin_markdown
from quiz.formats.moodle.reader import GRADES
from quiz.formats.yaml_bank import QuestionData, SetData
from quiz.markup import plain_text
from quiz.questions import (
    Cloze,
    Essay,
    Flashcard,
    Matching,
    MultipleChoice,
    MultipleSelect,
    Numeric,
    Ordering,
    ShortAnswer,
    TrueFalse,
)
from quiz.textmatch import cloze_partials, split_cloze

TYPES = {
    "multiple_choice": "multichoice",
    "multiple_select": "multichoice",
    "true_false": "truefalse",
    "short_answer": "shortanswer",
    "flashcard": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "ordering": "ordering",
    "cloze": "cloze",
    "essay": "essay",
}


def grade(percent: float) -> str:
    """A fraction as Moodle writes it: up to five decimals."""
    return f"{percent:.5f}".rstrip("0").rstrip(".")


def write_moodle_xml(
    data: SetData, media: Mapping[str, bytes] | None = None
) -> tuple[str, list[Notice]]:
    """Moodle XML for a set, and notes on what Moodle will see differently; `media` (name ->
    bytes) are the set's files, embedded as base64 `<file>` where a text uses them."""
    root = ET.Element("quiz")
    notices: list[Notice] = []
    for position, item in enumerate(data.questions, start=1):
        element = _Writer(item, position, notices, media or {}).element()
        if media:
            attach_files(element, media)
        root.append(element)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", notices


def _add(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    """A child element with text."""
    child = ET.SubElement(parent, tag, attrs)
    if text:
        child.text = text
    return child


class _Writer:
    """One question's <question> element and its meta."""

    def __init__(
        self,
        item: QuestionData,
        position: int,
        notices: list[Notice],
        media: Mapping[str, bytes],
    ) -> None:
        self.item = item
        self.media = media
        self.position = position
        self.notices = notices
        self.meta: dict[str, Any] = {}
        self.md: dict[str, str] = {}

    def note(self, message: str) -> None:
        """A note about this question."""
        self.notices.append(Notice(0, f"question {self.position}: {message}"))

    def html(self, markdown: str, inline: bool = False) -> str:
        """Markdown as Moodle's HTML; the Markdown is kept when the HTML would not give it back."""
        written = (render_inline_html if inline else render_html)(self.files(markdown))
        written = written.replace(ROOTED, 'src="@@PLUGINFILE@@/')
        if html_to_markdown(written, self.resolve).text != markdown:
            self.md[written.strip()] = markdown
        return written

    def files(self, markdown: str) -> str:
        """The set's files as Moodle names them (`@@PLUGINFILE@@/NAME`)."""
        return export_markdown(markdown, plugin_markdown) if self.media else markdown

    def resolve(self, src: str) -> str | None:
        """`@@PLUGINFILE@@/NAME` -> NAME for a file of the set (to check the HTML reads back)."""
        name = plugin_name(src)
        return name if name in self.media else None

    def plain(self, markdown: str) -> str:
        """Markdown as Moodle's plain text (matching answers), kept the same way."""
        written = plain_text(markdown)
        if plain_to_markdown(written) != markdown:
            self.md[written.strip()] = markdown
        return written

    def text(self, parent: ET.Element, tag: str, markdown: str, inline: bool = False) -> None:
        """An element with format="html" and its <text>."""
        _add(_add(parent, tag, format="html"), "text", self.html(markdown, inline))

    def element(self) -> ET.Element:
        """The whole <question>."""
        question = self.item.question
        out = ET.Element("question", {"type": TYPES[question.kind]})
        name = _add(out, "name")
        _add(name, "text", self.item.key)
        text = self.cloze(question) if isinstance(question, Cloze) else self.html(question.prompt)
        _add(_add(out, "questiontext", format="html"), "text", text)
        self.text(out, "generalfeedback", question.explanation)
        _add(out, "defaultgrade", "1.0000000")
        _add(out, "penalty", "0.3333333")
        _add(out, "hidden", "0")
        _add(out, "idnumber", self.item.key)
        self.spec(out, question)
        if question.tags:
            tags = _add(out, "tags")
            for tag in question.tags:
                _add(_add(tags, "tag"), "text", tag)
        if question.paragraph is not None:
            self.meta["paragraph"] = question.paragraph
        if self.md:
            self.meta["md"] = self.md
        if self.meta:
            # "--" may not appear in an XML comment; inside JSON strings it is escaped.
            raw = json.dumps(self.meta, ensure_ascii=False).replace("--", "-\\u002d")
            out.insert(0, ET.Comment(f" @quiz {raw} "))
        return out

    def spec(self, out: ET.Element, question: Any) -> None:
        """The kind's own elements."""
        if isinstance(question, MultipleChoice | MultipleSelect):
            _add(out, "single", "true" if isinstance(question, MultipleChoice) else "false")
            _add(out, "shuffleanswers", "true" if question.shuffle else "false")
            _add(out, "answernumbering", "abc")
            right = sum(choice.correct for choice in question.choices)
            share = 100.0 if isinstance(question, MultipleChoice) else 100 / right
            weighted = isinstance(question, MultipleSelect) and question.weighted
            if isinstance(question, MultipleSelect) and not weighted and right > 10 and right != 20:
                self.note(f"{right} right choices: {grade(share)}% is not a grade Moodle accepts")
            for choice in question.choices:
                if weighted or choice.weight is not None:
                    fraction = self.fraction(choice.weight or 0.0, choice.text)
                else:
                    single = isinstance(question, MultipleChoice)
                    fraction = share if choice.correct else (0.0 if single else -share)
                answer = _add(out, "answer", fraction=grade(fraction), format="html")
                _add(answer, "text", self.html(choice.text, inline=True))
                self.text(answer, "feedback", choice.feedback)
        elif isinstance(question, TrueFalse):
            feedbacks = ((True, question.feedback_true), (False, question.feedback_false))
            for value, feedback in feedbacks:
                fraction = "100" if value == question.answer else "0"
                answer = _add(out, "answer", fraction=fraction, format="moodle_auto_format")
                _add(answer, "text", "true" if value else "false")
                self.text(answer, "feedback", feedback)
        elif isinstance(question, ShortAnswer | Flashcard):
            _add(out, "usecase", "0")
            if isinstance(question, Flashcard):
                self.note("flashcard written as a short answer (the back is the answer)")
                self.meta.update(kind="flashcard", back=question.back)
                pairs = [(plain_text(question.back) or question.back, "100")]
            else:
                if not question.fuzzy:
                    self.meta["fuzzy"] = False
                notes = dict(question.feedback)
                pairs = [(a, "100", notes.get(a, "")) for a in question.answers]
                pairs += [
                    (a.text, grade(self.fraction(a.weight, a.text)), a.feedback)
                    for a in question.partial
                ]
                pairs += [(a, "0", notes.get(a, "")) for a in question.near_misses]
            for text, fraction, *feedback in pairs:
                answer = _add(out, "answer", fraction=fraction, format="moodle_auto_format")
                _add(answer, "text", text.replace("*", "\\*"))  # a bare * is Moodle's wildcard
                if feedback and feedback[0]:
                    self.text(answer, "feedback", feedback[0])
        elif isinstance(question, Numeric):
            if question.bounds is not None:
                low, high = question.bounds
                value, tolerance = (low + high) / 2, (high - low) / 2
                self.meta["range"] = [low, high]
            else:
                value, tolerance = question.value or 0.0, question.tolerance
            answer = _add(out, "answer", fraction="100", format="moodle_auto_format")
            _add(answer, "text", number(value))
            _add(answer, "tolerance", number(tolerance))
            if question.feedback:
                self.text(answer, "feedback", question.feedback)
            self.numeric_partial(out, question)
            if question.unit:
                unit = _add(_add(out, "units"), "unit")
                _add(unit, "multiplier", "1")
                _add(unit, "unit_name", question.unit)
                _add(out, "unitgradingtype", "0")
                _add(out, "unitpenalty", "0.1000000")
                _add(out, "showunits", "0")
                _add(out, "unitsleft", "0")
        elif isinstance(question, Matching):
            _add(out, "shuffleanswers", "true")
            for left, right in question.pairs:
                sub = _add(out, "subquestion", format="html")
                _add(sub, "text", self.html(left, inline=True))
                _add(_add(sub, "answer"), "text", self.plain(right))
        elif isinstance(question, Essay):
            # Moodle's own elements; the rubric has no place in Moodle XML, so it rides in
            # the @quiz comment this app reads back.
            _add(out, "responseformat", "editor")
            _add(out, "responserequired", "1")
            _add(out, "responsefieldlines", "15")
            _add(out, "minwordlimit", "")
            _add(out, "maxwordlimit", str(question.word_limit or ""))
            _add(out, "attachments", "0")
            _add(out, "attachmentsrequired", "0")
            self.text(out, "graderinfo", question.model_answer)
            self.text(out, "responsetemplate", "")
            if question.rubric:
                self.meta["rubric"] = [
                    {"criterion": c.text, "points": c.points} for c in question.rubric
                ]
        elif isinstance(question, Ordering):
            _add(out, "layouttype", "VERTICAL")
            _add(out, "selecttype", "ALL")
            _add(out, "selectcount", "0")
            _add(out, "gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT")
            for rank, text in enumerate(question.items, start=1):
                answer = _add(out, "answer", fraction=str(rank), format="html")
                _add(answer, "text", self.html(text, inline=True))

    def fraction(self, weight: float, text: str) -> float:
        """A weight as Moodle's grade: the nearest grade not above it, noted when it moves."""
        allowed = [g for g in (*GRADES, *(-g for g in GRADES)) if g <= weight + 0.0005]
        written = max(allowed)
        if abs(written - weight) > 0.0005:
            self.note(
                f"'{plain_text(text) or text}' is worth {grade(weight)}%, written as "
                f"{grade(written)}% (Moodle accepts only its own grades)"
            )
        return written

    def numeric_partial(self, out: ET.Element, question: Numeric) -> None:
        """The partly right numbers as further answers; a range as its middle and tolerance."""
        ranges = []
        for part in question.partial:
            if part.bounds is None:
                value, tolerance = part.value or 0.0, part.tolerance
            else:
                low, high = part.bounds
                value, tolerance = (low + high) / 2, (high - low) / 2
            fraction = grade(self.fraction(part.weight, number(value)))
            answer = _add(out, "answer", fraction=fraction, format="moodle_auto_format")
            _add(answer, "text", number(value))
            _add(answer, "tolerance", number(tolerance))
            if part.feedback:
                self.text(answer, "feedback", part.feedback)
            ranges.append([low, high] if part.bounds is not None else None)
        if any(ranges):
            self.meta["partial_ranges"] = ranges

    def cloze(self, question: Cloze) -> str:
        """The text with each gap as {1:SHORTANSWER:=a~=b}; the prompt in the meta."""
        parts = split_cloze(question.text)
        gaps = [part for part in parts if isinstance(part, tuple)]
        default = "Fill in the gap." if len(gaps) == 1 else "Fill in the gaps."
        if question.prompt != default:
            self.meta["prompt"] = question.prompt
        marked, index = [], 0
        for part in parts:
            if isinstance(part, str):
                marked.append(part)
            else:
                marked.append(PLACEHOLDER.format(index))
                index += 1
        written = render_html(self.files("".join(marked))).replace(ROOTED, 'src="@@PLUGINFILE@@/')
        for index, (gap, partly) in enumerate(
            zip(gaps, cloze_partials(question.text), strict=True)
        ):
            written_answers = [("=", a) for a in gap] + [(f"%{grade(w)}%", a) for a, w in partly]
            answers = "~".join(
                mark + html.escape(_gap_escape(a), quote=False) for mark, a in written_answers
            )
            written = written.replace(PLACEHOLDER.format(index), f"{{1:SHORTANSWER:{answers}}}", 1)
        self.md[written.strip()] = question.text  # gaps' Markdown around them is kept as written
        return written


def _gap_escape(text: str) -> str:
    """A gap answer with Moodle's special characters escaped."""
    return re.sub(r"([\\}~#])", r"\\\1", text)
