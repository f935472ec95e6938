"""Moodle's embedded answers (multianswer, `{1:SHORTANSWER:=a~b}`) as a cloze. Pure.

Our cloze has typed gaps only, so a SHORTANSWER gap keeps its 100% answers, a MULTICHOICE gap
becomes a typed gap of its right choice (with a warning), and a NUMERICAL gap becomes a typed
gap only when it has no tolerance. A MULTIRESPONSE gap, or a number with a tolerance, cannot be
a typed gap: the question is skipped with a warning saying so. Gaps Moodle itself refuses (no
answers, a choice gap with one choice or none right, a number that is no number) refuse the file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from quiz.formats.html_text import html_to_markdown

SHORT = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
NUMERIC = {"NUMERICAL", "NM"}
CHOICE = {
    f"{name}{suffix}"
    for name, suffixes in (("MULTICHOICE", ("", "_V", "_H", "_S", "_VS", "_HS")),)
    for suffix in suffixes
} | {"MC", "MCV", "MCH", "MCS", "MCVS", "MCHS"}
RESPONSE = {"MULTIRESPONSE", "MR", "MULTIRESPONSE_H", "MRH", "MULTIRESPONSE_S", "MRS"}
RESPONSE |= {"MULTIRESPONSE_HS", "MRHS"}
TYPES = "|".join(sorted(SHORT | NUMERIC | CHOICE | RESPONSE, key=len, reverse=True))
GAP = re.compile(rf"\{{(\d*):({TYPES})(?::((?:\\.|[^\\}}])*))?\}}", re.DOTALL)
ALTERNATIVE = re.compile(r"(?:\\.|[^\\~])+", re.DOTALL)
PLACEHOLDER = "QZGAP{}QZ"


@dataclass(frozen=True)
class GapAnswer:
    """One alternative of a gap: its weight in percent, text and feedback."""

    fraction: float
    text: str
    feedback: str


def _unescape(text: str) -> str:
    """Moodle's backslash escapes (\\~ \\} \\# \\\\ ...) undone, HTML tags and entities too."""
    text = re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def split_answers(body: str) -> list[GapAnswer]:
    """A gap's `=a#fb~%50%b~c` as answers (a leading `=` is 100%, no mark is 0%)."""
    out = []
    for match in ALTERNATIVE.finditer(body):
        raw = match.group(0)
        fraction = 0.0
        weight = re.match(r"\s*(=|%(-?\d+(?:[.,]\d*)?)%)", raw)
        if weight:
            fraction = 100.0 if weight.group(1) == "=" else float(weight.group(2).replace(",", "."))
            raw = raw[weight.end() :]
        hash_at = re.search(r"(?<!\\)#", raw)
        text, feedback = (raw[: hash_at.start()], raw[hash_at.end() :]) if hash_at else (raw, "")
        out.append(GapAnswer(fraction, _unescape(text), _unescape(feedback)))
    return out


def cloze_fields(
    raw: str,
    meta: dict[str, Any],
    warn: Callable[[str], None],
    refuse: Callable[[str], Exception],
    dropped: list[str],
    media: Callable[[str], str | None] | None = None,
) -> dict[str, Any] | None:
    """A cloze's fields from the question text, or None (warned) when a gap cannot be typed."""
    gaps = list(GAP.finditer(raw))
    if not gaps:
        raise refuse("an embedded-answers question with no gap such as {1:SHORTANSWER:=answer}")
    written = meta.get("md", {}).get(raw.strip())
    texts: list[str] = []
    weights = set()
    for number, gap in enumerate(gaps, start=1):
        kind, answers = gap.group(2), split_answers(gap.group(3) or "")
        weights.add(gap.group(1) or "1")
        accepted = _gap(number, kind, answers, warn, refuse)
        if accepted is None:
            return None
        texts.append("{{" + "|".join(accepted) + "}}")
    if any(a.feedback for gap in gaps for a in split_answers(gap.group(3) or "")):
        warn("the feedback on gap answers is not kept")
    if len(weights) > 1:
        warn(f"gap weights ({', '.join(sorted(weights))}) are not kept: each gap counts the same")
    count = len(gaps)
    prompt = meta.get("prompt") or ("Fill in the gap." if count == 1 else "Fill in the gaps.")
    if written:
        return {"kind": "cloze", "prompt": prompt, "text": written}
    numbers = iter(range(count))
    marked = GAP.sub(lambda _: PLACEHOLDER.format(next(numbers)), raw)
    converted = html_to_markdown(marked, media)
    dropped.extend(converted.images + converted.files)
    text = converted.text
    for index, gap_text in enumerate(texts):
        text = text.replace(PLACEHOLDER.format(index), gap_text, 1)
    return {"kind": "cloze", "prompt": prompt, "text": text}


def _gap(
    number: int,
    kind: str,
    answers: list[GapAnswer],
    warn: Callable[[str], None],
    refuse: Callable[[str], Exception],
) -> list[str] | None:
    """The accepted answers of one gap, or None (warned) when it cannot be a typed gap."""
    if not answers:
        raise refuse(f"gap {number} ({kind}) has no answers")
    if kind in RESPONSE:
        warn(f"skipped: gap {number} is a multiple-response gap, which a typed gap cannot ask")
        return None
    if kind in CHOICE:
        if len(answers) < 2:
            raise refuse(f"gap {number} ({kind}) needs at least two choices")
        if not any(a.fraction >= 99.999 for a in answers):
            raise refuse(f"gap {number} ({kind}) has no choice worth 100%")
        others = ", ".join(a.text for a in answers if a.fraction < 99.999)
        warn(f"gap {number}: the choices became a typed gap ({others} no longer offered)")
    if kind in NUMERIC:
        for answer in answers:
            spec = answer.text.split(":", 1)
            try:
                [float(part) for part in spec]
            except ValueError:
                if answer.text != "*":
                    raise refuse(f"gap {number}: '{answer.text}' is not a number") from None
            if answer.fraction >= 99.999 and len(spec) == 2 and float(spec[1]) != 0:
                warn(
                    f"skipped: gap {number} is a number with a tolerance ({answer.text}), "
                    "which a typed gap cannot check"
                )
                return None
    if kind in ("SHORTANSWER_C", "SAC", "MWC"):
        warn(f"gap {number}: case-sensitive matching is not kept: case is ignored here")
    accepted = []
    for answer in answers:
        if answer.text == "*":
            warn(f"gap {number}: the '*' answer (feedback for any other answer) is not kept")
        elif 0 < answer.fraction < 99.999:
            text = answer.text.split(":", 1)[0] if kind in NUMERIC else answer.text
            accepted.append(f"%{answer.fraction:g}%{text}")  # partly right, its weight kept
        elif answer.fraction >= 99.999:
            accepted.append(answer.text.split(":", 1)[0] if kind in NUMERIC else answer.text)
    if not any(not a.startswith("%") for a in accepted):
        warn(f"skipped: gap {number} has no answer worth 100%")
        return None
    bad = [a for a in accepted if "|" in a or "{" in a or "}" in a or "::" in a or not a.strip()]
    if bad:
        warn(f"skipped: gap {number}'s answer '{bad[0]}' cannot be written in a gap here")
        return None
    return accepted
