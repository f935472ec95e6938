"""Kinds answered by arranging: matching pairs and putting items in order."""

from dataclasses import dataclass
from typing import Any, ClassVar

from quiz.questions.base import (
    Fields,
    FormLike,
    Question,
    ResponseError,
    check_index,
    check_unique,
    form_index,
    shuffled,
)

# Arrangements are never shown solved, so with two items the one arrangement shown is the
# wrong one and swapping it is the answer; from three on, more than one wrong order is shown.
MIN_ARRANGED = 3


def _check_enough(fields: Fields, key: str, count: int, noun: str) -> None:
    """Refuse an arrangement too small to ask: its shuffle would give the answer away."""
    if count < MIN_ARRANGED:
        raise fields.error(
            key,
            f"needs at least {MIN_ARRANGED} {noun}, found {count}: with fewer, the shuffled "
            "order shown gives the answer away",
        )


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Lefts to be paired with rights; a point for each right pair."""

    kind: ClassVar[str] = "matching"
    FIELDS: ClassVar[tuple[str, ...]] = ("pairs",)
    pairs: tuple[tuple[str, str], ...]  # (left, right), right pairs in YAML order

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """At least three {left, right} pairs; lefts unique, rights unique."""
        items = fields.items("pairs", minimum=0)
        _check_enough(fields, "pairs", len(items), "pairs")
        pairs = []
        for path, item in items:
            pair = Fields(item, path, ("left", "right"))
            pairs.append((pair.text("left"), pair.text("right")))
        check_unique([left for left, _ in pairs], fields.at("pairs"), ".left")
        check_unique([right for _, right in pairs], fields.at("pairs"), ".right")
        return {"pairs": tuple(pairs)}

    def spec(self) -> dict[str, Any]:
        """The pairs as {left, right} mappings."""
        return {"pairs": [{"left": left, "right": right} for left, right in self.pairs]}

    def answer_text(self) -> str:
        """Each left with its right."""
        return "; ".join(f"{left} → {right}" for left, right in self.pairs)

    def right_order(self, seed: int) -> list[int]:
        """YAML indices of the rights in the order shown, never lined up with their lefts."""
        return shuffled(len(self.pairs), seed, avoid_identity=True)

    def parse_form(self, form: FormLike, seed: int) -> list[int | None]:
        """Fields `match-<left index>` = display position of the right, or empty for none yet."""
        count = len(self.pairs)
        order = self.right_order(seed)
        chosen = []
        for index in range(count):
            raw = form.get(f"match-{index}")
            if raw in (None, ""):
                chosen.append(None)
            else:
                chosen.append(order[form_index(raw, count, "Not a match.")])
        if all(right is None for right in chosen):
            raise ResponseError("Match at least one item.")
        return chosen

    def view(self, seed: int) -> dict[str, Any]:
        """Lefts in order; rights shuffled, as (display position, text)."""
        return {
            "lefts": [(index, left) for index, (left, _) in enumerate(self.pairs)],
            "rights": [
                (position, self.pairs[index][1])
                for position, index in enumerate(self.right_order(seed))
            ],
        }

    def score(self, response: Any) -> tuple[float, str]:
        """The fraction of lefts matched to their own right."""
        count = len(self.pairs)
        if not isinstance(response, list | tuple) or len(response) != count:
            raise ResponseError("Match the items.")
        chosen = [None if j is None else check_index(j, count, "Not a match.") for j in response]
        if all(right is None for right in chosen):
            raise ResponseError("Match at least one item.")
        notes = []
        for index, right in enumerate(chosen):
            left = self.pairs[index][0]
            if right is None:
                notes.append(f"'{left}' was not matched.")
            elif right != index:
                notes.append(f"'{left}' does not go with '{self.pairs[right][1]}'.")
        hits = count - len(notes)
        return hits / count, " ".join([f"{hits} of {count} pairs right.", *notes])


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Items to be put in order; partial credit for pairs of items in the right relative order."""

    kind: ClassVar[str] = "ordering"
    FIELDS: ClassVar[tuple[str, ...]] = ("items",)
    items: tuple[str, ...]  # in the right order

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """At least three distinct items, in the right order."""
        items = fields.texts("items")
        _check_enough(fields, "items", len(items), "items")
        check_unique(items, fields.at("items"))
        return {"items": items}

    def spec(self) -> dict[str, Any]:
        """The items in the right order."""
        return {"items": list(self.items)}

    def answer_text(self) -> str:
        """The items numbered in the right order."""
        return "; ".join(f"{number}. {item}" for number, item in enumerate(self.items, start=1))

    def display_order(self, seed: int) -> list[int]:
        """Item indices in the order shown, never the right order."""
        return shuffled(len(self.items), seed, avoid_identity=True)

    def parse_form(self, form: FormLike, seed: int) -> list[int]:
        """Fields `pos-<display position>` = 1-based place given, as item indices in that order."""
        count = len(self.items)
        shown = self.display_order(seed)
        order: list[int | None] = [None] * count
        for slot in range(count):
            index = shown[slot]
            raw = form.get(f"pos-{slot}")
            position = form_index(raw, count + 1, "Give every item a position from 1.")
            if position == 0:
                raise ResponseError("Give every item a position from 1.")
            if order[position - 1] is not None:
                raise ResponseError("Give each item a different position.")
            order[position - 1] = index
        return [index for index in order if index is not None]

    def view(self, seed: int) -> dict[str, Any]:
        """The items shuffled, never in the right order, as (display position, text)."""
        return {
            "items": [
                (position, self.items[index])
                for position, index in enumerate(self.display_order(seed))
            ]
        }

    def score(self, response: Any) -> tuple[float, str]:
        """The fraction of item pairs in the right relative order (Kendall): reversed is 0."""
        count = len(self.items)
        if not isinstance(response, list | tuple) or sorted(
            check_index(index, count, "Put every item in order once.") for index in response
        ) != list(range(count)):
            raise ResponseError("Put every item in order once.")
        pairs = count * (count - 1) // 2
        kept = sum(
            response[earlier] < response[later]
            for earlier in range(count)
            for later in range(earlier + 1, count)
        )
        placed = sum(index == position for position, index in enumerate(response))
        return kept / pairs, (
            f"{kept} of {pairs} pairs in the right order; {placed} of {count} items in place."
        )
