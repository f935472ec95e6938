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
    ordinal word is part of the number ("twenty eighth" is 28). Numbers said in pairs of digits
    are read as people say years: "seven fifty" is 750, "twenty twenty-two" is 2022. None when
    words do not start with a number word.
    """
    groups: list[int] = []
    total, current, used = 0, 0, 0
    for index, word in enumerate(words[:20]):  # no real number is written in more words
        if word == "and" and used and index + 1 < len(words) and _is_number_word(words[index + 1]):
            continue
        small = _SMALL.get(word, _TENS.get(word))
        ordinal = _ORDINAL_SMALL.get(word) if small is None else None
        if small is not None or (ordinal is not None and ordinal < 100):
            value = small if small is not None else ordinal or 0
            if not _fits(current % 100, value):  # "seven fifty": a new pair of digits
                groups.append(total + current)
                total, current = 0, 0
            current += value
        elif word == "hundred" or ordinal == 100:
            current = (current or 1) * 100
        elif word in _SCALES or ordinal == 1000:
            total += (current or 1) * _SCALES.get(word, 1000)
            current = 0
        else:
            break
        used = index + 1
        if ordinal is not None:
            break  # an ordinal ends the number: "twenty-eighth of June"
    if not used:
        return None
    last = total + current
    if not groups:
        return last, used
    if any(group >= 100 for group in groups[1:]) or last >= 100:
        return None
    return int(str(groups[0]) + "".join(f"{group:02d}" for group in [*groups[1:], last])), used


def _fits(below_hundred: int, value: int) -> bool:
    """Whether a number word can follow what is below the hundreds ("twenty" then "two")."""
    if below_hundred == 0:
        return True
    return value < 10 and below_hundred >= 20 and below_hundred % 10 == 0


def _is_number_word(word: str) -> bool:
    """Whether a word is a cardinal or ordinal number word."""
    return word in NUMBER_WORDS or word in _ORDINAL_SMALL
