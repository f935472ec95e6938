"""Give-aways: one question showing, before it is answered, what another asks a student to recall.

Pure: no Flask, no database. A question *tells* another when any text it displays (its prompt,
choices, matching pairs, ordering items, a cloze's words around its gaps, a flashcard's front
and back, which quizzes also show as choices) contains one of the other's typed answers (a short
answer, a cloze gap, a number of two digits or more). Such pairs are kept apart: never in one
quiz attempt, never within a few cards of each other in study.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quiz.questions import (
    Cloze,
    Flashcard,
    Matching,
    MultipleChoice,
    MultipleSelect,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
)
from quiz.textmatch import normalise, split_cloze


@dataclass(frozen=True)
class Giveaway:
    """`teller` displays `answer`, which `told` asks for; `field` says where it is shown."""

    teller: str
    told: str
    answer: str
    field: str


# An answer that more questions than this display is a word of the whole set (a place every
# question names), not a give-away; kept, its pairs would grow as the square of the set.
MOST_TELLERS = 25


def recalled_answers(question: Question) -> list[str]:
    """The answers a student must produce, as text another question could give away."""
    if isinstance(question, ShortAnswer):
        return list(question.answers)
    if isinstance(question, Cloze):
        return [answer for gap in question.gaps() for answer in gap]
    if isinstance(question, Numeric) and question.value is not None and question.value >= 10:
        return [f"{question.value:g}"]  # one-digit counts are too common to mean anything
    return []  # a choice, a pair, an order or a card is recognised on screen, not recalled


def shown_fields(question: Question) -> list[tuple[str, str]]:
    """Every text the question displays, with the name of the field it is shown in."""
    fields = [("prompt", question.prompt)]
    if isinstance(question, Cloze):
        fields += [("text", part) for part in split_cloze(question.text) if isinstance(part, str)]
    elif isinstance(question, MultipleChoice | MultipleSelect):
        fields += [("choice", choice.text) for choice in question.choices]
    elif isinstance(question, Matching):
        fields += [("pair", f"{left} / {right}") for left, right in question.pairs]
    elif isinstance(question, Ordering):
        fields += [("item", item) for item in question.items]
    elif isinstance(question, Flashcard):
        fields += [("back", question.back)]
    return fields


def _tokens(text: str) -> tuple[str, ...]:
    """The words of a text as the matcher compares them."""
    return tuple(normalise(text).split())


def _worth_checking(needle: tuple[str, ...]) -> bool:
    """Whether an answer is long enough to mean something when found (not "IS", "a")."""
    joined = " ".join(needle)
    return bool(needle) and (len(joined) >= 3 or joined.isdigit())


def find_giveaways(questions: Sequence[tuple[str, Question]]) -> list[Giveaway]:
    """Every (teller, told, answer, field) among the keyed questions, in question order.

    Word n-grams of every displayed field are indexed once, so a set of thousands of questions
    costs its words times the few answer lengths, not questions squared.
    """
    needles: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for key, question in questions:
        for answer in recalled_answers(question):
            needle = _tokens(answer)
            if _worth_checking(needle):
                needles[needle].append((key, answer))
    lengths = {len(needle) for needle in needles}
    index: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for key, question in questions:
        for field, text in shown_fields(question):
            words = _tokens(text)
            for n in lengths:
                for start in range(len(words) - n + 1):
                    index[words[start : start + n]].append((key, field))
    found: dict[tuple[str, str], Giveaway] = {}
    for needle, askers in needles.items():
        shown = index.get(needle, ())
        if len({teller for teller, _field in shown}) > MOST_TELLERS:
            continue  # the set's common vocabulary, not a give-away (and pairs by the million)
        for told, answer in askers:
            for teller, field in shown:
                if teller != told and (teller, told) not in found:
                    found[(teller, told)] = Giveaway(teller, told, answer, field)
    order = {key: position for position, (key, _) in enumerate(questions)}
    return sorted(found.values(), key=lambda g: (order[g.teller], order[g.told]))


def pair_keys(pairs: Iterable[tuple[str, str]]) -> set[frozenset[str]]:
    """Give-aways as unordered pairs: which tells which does not matter for keeping apart."""
    return {frozenset(pair) for pair in pairs if pair[0] != pair[1]}


def draw_apart(
    candidates: Sequence[int], pairs: set[frozenset[int]], count: int | None
) -> list[int]:
    """Up to `count` of the candidates (all when None), in their order, no two of a pair.

    The candidates come already shuffled, so keeping the first of each pair met draws at random.
    """
    partners: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        a, b = tuple(pair)
        partners[a].add(b)
        partners[b].add(a)
    taken: list[int] = []
    kept: set[int] = set()
    for candidate in candidates:
        if count is not None and len(taken) >= count:
            break
        if not partners[candidate] & kept:
            taken.append(candidate)
            kept.add(candidate)
    return taken
