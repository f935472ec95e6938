"""Moodle GIFT: the reader (the writer is in gift_writer.py). Pure.

Written by hand: no maintained Python library reads GIFT (the few on PyPI are abandoned and
know neither line numbers nor Moodle's escapes). The rules follow Moodle's own reader
(qformat_gift): blocks separated by blank lines, `//` comment lines, `$CATEGORY:`, `::title::`,
`[format]`, answers in braces with `=`/`~` markers, `%weight%`, `#feedback`, `####general
feedback`, and the escapes \\~ \\= \\# \\{ \\} \\: \\\\ and \\n.

Our own extension, invisible to Moodle (it is a comment): a line `// @quiz {json}` inside a
question's block carries what GIFT cannot say (tags, paragraph, unit, kind, ...), so an export
read back here gives the same questions.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from quiz.formats.common import Collector, FormatError, ReadResult, check_text, key_for_title
from quiz.formats.gift_syntax import (
    Answer,
    Block,
    Parsed,
    find,
    parse_braces,
    split_blocks,
    unescape,
)
from quiz.formats.weights import (
    Skipped,
    Weighted,
    multiple_select,
    numeric_answers,
    short_answers,
    single_choice,
)

__all__ = ["find", "read_gift", "unescape"]

BLANK = "_____"
FORMAT_TAG = re.compile(r"\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
META_PREFIX = "// @quiz"
META_KEYS = frozenset(
    {"kind", "tags", "paragraph", "shuffle", "fuzzy", "unit", "prompt", "near_misses"}
)
META_KINDS = ("cloze", "flashcard", "ordering", "multiple_select")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])|^(\s*)([#>+-])", re.MULTILINE)


def plain_to_markdown(text: str) -> str:
    """[plain] text as Markdown that shows it as typed: its special characters escaped."""
    return _MARKDOWN_SPECIAL.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text
    )


def read_gift(text: str) -> ReadResult:
    """Read GIFT text; FormatError (line, column, problem) on the first thing that is wrong."""
    collector = Collector()
    category_tag, title = "", ""
    for block, metas in _blocks(check_text(text)):
        if block.text.lstrip().startswith("$CATEGORY:"):
            first_end = block.text.find("\n")
            head = block.text if first_end < 0 else block.text[:first_end]
            path = head.split(":", 1)[1].strip()
            category_tag, name = _category(path)
            title = title or name
            if first_end < 0:
                continue
            rest = block.text[first_end + 1 :]
            block = Block(rest, [s - first_end - 1 for s in block.starts[1:]], block.numbers[1:])
        meta = _meta(metas)
        _read_question(block, meta, category_tag, collector)
    return collector.result(title)


def _blocks(lines: list[str]) -> list[tuple[Block, list[tuple[int, str]]]]:
    """Questions as Blocks (blank-line separated, comments removed) and their meta comments."""
    out: list[tuple[Block, list[tuple[int, str]]]] = []
    kept: list[tuple[int, str]] = []
    metas: list[tuple[int, str]] = []

    def flush() -> None:
        if kept:
            starts, offset = [], 0
            for _, line in kept:
                starts.append(offset)
                offset += len(line) + 1
            out.append(
                (Block("\n".join(ln for _, ln in kept), starts, [n for n, _ in kept]), metas)
            )
        elif metas:
            raise FormatError(metas[0][0], "a '// @quiz' line must be inside a question's block")

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            flush()
            kept, metas = [], []
        elif stripped.startswith(META_PREFIX):
            metas.append((number, stripped[len(META_PREFIX) :].strip()))
        elif not stripped.startswith("//"):
            kept.append((number, line))
    flush()
    return out


def _category(path: str) -> tuple[str, str]:
    """A Moodle category path as (tag, title): its last meaningful part."""
    parts = [
        part.strip()
        for part in path.split("/")
        if part.strip()
        and not part.strip().startswith("$")
        and part.strip().lower() != "top"
        and not part.strip().lower().startswith("default for")
    ]
    if not parts:
        return "", ""
    return key_for_title(parts[-1]), parts[-1]


def _meta(metas: list[tuple[int, str]]) -> dict[str, Any]:
    """The `// @quiz {...}` lines of a block, merged."""
    out: dict[str, Any] = {}
    for number, raw in metas:
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as error:
            raise FormatError(
                number, f"'// @quiz' needs a JSON object: {error.msg}", error.colno
            ) from error
        if not isinstance(value, dict):
            raise FormatError(number, "'// @quiz' needs a JSON object such as {\"tags\": [...]}")
        unknown = sorted(set(value) - META_KEYS)
        if unknown:
            raise FormatError(number, f"'// @quiz' does not know '{unknown[0]}'")
        if value.get("kind", "cloze") not in META_KINDS:
            raise FormatError(number, f"'// @quiz' kind is one of {', '.join(META_KINDS)}")
        out.update(value)
    return out


def _read_question(
    block: Block, meta: dict[str, Any], category_tag: str, collector: Collector
) -> None:
    """One block: title, format, text and answer blocks, into the collector."""
    text = block.text
    index = len(text) - len(text.lstrip())
    title = ""
    if text.startswith("::", index):
        end = find(text, "::", index + 2)
        if end < 0:
            raise block.error(index, "could not find the '::' closing the title")
        title = unescape(text[index + 2 : end]).strip()
        index = end + 2
    while index < len(text) and text[index].isspace():
        index += 1
    tag = FORMAT_TAG.match(text, index)
    if tag:
        index = tag.end()
    segments, braces = split_blocks(block, index)
    label = title or unescape(segments[0]).strip()[:40]
    if not braces:
        collector.warn(block.line, f"'{label}' has no answers in braces (a description); skipped")
        return
    parsed = [parse_braces(block, start, end) for start, end in braces]
    general = parsed[-1].general or next((p.general for p in parsed if p.general), "")
    fields: dict[str, Any] = {"explanation": general}
    tags = list(meta.get("tags") or [])
    if category_tag and category_tag not in tags:
        tags.append(category_tag)
    fields["tags"] = tags
    if "paragraph" in meta:
        fields["paragraph"] = meta["paragraph"]
    texts = [unescape(part) for part in segments]
    if tag and tag.group(1).lower() == "plain":
        texts = [plain_to_markdown(part) for part in texts]
    mid_sentence = len(parsed) > 1 or bool(texts[-1].strip())
    kind = meta.get("kind")
    if parsed[0].sort == "essay" and len(parsed) > 1:
        collector.warn(block.line, f"an essay's '{{}}' among other gaps; '{label}' skipped")
        return
    if parsed[0].sort == "essay":
        # GIFT's essay is only `{}`: no word limit, model answer or rubric to carry over.
        fields.update(kind="essay", prompt="".join(texts).strip())
    elif len(parsed) > 1 or (
        parsed[0].sort == "short"
        and (mid_sentence or kind == "cloze")
        and not (kind != "cloze" and _weighted_gap(parsed[0]))
    ):
        fields.update(_cloze(block, parsed, texts, meta, collector))
    else:
        prompt = (texts[0] + BLANK + texts[1]) if mid_sentence else texts[0]
        fields["prompt"] = prompt.strip()
        try:
            fields.update(_kind_fields(block, parsed[0], meta, collector))
        except Skipped as skipped:
            collector.warn(block.line, f"'{label}' skipped: {skipped}")
            return
    key = key_for_title(title) if title else ""
    collector.add(block.line, fields, key=key, label=label)


def _weighted_gap(parsed: Parsed) -> bool:
    """A lone gap with partly right answers or feedback: a short answer keeps them, a cloze not."""
    return any(a.feedback or 0 < a.credit < 100 for a in parsed.answers)


def _weighted(answer: Answer) -> Weighted:
    """An answer as the weights module reads it."""
    return Weighted(answer.text, answer.credit, answer.feedback)


def _number(block: Block, raw: str, offset: int) -> float:
    """A finite number written in an answer."""
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise block.error(offset, f"'{raw.strip()}' is not a number")
    return value


def _numeric_fields(block: Block, answer: Answer) -> dict[str, Any]:
    """value and tolerance, or range, from `750:25`, `700..800` or `750`."""
    spec = answer.text
    if ".." in spec:
        low, high = spec.split("..", 1)
        return {"range": [_number(block, low, answer.offset), _number(block, high, answer.offset)]}
    if ":" in spec:
        value, tolerance = spec.split(":", 1)
        return {
            "value": _number(block, value, answer.offset),
            "tolerance": abs(_number(block, tolerance, answer.offset)),
        }
    return {"value": _number(block, spec, answer.offset)}


def _kind_fields(
    block: Block, parsed: Parsed, meta: dict[str, Any], collector: Collector
) -> dict[str, Any]:
    """The kind and its fields for a question with one brace block at the end."""
    kind = meta.get("kind")
    line = block.line
    if parsed.sort == "true_false":
        wrong, right = parsed.feedbacks
        by_answer = {parsed.truth: right, not parsed.truth: wrong}
        return {
            "kind": "true_false",
            "answer": parsed.truth,
            "feedback_true": by_answer[True],
            "feedback_false": by_answer[False],
        }
    if parsed.sort == "numeric":
        numbers = [(_numeric_fields(block, a), _weighted(a)) for a in parsed.answers]
        if not any(w.full for _spec, w in numbers):
            raise block.error(parsed.answers[0].offset, "a numerical question needs a 100% answer")
        out = numeric_answers(numbers, lambda message: collector.warn(line, message))
        if meta.get("unit"):
            out["unit"] = meta["unit"]
        return out
    if parsed.sort == "matching":
        pairs = []
        for answer in parsed.answers:
            arrow = find(answer.text, "->")
            left, right = answer.text[:arrow].strip(), answer.text[arrow + 2 :].strip()
            if not left:
                collector.warn(line, f"extra right answer '{right}' without a left not kept")
                continue
            pairs.append({"left": left, "right": right})
        if kind == "ordering":
            try:
                ordered = sorted(pairs, key=lambda pair: int(pair["left"]))
            except ValueError as error:
                raise FormatError(
                    line, "an ordering question numbers its items 1 -> first ..."
                ) from error
            return {"kind": "ordering", "items": [pair["right"] for pair in ordered]}
        return {"kind": "matching", "pairs": pairs}
    if parsed.sort == "short":
        return _short_fields(block, parsed, meta, collector)
    return _choice_fields(block, parsed, meta, collector)


def _short_fields(
    block: Block, parsed: Parsed, meta: dict[str, Any], collector: Collector
) -> dict[str, Any]:
    """Short answer (0% answers are near misses), or a flashcard when the meta says so."""
    line = block.line
    if meta.get("kind") == "flashcard":
        return {"kind": "flashcard", "back": parsed.answers[0].text}
    out = short_answers(
        [_weighted(a) for a in parsed.answers], lambda message: collector.warn(line, message)
    )
    near = list(out.get("near_misses") or [])
    near += list(meta.get("near_misses") or [])
    if near:
        out["near_misses"] = near
    if "fuzzy" in meta:
        out["fuzzy"] = meta["fuzzy"]
    return out


def _choice_fields(
    block: Block, parsed: Parsed, meta: dict[str, Any], collector: Collector
) -> dict[str, Any]:
    """Multiple choice (one full answer) or multiple select (credit split over several)."""
    line = block.line
    answers = parsed.answers
    if not any(a.credit > 0 for a in answers):
        raise block.error(
            answers[0].offset, "no right answer: mark one with = or give it a %weight%"
        )
    weighted = [_weighted(a) for a in answers]
    full = sum(w.full for w in weighted)

    def warn(message: str) -> None:
        collector.warn(line, message)

    positive = [w for w in weighted if w.credit > 0]
    if meta.get("kind") == "multiple_select":
        out = multiple_select(weighted, warn)
    elif full == 1:
        out = single_choice(weighted, warn)
    elif not full and len(positive) == 1:  # a partly right answer alone is never rounded up
        raise Skipped(f"no answer is worth 100% ('{positive[0].text}' is {positive[0].credit:g}%)")
    else:
        if full > 1:
            warn("several answers are each fully right; imported as multiple select")
        out = multiple_select(weighted, warn)
    if "shuffle" in meta:
        out["shuffle"] = meta["shuffle"]
    return out


def _cloze(
    block: Block, parsed: list[Parsed], texts: list[str], meta: dict[str, Any], collector: Collector
) -> dict[str, Any]:
    """Gaps in a sentence (missing word with `=` answers) as a cloze question."""
    line = block.line
    out = [texts[0]]
    for number, part in enumerate(parsed):
        if part.sort != "short":
            raise FormatError(
                line, "a question with several answer blocks may only have = answers in each"
            )
        answers = [a.text for a in part.answers if a.credit >= 100]
        for answer in part.answers:
            if 0 < answer.credit < 100:  # never rounded up to right
                collector.warn(
                    line,
                    f"gap answer '{answer.text}' ({answer.credit:g}%) not kept: a gap is right "
                    "or wrong",
                )
            elif answer.feedback or answer.credit <= 0:
                collector.warn(
                    line, f"gap answer '{answer.text}': feedback and wrong answers are not kept"
                )
            if "|" in answer.text:
                raise block.error(answer.offset, "a gap's answer cannot contain '|'")
        out.append("{{" + "|".join(answers) + "}}")
        out.append(texts[number + 1])
    gaps = len(parsed)
    default = "Fill in the gap." if gaps == 1 else "Fill in the gaps."
    return {"kind": "cloze", "prompt": meta.get("prompt") or default, "text": "".join(out).strip()}
