"""Text answers: normalisation, typo-tolerant matching with near misses, and cloze gap syntax."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein

# Gaps are written {{answer}} or {{answer|alternative}}; braces inside a gap are not allowed.
_GAP = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def normalise(text: str) -> str:
    """Fold case, accents, punctuation and spacing so that equivalent answers compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue  # the accent of "è" is a separate combining mark after NFKD
        kept.append(" " if unicodedata.category(char).startswith("P") else char)
    return " ".join("".join(kept).split())


def match_key(text: str) -> str:
    """The form two answers are compared in: normalised, without spaces ("U.S." == "US")."""
    return normalise(text).replace(" ", "")


def allowed_edits(length: int) -> int:
    """How many typos an answer of this many characters tolerates: short words tolerate none."""
    if length < 5:
        return 0
    return 1 if length < 8 else 2


@dataclass(frozen=True)
class Match:
    """How a response relates to the accepted answers and the near misses."""

    verdict: Literal["exact", "typo", "near_miss", "none"]
    target: str = ""  # the accepted answer or near miss that the response was matched to


def judge(
    response: str, accepted: Sequence[str], near_misses: Sequence[str] = (), fuzzy: bool = True
) -> Match:
    """Match a response against accepted answers; a near miss it resembles as much wins."""
    said = match_key(response)
    scored = [(Levenshtein.distance(said, match_key(answer)), answer) for answer in accepted]
    distance, closest = min(scored)
    if distance == 0:
        return Match("exact", closest)
    # Near misses come before typo tolerance so "Niamey" is never taken for a misspelt "Agadez".
    for miss in near_misses:
        miss_distance = Levenshtein.distance(said, match_key(miss))
        if miss_distance <= allowed_edits(len(match_key(miss))) and miss_distance <= distance:
            return Match("near_miss", miss)
    if fuzzy:
        for edits, answer in sorted(scored):
            if edits <= allowed_edits(len(match_key(answer))):
                return Match("typo", answer)
    return Match("none")


def match_feedback(match: Match, response: str) -> str:
    """One sentence about a judged text response, for the student."""
    if match.verdict == "exact":
        return "Right."
    if match.verdict == "typo":
        return f"Accepted; the exact spelling is '{match.target}'."
    if match.verdict == "near_miss":
        return f"'{response.strip()}' is a different answer."
    return f"'{response.strip()}' is not right."


def split_cloze(text: str) -> list[str | tuple[str, ...]]:
    """Cloze text as plain strings and gaps (tuples of accepted answers); ValueError if bad."""
    parts: list[str | tuple[str, ...]] = []
    position = 0
    for found in _GAP.finditer(text):
        _check_plain(text[position : found.start()], position)
        gap = len([part for part in parts if isinstance(part, tuple)]) + 1
        if "{" in found.group(1) or "}" in found.group(1):
            raise ValueError(f"gap {gap} contains a brace; is a '}}}}' missing?")
        answers = tuple(answer.strip() for answer in found.group(1).split("|"))
        if not all(match_key(answer) for answer in answers):
            raise ValueError(f"gap {gap} has an empty answer")
        if found.start() > position:
            parts.append(text[position : found.start()])
        parts.append(answers)
        position = found.end()
    _check_plain(text[position:], position)
    if position < len(text):
        parts.append(text[position:])
    if not any(isinstance(part, tuple) for part in parts):
        raise ValueError("has no gap; write gaps as {{answer}} or {{answer|alternative}}")
    return parts


def _check_plain(segment: str, offset: int) -> None:
    """Reject stray double braces outside gaps, naming the character where they are."""
    for token, problem in (("{{", "unclosed '{{'"), ("}}", "'}}' without a matching '{{'")):
        where = segment.find(token)
        if where >= 0:
            raise ValueError(f"{problem} at character {offset + where + 1}")
