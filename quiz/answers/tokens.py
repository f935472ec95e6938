"""Typed answers as word tokens: folded, with numbers, ordinals, months and dates made canonical.

A token written with a full stop after it keeps it ("col.", "lt."), and one written in capitals
("US", "U.S.", "AES") ends with "*": both mark abbreviations for quiz.answers.abbreviations, and
`bare` removes the mark. Everything else is lower case without accents.
"""

import re
import unicodedata
from functools import lru_cache

from quiz.answers.dates import date_token, join_dates, month_name, numeric_readings, valid_date
from quiz.answers.numbers import NUMBER_WORDS, ordinal_value, read_number_words

# One pass over the folded text; every alternative consumes characters, so the scan is linear.
_SCAN = re.compile(
    r"(?P<iso>(?<![\d.,/-])\d{4}-\d{1,2}-\d{1,2}(?![\d/-]))"  # 2024-05-06
    r"|(?P<dotted>(?<![\d.,])\d{1,2}\.\d{1,2}\.(?:\d{2,4})?(?![\d.]))"  # 06.05. is day.month.
    r"|(?P<ndate>(?<![\d.,])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d/]))"  # 06/05, 6/5/2024
    r"|(?P<initials>(?<![^\W_])[^\W\d_](?:\.[^\W\d_])+\.?)"  # U.S., a.e.s
    r"|(?P<formula>(?<![^\W_])(?-i:(?=(?:[A-Z][a-z]?\d*)*[A-Z][a-z]?\d)(?:[A-Z][a-z]?\d*){2,})"
    r"(?![^\W_]))"  # H2O, NaCl2, CO2: one token, so "H2O, two" is not "H2O2"
    r"|(?P<ordinal>\d{1,9}(?:st|nd|rd|th)(?![^\W_]))"  # 6th
    r"|(?P<number>\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:\.\d+)?)"  # 1,000 7.5 2022
    r"|(?P<word>[^\W\d_]+)(?P<dot>\.)?"  # letters only: "May6" is "may", "6"
    r"|(?P<link>[/&+|])",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(r"['\u2019]s\b")
ARTICLES = frozenset({"the", "a", "an", "of"})
NUMERIC_DATE = "ndate:"  # a numeric date before its reading is known: "ndate:date:5:6|date:6:5"


def fold(text: str, lower: bool = True) -> str:
    """Lower case without accents ("Agadès" is "agades"), apostrophes of possessives dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold() if lower else text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _POSSESSIVE.sub("", plain)
    return plain.replace("'", "").replace("\u2019", "")


def bare(token: str) -> str:
    """A token without the full stop or capitals mark that marks an abbreviation."""
    return token[:-1] if token[-1:] in (".", "*") and len(token) > 1 else token


@lru_cache(maxsize=4096)
def tokenise(text: str) -> tuple[str, ...]:
    """The canonical tokens of a typed text; see the module docstring."""
    raw: list[str] = []
    for found in _SCAN.finditer(fold(text, lower=False)[:1000]):
        kind = found.lastgroup if found.lastgroup != "dot" else "word"
        if kind == "iso":
            year, month, day = (int(part) for part in found["iso"].split("-"))
            raw.extend(
                [*(date_token(month, day) for _ in [0] if valid_date(month, day)), str(year)]
            )
        elif kind == "dotted":
            day, month, *year = found["dotted"].split(".")
            if valid_date(int(month), int(day)):
                raw.append(date_token(int(month), int(day)))
            raw.extend(part for part in year if part)
        elif kind == "ndate":
            parts = [int(part) for part in found["ndate"].split("/")]
            readings = numeric_readings(parts[0], parts[1])
            raw.append(NUMERIC_DATE + "|".join(readings) if readings else found["ndate"])
            if len(parts) == 3:
                raw.append(str(parts[2]))
        elif kind == "initials":
            raw.append(found["initials"].replace(".", "").casefold() + "*")
        elif kind == "formula":
            raw.append(found["formula"].casefold())
        elif kind == "ordinal":
            raw.append(str(ordinal_value(found["ordinal"].casefold())))
        elif kind == "number":
            raw.append(found["number"].replace(",", ""))
        elif kind == "link":
            raw.append("or" if found["link"] in "/|" else "and")
        else:
            word = found["word"]
            capitals = "*" if word.isupper() and 2 <= len(word) <= 5 and word.isalpha() else ""
            raw.append(word.casefold() + (found["dot"] or capitals))
    return tuple(_drop_articles(join_dates(_canonical_words(raw))))


def singular(token: str) -> str:
    """A word without its plural ending ("democracies", "dialogues"), to compare two words."""
    word, mark = bare(token), token[len(bare(token)) :]
    if len(word) < 5 or not word.isalpha():
        return token
    if word.endswith("ies"):
        return word[:-3] + "y" + mark
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1] + mark
    return token


def _canonical_words(raw: list[str]) -> list[str]:
    """Number words as digits ("seven hundred and fifty" is "750"), months by their full name."""
    out: list[str] = []
    index = 0
    while index < len(raw):
        word = bare(raw[index])
        if word in NUMBER_WORDS or ordinal_value(word) is not None:
            read = read_number_words([bare(token) for token in raw[index:]])
            if read is not None:
                out.append(str(read[0]))
                index += read[1]
                continue
        month = month_name(word, raw[index][-1:] in (".", "*"))
        if month is not None:
            out.append(month)
        elif word.replace(".", "").isdigit() or word.startswith(NUMERIC_DATE):
            out.append(word)
        else:
            out.append(raw[index])
        index += 1
    return out


def _drop_articles(tokens: list[str]) -> list[str]:
    """Without "the", "of" and "a"/"an" (kept last, as in "vitamin A"); never left empty."""
    kept = [
        token
        for index, token in enumerate(tokens)
        if token not in ARTICLES or (token in ("a", "an") and index == len(tokens) - 1)
    ]
    return kept or tokens
