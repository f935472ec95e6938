"""What every question kind shares: errors, Grade, the field reader and the Question base."""

import difflib
import math
import random
from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from quiz.inputs import bounded_int

MAX_ANSWER_LENGTH = 500  # longer text is not an answer; it also bounds the work of fuzzy matching


class QuestionError(ValueError):
    """Invalid question data; the message names the field and the problem."""


class ResponseError(ValueError):
    """A response that cannot be judged: the message is for the student; nothing is recorded."""


class FormLike(Protocol):
    """The part of werkzeug's MultiDict that parse_form reads."""

    def get(self, key: str) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


@dataclass(frozen=True)
class Grade:
    """The verdict on one response."""

    correct: bool  # full marks (score == 1.0)
    score: float  # 0.0..1.0, partial credit where the kind allows
    feedback: str  # about this response
    answer: str  # the right answer in words

    def __post_init__(self) -> None:
        """Refuse a score out of range or a `correct` that disagrees with it."""
        if not 0.0 <= self.score <= 1.0 or self.correct != (self.score == 1.0):
            raise ValueError(f"inconsistent grade: correct={self.correct}, score={self.score}")


def describe_value(value: Any) -> str:
    """Describe a wrongly typed value as a YAML author would see it: ", not a number (1999)"."""
    if isinstance(value, str):
        return ""
    if isinstance(value, bool):
        return f", not true/false ({value})"
    if isinstance(value, int | float):
        return f", not a number ({value})"
    if value is None:
        return ", not empty"
    names = {list: "a list", tuple: "a list", dict: "a mapping"}
    return f", not {names.get(type(value), type(value).__name__)}"


def check_text(value: Any, path: str) -> str:
    """A non-empty string, or a QuestionError naming the path."""
    if not isinstance(value, str) or not value.strip():
        # YAML reads 1999 or yes as a number or boolean: quoting keeps the text.
        hint = "; put it in quotes" if isinstance(value, int | float) else ""
        raise QuestionError(f"{path}: must be a non-empty string{describe_value(value)}{hint}")
    return value


def check_unique(values: Sequence[str], path: str, suffix: str = "") -> None:
    """Reject repeated choices, pairs or items (case and spacing aside), naming both positions.

    They are compared as they are displayed (spacing aside), never as typed answers are: a
    student picks them, so "{" and "#", or "US" and "U.S.", are two different choices.
    """
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        key = " ".join(value.casefold().split())
        if key in seen:
            raise QuestionError(f"{path}[{index}]{suffix}: '{value}' repeats {path}[{seen[key]}]")
        seen[key] = index


class Fields:
    """Typed reading of one mapping's fields; every error names the field's path."""

    def __init__(self, data: Any, path: str, allowed: Collection[str]) -> None:
        if not isinstance(data, Mapping):
            raise QuestionError(
                f"{path or 'question'}: must be a mapping of fields{describe_value(data)}"
            )
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), list(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                where = f"{path}: " if path else ""
                raise QuestionError(f"{where}unknown field '{key}'{hint}")
        self.data = data
        self.path = path

    def at(self, key: str) -> str:
        """The full path of a field, such as "choices[2].text"."""
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, problem: str) -> QuestionError:
        """An error about one field."""
        return QuestionError(f"{self.at(key)}: {problem}")

    def value(self, key: str, required: bool = True) -> Any:
        """The raw value; YAML's empty value (None) counts as absent."""
        value = self.data.get(key)
        if value is None and required:
            raise self.error(key, "required")
        return value

    def text(self, key: str, required: bool = True) -> str:
        """A non-empty string ("" when optional and absent)."""
        value = self.value(key, required)
        return "" if value is None else check_text(value, self.at(key))

    def flag(self, key: str, default: bool) -> bool:
        """A true/false value; 0 and 1 are refused so a typo cannot pass for a boolean."""
        value = self.value(key, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false{describe_value(value)}")
        return value

    def number(self, key: str) -> float | None:
        """An optional finite number (int or float, not a boolean)."""
        value = self.value(key, required=False)
        return None if value is None else check_number(value, self.at(key))

    def items(self, key: str, minimum: int, required: bool = True) -> list[tuple[str, Any]]:
        """The items of a list field with their paths, such as ("choices[0]", {...})."""
        value = self.value(key, required)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            raise self.error(key, f"must be a list{describe_value(value)}")
        if len(value) < minimum:
            raise self.error(key, f"needs at least {minimum}, found {len(value)}")
        return [(f"{self.at(key)}[{index}]", item) for index, item in enumerate(value)]

    def texts(self, key: str, minimum: int = 0, required: bool = True) -> tuple[str, ...]:
        """A list of non-empty strings."""
        return tuple(check_text(item, path) for path, item in self.items(key, minimum, required))


def check_number(value: Any, path: str) -> float:
    """A finite int or float (not a boolean), as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QuestionError(f"{path}: must be a number{describe_value(value)}")
    if not math.isfinite(value):
        raise QuestionError(f"{path}: must be a finite number")
    return float(value)


def response_text(response: Any) -> str:
    """A typed answer, stripped; empty or oversized answers cannot be judged."""
    if not isinstance(response, str):
        raise ResponseError("Enter your answer as text.")
    text = response.strip()
    if not text:
        raise ResponseError("Enter an answer.")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ResponseError(f"That answer is too long (over {MAX_ANSWER_LENGTH} characters).")
    return text


def check_index(value: Any, count: int, problem: str) -> int:
    """An index below count (not a boolean), or a ResponseError with the given message."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        raise ResponseError(problem)
    return value


def form_index(raw: Any, count: int, problem: str) -> int:
    """An index typed as decimal digits in a form field."""
    value = bounded_int(raw, 0, count) if isinstance(raw, str) else None
    if value is None:  # not digits, too many of them, or out of range
        raise ResponseError(problem)
    return check_index(value, count, problem)


def shuffled(count: int, seed: int, avoid_identity: bool = False) -> list[int]:
    """Indices 0..count-1 in an order fixed by the seed; optionally never in the original order."""
    order = list(range(count))
    random.Random(seed).shuffle(order)  # noqa: S311 - display order, not security
    if avoid_identity and count >= 2 and order == sorted(order):
        order = order[1:] + order[:1]  # rotating is deterministic and never the identity
    return order


@dataclass(frozen=True, kw_only=True)
class Question(ABC):
    """The fields every kind has; subclasses add their own fields, grading and view."""

    kind: ClassVar[str]
    FIELDS: ClassVar[tuple[str, ...]]  # the kind's own field names, as in YAML

    prompt: str
    explanation: str
    tags: tuple[str, ...] = ()
    paragraph: int | None = None

    @classmethod
    @abstractmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """Validate the kind's own fields into constructor arguments."""

    @abstractmethod
    def spec(self) -> dict[str, Any]:
        """The kind's own fields as in YAML (JSON-able); defaults are left out."""

    @abstractmethod
    def answer_text(self) -> str:
        """The right answer in words."""

    @abstractmethod
    def parse_form(self, form: FormLike, seed: int) -> Any:
        """The normalized, JSON-able response from a submitted form; ResponseError if unusable.

        `seed` is the one the page was rendered with: forms carry display positions, never
        stored indices, so the page's HTML does not reveal which value is right.
        """

    @abstractmethod
    def view(self, seed: int) -> dict[str, Any]:
        """What a page needs to show the question, without the answer; shuffles follow the seed."""

    @abstractmethod
    def score(self, response: Any) -> tuple[float, str]:
        """The score in 0..1 and the feedback for a normalized response."""

    def grade(self, response: Any) -> Grade:
        """Judge a normalized response (as parse_form returns it)."""
        points, feedback = self.score(response)
        return Grade(points == 1.0, points, feedback, self.answer_text())
