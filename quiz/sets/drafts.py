"""A question being written in the browser: form fields in, the loader's dict out. Pure.

The authoring form is rendered by hand rather than as a WTForms class: its rows (choices,
pairs, ordered items) come and go, and its rules are not form rules but the question rules of
quiz.questions, the same ones the YAML loader applies. So the posted fields become the dict the
loader reads, and quiz.sets.draft_checks judges it with `question_from_dict`, naming the field
each error is shown next to. CSRF is checked for every POST by Flask-WTF's CSRFProtect.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from quiz.questions import (
    FormLike,
)
from quiz.questions.gap_groups import groups_text, parse_groups_text

MAX_ROWS = 50
# The kinds' list fields that the form shows as rows, and each row's fields.
ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "choices": ("text", "feedback", "correct", "weight"),
    "pairs": ("left", "right"),
    "items": ("text",),
    "weighted": ("text", "weight", "feedback"),  # short answers with a weight or feedback
    "numbers": ("value", "tolerance", "weight", "feedback"),  # partly right numbers
    "rubric": ("criterion", "points"),  # an essay's marking criteria
}
ROWS_OF_KIND = {
    "multiple_choice": "choices",
    "multiple_select": "choices",
    "matching": "pairs",
    "ordering": "items",
    "short_answer": "weighted",
    "numeric": "numbers",
    "essay": "rubric",
}
KIND_NAMES = {
    "multiple_choice": "Multiple choice (one right answer)",
    "multiple_select": "Multiple select (several right answers)",
    "true_false": "True or false",
    "short_answer": "Short answer",
    "numeric": "Number",
    "cloze": "Fill in the gaps (cloze)",
    "matching": "Matching pairs",
    "ordering": "Put in order",
    "flashcard": "Flashcard",
    "essay": "Essay (you mark it; quizzes only)",
}
ROW_NOUNS = {
    "choices": "choice",
    "pairs": "pair",
    "items": "item",
    "weighted": "answer",
    "numbers": "number",
    "rubric": "criterion",
}
ACTION = re.compile(r"(add|remove)-(choices|pairs|items|weighted|numbers|rubric)(?:-(\d{1,3}))?")


@dataclass
class Draft:
    """Everything the authoring form shows, as typed (strings), for one question."""

    kind: str
    prompt: str = ""
    explanation: str = ""
    tags: str = ""
    paragraph: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    shuffle: bool = True
    answer: str = ""
    feedback_true: str = ""
    feedback_false: str = ""
    answers: str = ""
    near_misses: str = ""
    fuzzy: bool = True
    full_name: bool = False
    mode: str = "value"
    value: str = ""
    tolerance: str = ""
    low: str = ""
    high: str = ""
    unit: str = ""
    text: str = ""
    groups: str = ""  # a cloze's gaps in any order, typed "1 2; 3 4"
    back: str = ""
    feedback: str = ""  # numeric: for a right answer
    word_limit: str = ""  # essay
    model_answer: str = ""  # essay: for the marker

    @property
    def row_list(self) -> str | None:
        """Which list the rows are ("choices", "pairs", "items"), or None for this kind."""
        return ROWS_OF_KIND.get(self.kind)


def blank_row(row_list: str) -> dict[str, Any]:
    """An empty row of a list."""
    return {name: (False if name == "correct" else "") for name in ROW_FIELDS[row_list]}


def new_draft(kind: str) -> Draft:
    """An empty form for a kind, with as many rows as the kind needs at least."""
    draft = Draft(kind=kind)
    if draft.row_list in ("choices", "pairs", "items"):  # the others are optional
        count = 3 if draft.row_list in ("pairs", "items") else 4
        draft.rows = [blank_row(draft.row_list) for _ in range(count)]
    elif draft.row_list == "rubric":  # optional, but two criteria invite writing one
        draft.rows = [blank_row("rubric") for _ in range(2)]
    return draft


def _number_text(value: Any) -> str:
    """A stored number as typed: 750 rather than 750.0."""
    if value is None:
        return ""
    return f"{value:.15g}" if isinstance(value, float) else str(value)


def draft_from_dict(data: dict[str, Any]) -> Draft:
    """The form for a stored question (Question.as_dict())."""
    draft = Draft(
        kind=data["kind"],
        prompt=data.get("prompt") or "",
        explanation=data.get("explanation") or "",
        tags=", ".join(data.get("tags") or ()),
        paragraph=_number_text(data.get("paragraph")),
        shuffle=data.get("shuffle", True),
        feedback_true=data.get("feedback_true", ""),
        feedback_false=data.get("feedback_false", ""),
        answers="\n".join(a for a in data.get("answers", ()) if isinstance(a, str)),
        near_misses="\n".join(a for a in data.get("near_misses", ()) if isinstance(a, str)),
        fuzzy=data.get("fuzzy", True),
        full_name=data.get("full_name", False),
        value=_number_text(data.get("value")),
        tolerance=_number_text(data.get("tolerance")),
        unit=data.get("unit") or "",
        text=data.get("text", ""),
        groups=groups_text(data.get("groups", ())),
        back=data.get("back", ""),
        feedback=data.get("feedback", ""),
        word_limit=_number_text(data.get("word_limit")),
        model_answer=data.get("model_answer", ""),
    )
    if "answer" in data:
        draft.answer = "true" if data["answer"] else "false"
    if "range" in data:
        draft.mode = "range"
        draft.low, draft.high = (_number_text(v) for v in data["range"])
    if draft.kind in ("multiple_choice", "multiple_select"):
        draft.rows = [
            {
                "text": choice["text"],
                "feedback": choice.get("feedback", ""),
                "correct": choice.get("correct", False),
                "weight": _number_text(choice.get("weight")),
            }
            for choice in data["choices"]
        ]
    elif draft.kind == "short_answer":
        draft.rows = _weighted_rows(data)
    elif draft.kind == "numeric":
        draft.rows = [_number_row(part) for part in data.get("partial", ())]
    elif draft.kind == "matching":
        draft.rows = [{"left": p["left"], "right": p["right"]} for p in data["pairs"]]
    elif draft.kind == "ordering":
        draft.rows = [{"text": item} for item in data["items"]]
    elif draft.kind == "essay":
        draft.rows = [
            {"criterion": line["criterion"], "points": _number_text(line["points"])}
            for line in data.get("rubric", ())
        ]
    return draft


def _weighted_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """A short answer's answers that have a weight or feedback of their own, as rows."""
    rows = []
    for item in data.get("answers", ()):
        if isinstance(item, dict):
            weight = item.get("weight")
            rows.append(
                {
                    "text": item["text"],
                    "weight": "" if weight is None else _number_text(weight),
                    "feedback": item.get("feedback", ""),
                }
            )
    for item in data.get("near_misses", ()):
        if isinstance(item, dict):
            rows.append({"text": item["text"], "weight": "0", "feedback": item.get("feedback", "")})
    return rows


def _number_row(part: dict[str, Any]) -> dict[str, Any]:
    """A partly right number as a row; a range as its middle, give or take half its width."""
    if "range" in part:
        low, high = part["range"]
        value, tolerance = (low + high) / 2, (high - low) / 2
    else:
        value, tolerance = part["value"], part.get("tolerance", 0)
    return {
        "value": _number_text(value),
        "tolerance": _number_text(tolerance) if tolerance else "",
        "weight": _number_text(part["weight"]),
        "feedback": part.get("feedback", ""),
    }


def _rows_from_form(form: FormLike, kind: str, row_list: str) -> list[dict[str, Any]]:
    """The rows as posted: fields `<list>-<n>-<name>` for n = 0, 1, ... while present."""
    rows = []
    for index in range(MAX_ROWS):
        names = [f"{row_list}-{index}-{name}" for name in ROW_FIELDS[row_list]]
        if all(form.get(name) is None for name in names):
            break
        row: dict[str, Any] = {
            name: str(form.get(f"{row_list}-{index}-{name}") or "") for name in ROW_FIELDS[row_list]
        }
        if row_list == "choices":
            if kind == "multiple_choice":  # one radio group: its value is the row number
                row["correct"] = form.get("correct") == str(index)
            else:
                row["correct"] = bool(form.get(f"choices-{index}-correct"))
        rows.append(row)
    return rows


def draft_from_form(form: FormLike, kind: str) -> Draft:
    """The form as posted, kept as typed so that it can be shown again."""

    def text(name: str) -> str:
        return str(form.get(name) or "")

    draft = Draft(
        kind=kind,
        prompt=text("prompt"),
        explanation=text("explanation"),
        tags=text("tags"),
        paragraph=text("paragraph").strip(),
        shuffle=bool(form.get("shuffle")),
        answer=text("answer"),
        feedback_true=text("feedback_true"),
        feedback_false=text("feedback_false"),
        answers=text("answers"),
        near_misses=text("near_misses"),
        fuzzy=bool(form.get("fuzzy")),
        full_name=bool(form.get("full_name")),
        mode="range" if form.get("mode") == "range" else "value",
        value=text("value").strip(),
        tolerance=text("tolerance").strip(),
        low=text("low").strip(),
        high=text("high").strip(),
        unit=text("unit").strip(),
        text=text("text"),
        groups=text("groups").strip(),
        back=text("back"),
        feedback=text("feedback"),
        word_limit=text("word_limit").strip(),
        model_answer=text("model_answer"),
    )
    if draft.row_list:
        draft.rows = _rows_from_form(form, kind, draft.row_list)
    return draft


def apply_row_action(draft: Draft, action: str) -> bool:
    """Add or remove a row ("add-choices", "remove-pairs-2"); False when it is no row action."""
    match = ACTION.fullmatch(action or "")
    if match is None or match.group(2) != draft.row_list:
        return False
    verb, row_list, index = match.group(1), match.group(2), match.group(3)
    if verb == "add" and len(draft.rows) < MAX_ROWS:
        draft.rows.append(blank_row(row_list))
    elif verb == "remove" and index is not None and int(index) < len(draft.rows):
        del draft.rows[int(index)]
    return True


def _number(raw: str) -> Any:
    """A typed number as int or float; text that is none is passed on for the rules to name."""
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return raw
    if not math.isfinite(value):
        return raw
    whole = value.is_integer() and raw.lstrip("+-").isdigit()
    return int(value) if whole else value


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in raw.splitlines() if line.strip()]


def _optional(out: dict[str, Any], name: str, value: Any) -> None:
    if value not in (None, "", []):
        out[name] = value


def is_blank(row: dict[str, Any]) -> bool:
    """A row left empty (a ticked "right answer" counts as written: it needs its text)."""
    return not any(v is True or (isinstance(v, str) and v.strip()) for v in row.values())


def kept_rows(draft: Draft) -> list[int]:
    """The indexes of the rows that are not blank: blank rows are ignored, never errors."""
    return [index for index, row in enumerate(draft.rows) if not is_blank(row)]


def _filled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows that are not left blank."""
    return [row for row in rows if not is_blank(row)]


def _weight_field(row: dict[str, Any]) -> dict[str, Any]:
    """A row's weight as typed ("25", "25%"), or nothing when blank."""
    raw = str(row.get("weight") or "").strip().rstrip("%").strip()
    return {"weight": _number(raw)} if raw else {}


def _partial_number(row: dict[str, Any]) -> dict[str, Any]:
    """A partly right number's row as the loader reads it."""
    out: dict[str, Any] = {"value": _number(row["value"].strip())}
    _optional(out, "tolerance", _number(row["tolerance"].strip()))
    out |= _weight_field(row)
    _optional(out, "feedback", row["feedback"].strip())
    return out


def _kind_fields(draft: Draft) -> dict[str, Any]:
    """The kind's own fields, as the YAML loader expects them."""
    kind, out = draft.kind, {}
    if kind in ("multiple_choice", "multiple_select"):
        out["choices"] = [
            {"text": row["text"].strip(), "correct": bool(row["correct"])}
            | ({"feedback": row["feedback"].strip()} if row["feedback"].strip() else {})
            | _weight_field(row)
            for row in _filled(draft.rows)
        ]
        if not draft.shuffle:
            out["shuffle"] = False
    elif kind == "true_false":
        out["answer"] = {"true": True, "false": False}.get(draft.answer)
        _optional(out, "feedback_true", draft.feedback_true.strip())
        _optional(out, "feedback_false", draft.feedback_false.strip())
    elif kind == "short_answer":
        out["answers"] = _lines(draft.answers) + [
            {"text": row["text"].strip()}
            | _weight_field(row)
            | ({"feedback": row["feedback"].strip()} if row["feedback"].strip() else {})
            for row in _filled(draft.rows)
        ]
        _optional(out, "near_misses", _lines(draft.near_misses))
        if not draft.fuzzy:
            out["fuzzy"] = False
        if draft.full_name:
            out["full_name"] = True
    elif kind == "numeric":
        if draft.mode == "range":
            out["range"] = [_number(draft.low), _number(draft.high)]
        else:
            out["value"] = _number(draft.value)
            _optional(out, "tolerance", _number(draft.tolerance))
        _optional(out, "unit", draft.unit)
        _optional(out, "feedback", draft.feedback.strip())
        _optional(out, "partial", [_partial_number(row) for row in _filled(draft.rows)])
    elif kind == "cloze":
        out["text"] = draft.text.strip()
        _optional(out, "groups", parse_groups_text(draft.groups))
    elif kind == "matching":
        out["pairs"] = [
            {"left": row["left"].strip(), "right": row["right"].strip()}
            for row in _filled(draft.rows)
        ]
    elif kind == "ordering":
        out["items"] = [row["text"].strip() for row in _filled(draft.rows)]
    elif kind == "flashcard":
        out["back"] = draft.back.strip()
    elif kind == "essay":
        _optional(out, "word_limit", _number(draft.word_limit))
        _optional(out, "model_answer", draft.model_answer.strip())
        rubric = [
            {"criterion": row["criterion"].strip(), "points": _number(row["points"].strip())}
            for row in _filled(draft.rows)
        ]
        _optional(out, "rubric", rubric)
    return out


def draft_to_dict(draft: Draft) -> dict[str, Any]:
    """The question dict the YAML loader reads (blank optional fields left out)."""
    out: dict[str, Any] = {
        "kind": draft.kind,
        "prompt": draft.prompt.strip(),
    }
    _optional(out, "explanation", draft.explanation.strip())
    tags = [tag.strip() for tag in draft.tags.split(",") if tag.strip()]
    _optional(out, "tags", tags)
    _optional(out, "paragraph", _number(draft.paragraph))
    return out | _kind_fields(draft)
