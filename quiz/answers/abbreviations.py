"""Abbreviations and initialisms, recognised against the words of one answer.

"Col." stands for "colonel" and "U.S." (read as "us") for "United States" only when the answer
being compared has that word or those words: a rule, not a dictionary of expansions.
"""

from collections.abc import Sequence

from quiz.answers.tokens import bare

# Abbreviations commonly written without a full stop. With a stop, any short form that keeps the
# first letter and the order of letters counts ("Lieut.", "Gov.", "Dept."); without one, only
# these do, so that ordinary short words are not taken for abbreviations.
KNOWN = frozenset(
    [
        "adm",
        "ave",
        "blvd",
        "brig",
        "capt",
        "cmdr",
        "col",
        "cpl",
        "cpt",
        "dept",
        "dr",
        "ft",
        "gen",
        "gov",
        "govt",
        "hon",
        "intl",
        "jr",
        "lt",
        "maj",
        "mr",
        "mrs",
        "mt",
        "mtn",
        "natl",
        "prof",
        "pres",
        "pt",
        "pvt",
        "rd",
        "rep",
        "rev",
        "sen",
        "sgt",
        "sr",
        "st",
        "ste",
        "univ",
    ]
)
_LINK_WORDS = frozenset({"and", "for", "in", "on", "to", "de", "du", "des"})


def _in_order(short: str, long: str) -> bool:
    """Whether the letters of short appear in long in the same order."""
    letters = iter(long)
    return all(char in letters for char in short)


def abbreviates(short: str, long: str, dotted: bool, initial: bool = False) -> bool:
    """Whether short is an abbreviation of the word long ("col" of "colonel", "lt." of ...)."""
    if not short.isalpha() or not long.isalpha() or len(short) >= len(long):
        return False
    if short[0] != long[0]:
        return False
    if len(short) == 1:
        return dotted and initial  # "J. Smith": an initial, only before another word
    return (dotted or short in KNOWN) and _in_order(short, long)


def _initials(words: Sequence[str]) -> str:
    """The initials of a run of words."""
    return "".join(word[0] for word in words if word)


def _acronym_of(token: str, words: Sequence[str]) -> list[str] | None:
    """The run of two or more words whose initials token is ("us" of "united states")."""
    if len(token) < 2 or not token.isalpha():
        return None
    for start in range(len(words)):
        for end in range(start + 2, min(len(words), start + len(token) + 4) + 1):
            run = words[start:end]
            if not all(word.isalpha() for word in run):
                continue
            if (
                _initials(run) == token
                or _initials([word for word in run if word not in _LINK_WORDS]) == token
            ):
                return list(run)
    return None


def expand(tokens: Sequence[str], words: Sequence[str], initials: bool = True) -> list[str]:
    """Tokens with abbreviations and initialisms of words written out as those words.

    With initials False, one dotted letter is not taken for a name ("I. Newton" is no full name).

    A full stop after the last token ends a sentence rather than marking an abbreviation, unless
    the token is a known abbreviation: "Niger." is not short for "Nigeria".
    """
    plain_words = [bare(word) for word in words]
    known = set(plain_words)
    out: list[str] = []
    for index, token in enumerate(tokens):
        word = bare(token)
        if word in known:
            out.append(word)
            continue
        dotted = token.endswith(".") and index < len(tokens) - 1
        initial = initials and index < len(tokens) - 1
        full = next(
            (
                candidate
                for position, candidate in enumerate(plain_words)
                if abbreviates(word, candidate, dotted, initial and position < len(words) - 1)
            ),
            None,
        )
        if full is not None:
            out.append(full)
            continue
        # Lower-case "is" or "us" are words; as "IS" or "U.S." (marked) they may be initials.
        marked = token.endswith("*") or len(word) >= 3
        run = _acronym_of(word, plain_words) if marked else None
        out.extend(run if run is not None else [word])
    return out
