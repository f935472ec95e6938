"""Numeric answers with units: one lazily built pint registry, and parsing of "460 miles"."""

from __future__ import annotations

import math
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint

# pint is imported on first use (registry(), _as_pint_reads): importing it costs more than a
# second, and a web worker or `python app.py` starting up needs no unit until one is graded.

from quiz.answers import quantity

# A number as people type it (750, -7.5, .5, 750,000 with comma thousands, 7.5e2); the rest is the
# unit. The number is parsed here rather than by pint, whose parser evaluates expressions.
_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+)"
    r"(?P<exponent>[eE][+-]?\d+)?\s*(?P<unit>.*)",
    re.DOTALL,
)
# "2/3", "20 / 30": a fraction is one number.
_FRACTION = re.compile(
    r"(?P<over>[+-]?\d+)\s*/\s*(?P<under>\d+)(?![\d.,/])\s*(?P<unit>.*)", re.DOTALL
)
# The words around a temperature's unit: "37 degrees C", "102.2 ° F", "37.5 degrees centigrade".
_TEMPERATURE_NAMES = {
    "c": "degC",
    "celsius": "degC",
    "centigrade": "degC",
    "degc": "degC",
    "f": "degF",
    "fahrenheit": "degF",
    "degf": "degF",
    "k": "kelvin",
    "kelvin": "kelvin",
    "kelvins": "kelvin",
    "degk": "kelvin",
}
_DEGREE_WORDS = frozenset({"degree", "degrees", "deg", "°", "º"})
# After a distance, where it lies: "120 km south", "85 km NE", "80 km north-east of London".
_DIRECTION = re.compile(
    r"\s+(?:to\s+the\s+|due\s+)?(?:(?:north|south)(?:[\s-]?(?:east|west))?|east|west|"
    r"[ns][ew]|[ns]{2}[ew]|[ew][ns][ew])(?:wards?|erly)?(?:\s+(?:of|from)\s+.*)?$",
    re.IGNORECASE | re.DOTALL,
)
_RANGE = re.compile(r"(?:-|\u2013|to|and|or)\s*[0-9]", re.IGNORECASE)  # "55-65", "55 to 65"
_MAX_UNIT_LENGTH = 40  # longer "units" are sentences; pint need not parse them

# Pint evaluates a unit as an expression, so "m**(9**9**9)" would compute a huge power while
# holding the GIL and stall every thread of the server. Only a small grammar reaches pint,
# matched against the unit's shape (each letter, µ and ° written "a"): up to four words of
# letters ("km", "miles", "sq km", "degree_Celsius"), joined by a space, "/" or "*", each with
# an optional one-digit exponent ("m^2", "m**2", "h^-1", "km²").
_EXPONENT = r"(?:\^-?[0-9]|\*\*-?[0-9]|[²³])"
_UNIT_SHAPE = re.compile(rf"a+(?:_a+)*{_EXPONENT}?(?:(?: ?[/*] ?| )a+(?:_a+)*{_EXPONENT}?){{0,3}}")
# Pint first rewrites words into exponents ("sq km" is "km**2", "cubic m^9" is "m**3**9", and
# "sq cubic m^9" is m to the power 2**19683), so the text it will evaluate is checked too: each
# unit name with at most one exponent of one digit. The largest power left is 4 * 9 = 36 of a
# unit, and no power of a power is ever computed.
_PINT_POWER = r"(?:\*\*(?:-?[0-9]|\(-?[0-9]\)))"  # "km²" becomes "km**(2)"
_PINT_SHAPE = re.compile(rf"a+(?:_a+)*{_PINT_POWER}?(?: ?[/*] ?a+(?:_a+)*{_PINT_POWER}?){{0,3}}")
_UNIT_ADVICE = "write a unit such as km, miles or km/h after the number"

_DIMENSION_NAMES = {
    "dimensionless": "plain number",
    "[length]": "length",
    "[mass]": "mass",
    "[time]": "time",
    "[temperature]": "temperature",
    "[current]": "current",
    "[substance]": "amount of substance",
    "[length] ** 2": "area",
    "[length] ** 3": "volume",
    "[length] / [time]": "speed",
    "[length] / [time] ** 2": "acceleration",
    "[mass] / [length] ** 3": "density",
    "1 / [time]": "frequency",
    "[length] * [mass] / [time] ** 2": "force",
    "[length] ** 2 * [mass] / [time] ** 2": "energy",
    "[length] ** 2 * [mass] / [time] ** 3": "power",
    "[mass] / [length] / [time] ** 2": "pressure",
}


class UnitError(ValueError):
    """A number or unit that cannot be understood; the message is meant for the student."""


@cache
def registry() -> pint.UnitRegistry:
    """Pint's unit registry, built on first use because building it takes a few hundred ms."""
    import pint

    return pint.UnitRegistry()


def _shape(text: str) -> str:
    """Text with every letter (and °) written "a", for matching against a grammar."""
    return "".join("a" if char.isalpha() or char == "°" else char for char in text)


def is_unit_text(text: str) -> bool:
    """Whether text is written as the unit grammar allows, so pint may be asked to read it."""
    name = " ".join(text.split())
    if not name or len(name) > _MAX_UNIT_LENGTH or not _UNIT_SHAPE.fullmatch(_shape(name)):
        return False
    return all(
        _PINT_SHAPE.fullmatch(_shape(_as_pint_reads(candidate)))
        for candidate in (name, name.lower())
    )


def _as_pint_reads(text: str) -> str:
    """Text rewritten as pint rewrites a unit before evaluating it ("sq km" becomes "km**2")."""
    for preprocess in registry().preprocessors:
        text = preprocess(text)
    import pint.util

    return pint.util.string_preprocessor(text)


def parse_unit(text: str) -> pint.Unit:
    """The unit a name or expression stands for ("km", "miles", "km/h"); UnitError if unknown."""
    name = " ".join(text.split())
    if not is_unit_text(name):
        shown = f"'{name}'" if len(name) <= _MAX_UNIT_LENGTH else "this text"
        raise UnitError(
            f"{shown} is not written as a unit: use unit names of letters such as km, miles, "
            "km/h or m^2, joined by a space, / or *, with exponents of one digit"
        )
    # As written first, so "Mm" stays megametres; then lower case, as "KM" or "Miles" are typed.
    for candidate in dict.fromkeys((name, name.lower())):
        unit = _lookup(candidate)
        if unit is not None:
            return unit
    raise UnitError(f"unknown unit '{name}'")


def _lookup(name: str) -> pint.Unit | None:
    """The unit pint reads from name, or None when it cannot read it."""
    try:
        return registry().parse_units(name)
    except Exception:  # pint's parser fails with KeyError, TokenError, AssertionError...
        return None


def describe(unit: pint.Unit) -> str:
    """What a unit measures, with its article: "a length", "an area"."""
    dimensions = str(unit.dimensionality)
    name = _DIMENSION_NAMES.get(dimensions)
    if name is None:
        return f"a quantity of dimension {dimensions}"
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def to_unit(text: str, unit: str | None, proportion: bool = False) -> float:
    """The value of a typed answer in the question's unit; a bare number is taken in that unit.

    Words of approximation, number words, fractions and digit groups are read first ("about
    750 000 m", "two thirds"); for a plain count, words after the number name what is counted
    ("60 soldiers"). For a proportion (a plain number from 0 to 1), "67%" is 0.67.
    """
    typed = text.strip()
    unwrapped = quantity.unwrap(typed, _is_known_unit)
    fraction = _FRACTION.fullmatch(unwrapped)
    if fraction is not None and int(fraction["under"]):
        value = int(fraction["over"]) / int(fraction["under"])
        unwrapped = f"{value:.12g} {fraction['unit']}".strip()
    found = _QUANTITY.fullmatch(unwrapped)
    if found is None:
        word = quantity.changing_word(unwrapped)
        if word:
            raise UnitError(f"'{typed}' is not one number: give the number without '{word}'")
        raise UnitError(f"'{typed}' is not a number")
    number_text = found["number"] + (found["exponent"] or "")
    unit_text = found["unit"].strip()
    if unit_text[:1].isdigit() or unit_text[:1] in (",", "."):
        raise UnitError(f"'{typed}' is not a number: write it like 750000, 750,000 or 7.5")
    number = _finite(float(number_text.replace(",", "")), typed)
    if not unit_text:
        return number
    if _RANGE.match(unit_text):
        raise UnitError(f"'{typed}' is a range: give one number")
    if unit is None:
        if proportion and unit_text.lower() in quantity.PERCENT_WORDS:
            return number / 100
        return _plain_count(number, unit_text)
    wanted = parse_unit(unit)
    if wanted.dimensionality == registry().kelvin.dimensionality:
        unit_text = _temperature_unit(unit_text, unit)
    elif wanted.dimensionality == registry().metre.dimensionality:
        unit_text = _DIRECTION.sub("", unit_text) or unit_text
    given = _typed_unit(unit_text)
    if given.dimensionality != wanted.dimensionality:
        raise UnitError(
            f"'{unit_text}' is {describe(given)}; this answer is {describe(wanted)}, "
            f"for example '{number_text} {unit}'"
        )
    import pint  # loaded already: registry() above imported it

    try:
        converted = registry().Quantity(number, given).to(wanted).magnitude
    except pint.PintError as error:
        raise UnitError(f"cannot convert '{unit_text}' to '{unit}': {error}") from error
    return _finite(float(converted), typed)


def _temperature_unit(text: str, unit: str) -> str:
    """A temperature's typed unit as pint names it: "C" is Celsius here, not coulomb.

    "degrees" alone, or the sign alone, is the question's own scale.
    """
    words = text.replace("°", " ° ").replace("º", " º ").lower().split()
    scale = [word for word in words if word not in _DEGREE_WORDS]
    if not scale:
        return unit
    if len(scale) == 1 and scale[0].strip(".") in _TEMPERATURE_NAMES:
        return _TEMPERATURE_NAMES[scale[0].strip(".")]
    return text


def _is_known_unit(text: str) -> bool:
    """Whether text is a unit pint knows, asked only once the grammar allows it."""
    return is_unit_text(text) and any(_lookup(name) is not None for name in (text, text.lower()))


def _plain_count(number: float, words: str) -> float:
    """A plain number followed by words: "%" or the noun counted is fine, a unit is not."""
    if words.lower() in quantity.PERCENT_WORDS:
        return number
    if is_unit_text(words):
        unit = next(filter(None, map(_lookup, (words, words.lower()))), None)
        if unit is not None and not unit.dimensionless:
            raise UnitError(f"this answer is a plain number: leave out '{words}'")
    if quantity.is_counted_noun(words):
        return number  # "60 soldiers", "two drone bases"
    raise UnitError(f"this answer is a plain number: leave out '{words}'")


def _typed_unit(text: str) -> pint.Unit:
    """The unit of an answer, forgiving "kms", "km." and a few words after it ("750 km away")."""
    if len(text) > _MAX_UNIT_LENGTH:
        raise UnitError(f"the unit is too long: {_UNIT_ADVICE}")
    words = text.split()
    tries = [text, *quantity.unit_variants(text)]
    for size in range(min(3, len(words) - 1), 0, -1):
        rest = " ".join(words[size:])
        if quantity.is_counted_noun(rest):
            head = " ".join(words[:size])
            tries += [head, *quantity.unit_variants(head)]
    for candidate in tries:
        if is_unit_text(candidate):
            unit = next(filter(None, map(_lookup, (candidate, candidate.lower()))), None)
            if unit is not None:
                return unit
    if not is_unit_text(text):
        raise UnitError(f"'{text}' is not a unit: {_UNIT_ADVICE}")
    return parse_unit(text)  # raises UnitError naming the unknown unit


def _finite(value: float, typed: str) -> float:
    """Reject overflowed values such as 1e999, which would compare as infinity."""
    if not math.isfinite(value):
        raise UnitError(f"'{typed}' is too large a number")
    return value
