"""Numeric answers with units: one lazily built pint registry, and parsing of "460 miles"."""

import math
import re
from functools import cache

import pint

# A number as people type it (750, -7.5, .5, 750,000 with comma thousands, 7.5e2); the rest is the
# unit. The number is parsed here rather than by pint, whose parser evaluates expressions.
_QUANTITY = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+)"
    r"(?P<exponent>[eE][+-]?\d+)?\s*(?P<unit>.*)",
    re.DOTALL,
)
_MAX_UNIT_LENGTH = 40  # longer "units" are sentences; pint need not parse them

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
    return pint.UnitRegistry()


def parse_unit(text: str) -> pint.Unit:
    """The unit a name or expression stands for ("km", "miles", "km/h"); UnitError if unknown."""
    name = text.strip()
    if name and len(name) <= _MAX_UNIT_LENGTH:
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


def to_unit(text: str, unit: str | None) -> float:
    """The value of a typed answer in the question's unit; a bare number is taken in that unit."""
    typed = text.strip()
    found = _QUANTITY.fullmatch(typed.replace("\u2212", "-"))  # U+2212 is the typographic minus
    if found is None:
        raise UnitError(f"'{typed}' is not a number")
    number_text = found["number"] + (found["exponent"] or "")
    unit_text = found["unit"].strip()
    if unit_text[:1].isdigit() or unit_text[:1] in (",", "."):
        raise UnitError(f"'{typed}' is not a number: write it like 750000, 750,000 or 7.5")
    number = _finite(float(number_text.replace(",", "")), typed)
    if not unit_text:
        return number
    if unit is None:
        raise UnitError(f"this answer is a plain number: leave out '{unit_text}'")
    given, wanted = parse_unit(unit_text), parse_unit(unit)
    if given.dimensionality != wanted.dimensionality:
        raise UnitError(
            f"'{unit_text}' is {describe(given)}; this answer is {describe(wanted)}, "
            f"for example '{number_text} {unit}'"
        )
    try:
        converted = registry().Quantity(number, given).to(wanted).magnitude
    except pint.PintError as error:
        raise UnitError(f"cannot convert '{unit_text}' to '{unit}': {error}") from error
    return _finite(float(converted), typed)


def _finite(value: float, typed: str) -> float:
    """Reject overflowed values such as 1e999, which would compare as infinity."""
    if not math.isfinite(value):
        raise UnitError(f"'{typed}' is too large a number")
    return value
