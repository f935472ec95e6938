"""Judging a draft question by the question rules, and naming each error's form field. Pure.

The rules (quiz.questions, shared with the YAML loader) raise one QuestionError whose message
starts with the path of the field at fault ("choices[2].text: ..."); this module turns that path
into the name of the form field the error is shown next to.
"""

from __future__ import annotations

import re
from typing import Any

from quiz.questions import KINDS, QuestionError, question_from_dict, question_to_dict
from quiz.sets.drafts import ROW_FIELDS, ROW_NOUNS, Draft, draft_to_dict, kept_rows

LINE_FIELDS = ("answers", "near_misses")  # one alternative per line of a text box
PATH_INDEX = re.compile(r"\[(\d+)\]")
NOUNS = {**ROW_NOUNS, "answers": "answer", "near_misses": "near miss", "range": "bound"}


def field_key(path: str) -> str:
    """The form field a QuestionError path names: "choices[2].text" -> "choices-2-text"."""
    key = PATH_INDEX.sub(r"-\1", path).replace(".", "-")
    if key == "range-1":
        return "high"
    if key in ("range", "range-0"):
        return "low"
    if re.fullmatch(r"items-\d+", key):
        return key + "-text"
    if key.startswith("partial-"):  # a numeric question's partly right numbers are rows
        return "numbers-" + key[len("partial-") :]
    for name in LINE_FIELDS:  # one text box for the list: the message names the line
        if key.startswith(name + "-"):
            return name
    if key.startswith("groups-"):  # a cloze's groups are typed in one box too
        return "groups"
    return key


def humane(path: str, problem: str) -> str:
    """The rules' wording made friendlier for a form: list positions counted from 1."""

    def position(match: re.Match[str]) -> str:
        return f"{NOUNS.get(match.group(1), match.group(1))} {int(match.group(2)) + 1}"

    where = ""
    index = PATH_INDEX.search(path)
    name = path.split("[")[0]
    if name in LINE_FIELDS and index:
        where = f"Line {int(index.group(1)) + 1}: "
    problem = re.sub(r"(\w+)\[(\d+)\]", position, problem)
    if problem.startswith("must be a non-empty string"):
        problem = "write something here" + problem[len("must be a non-empty string") :]
    if "needs exactly one correct choice" in problem:
        problem = "tick the right answer" if problem.endswith("found 0") else "tick only one"
    if problem == "required":
        problem = "this is required"
    return where + problem[:1].upper() + problem[1:] + ("" if problem.endswith(".") else ".")


def error_fields(error: QuestionError) -> dict[str, str]:
    """A QuestionError as {field key: message}; the key is where the form shows it."""
    message = str(error)
    path, _, problem = message.partition(": ")
    if not problem:
        return {"form": message}
    return {field_key(path): humane(path, problem)}


COMMON_KEYS = ("prompt", "explanation", "tags", "paragraph")
PLACEHOLDER = "-"


ROW_PATH = re.compile(r"\b(choices|pairs|items)\[(\d+)\]")


def _problems(data: dict[str, Any], kept: list[int] | None = None) -> dict[str, str]:
    """The rules' error on these fields, if any, by field key.

    `kept` maps the rules' row numbers (blank rows left out) back to the form's rows, so the
    error is shown next to the row the teacher typed.
    """
    try:
        question_from_dict(data)
    except QuestionError as error:
        message = str(error)
        if kept:

            def form_row(match: re.Match[str]) -> str:
                index = int(match.group(2))
                return f"{match.group(1)}[{kept[index] if index < len(kept) else index}]"

            message = ROW_PATH.sub(form_row, message)
        return error_fields(QuestionError(message))
    return {}


def _weighted_row_errors(
    draft: Draft, data: dict[str, Any], errors: dict[str, str]
) -> dict[str, str]:
    """A short answer's `answers[n]` past the text box's lines is a weighted row: name it."""
    if draft.kind != "short_answer" or "answers" not in errors:
        return errors
    try:
        question_from_dict(data)
    except QuestionError as error:
        found = re.match(r"answers\[(\d+)\](?:\.(\w+))?: (.*)", str(error))
        lines = len([line for line in draft.answers.splitlines() if line.strip()])
        filled = [
            i for i, row in enumerate(draft.rows) if any(str(v).strip() for v in row.values())
        ]
        if found and lines <= int(found.group(1)) < lines + len(filled):
            row = filled[int(found.group(1)) - lines]
            key = f"weighted-{row}-{found.group(2) or 'text'}"
            path = f"answers.{found.group(2) or 'text'}"
            return {k: v for k, v in errors.items() if k != "answers"} | {
                key: humane(path, found.group(3))
            }
    return errors


def check_draft(draft: Draft, paragraphs: int) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The question dict when the draft is valid, else the errors by field key.

    The rules stop at the first problem, so the common fields and the kind's own fields are
    judged apart (each with stand-ins for the other part): a form can show one error in each.
    `paragraphs` is the number of paragraphs in the set's source text (0 when it has none):
    a cited paragraph must exist in it.
    """
    if draft.kind not in KINDS:
        return None, {"form": f"Unknown kind of question: {draft.kind}."}
    data = draft_to_dict(draft)
    common = {key: data[key] for key in COMMON_KEYS if key in data}
    errors = _problems({"kind": "flashcard", "back": PLACEHOLDER, **common})
    own = {k: v for k, v in data.items() if k not in COMMON_KEYS}
    kept = kept_rows(draft) if draft.row_list in ("choices", "pairs", "items") else None
    errors |= _problems({**own, "prompt": PLACEHOLDER}, kept)
    errors = errors or _problems(data, kept)  # nothing found apart: judge the whole, to be sure
    errors = _weighted_row_errors(draft, data, errors)
    if errors:
        return None, errors
    question = question_from_dict(data)
    if paragraphs and question.paragraph is not None and question.paragraph > paragraphs:
        return None, {
            "paragraph": f"The source text has {paragraphs} paragraphs; "
            f"there is no paragraph {question.paragraph}."
        }
    return question_to_dict(question), {}


ROW_LABELS = {
    "text": "text",
    "feedback": "feedback",
    "left": "left",
    "right": "goes with",
    "weight": "weight",
    "value": "value",
    "tolerance": "tolerance",
    "criterion": "criterion",
    "points": "points",
}
LABELS = {
    "prompt": "Question",
    "explanation": "Explanation",
    "tags": "Tags",
    "paragraph": "Source paragraph",
    "answer": "True or false",
    "feedback_true": "Feedback for True",
    "feedback_false": "Feedback for False",
    "answers": "Accepted answers",
    "near_misses": "Near misses",
    "value": "Value",
    "tolerance": "Tolerance",
    "low": "Lowest right value",
    "high": "Highest right value",
    "unit": "Unit",
    "text": "Text with gaps",
    "groups": "Gaps answered in any order",
    "back": "Back of the card",
    "feedback": "Feedback for a right answer",
    "weighted": "Answers with a weight or feedback",
    "numbers": "Partly right numbers",
    "choices": "Choices",
    "pairs": "Pairs",
    "items": "Items",
    "word_limit": "Word limit",
    "model_answer": "Model answer",
    "rubric": "Rubric",
}


def field_label(key: str) -> str:
    """What the form calls a field, for the list of errors: "choices-1-text" -> "Choice 2 text"."""
    match = re.fullmatch(r"(choices|pairs|items|weighted|numbers|rubric)-(\d+)-(\w+)", key)
    if match:
        noun = ROW_NOUNS[match.group(1)].capitalize()
        part = "" if match.group(1) == "items" else " " + ROW_LABELS.get(match.group(3), "")
        return f"{noun} {int(match.group(2)) + 1}{part}"
    return LABELS.get(key, "The question")


# The fields in the order the form shows them: the summary at the top lists errors this way.
PAGE_ORDER = tuple(
    [
        "form",
        "prompt",
        "choices",
        "pairs",
        "items",
        "answer",
        "feedback_true",
        "feedback_false",
        "answers",
        "near_misses",
        "weighted",
        "value",
        "tolerance",
        "low",
        "high",
        "unit",
        "feedback",
        "numbers",
        "text",
        "groups",
        "back",
        "explanation",
        "tags",
        "paragraph",
    ]
)


def _page_place(key: str) -> tuple[int, int, int]:
    """Where a field is on the form: (field, row, part of the row)."""
    match = re.fullmatch(r"(choices|pairs|items|weighted|numbers)-(\d+)-(\w+)", key)
    if match:
        parts = ROW_FIELDS[match.group(1)]
        part = parts.index(match.group(3)) if match.group(3) in parts else 0
        return PAGE_ORDER.index(match.group(1)), int(match.group(2)) + 1, part
    return (PAGE_ORDER.index(key) if key in PAGE_ORDER else len(PAGE_ORDER)), 0, 0


def in_page_order(errors: dict[str, str]) -> list[tuple[str, str]]:
    """The errors as (field key, message), top of the form first."""
    return sorted(errors.items(), key=lambda item: _page_place(item[0]))
