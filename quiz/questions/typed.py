"""Kinds answered by typing: short answer, numeric (with units), cloze."""

from dataclasses import dataclass
from typing import Any, ClassVar

from quiz import units
from quiz.answers.entities import asks_for_person
from quiz.questions import gap_groups
from quiz.questions.base import (
    Fields,
    FormLike,
    Question,
    QuestionError,
    ResponseError,
    check_number,
    response_text,
)
from quiz.questions.weights import (
    FULL,
    NumericAnswer,
    TypedAnswer,
    check_distinct,
    gap_credit,
    number_spec,
    partly_right_note,
    percent,
    read_numeric_partial,
    read_short_answers,
    short_answer_spec,
)
from quiz.textmatch import (
    Match,
    cloze_hints,
    cloze_partials,
    judge,
    match_feedback,
    match_key,
    names_a_date,
    split_cloze,
)


def _check_answers(fields: Fields, key: str, answers: tuple[str, ...]) -> None:
    """Each answer needs a letter or digit (repeats such as "Honolulu, Hawaii" are harmless)."""
    for index, answer in enumerate(answers):
        if not match_key(answer):
            raise fields.error(f"{key}[{index}]", "has no letters or digits")


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(Question):
    """A typed word or phrase, forgiving case, accents, punctuation and small typos."""

    kind: ClassVar[str] = "short_answer"
    FIELDS: ClassVar[tuple[str, ...]] = ("answers", "near_misses", "fuzzy", "full_name")
    answers: tuple[str, ...]
    near_misses: tuple[str, ...] = ()  # wrong however close, e.g. "Niamey" for "Agadez"
    fuzzy: bool = True
    partial: tuple[TypedAnswer, ...] = ()  # partly right answers, each with its weight
    feedback: tuple[tuple[str, str], ...] = ()  # (an answer or near miss, its own feedback)
    full_name: bool = False  # a person's full name needed: no surname alone, no initials

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """Accepted answers (some partly right), near misses that are none of them, typos."""
        lists = read_short_answers(fields)
        answers, near_misses = lists.answers, lists.near_misses
        _check_answers(fields, "answers", answers)
        _check_answers(fields, "near_misses", near_misses)
        check_distinct(fields, lists, match_key)
        return {
            "answers": answers,
            "near_misses": near_misses,
            "fuzzy": fields.flag("fuzzy", default=True),
            "partial": lists.partial,
            "feedback": lists.feedback,
            "full_name": fields.flag("full_name", default=False),
        }

    def spec(self) -> dict[str, Any]:
        """Answers (partly right ones with their weight), near misses, and `fuzzy` when off."""
        out = short_answer_spec(self.answers, self.near_misses, self.partial, self.feedback)
        if not self.fuzzy:
            out["fuzzy"] = False
        if self.full_name:
            out["full_name"] = True
        return out

    def answer_text(self) -> str:
        """The first accepted answer, and the others as alternatives."""
        others = f" (also accepted: {', '.join(self.answers[1:])})" if len(self.answers) > 1 else ""
        partly = partly_right_note([(a.text, a.weight) for a in self.partial])
        return self.answers[0] + others + partly

    def parse_form(self, form: FormLike, seed: int) -> str:
        """Field `answer`, stripped."""
        return response_text(form.get("answer") or "")

    def view(self, seed: int) -> dict[str, Any]:
        """Whether the answer is a date (the page then says how numeric dates are read)."""
        return {"dates": names_a_date(self.answers)}

    def score(self, response: Any) -> tuple[float, str]:
        """Right when it matches an accepted answer (a typo is named) and is no near miss;
        a partly right answer scores its weight; the matched answer's own feedback is shown."""
        text = response_text(response)
        others = tuple(answer.text for answer in self.partial)
        person = "full" if self.full_name else "short" if asks_for_person(self.prompt) else ""
        match = judge(
            text,
            self.answers,
            self.near_misses + others,
            self.fuzzy,
            world=self.prompt,
            person=person,
        )
        _refuse_ambiguous(match, text)
        if match.verdict in ("exact", "typo"):
            own = self._feedback_for(match.target)
            said = match_feedback(match, text) if match.verdict == "typo" or not own else ""
            return 1.0, " ".join(part for part in (said, own) if part)
        if self.partial:
            part = judge(
                text,
                others,
                self.near_misses + self.answers,
                self.fuzzy,
                world=self.prompt,
                person=person,
            )
            scored = self._partial_score(part, text) if part.verdict in ("exact", "typo") else None
            if scored is not None:
                return scored
        if match.verdict == "near_miss" and self._feedback_for(match.target):
            return 0.0, self._feedback_for(match.target)
        return 0.0, match_feedback(match, text)

    def _feedback_for(self, target: str) -> str:
        """The author's feedback for an answer or near miss (compared as typed answers are)."""
        key = match_key(target)
        return next((note for text, note in self.feedback if match_key(text) == key), "")

    def _partial_score(self, match: Match, text: str) -> tuple[float, str] | None:
        """The weight of the partly right answer matched, with its feedback."""
        key = match_key(match.target)
        answer = next((a for a in self.partial if match_key(a.text) == key), None)
        if answer is None:  # the matcher named no answer of ours: not partly right
            return None
        said = f"'{text.strip()}' is partly right ({percent(answer.weight)})."
        if match.verdict == "typo":
            said += f" The exact spelling is '{answer.text}'."
        return answer.weight / FULL, answer.feedback or said


def _refuse_ambiguous(match: Match, text: str, where: str = "") -> None:
    """Ask for a response again when it can be read two ways, one right and one wrong."""
    if match.verdict == "ambiguous":
        raise ResponseError(
            f"{where}'{text.strip()}' is unclear: {match.reason}; write the month as a word."
        )


def _amount(value: float, unit: str | None) -> str:
    """A number for people, with its unit: "750 km"."""
    return f"{value:.10g}" + (f" {unit}" if unit else "")


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    """A number, right within a tolerance or range; answers in other units are converted."""

    kind: ClassVar[str] = "numeric"
    FIELDS: ClassVar[tuple[str, ...]] = (
        "value",
        "tolerance",
        "range",
        "unit",
        "feedback",
        "partial",
    )
    value: float | None = None
    tolerance: float = 0.0  # absolute, in `unit`, inclusive
    bounds: tuple[float, float] | None = None  # YAML `range: [low, high]`, inclusive
    unit: str | None = None  # a pint unit; None for a plain number
    feedback: str = ""  # shown for a right answer
    partial: tuple[NumericAnswer, ...] = ()  # numbers worth part of the marks, in `unit`

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """Either value (with tolerance) or range, and an optional unit pint knows."""
        value, tolerance = fields.number("value"), fields.number("tolerance")
        items = fields.items("range", minimum=2, required=False)
        if value is None and not items:
            raise fields.error("value", "numeric needs either value (with tolerance) or range")
        if value is not None and items:
            raise fields.error("range", "numeric takes value or range, not both")
        bounds = None
        if items:
            if len(items) != 2:
                raise fields.error("range", f"must be [low, high], found {len(items)} items")
            low, high = (check_number(item, path) for path, item in items)
            if low > high:
                raise fields.error("range", f"low ({low:g}) is above high ({high:g})")
            if tolerance is not None:
                raise fields.error("tolerance", "goes with value, not with range")
            bounds = (low, high)
        if tolerance is not None and tolerance < 0:
            raise fields.error("tolerance", "must not be negative")
        unit = fields.text("unit", required=False).strip() or None
        if unit is not None:
            try:
                units.parse_unit(unit)
            except units.UnitError as error:
                raise fields.error("unit", str(error)) from error
        return {
            "value": value,
            "tolerance": tolerance or 0.0,
            "bounds": bounds,
            "unit": unit,
            "feedback": fields.text("feedback", required=False),
            "partial": read_numeric_partial(fields),
        }

    def spec(self) -> dict[str, Any]:
        """`value` and `tolerance`, or `range`; and `unit` when there is one."""
        out = number_spec(self.bounds, self.value, self.tolerance)
        if self.unit is not None:
            out["unit"] = self.unit
        if self.feedback:
            out["feedback"] = self.feedback
        if self.partial:
            out["partial"] = [answer.spec() for answer in self.partial]
        return out

    def limits(self) -> tuple[float, float]:
        """The lowest and highest right values, in `unit`."""
        if self.value is not None:
            return self.value - self.tolerance, self.value + self.tolerance
        if self.bounds is not None:
            return self.bounds
        raise QuestionError("numeric needs either value or range")

    def answer_text(self) -> str:
        """In words, such as "750 km (give or take 25 km)" or "between 700 and 800 km"."""
        if self.value is None:
            low, high = self.limits()
            return f"between {low:.10g} and {_amount(high, self.unit)}" + self._partly_note()
        exact = _amount(self.value, self.unit)
        if self.tolerance:
            exact += f" (give or take {_amount(self.tolerance, self.unit)})"
        return exact + self._partly_note()

    def _partly_note(self) -> str:
        """The partly right numbers in words: " (partly right: 1820 to 1824 50%)"."""
        return partly_right_note(
            [
                (f"{low:.10g} to {_amount(high, self.unit)}", a.weight)
                for a in self.partial
                for low, high in [a.limits()]
            ]
        )

    def parse_form(self, form: FormLike, seed: int) -> str:
        """Field `answer`, stripped, once it is known to be a number in a fitting unit."""
        text = response_text(form.get("answer") or "")
        self.measure(text)
        return text

    def measure(self, text: str) -> float:
        """The typed answer's value in the question's unit; ResponseError if it has none."""
        try:
            return units.to_unit(
                text, self.unit, proportion=0 <= self.limits()[0] <= self.limits()[1] <= 1
            )
        except units.UnitError as error:
            raise ResponseError(str(error)[:1].upper() + str(error)[1:] + ".") from error

    def view(self, seed: int) -> dict[str, Any]:
        """The unit to show next to the input."""
        return {"unit": self.unit}

    def score(self, response: Any) -> tuple[float, str]:
        """Full marks inside the limits (inclusive), else the best partly right number's weight;
        feedback says too high or too low."""
        text = response_text(response)
        value = self.measure(text)
        low, high = self.limits()
        slack = 1e-9 * max(1.0, abs(low), abs(high))  # unit conversion is not exact in floats
        reading = f"'{text}'"
        converted = f"{value:.6g} {self.unit}"
        if self.unit and text.replace(" ", "") != converted.replace(" ", ""):
            reading += f" ({converted})"  # shows the conversion, or the unit a bare number took
        if low - slack <= value <= high + slack:
            return 1.0, self.feedback or f"{reading} is right."
        for answer in sorted(self.partial, key=lambda a: -a.weight):
            low_part, high_part = answer.limits()
            if low_part - slack <= value <= high_part + slack:
                said = f"{reading} is partly right ({percent(answer.weight)})."
                return answer.weight / FULL, answer.feedback or said
        return 0.0, f"{reading} is too {'low' if value < low else 'high'}."


@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    """A text with gaps, each graded like a short answer with its alternatives."""

    kind: ClassVar[str] = "cloze"
    FIELDS: ClassVar[tuple[str, ...]] = ("text", "groups")
    text: str  # gaps: {{answer|alternative}}, {{answer::hint}}, {{answer|%50%partly right}}
    groups: tuple[tuple[int, ...], ...] = ()  # gap numbers (from 1) answered in any order

    @classmethod
    def read_spec(cls, fields: Fields) -> dict[str, Any]:
        """`text`, with balanced braces and at least one gap; `groups` of gaps in any order."""
        text = fields.text("text")
        try:
            parts = split_cloze(text)
        except ValueError as error:
            raise fields.error("text", str(error)) from error
        count = sum(isinstance(part, tuple) for part in parts)
        return {"text": text, "groups": gap_groups.read_groups(fields, count)}

    def spec(self) -> dict[str, Any]:
        """The text with its gaps, and its groups when it has some."""
        out: dict[str, Any] = {"text": self.text}
        if self.groups:
            out["groups"] = [list(group) for group in self.groups]
        return out

    def gaps(self) -> list[tuple[str, ...]]:
        """The accepted answers of each gap, in order."""
        return [part for part in split_cloze(self.text) if isinstance(part, tuple)]

    def answer_text(self) -> str:
        """The text with each gap filled by its first answer."""
        return "".join(p if isinstance(p, str) else p[0] for p in split_cloze(self.text))

    def parse_form(self, form: FormLike, seed: int) -> list[str]:
        """Fields `gap-0`, `gap-1`, ..., stripped; at least one must be filled."""
        filled = [str(form.get(f"gap-{index}") or "").strip() for index in range(len(self.gaps()))]
        if not any(filled):
            raise ResponseError("Fill in the gaps.")
        return filled

    def view(self, seed: int) -> dict[str, Any]:
        """The text as ("text", str) and ("gap", number) parts."""
        parts: list[tuple[str, str | int]] = []
        gap = 0
        for part in split_cloze(self.text):
            if isinstance(part, str):
                parts.append(("text", part))
            else:
                parts.append(("gap", gap))
                gap += 1
        hints = cloze_hints(self.text)  # shown in each gap, as Anki shows them
        dates = names_a_date([a for gap in self.gaps() for a in gap])
        return {"parts": parts, "dates": dates, **({"hints": hints} if any(hints) else {})}

    def score(self, response: Any) -> tuple[float, str]:
        """The fraction of gaps right; the feedback names the wrong and misspelt ones."""
        gaps = self.gaps()
        if not isinstance(response, list | tuple) or len(response) != len(gaps):
            raise ResponseError("Fill in the gaps.")
        if not any(isinstance(said, str) and said.strip() for said in response):
            raise ResponseError("Fill in the gaps.")
        world = " ".join(part for part in split_cloze(self.text) if isinstance(part, str))
        judged: dict[tuple[int, int], Match] = {}

        def match_for(place: int, gap: int) -> Match:
            """The response typed at place judged against one gap's answers (cached)."""
            if (place, gap) not in judged:
                answers = gaps[gap]
                # Another gap's answer is wrong here however close: typing all is no answer.
                others = [a for o in gaps if o is not answers for a in o if a not in answers]
                said = response_text(response[place] or "")
                judged[place, gap] = judge(said, answers, others, world=world)
            return judged[place, gap]

        def rightness(place: int, gap: int) -> int:
            """2 for an exact answer, 1 for a typo, 0 otherwise."""
            said = response[place]
            if not isinstance(said, str) or not said.strip():
                return 0
            return {"exact": 2, "typo": 1}.get(match_for(place, gap).verdict, 0)

        targets = gap_groups.arrange(len(gaps), self.groups, rightness)
        right, notes, partials = 0.0, [], cloze_partials(self.text)
        for number, said in enumerate(response, start=1):
            if not isinstance(said, str) or not said.strip():
                notes.append(f"Gap {number}: left empty.")
                continue
            match = match_for(number - 1, targets[number - 1])
            _refuse_ambiguous(match, said, f"Gap {number}: ")
            target = targets[number - 1]
            credit, note = gap_credit(match, said, partials[target], gaps[target])
            right += credit
            if note:
                notes.append(f"Gap {number}: {note}")
        done = f"{right:g} of {len(gaps)} gaps right."
        return right / len(gaps), " ".join([done, *notes])
