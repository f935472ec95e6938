"""Cloze gaps whose answers may come in any order ("Mali, Burkina Faso and Niger"): groups.

A group is a list of gap numbers (from 1). The responses typed in a group's gaps are matched to
the group's gaps in the arrangement that gets most of them right, so "Burkina Faso, Mali" is as
good as "Mali, Burkina Faso"; typing one answer twice still fills only one gap.
"""

from collections.abc import Callable, Sequence
from itertools import permutations
from typing import Any

from quiz.questions.base import Fields

MAX_GROUP = 6  # 720 arrangements; a longer list of answers in any order is a different question


def read_groups(fields: Fields, gap_count: int) -> tuple[tuple[int, ...], ...]:
    """The `groups` field: lists of two or more gap numbers, each gap in one group at most."""
    seen: set[int] = set()
    groups = []
    for path, item in fields.items("groups", minimum=1, required=False):
        if not isinstance(item, list | tuple) or not 2 <= len(item) <= MAX_GROUP:
            raise fields.error(path, f"must be a list of 2 to {MAX_GROUP} gap numbers, like [2, 3]")
        for number in item:
            if isinstance(number, bool) or not isinstance(number, int):
                raise fields.error(path, f"'{number}' is not a gap number")
            if not 1 <= number <= gap_count:
                raise fields.error(path, f"there is no gap {number} (the text has {gap_count})")
            if number in seen:
                raise fields.error(path, f"gap {number} is in more than one group")
            seen.add(number)
        groups.append(tuple(item))
    return tuple(groups)


def groups_text(groups: Sequence[Sequence[int]]) -> str:
    """Groups as an author types them in a form: "2 3; 4 5"."""
    return "; ".join(" ".join(str(number) for number in group) for group in groups)


def parse_groups_text(text: str) -> list[list[Any]]:
    """A form's "2 3; 4 5" as [[2, 3], [4, 5]] (numbers checked later by read_groups)."""
    out: list[list[Any]] = []
    for part in text.replace(",", " ").split(";"):
        words = part.split()
        if words:
            out.append([int(word) if word.isdigit() else word for word in words])
    return out


def arrange(
    count: int, groups: Sequence[Sequence[int]], rightness: Callable[[int, int], int]
) -> list[int]:
    """The gap (from 0) each response position is graded against.

    rightness(position, gap) is 2 for an exact answer, 1 for a typo, 0 for wrong. Within a group
    the arrangement with the most right gaps (then the fewest typos) wins; ties keep the order.
    """
    target = list(range(count))
    for group in groups:
        places = [number - 1 for number in group]
        best, best_key = places, (-1, -1)
        for order in permutations(places):
            marks = [rightness(place, gap) for place, gap in zip(places, order, strict=True)]
            key = (sum(mark > 0 for mark in marks), sum(marks))
            if key > best_key:
                best, best_key = list(order), key
        for place, gap in zip(places, best, strict=True):
            target[place] = gap
    return target
