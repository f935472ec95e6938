"""Moodle GIFT: the writer. Pure; quiz.formats.gift reads its output back to equal questions.

What GIFT cannot say (tags, paragraph, unit, shuffle, fuzzy, and the kinds Moodle lacks) goes
into a `// @quiz {json}` comment line that Moodle ignores. Kinds Moodle's GIFT lacks are written
as the nearest thing it has, with a warning: ordering as matching (position -> item),
flashcard as short answer (the back is the answer), a cloze with several gaps as several
answer blocks (Moodle reads only the first).
"""

from __future__ import annotations

import json
from typing import Any

from quiz.formats.common import Notice
from quiz.formats.latex import dollars_to_tex
from quiz.formats.yaml_bank import QuestionData, SetData
from quiz.questions import (
    Cloze,
    Essay,
    Flashcard,
    Matching,
    MultipleSelect,
    Numeric,
    Ordering,
    ShortAnswer,
    TrueFalse,
)
from quiz.questions.choice import _ChoiceQuestion
from quiz.textmatch import cloze_hints, cloze_partials, split_cloze

_SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """Text with GIFT's special characters escaped and newlines written as \\n; formulas
    as Moodle writes them, `\\(...\\)` and `\\[...\\]` (quiz.formats.latex)."""
    out = dollars_to_tex(text).replace("\\", "\\\\")
    for char in _SPECIAL:
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def number(value: float) -> str:
    """A number as short as it reads back exactly."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def weight(percent: float) -> str:
    """A weight such as %33.33333% (Moodle's grades have five decimals)."""
    return "%" + f"{percent:.5f}".rstrip("0").rstrip(".") + "%"


def answer(mark: str, text: str, feedback: str = "", percent: float | None = None) -> str:
    """One `=`/`~` answer; text starting with '%' gets an explicit weight so it stays text."""
    if percent is None and text.startswith("%"):
        percent = 100.0 if mark == "=" else 0.0
    out = mark + (weight(percent) if percent is not None else "") + escape(text)
    return out + (f"#{escape(feedback)}" if feedback else "")


def write_gift(data: SetData) -> tuple[str, list[Notice]]:
    """GIFT text for a set, and warnings for what Moodle will see differently."""
    notices: list[Notice] = []
    blocks = [f"// {line}" for line in data.title.splitlines() if line.strip()]
    blocks = ["\n".join(blocks)] if blocks else []
    for number_, item in enumerate(data.questions, start=1):
        blocks.append(_question(item, number_, notices))
    return "\n\n".join(blocks) + "\n", notices


def _question(item: QuestionData, position: int, notices: list[Notice]) -> str:
    """One question's block."""
    question = item.question
    meta: dict[str, Any] = {}
    if question.tags:
        meta["tags"] = list(question.tags)
    if question.paragraph is not None:
        meta["paragraph"] = question.paragraph
    general = f" ####{escape(question.explanation)}" if question.explanation else ""
    head = f"::{escape(item.key)}::[markdown]"
    if isinstance(question, Cloze):
        body = _cloze(question, meta, general, position, notices)
    else:
        body = escape(question.prompt) + " {" + _answers(question, meta, position, notices)
        body += general + "}"
    lines = [f"// @quiz {json.dumps(meta, ensure_ascii=False)}"] if meta else []
    return "\n".join([*lines, head + body])


def _answers(question: Any, meta: dict[str, Any], position: int, notices: list[Notice]) -> str:
    """The inside of the braces for every kind but cloze."""
    if isinstance(question, _ChoiceQuestion):
        if not question.shuffle:
            meta["shuffle"] = False
        if isinstance(question, MultipleSelect):
            meta["kind"] = "multiple_select"
            right = sum(choice.correct for choice in question.choices)
            return "\n" + "\n".join(
                answer("~", c.text, c.feedback, _select_weight(question, c, right))
                for c in question.choices
            )
        return "\n" + "\n".join(
            answer("=" if c.correct else "~", c.text, c.feedback, c.weight)
            for c in question.choices
        )
    if isinstance(question, TrueFalse):
        right, wrong = (
            (question.feedback_true, question.feedback_false)
            if question.answer
            else (question.feedback_false, question.feedback_true)
        )
        feedback = f"#{escape(wrong)}#{escape(right)} " if right or wrong else ""
        return ("TRUE" if question.answer else "FALSE") + feedback
    if isinstance(question, ShortAnswer):
        if not question.fuzzy:
            meta["fuzzy"] = False
        notes = dict(question.feedback)
        parts = [answer("=", text, notes.get(text, "")) for text in question.answers]
        parts += [answer("=", a.text, a.feedback, a.weight) for a in question.partial]
        parts += [answer("=", text, notes.get(text, ""), 0) for text in question.near_misses]
        return " ".join(parts)
    if isinstance(question, Numeric):
        if question.unit:
            meta["unit"] = question.unit
        main = _number_spec(question.value, question.tolerance, question.bounds)
        if not question.partial and not question.feedback:
            return "#" + main
        feedback = f"#{escape(question.feedback)}" if question.feedback else ""
        lines = [f"={main}{feedback}"]
        for part in question.partial:
            spec = _number_spec(part.value, part.tolerance, part.bounds)
            said = f"#{escape(part.feedback)}" if part.feedback else ""
            lines.append(f"={weight(part.weight)}{spec}{said}")
        return "#\n" + "\n".join(lines) + "\n"
    if isinstance(question, Matching):
        return "\n" + "\n".join(
            _pair(left, right, position, notices) for left, right in question.pairs
        )
    if isinstance(question, Ordering):
        meta["kind"] = "ordering"
        notices.append(_note(position, "ordering question written as matching (position -> item)"))
        return "\n" + "\n".join(
            _pair(str(place), text, position, notices)
            for place, text in enumerate(question.items, start=1)
        )
    if isinstance(question, Flashcard):
        meta["kind"] = "flashcard"
        notices.append(_note(position, "flashcard written as a short answer (the back)"))
        return answer("=", question.back)
    if isinstance(question, Essay):  # GIFT's essay is empty braces: nothing else to say
        if question.word_limit or question.model_answer or question.rubric:
            notices.append(
                _note(position, "essay: GIFT keeps no word limit, model answer or rubric")
            )
        return ""
    raise TypeError(f"no GIFT form for {question.kind}")


def _number_spec(value: float | None, tolerance: float, bounds: tuple[float, float] | None) -> str:
    """A number as GIFT writes it: `750:25`, `700..800` or `750`."""
    if bounds is not None:
        return f"{number(bounds[0])}..{number(bounds[1])}"
    return number(value or 0.0) + (f":{number(tolerance)}" if tolerance else "")


def _select_weight(question: MultipleSelect, choice: Any, right: int) -> float:
    """A multiple select choice's weight: its own, or the equal share (wrong ones cost one)."""
    if question.weighted:
        return choice.weight or 0.0
    return (100 if choice.correct else -100) / right


def _note(position: int, message: str) -> Notice:
    """A warning about the question at a position (counted from 1)."""
    return Notice(0, f"question {position}: {message}")


def _pair(left: str, right: str, position: int, notices: list[Notice]) -> str:
    """One matching pair; GIFT cannot escape '->' on the left, so it becomes an arrow."""
    if "->" in left:
        notices.append(_note(position, f"'->' in '{left}' written as '→'"))
        left = left.replace("->", "→")
    weight_ = "%100%" if left.startswith("%") else ""  # so a leading '%' stays text
    return f"={weight_}{escape(left)} -> {escape(right)}"


def _cloze(
    question: Cloze, meta: dict[str, Any], general: str, position: int, notices: list[Notice]
) -> str:
    """The text with each gap as a brace block of `=` answers; the feedback in the last."""
    parts = split_cloze(question.text)
    gaps = sum(isinstance(part, tuple) for part in parts)
    if gaps > 1:
        notices.append(_note(position, f"cloze with {gaps} gaps: Moodle reads only the first"))
    if any(cloze_hints(question.text)):
        notices.append(_note(position, "the gaps' hints are left out: GIFT has no place for them"))
    if isinstance(parts[-1], tuple) and gaps == 1:
        meta["kind"] = "cloze"  # a gap at the very end would read back as a short answer
    default = "Fill in the gap." if gaps == 1 else "Fill in the gaps."
    if question.prompt != default:
        meta["prompt"] = question.prompt
    out, seen, partials = [], 0, cloze_partials(question.text)
    for part in parts:
        if isinstance(part, str):
            out.append(escape(part))
            continue
        seen += 1
        partly = [answer("=", text, percent=w) for text, w in partials[seen - 1]]
        out.append("{" + " ".join([*(answer("=", text) for text in part), *partly]))
        out.append((general if seen == gaps else "") + "}")
    return "".join(out)
