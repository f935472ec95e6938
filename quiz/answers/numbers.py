"""Numbers written in words or as ordinals: "sixty", "seven hundred and fifty", "6th", "sixth"."""

import re

_SMALL = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINAL_SMALL = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    **{word + "th": value for word, value in _SMALL.items() if 13 <= value <= 19},
    **{word[:-1] + "ieth": value for word, value in _TENS.items()},
    "hundredth": 100,
    "thousandth": 1000,
}
_DIGIT_ORDINAL = re.compile(r"(\d{1,9})(?:st|nd|rd|th)")
NUMBER_WORDS = frozenset(_SMALL) | frozenset(_TENS) | frozenset(_SCALES) | {"hundred"}


def ordinal_value(token: str) -> int | None:
    """The number of an ordinal token ("6th", "sixth"), or None."""
    found = _DIGIT_ORDINAL.fullmatch(token)
    if found:
        return int(found[1])
    return _ORDINAL_SMALL.get(token)


def read_number_words(words: list[str]) -> tuple[int, int] | None:
    """The value of the number words at the start of words, and how many words it took.

    "seven hundred and fifty km" gives (750, 4); "and" counts only between number words. A final
    ordinal word is part of the number ("twenty eighth" is 28). None when words do not start with
    a number word.
    """
    total, current, used, seen = 0, 0, 0, False
    for index, word in enumerate(words[:20]):  # no real number is written in more words
        if word == "and" and seen and index + 1 < len(words) and _is_number_word(words[index + 1]):
            continue
        ordinal = _ORDINAL_SMALL.get(word)
        if word in _SMALL or word in _TENS:
            current += _SMALL.get(word, 0) + _TENS.get(word, 0)
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        elif ordinal is not None:
            if ordinal in (100, 1000):
                current = (current or 1) * ordinal
            else:
                current += ordinal
            return total + current, index + 1
        else:
            break
        seen, used = True, index + 1
    if not seen:
        return None
    return total + current, used


def _is_number_word(word: str) -> bool:
    """Whether a word is a cardinal or ordinal number word."""
    return word in NUMBER_WORDS or word in _ORDINAL_SMALL
