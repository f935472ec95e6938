"""The wrapping around a typed number: "about 60", "~750 km.", "seven hundred and fifty", "750 000".

`unwrap` leaves the number in digits followed by whatever came after it, which quiz.units then
reads as a unit (or, for a plain count, as the noun counted: "60 soldiers").
"""

import re

from quiz.answers.numbers import NUMBER_WORDS, read_number_words

_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f]")  # no-break and thin spaces group digits
# "750 km (460 miles)": an aside that restates the number is dropped; "1 (m)" is kept, and refused.
_BRACKETS = re.compile(r"\s\([\w\s.,]{1,100}\)")
_TRAILING_STOPS = re.compile(r"[\s.!?;:,]+$")
# Words and signs for "roughly" and for "my answer is", before or after the number.
_LEADING = re.compile(
    r"(?:about|around|roughly|approximately|approx\.?|appr\.?|ca\.?|c\.|circa|some|nearly|almost|"
    r"close to|near|an estimated|estimated|more or less|[~≈∼]|"
    r"i think|i believe|maybe|probably|perhaps|just|the answer is|answer:|"
    r"it was|it is|it's|its|there were|there are|there was|in|the year|year)(?![a-z])\s*",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    r"\s*(?:approx\.?|approximately|roughly|about|or so|give or take|more or less|-?ish)$",
    re.IGNORECASE,
)
_GROUPS = re.compile(r"^([+-]?\d{1,3})((?:[ '\u2019]\d{3})+)(?=$|[^\d,.])")
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*", re.IGNORECASE)
PERCENT_WORDS = ("%", "percent", "per cent", "pct", "percentage")


def unwrap(typed: str) -> str:
    """The typed answer with the number first, in digits, and its words of approximation gone."""
    text = _SPACES.sub(" ", typed.replace("\u2212", "-")).strip()
    without_asides = _BRACKETS.sub(_restated_number, text).strip()
    text = " ".join((without_asides or text).split())
    text = _TRAILING_STOPS.sub("", text)
    for _ in range(6):  # "I think it was about 60": a few words at most, so the loop is bounded
        found = _LEADING.match(text)
        if found is None or found.end() == len(text):
            break
        text = text[found.end() :]
    for _ in range(3):
        text = _TRAILING_STOPS.sub("", _TRAILING.sub("", text))
    return _grouped_digits(_number_words_as_digits(text))


def _restated_number(found: re.Match[str]) -> str:
    """An aside with a number in it, dropped; any other aside, kept."""
    aside = found[0].strip()[1:-1].split()
    numeric = aside and (aside[0][:1].isdigit() or aside[0].lower() in NUMBER_WORDS)
    return " " if numeric else found[0]


def _number_words_as_digits(text: str) -> str:
    """ "seven hundred and fifty km" as "750 km"; text that starts otherwise is returned as is."""
    words = re.split(r"[\s-]+", text, maxsplit=30)
    if not words or words[0].lower() not in NUMBER_WORDS:
        return text
    read = read_number_words([word.lower() for word in words])
    if read is None:
        return text
    value, used = read
    return " ".join([str(value), *words[used:]])


def _grouped_digits(text: str) -> str:
    """Digits grouped by spaces or apostrophes ("750 000", "1'200") written together."""
    found = _GROUPS.match(text)
    if found is None:
        return text
    digits = found[1] + re.sub(r"[ '\u2019]", "", found[2])
    return digits + text[found.end() :]


def is_counted_noun(text: str) -> bool:
    """Whether text after a plain count names what is counted: "soldiers", "Russian troops"."""
    words = text.split()
    return 0 < len(words) <= 6 and all(_WORDS.fullmatch(word) for word in words)


def unit_variants(text: str) -> list[str]:
    """Other spellings of a typed unit: without full stops ("k.m."), without a plural s ("kms")."""
    variants = []
    plain = text.replace(".", "").strip()
    if plain and plain != text:
        variants.append(plain)
    if len(plain) >= 2 and plain.endswith("s") and plain[:-1].isalpha():
        variants.append(plain[:-1])  # "kms", "kgs": pint reads "kilometres" but not "kms"
    return variants
