"""Words for pages: a student's stored response as a sentence, and a question's form fields."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from werkzeug.datastructures import MultiDict

from quiz.questions import Question

NO_ANSWER = "(no answer)"
BLANK = "(blank)"


def _index(value: Any) -> int | None:
    """A list index from a stored response (an int, or digits); None when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _pick(texts: Sequence[str], value: Any) -> str:
    """The text at a stored index, or the raw value when it points nowhere."""
    index = _index(value)
    return texts[index] if index is not None and index < len(texts) else str(value)


def _sequence(response: Any) -> Sequence[Any]:
    """A stored list response; anything else is malformed."""
    if isinstance(response, str | bytes) or not isinstance(response, Sequence):
        raise TypeError("not a list")
    return response


def _choices(spec: Mapping[str, Any], response: Any) -> str:
    """Multiple choice or select: the picked choices' texts."""
    texts = [choice["text"] for choice in spec["choices"]]
    if isinstance(response, list | tuple):
        return "; ".join(_pick(texts, value) for value in response)
    return _pick(texts, response)


def _true_false(spec: Mapping[str, Any], response: Any) -> str:
    """True or False, also from the form's "true"/"false"."""
    if isinstance(response, str) and response.strip().lower() in ("true", "false"):
        response = response.strip().lower() == "true"
    if not isinstance(response, bool):
        raise TypeError("not a truth value")
    return "True" if response else "False"


def _typed(spec: Mapping[str, Any], response: Any) -> str:
    """Short answer or numeric: the text as typed."""
    text = str(response).strip()
    return text or NO_ANSWER


def _cloze(spec: Mapping[str, Any], response: Any) -> str:
    """Each gap's answer, in order."""
    gaps = [str(said).strip() if said is not None else "" for said in _sequence(response)]
    if not any(gaps):
        return NO_ANSWER
    return " / ".join(said or BLANK for said in gaps)


def _matching(spec: Mapping[str, Any], response: Any) -> str:
    """Each left with the right the student chose for it."""
    pairs = spec["pairs"]
    rights = [pair["right"] for pair in pairs]
    chosen = list(_sequence(response))
    lines = []
    for index, pair in enumerate(pairs):
        right = chosen[index] if index < len(chosen) else None
        lines.append(f"{pair['left']} → {BLANK if right is None else _pick(rights, right)}")
    return "; ".join(lines)


def _ordering(spec: Mapping[str, Any], response: Any) -> str:
    """The items numbered in the student's order."""
    items = spec["items"]
    order = _sequence(response)
    return "; ".join(
        f"{number}. {_pick(items, index)}" for number, index in enumerate(order, start=1)
    )


def _flashcard(spec: Mapping[str, Any], response: Any) -> str:
    """The rating the student gave, capitalised."""
    if not isinstance(response, str):
        raise TypeError("not a rating")
    return response.strip().capitalize() or NO_ANSWER


_DESCRIBERS: dict[str, Callable[[Mapping[str, Any], Any], str]] = {
    "multiple_choice": _choices,
    "multiple_select": _choices,
    "true_false": _true_false,
    "short_answer": _typed,
    "numeric": _typed,
    "cloze": _cloze,
    "matching": _matching,
    "ordering": _ordering,
    "flashcard": _flashcard,
    "essay": _typed,
}


def describe_response(question: Question, response: Any) -> str:
    """The student's stored response as a sentence for the feedback page; never raises."""
    if response is None or (isinstance(response, str | list | tuple | dict) and not response):
        return NO_ANSWER
    describer = _DESCRIBERS.get(getattr(question, "kind", ""))
    try:
        if describer is not None:
            # spec() is the contract's stable shape; the dataclass fields are not.
            return describer(question.spec(), response)
    except Exception:  # noqa: S110 - stored responses may predate a question's edit; show them raw
        pass
    try:
        return str(response)
    except Exception:
        return "(an answer that cannot be shown)"


def unprefixed(form: Any, prefix: str) -> MultiDict[str, Any]:
    """The fields of one question on a many-question page, named as its parse_form reads them."""
    out: MultiDict[str, Any] = MultiDict()
    for key in form:
        if key.startswith(prefix):
            for value in form.getlist(key):
                out.add(key[len(prefix) :], value)
    return out
