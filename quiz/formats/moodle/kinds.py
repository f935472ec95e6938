"""Moodle XML question types as our kinds: one function per type, for the reader (reader.py). Pure.

Each takes the question being read and returns our fields, or None after warning why the
question is skipped; partial credit keeps its weight (quiz.formats.weights) and is never taken
as right.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from quiz.formats.html_text import html_to_markdown, plain_to_markdown
from quiz.formats.moodle.cloze import PLACEHOLDER, cloze_fields
from quiz.formats.weights import (
    Skipped,
    Weighted,
    multiple_select,
    numeric_answers,
    short_answers,
    single_choice,
)
from quiz.questions.essay import MAX_WORD_LIMIT

if TYPE_CHECKING:
    from quiz.formats.moodle.reader import Item


def text_at(element: ET.Element, path: str) -> str:
    """The text at a path (the first such element), "" when absent."""
    found = element.find(path)
    return "" if found is None else "".join(found.itertext())


def _flag(item: Item, path: str, default: bool) -> bool:
    """A Moodle boolean (true/false/1/0) at a path."""
    raw = text_at(item.element, path).strip().lower()
    return default if not raw else raw in ("1", "true", "yes")


def _multichoice(item: Item) -> dict[str, Any] | None:
    """Single: one 100% choice, partly right ones weighted; multiple: the weights as given."""
    answers = [
        Weighted(item.rich(answer), fraction, item.rich(answer.find("feedback")))
        for fraction, answer in item.answers()
    ]
    try:
        if _flag(item, "single", True):
            out = single_choice(answers, item.warn)
        else:
            out = multiple_select(answers, item.warn)
    except Skipped as skipped:
        item.warn(f"skipped: {skipped}")
        return None
    return {**out, "shuffle": _flag(item, "shuffleanswers", True)}


def _truefalse(item: Item) -> dict[str, Any] | None:
    """The answer with fraction 100 is the truth; each answer's feedback is kept."""
    out: dict[str, Any] = {"kind": "true_false"}
    truth = None
    for fraction, answer in item.answers():
        said = text_at(answer, "text").strip().lower() == "true"
        feedback = item.rich(answer.find("feedback"))
        if feedback:
            out["feedback_true" if said else "feedback_false"] = feedback
        if fraction >= 99.999:
            truth = said
    if truth is None:
        item.warn("skipped: neither true nor false is worth 100%")
        return None
    return {**out, "answer": truth}


def _shortanswer(item: Item) -> dict[str, Any] | None:
    """100% answers accepted, partly right ones weighted, 0% ones near misses; `*` dropped."""
    answers = []
    for fraction, answer in item.answers():
        text = text_at(answer, "text").strip()
        if text == "*":
            item.warn("the '*' answer (feedback for any other answer) is not kept")
            continue
        if re.search(r"(?<!\\)\*", text):
            item.warn(f"answer '{text}' uses Moodle's '*' wildcard, which is not kept; dropped")
            continue
        feedback = item.rich(answer.find("feedback"))
        answers.append(Weighted(text.replace("\\*", "*"), fraction, feedback))
    if item.meta.get("kind") == "flashcard":
        full = [a.text for a in answers if a.full]
        if not full:
            item.warn("skipped: no answer is worth 100%")
            return None
        return {"kind": "flashcard", "back": item.meta.get("back") or full[0]}
    try:
        out = short_answers(answers, item.warn)
    except Skipped as skipped:
        item.warn(f"skipped: {skipped}")
        return None
    if _flag(item, "usecase", False):
        item.warn("case-sensitive matching (usecase) is not kept: case is ignored here")
    if "fuzzy" in item.meta:
        out["fuzzy"] = item.meta["fuzzy"]
    return out


def _numerical(item: Item) -> dict[str, Any] | None:
    """The first 100% answer with its tolerance, partly right ones weighted, and the unit
    whose multiplier is 1."""
    from quiz import units  # pint loads lazily; only numerical questions need it

    numbers = []
    ranges = list(item.meta.get("partial_ranges") or [])
    for fraction, answer in item.answers():
        text = text_at(answer, "text").strip()
        if text == "*":
            item.warn("the '*' answer (feedback for any other answer) is not kept")
            continue
        try:
            value, tolerance = float(text), abs(float(text_at(answer, "tolerance") or 0))
        except ValueError:
            raise item.refuse(f"'{text}' is not a number", answer) from None
        if not (math.isfinite(value) and math.isfinite(tolerance)):
            raise item.refuse(f"'{text}' is not a finite number", answer)
        spec: dict[str, Any] = {"value": value, "tolerance": tolerance}
        if numbers and fraction < 99.999 and ranges:  # our export: a range kept as written
            bounds = ranges.pop(0)
            spec = {"range": bounds} if bounds else spec
        feedback = item.rich(answer.find("feedback"))
        numbers.append((spec, Weighted(text, fraction, feedback)))
    try:
        out = numeric_answers(numbers, item.warn)
    except Skipped as skipped:
        item.warn(f"skipped: {skipped}")
        return None
    value, tolerance = out["value"], out["tolerance"]
    bounds = item.meta.get("range")
    if isinstance(bounds, list) and len(bounds) == 2:
        low, high = bounds
        if abs(low - (value - tolerance)) < 1e-9 * max(1, abs(low)):
            out = {k: v for k, v in out.items() if k not in ("value", "tolerance")}
            out["range"] = [low, high]
    unit = _base_unit(item, units)
    if unit:
        out["unit"] = unit
    return out


def _base_unit(item: Item, units: Any) -> str:
    """The unit with multiplier 1 when pint knows it; the others are warned about if pint
    converts them differently (pint's conversion is what grades an answer here)."""
    found = []
    for unit in item.element.findall("units/unit"):
        raw = text_at(unit, "multiplier").strip() or "1"
        try:
            factor = float(raw)
        except ValueError:
            raise item.refuse(f"unit multiplier '{raw}' is not a number", unit) from None
        found.append((text_at(unit, "unit_name").strip(), factor))
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


def _matching(item: Item) -> dict[str, Any] | None:
    """Subquestions as pairs; a subquestion without text is an extra answer (not kept)."""
    pairs = []
    for sub in item.element.findall("subquestion"):
        left = item.rich(sub)
        raw = text_at(sub, "answer/text").strip()
        right = item.meta.get("md", {}).get(raw) or plain_to_markdown(raw)
        if not left:
            item.warn(f"the extra answer '{right}' (a distractor) is not kept")
            continue
        pairs.append({"left": left, "right": right})
    return {"kind": "matching", "pairs": pairs}


def _ordering(item: Item) -> dict[str, Any] | None:
    """Moodle's ordering plug-in: answers ranked by their fraction 1, 2, 3..."""
    ranked = sorted(item.answers(ranks=True), key=lambda pair: pair[0])
    select = text_at(item.element, "selecttype").strip().upper()
    if select and select != "ALL":
        item.warn(f"only a subset of the items is shown in Moodle ({select}); all are asked here")
    return {"kind": "ordering", "items": [item.rich(answer) for _, answer in ranked]}


def _cloze(item: Item) -> dict[str, Any] | None:
    """Moodle's embedded answers (multianswer) as a cloze, when each gap can be typed."""
    element = item.element.find("questiontext")
    raw = text_at(element, "text") if element is not None else ""
    fields = cloze_fields(raw, item.meta, item.warn, item.refuse, item.dropped, item.resolve)
    if fields is not None and raw.strip() in item.meta.get("md", {}):
        fields["text"] = item.kept_markdown(fields["text"])  # our export's Markdown, kept
    return fields


def _chosen_gaps(item: Item, option: str) -> dict[str, Any] | None:
    """gapselect (drop-downs) and ddwtos (dragged words): `[[n]]` is option n; typed gaps here."""
    options = [" ".join(text_at(o, "text").split()) for o in item.element.findall(option)]
    element = item.element.find("questiontext")
    raw = text_at(element, "text") if element is not None else ""
    places = [int(found) for found in re.findall(r"\[\[(\d+)\]\]", raw)]
    if not places:
        raise item.refuse("no gap such as [[1]] in the text")
    if any(not 1 <= place <= len(options) for place in places):
        raise item.refuse(f"a gap names a choice beyond the {len(options)} listed")
    answers = [options[place - 1] for place in places]
    if any("|" in a or "{" in a or "}" in a or not a for a in answers):
        item.warn("skipped: a choice cannot be written as a typed gap's answer here")
        return None
    unused = [text for text in options if text not in answers]
    item.warn(
        "the choices became typed gaps"
        + (f" ({', '.join(unused)} no longer offered)" if unused else "")
    )
    numbers = iter(range(len(places)))
    marked = re.sub(r"\[\[\d+\]\]", lambda _: PLACEHOLDER.format(next(numbers)), raw)
    converted = html_to_markdown(marked, item.resolve)
    item.dropped.extend(converted.images + converted.files)
    text = converted.text
    for index, answer in enumerate(answers):
        text = text.replace(PLACEHOLDER.format(index), "{{" + answer + "}}", 1)
    count = len(places)
    prompt = "Fill in the gap." if count == 1 else "Fill in the gaps."
    return {"kind": "cloze", "prompt": prompt, "text": text}


def _essay(item: Item) -> dict[str, Any]:
    """The prompt; Moodle's word limit and "information for graders" as the model answer.

    Attachments are off here: a question that asks for files is kept, with a warning.
    """
    out: dict[str, Any] = {"kind": "essay"}
    limit = text_at(item.element, "maxwordlimit").strip()
    if limit.isdigit() and 1 <= int(limit) <= MAX_WORD_LIMIT:
        out["word_limit"] = int(limit)
    model = item.rich(item.element.find("graderinfo"))
    if model.strip():
        out["model_answer"] = model
    if item.meta.get("rubric"):  # this app's own rubric, kept in the @quiz comment
        out["rubric"] = item.meta["rubric"]
    attachments = text_at(item.element, "attachments").strip()
    if attachments not in ("", "0"):
        item.warn("attachments are not taken here: students answer in writing only")
    return out


READERS = {
    "essay": _essay,
    "gapselect": lambda item: _chosen_gaps(item, "selectoption"),
    "ddwtos": lambda item: _chosen_gaps(item, "dragbox"),
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "matching": _matching,
    "ordering": _ordering,
    "cloze": _cloze,
    "multianswer": _cloze,
}
