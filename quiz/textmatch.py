"""Text answers: normalisation, word-based matching with near misses, and cloze gap syntax.

The rules for reading answers live in quiz.answers (tokens, spans, dates, numbers).
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from quiz.answers.dates import DATE_PREFIX
from quiz.answers.entities import clauses, contrasted, longer_name
from quiz.answers.spans import (
    AMBIGUOUS_DATE,
    MAX_CONTEXT_WORDS,
    TOO_LONG,
    Span,
    allowed_edits,
    best_span,
    context_problem,
    resolve_dates,
)
from quiz.answers.tokens import bare, tokenise

__all__ = [
    "Match",
    "allowed_edits",
    "cloze_hints",
    "cloze_partials",
    "judge",
    "match_feedback",
    "match_key",
    "names_a_date",
    "split_cloze",
]

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


@dataclass(frozen=True)
class Match:
    """How a response relates to the accepted answers and the near misses."""

    verdict: Literal["exact", "typo", "near_miss", "none", "ambiguous"]
    target: str = ""  # the accepted answer or near miss that the response was matched to
    reason: str = ""  # why a response that contains the answer is still not right


def judge(
    response: str,
    accepted: Sequence[str],
    near_misses: Sequence[str] = (),
    fuzzy: bool = True,
    *,
    world: str = "",
    person: str = "",
) -> Match:
    """Match a response against accepted answers; a near miss it resembles as much wins.

    Words are compared, not characters: articles and harmless words around the answer are
    ignored, but not a negation, nor a near miss or a list of candidates beside it, nor a word
    that makes it part of a longer name. world is the question's own text: its words are known
    context, and a misspelt answer that spells one of them is that word. person: see best_span.
    """
    said = tokenise(response)
    if not said:
        return Match("none")
    longest = max((len(tokenise(answer)) for answer in accepted), default=0)
    if len(said) > longest + 1 + MAX_CONTEXT_WORDS:  # an essay; bounds the work below
        return Match("none", reason=TOO_LONG)
    dated = resolve_dates(said, [tokenise(answer) for answer in accepted])
    if dated is None:
        return Match("ambiguous", reason=AMBIGUOUS_DATE)
    best = best_span(dated, accepted, fuzzy, person)
    others = "short" if person else ""
    miss = best_span(dated, near_misses, fuzzy=True, person=others)  # wrong however misspelt
    if miss is not None and (best is None or _miss_wins(miss, best)):
        return Match("near_miss", miss.text)
    if best is None:
        return Match("none")
    owner = clauses(response) if len(best.tokens) == len(dated) else None
    tokens = list(best.tokens)
    for offset, part in ((0, tokens[: best.start]), (best.end, tokens[best.end :])):
        for _ in range(3):  # "Lima, not Cusco or Arequipa": a few near misses at most
            beside = best_span(part, near_misses, fuzzy=True, person=others)
            if beside is None:
                break
            if not contrasted(tokens, offset + beside.start, offset + beside.end, owner):
                return Match("none", best.text, f"it also names '{beside.text}'")
            for index in range(beside.start, beside.end):  # set aside: "not Cusco"
                part[index] = tokens[offset + index] = "~"
    known = {bare(word) for text in (world, *accepted) for word in tokenise(text)}
    answer_words = set(tokens[best.start : best.end])
    if best.cost and any(bare(word) in known - set(tokenise(best.text)) for word in answer_words):
        return Match("none", best.text, "that is another word of the question")
    before, after = tokens[: best.start], tokens[best.end :]
    problem = context_problem(
        before, after, tokens[best.start : best.end], _linked(tokens, best, owner)
    )
    if problem:
        return Match("none", best.text, problem)
    if owner is not None:
        names = set(tokenise(best.text))
        other = longer_name(tokens, (best.start, best.end), owner, known, names, bool(person))
        if other:
            return Match("none", best.text, f"'{other}' makes it a different name")
    return Match("exact" if best.cost == 0 else "typo", best.text)


def _linked(tokens: Sequence[str], best: Span, owner: list[int] | None) -> list[str]:
    """The words around the answer that a list word links to it: its clause and the next word."""
    if owner is None:
        return [*tokens[: best.start], *tokens[best.end :]]
    clause = owner[best.start]
    around = [i for i in range(len(tokens)) if not best.start <= i < best.end]
    return [
        tokens[i]
        for i in around
        if owner[i] == clause or i == best.end or (i == best.start - 1 and owner[i] != clause)
    ]


def names_a_date(answers: Sequence[str]) -> bool:
    """Whether an answer is a day of a month, so the question says how "06/05" is read."""
    return any(token.startswith(DATE_PREFIX) for text in answers for token in tokenise(text))


def _miss_wins(miss: Span, best: Span) -> bool:
    """Whether a near miss found where the answer was found is the better reading."""
    overlap = miss.start < best.end and best.start < miss.end
    if not overlap:
        return False
    if miss.cost != best.cost:
        return miss.cost < best.cost
    return miss.words >= best.words  # "Honolulu, Hawaii" is the answer, not near miss "Hawaii"


def match_feedback(match: Match, response: str) -> str:
    """One sentence about a judged text response, for the student."""
    if match.verdict == "exact":
        return "Right."
    if match.verdict == "typo":
        return f"Accepted; the exact spelling is '{match.target}'."
    if match.verdict == "near_miss":
        return f"'{response.strip()}' is a different answer."
    if match.reason:
        return f"'{response.strip()}' is not right: {match.reason}."
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
        # `{{answer|other::hint}}`: the hint (as Anki's `{{c1::answer::hint}}`) is shown in
        # the gap, never an answer.
        body = found.group(1).split("::", 1)[0]
        # `%50%Lyon`: partly right (Moodle's weight), graded by cloze_partials, not accepted.
        written = [answer.strip() for answer in body.split("|")]
        answers = tuple(answer for answer in written if not _PARTIAL.match(answer))
        if not all(match_key(answer) for answer in answers):
            raise ValueError(f"gap {gap} has an empty answer")
        if not answers:
            raise ValueError(f"gap {gap} has no fully right answer (a %50% answer is partly right)")
        _partials(written, gap)
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


_PARTIAL = re.compile(r"%(-?\d+(?:\.\d+)?)%(.*)", re.DOTALL)


def _partials(written: list[str], gap: int) -> tuple[tuple[str, float], ...]:
    """A gap's partly right answers (`%50%Lyon`) with their weights; ValueError if bad."""
    out = []
    for answer in written:
        found = _PARTIAL.fullmatch(answer)
        if found is None:
            continue
        weight, text = float(found.group(1)), found.group(2).strip()
        if not 0 < weight < 100:
            raise ValueError(f"gap {gap}: a partly right answer is worth between 0 and 100%")
        if not match_key(text):
            raise ValueError(f"gap {gap} has an empty answer")
        out.append((text, weight))
    return tuple(out)


def cloze_partials(text: str) -> list[tuple[tuple[str, float], ...]]:
    """Each gap's partly right answers with their weights (`{{Paris|%50%Lyon}}`), in order."""
    return [
        _partials([a.strip() for a in found.group(1).split("::", 1)[0].split("|")], number)
        for number, found in enumerate(_GAP.finditer(text), start=1)
    ]


def cloze_hints(text: str) -> list[str]:
    """Each gap's hint (`{{answer::hint}}`), "" for a gap without one, in order."""
    return [
        found.group(1).split("::", 1)[1].strip() if "::" in found.group(1) else ""
        for found in _GAP.finditer(text)
    ]


def _check_plain(segment: str, offset: int) -> None:
    """Reject stray double braces outside gaps, naming the character where they are."""
    for token, problem in (("{{", "unclosed '{{'"), ("}}", "'}}' without a matching '{{'")):
        where = segment.find(token)
        if where >= 0:
            raise ValueError(f"{problem} at character {offset + where + 1}")
