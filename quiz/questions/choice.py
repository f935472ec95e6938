"""Kinds answered by picking: multiple choice, multiple select, true/false, flashcard ratings."""

from dataclasses import dataclass, replace
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
from quiz.questions.weights import FULL, SUM_SLACK, partly_right_note, percent, read_weight

_NOT_A_CHOICE = "That is not one of the choices."


@dataclass(frozen=True)
class Choice:
    """One offered answer, with the feedback shown to a student who picks it.

    `weight` (percent) is partial credit: in multiple choice a partly right choice (0 < weight
    < 100, `correct` false); in a weighted multiple select every right choice's share and the
    negative penalty of a wrong one. None: the choice counts by `correct` alone.
    """

    text: str
    correct: bool = False
    feedback: str = ""
    weight: float | None = None

    @property
    def credit(self) -> float:
        """What picking it is worth, in percent."""
        if self.weight is not None:
            return self.weight
        return FULL if self.correct else 0.0

    def spec(self) -> dict[str, Any]:
        """As in YAML, leaving out the defaults."""
        out: dict[str, Any] = {"text": self.text}
        if self.correct:
            out["correct"] = True
        if self.weight is not None:
            out["weight"] = self.weight
        if self.feedback:
            out["feedback"] = self.feedback
        return out


def _read_choices(fields: Fields, low: float) -> tuple[Choice, ...]:
    """The `choices` list: at least two, texts unique, weights from `low` to 100."""
    choices = []
    for path, item in fields.items("choices", minimum=2):
        choice = Fields(item, path, ("text", "correct", "feedback", "weight"))
        choices.append(
            Choice(
                text=choice.text("text"),
                correct=choice.flag("correct", default=False),
                feedback=choice.text("feedback", required=False),
                weight=read_weight(choice, low, FULL),
            )
        )
    check_unique([choice.text for choice in choices], fields.at("choices"), ".text")
    return tuple(choices)


def _single_weights(fields: Fields, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """Multiple choice: weight 100 is `correct`, 0 is wrong, anything between partly right."""
    out = []
    for index, choice in enumerate(choices):
        weight = choice.weight
        if weight is not None and choice.correct and weight != FULL:
            raise fields.error(
                f"choices[{index}].weight",
                f"a correct choice is worth 100%, not {percent(weight)}; "
                "leave out `correct` for a partly right one",
            )
        correct = choice.correct or weight == FULL
        kept = None if weight in (None, 0.0, FULL) else weight
        out.append(replace(choice, correct=correct, weight=kept))
    return tuple(out)


def _select_weights(fields: Fields, choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """Multiple select with weights: right = positive weight; the positives add up to 100."""
    if all(choice.weight is None for choice in choices):
        return choices  # unweighted: the old rule, right choices share the marks equally
    out = []
    for index, choice in enumerate(choices):
        weight = choice.weight
        if weight is None and choice.correct:
            raise fields.error(
                f"choices[{index}].weight",
                "required: when any choice has a weight, every right choice needs one",
            )
        if weight is not None and choice.correct and weight <= 0:
            raise fields.error(
                f"choices[{index}].weight",
                f"a correct choice needs a positive weight, not {percent(weight)}",
            )
        right = weight is not None and weight > 0
        out.append(replace(choice, correct=right, weight=None if weight == 0 else weight))
    total = sum(choice.credit for choice in out if choice.credit > 0)
    if abs(total - FULL) > SUM_SLACK:
        raise fields.error(
            "choices", f"the positive weights must add up to 100%, not {percent(total)}"
        )
    share = FULL / sum(choice.correct for choice in out)
    if all(abs(abs(choice.credit) - share) < SUM_SLACK for choice in out):
        # Equal shares, and each wrong tick costs one: exactly the plain rule, so kept as it
        # (one form for one meaning, whichever format it came through).
        return tuple(replace(choice, weight=None) for choice in out)
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class _ChoiceQuestion(Question):
    """Shared by the kinds that list choices."""

    FIELDS: ClassVar[tuple[str, ...]] = ("choices", "shuffle")
    choices: tuple[Choice, ...]
    shuffle: bool = True

    def spec(self) -> dict[str, Any]:
        """Choices, and `shuffle` only when it is off."""
        out: dict[str, Any] = {"choices": [choice.spec() for choice in self.choices]}
        if not self.shuffle:
            out["shuffle"] = False
        return out

    def answer_text(self) -> str:
        """The right choices' texts, and the partly right ones with their weights."""
        right = "; ".join(choice.text for choice in self.choices if choice.correct)
        partly = [(c.text, c.weight) for c in self.choices if not c.correct and c.credit > 0]
        return right + partly_right_note(partly)

    def display_order(self, seed: int) -> list[int]:
        """YAML indices of the choices in the order shown: shuffled unless turned off."""
        count = len(self.choices)
        return shuffled(count, seed) if self.shuffle else list(range(count))

    def view(self, seed: int) -> dict[str, Any]:
        """Choices as (display position, text); the position is what the form sends back."""
        order = self.display_order(seed)
        return {
            "choices": [
                (position, self.choices[index].text) for position, index in enumerate(order)
            ],
            "multiple": self.kind == "multiple_select",
        }

    def picked(self, raw: Any, seed: int) -> int:
        """The YAML index of the choice shown at the posted display position."""
        return self.display_order(seed)[form_index(raw, len(self.choices), _NOT_A_CHOICE)]


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(_ChoiceQuestion):
    """Exactly one right choice."""

    kind: ClassVar[str] = "multiple_choice"

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """Choices with exactly one marked correct (or worth 100%); others may be partly right."""
        choices = _single_weights(fields, _read_choices(fields, 0.0))
        right = sum(choice.correct for choice in choices)
        if right != 1:
            raise fields.error(
                "choices", f"multiple_choice needs exactly one correct choice, found {right}"
            )
        return {"choices": choices, "shuffle": fields.flag("shuffle", default=True)}

    def parse_form(self, form: FormLike, seed: int) -> int:
        """The picked choice's YAML index from field `answer` (a display position)."""
        raw = form.get("answer")
        if raw is None or raw == "":
            raise ResponseError("Choose an answer.")
        return self.picked(raw, seed)

    def score(self, response: Any) -> tuple[float, str]:
        """The picked choice's weight (full marks for the right one) and its feedback."""
        picked = self.choices[check_index(response, len(self.choices), _NOT_A_CHOICE)]
        if picked.correct:
            return 1.0, picked.feedback or "Right."
        if picked.credit > 0:
            said = f"Partly right: {percent(picked.credit)}."
            return picked.credit / FULL, picked.feedback or said
        return 0.0, picked.feedback or "Not right."


@dataclass(frozen=True, kw_only=True)
class MultipleSelect(_ChoiceQuestion):
    """Any number of right choices; partial credit, and wrong picks cost."""

    kind: ClassVar[str] = "multiple_select"

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """Choices with at least one marked correct; weights from -100 to 100 if any."""
        choices = _select_weights(fields, _read_choices(fields, -FULL))
        if not any(choice.correct for choice in choices):
            raise fields.error("choices", "multiple_select needs at least one correct choice")
        return {"choices": choices, "shuffle": fields.flag("shuffle", default=True)}

    def parse_form(self, form: FormLike, seed: int) -> list[int]:
        """The ticked choices' YAML indices (repeated field `answer`), sorted; none is allowed."""
        return sorted({self.picked(raw, seed) for raw in form.getlist("answer")})

    def score(self, response: Any) -> tuple[float, str]:
        """Feedback per pick, and the score never below 0: the ticked weights out of the
        right ones' total when weighted, else (right picks - wrong picks) / right choices."""
        if not isinstance(response, list | tuple):
            raise ResponseError(_NOT_A_CHOICE)
        picked = [check_index(index, len(self.choices), _NOT_A_CHOICE) for index in response]
        if len(set(picked)) != len(picked):
            raise ResponseError("Each choice can be ticked once.")
        needed = sum(choice.correct for choice in self.choices)
        right = sum(self.choices[index].correct for index in picked)
        wrong = len(picked) - right
        lines = [f"{right} of {needed} right choices ticked, {wrong} wrong."]
        if self.weighted:
            earned = sum(self.choices[index].credit for index in picked)
            points = max(0.0, earned / sum(c.credit for c in self.choices if c.correct))
        else:
            points = max(0.0, (right - wrong) / needed)
        lines += [
            f"'{self.choices[index].text}': {self.choices[index].feedback}"
            for index in sorted(picked)
            if self.choices[index].feedback
        ]
        missed = [c.text for i, c in enumerate(self.choices) if c.correct and i not in picked]
        if missed:
            lines.append("Missed: " + ", ".join(f"'{text}'" for text in missed) + ".")
        return points, " ".join(lines)

    @property
    def weighted(self) -> bool:
        """Whether the choices carry Moodle-style weights instead of the equal-share rule."""
        return any(choice.weight is not None for choice in self.choices)


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """A statement that is true or false."""

    kind: ClassVar[str] = "true_false"
    FIELDS: ClassVar[tuple[str, ...]] = ("answer", "feedback_true", "feedback_false")
    answer: bool
    feedback_true: str = ""  # shown to a student who answered true
    feedback_false: str = ""

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """`answer` (required boolean) and the two optional feedbacks."""
        if fields.value("answer") is None:
            raise fields.error("answer", "required")
        return {
            "answer": fields.flag("answer", default=False),
            "feedback_true": fields.text("feedback_true", required=False),
            "feedback_false": fields.text("feedback_false", required=False),
        }

    def spec(self) -> dict[str, Any]:
        """The answer and any feedback."""
        out: dict[str, Any] = {"answer": self.answer}
        if self.feedback_true:
            out["feedback_true"] = self.feedback_true
        if self.feedback_false:
            out["feedback_false"] = self.feedback_false
        return out

    def answer_text(self) -> str:
        """The answer as the word True or False."""
        return "True" if self.answer else "False"

    def parse_form(self, form: FormLike, seed: int) -> bool:
        """Field `answer`: "true" or "false"."""
        raw = form.get("answer")
        if raw not in ("true", "false"):
            raise ResponseError("Choose true or false.")
        return raw == "true"

    def view(self, seed: int) -> dict[str, Any]:
        """Nothing beyond the prompt."""
        return {}

    def score(self, response: Any) -> tuple[float, str]:
        """Full marks for the right truth value, with the feedback for what was answered."""
        if not isinstance(response, bool):
            raise ResponseError("Choose true or false.")
        right = response == self.answer
        written = self.feedback_true if response else self.feedback_false
        return (1.0 if right else 0.0), written or ("Right." if right else "Not right.")


RATINGS = ("again", "hard", "good", "easy")


@dataclass(frozen=True, kw_only=True)
class Flashcard(Question):
    """A front (the prompt) and a back; the student rates how well they knew it."""

    kind: ClassVar[str] = "flashcard"
    FIELDS: ClassVar[tuple[str, ...]] = ("back",)
    back: str

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """`back`, required."""
        return {"back": fields.text("back")}

    def spec(self) -> dict[str, Any]:
        """The back."""
        return {"back": self.back}

    def answer_text(self) -> str:
        """The back."""
        return self.back

    def parse_form(self, form: FormLike, seed: int) -> str:
        """Field `rating`: again, hard, good or easy."""
        rating = form.get("rating")
        if rating not in RATINGS:
            raise ResponseError("Rate how well you knew it.")
        return rating

    def view(self, seed: int) -> dict[str, Any]:
        """Nothing: the back is shown only once the student turns the card."""
        return {}

    def score(self, response: Any) -> tuple[float, str]:
        """Right unless rated "again"."""
        if response not in RATINGS:
            raise ResponseError("Rate how well you knew it.")
        return (0.0 if response == "again" else 1.0), f"Rated {response}."
