"""The wrapping around a typed number: "about 60", "~750 km.", "seven hundred and fifty", "750 000".

`unwrap` leaves the number in digits followed by whatever came after it, which quiz.units then
reads as a unit (or, for a plain count, as the noun counted: "60 soldiers").
"""

import re
from collections.abc import Callable

from quiz.answers.numbers import NUMBER_WORDS, read_number_words

_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f]")  # no-break and thin spaces group digits
# "750 km (460 miles)": an aside is dropped, unless it is a unit: "1 (m)" is kept, and refused.
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
_MONTH_BEFORE_YEAR = re.compile(  # "6 May 2022", "Nov 9, 1989": the year is the number
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?=\d{3,4}(?!\d))",
    re.IGNORECASE,
)
_ERA = re.compile(r"\s*(?:a\.?d\.?|c\.?e\.?)$|^(?:a\.?d\.?)(?![a-z])\s*", re.IGNORECASE)
_BEFORE_ERA = re.compile(r"\s*b\.?c\.?(?:e\.?)?$", re.IGNORECASE)
_DIGIT_HYPHEN = re.compile(r"(\d)-(?=[^\W\d_])")  # "750-km", "60-ish"
# After the number, an explanation set off by a colon, a dash or a comma: "three: Mali, ...".
_EXPLANATION = re.compile(r"(?:[:;]|,(?=\s+[^\W\d_])|\s[-\u2013\u2014])\s.*$", re.DOTALL)
_LEAD_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?[,:;]?")
# Before a number these make it a bound or a different number: "over 700", "not 60", "up to".
_CHANGING = "not no never nor neither more less fewer than over under above below between least"
_CHANGING_WORDS = frozenset(
    (_CHANGING + " most up exceeding beyond except minus plus isnt wasnt isn't wasn't").split()
)
_GROUPS = re.compile(r"^([+-]?\d{1,3})((?:[ '\u2019]\d{3})+)(?=$|[^\d,.])")
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*", re.IGNORECASE)
PERCENT_WORDS = ("%", "percent", "per cent", "pct", "percentage")
# "two thirds", "three quarters", "one half": read as "2/3", which quiz.units divides.
_DENOMINATORS = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4} | {
    word + end: number
    for number, word in enumerate(
        ["third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"], start=3
    )
    for end in ("", "s")
}


def unwrap(typed: str, is_unit: Callable[[str], bool] = lambda text: False) -> str:
    """The typed answer with the number first, in digits, and its words of approximation gone.

    An aside in brackets is dropped unless is_unit says it is the unit ("1 (m)" is refused).
    """
    text = _SPACES.sub(" ", typed.replace("\u2212", "-")).strip()
    without_asides = _BRACKETS.sub(lambda found: _aside(found, is_unit), text).strip()
    text = " ".join((without_asides or text).split())
    text = _TRAILING_STOPS.sub("", text)
    for _ in range(6):  # "I think it was about 60": a few words at most, so the loop is bounded
        found = _LEADING.match(text) or _MONTH_BEFORE_YEAR.match(text) or _ERA.match(text)
        if found is None or found.end() == len(text) or found.end() == 0:
            break
        text = text[found.end() :]
    text = _EXPLANATION.sub("", _DIGIT_HYPHEN.sub(r"\1 ", _drop_lead_in(text)))
    for _ in range(3):
        text = _TRAILING_STOPS.sub("", _ERA.sub("", _TRAILING.sub("", text)))
    before_era = _BEFORE_ERA.search(text)
    if before_era is not None and before_era.start() > 0:  # "500 BC" is the year -500
        text = "-" + text[: before_era.start()]
    return _grouped_digits(_number_words_as_digits(text))


def _drop_lead_in(text: str) -> str:
    """Words before the number ("Agadez is 750 km away"), unless they change it ("over 700")."""
    words = text.split()
    for index, word in enumerate(words[:9]):
        plain = word.lower().strip(",:;")
        if word[:1].isdigit() or word[:1] in "+-~≈∼." or plain in NUMBER_WORDS:
            return " ".join(words[index:])
        if not _LEAD_WORD.fullmatch(word) or plain in _CHANGING_WORDS:
            return text
    return text


def changing_word(text: str) -> str:
    """The first word of text if it makes a number a bound or another number ("over"), else ""."""
    words = text.split()
    first = words[0].lower().strip(",:;") if words else ""
    return first if first in _CHANGING_WORDS else ""


def _aside(found: re.Match[str], is_unit: Callable[[str], bool]) -> str:
    """An aside dropped ("(460 miles)", "(Mali, Niger)"), or kept when it is the unit."""
    aside = found[0].strip()[1:-1].strip()
    return found[0] if aside and is_unit(aside) else " "


def _number_words_as_digits(text: str) -> str:
    """ "seven hundred and fifty km" as "750 km"; text that starts otherwise is returned as is."""
    words = re.split(r"[\s-]+", text, maxsplit=30)
    if words and words[0].lower() in ("minus", "negative") and len(words) > 1:
        rest = _number_words_as_digits(" ".join(words[1:]))
        return "-" + rest if rest[:1].isdigit() else text  # "minus 40 degrees"
    if words and words[0].lower() in _DENOMINATORS:  # "half"
        words = ["a", *words]
    if len(words) > 1 and words[0].lower() in ("a", "an") and words[1].lower() in _DENOMINATORS:
        return " ".join([f"1/{_DENOMINATORS[words[1].lower()]}", *words[2:]])  # "a third"
    if not words or words[0].lower() not in NUMBER_WORDS:
        return text
    if len(words) > 1 and words[1].lower() in _DENOMINATORS:  # "one third", never "13"
        over = read_number_words([words[0].lower()])
        if over is not None:
            under = _DENOMINATORS[words[1].lower()]
            return " ".join([f"{over[0]}/{under}", *words[2:]])
    read = read_number_words([word.lower() for word in words])
    if read is None:
        return text
    value, used = read
    rest = words[used:]
    if rest and rest[0].lower() in _DENOMINATORS:  # "two thirds" is 2/3
        return " ".join([f"{value}/{_DENOMINATORS[rest[0].lower()]}", *rest[1:]])
    return " ".join([str(value), *rest])


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
