"""The quiz result page's opening summary and its per-pair and per-position tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# What the result summary and the start form call each kind.
KIND_NAMES = {
    "multiple_choice": "Multiple choice",
    "multiple_select": "Multiple select",
    "true_false": "True or false",
    "short_answer": "Short answer",
    "numeric": "Numeric",
    "cloze": "Fill in the gaps",
    "matching": "Matching",
    "ordering": "Ordering",
    "flashcard": "Flashcard",
    "essay": "Essay",
}


@dataclass(frozen=True)
class Group:
    """Score of a group of questions (one kind, or one tag)."""

    name: str
    questions: int
    right: int
    score: float  # mean score, 0..1


@dataclass(frozen=True)
class Line:
    """One row of a matching or ordering table: what was given, what was right, and whether."""

    label: str
    given: str
    expected: str
    ok: bool


def groups(
    rows: Iterable[tuple[str, Sequence[str], bool, float]],
) -> tuple[list[Group], list[Group]]:
    """(by kind, by tag) from (kind, tags, fully right, score) per question."""
    kinds: dict[str, list[tuple[bool, float]]] = {}
    tags: dict[str, list[tuple[bool, float]]] = {}
    for kind, qtags, right, score in rows:
        kinds.setdefault(kind, []).append((right, score))
        for tag in qtags:
            tags.setdefault(tag, []).append((right, score))

    def made(source: dict[str, list[tuple[bool, float]]]) -> list[Group]:
        return [
            Group(name, len(v), sum(1 for r, _ in v if r), sum(s for _, s in v) / len(v))
            for name, v in sorted(source.items())
        ]

    return made(kinds), made(tags)


def _sequence(response: Any) -> list[Any]:
    return list(response) if isinstance(response, list | tuple) else []


def _text(texts: Sequence[str], index: Any) -> str:
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(texts):
        return texts[index]
    return "—"


def arranged_lines(kind: str, spec: Mapping[str, Any], response: Any) -> list[Line]:
    """Per pair (matching) or per position (ordering), given against right; [] otherwise."""
    if kind == "matching":
        pairs = spec.get("pairs", [])
        rights = [pair["right"] for pair in pairs]
        chosen = _sequence(response)
        lines = []
        for index, pair in enumerate(pairs):
            picked = chosen[index] if index < len(chosen) else None
            given = _text(rights, picked)
            lines.append(Line(pair["left"], given, pair["right"], given == pair["right"]))
        return lines
    if kind == "ordering":
        items = list(spec.get("items", []))
        order = _sequence(response)
        lines = []
        for position, expected in enumerate(items):
            given = _text(items, order[position] if position < len(order) else None)
            lines.append(Line(str(position + 1), given, expected, given == expected))
        return lines
    return []
