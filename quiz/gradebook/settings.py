"""Pure: reading the gradebook settings form (class rules, categories, per-assignment fields).

The form has a variable number of rows (a category per row, an assignment per row), so it is
read here from the posted fields, every problem named, before anything is changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MAX_POINTS = 10_000
MAX_WEIGHT = 1_000
NAME_LENGTH = 60


@dataclass
class CategoryChange:
    """A category as the form left it (key: a saved id, a mode for a default, or "new")."""

    key: str
    name: str
    weight: float


@dataclass
class AssignmentChange:
    """An assignment's gradebook fields as the form left them."""

    id: int
    points: float
    late_penalty_pct: int | None
    category: str  # a category key as above


@dataclass
class Parsed:
    """Everything the form says, or the problems that stop it."""

    missing_counts_zero: bool = False
    late_penalty_pct: int | None = None
    categories: list[CategoryChange] = field(default_factory=list)
    assignments: list[AssignmentChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_number(text: str, low: float, high: float, what: str, errors: list[str]) -> float | None:
    """A number in [low, high] from a field; a problem is added to `errors`."""
    cleaned = text.strip().replace(",", ".")
    if len(cleaned) > 12:
        errors.append(f"{what}: {cleaned[:12]}… is too long for a number.")
        return None
    try:
        value = float(cleaned)
    except ValueError:
        errors.append(f"{what}: “{cleaned}” is not a number.")
        return None
    if not low <= value <= high or value != value:  # NaN is neither
        errors.append(f"{what}: give a number from {low:g} to {high:g}.")
        return None
    return value


def read_penalty(text: str, what: str, errors: list[str]) -> int | None:
    """A late penalty in whole percent, or None for an empty field."""
    if not text.strip():
        return None
    value = read_number(text, 0, 100, what, errors)
    if value is None:
        return None
    if value != int(value):
        errors.append(f"{what}: give a whole percent (0 to 100).")
        return None
    return int(value)


def parse(
    form: Mapping[str, str],
    category_keys: Sequence[str],
    assignments: Sequence[tuple[int, str]],
) -> Parsed:
    """Read the posted settings; `assignments` are (id, title) pairs for the messages."""
    out = Parsed(missing_counts_zero=form.get("missing_zero") == "1")
    out.late_penalty_pct = read_penalty(
        form.get("late_penalty", ""), "Class late penalty", out.errors
    )
    for number, key in enumerate(category_keys, start=1):
        name = form.get(f"cat-{key}-name", "").strip()
        what = f"Category {number} ({name or 'no name'})"
        if not name:
            out.errors.append(f"Category {number}: give it a name.")
        elif len(name) > NAME_LENGTH:
            out.errors.append(f"{what}: a name has at most {NAME_LENGTH} characters.")
        weight = read_number(form.get(f"cat-{key}-weight", ""), 0, MAX_WEIGHT, what, out.errors)
        out.categories.append(CategoryChange(key, name, weight or 0.0))
    new_name = form.get("cat-new-name", "").strip()
    if new_name:
        if len(new_name) > NAME_LENGTH:
            out.errors.append(f"New category: a name has at most {NAME_LENGTH} characters.")
        raw = form.get("cat-new-weight", "").strip() or "1"
        weight = read_number(raw, 0, MAX_WEIGHT, "New category", out.errors)
        out.categories.append(CategoryChange("new", new_name, weight or 0.0))
    names = [c.name.casefold() for c in out.categories if c.name]
    if len(names) != len(set(names)):
        out.errors.append("Two categories have the same name: give each its own.")
    allowed = {*category_keys, *(["new"] if new_name else [])}
    for assignment_id, title in assignments:
        what = f"“{title}”"
        points = read_number(
            form.get(f"a-{assignment_id}-points", "100") or "100",
            0,
            MAX_POINTS,
            f"{what} points",
            out.errors,
        )
        penalty = read_penalty(
            form.get(f"a-{assignment_id}-penalty", ""), f"{what} late penalty", out.errors
        )
        category = form.get(f"a-{assignment_id}-category", "")
        if category not in allowed:
            out.errors.append(f"{what}: choose one of the categories.")
        out.assignments.append(
            AssignmentChange(
                assignment_id, points if points is not None else 100.0, penalty, category
            )
        )
    return out
