"""What a response says around the answer: people's names, longer names, clauses and contrasts.

A person's name may be given by the surname alone ("Darwin"), with initials or surname first;
a name inside a longer name ("Oxford Street", "Ian Fleming") names something else; a near miss
said in contrast ("Lima, not Cusco") or in a statement about it ("Istanbul is bigger") is context.
"""

import re
from collections.abc import Sequence

from quiz.answers.tokens import bare, tokenise


def _words(text: str) -> frozenset[str]:
    """A set of words written as one string, for long word lists."""
    return frozenset(text.split())


# A question that asks for one of these asks for a person.
PERSON_WORDS = _words(
    "who whom whose author writer poet novelist playwright dramatist scientist naturalist "
    "physicist chemist biologist mathematician astronomer inventor explorer painter artist "
    "sculptor composer philosopher economist king queen emperor empress pharaoh president "
    "prime minister chancellor leader ruler general person man woman"
)
# Lower-case particles of surnames: "Vincent van Gogh" is "Van Gogh".
PARTICLES = _words("van von der den de da di du del della des la le bin ibn al ter")
# Titles before a name; they never make a different person ("Dr. Einstein", "General Washington").
SHORT_TITLES = _words(
    "dr mr mrs ms miss mx prof sir dame lord lady st saint rev mister madam madame doctor "
    "professor general colonel lieutenant major captain sergeant admiral commander "
    "president chancellor governor senator king queen prince princess emperor"
)
# Words that start a phrase about the answer rather than continue its name ("Ankara since 1923").
FUNCTION_WORDS = _words(
    "in on at by from since near of which who that is was are were has had have with for "
    "as to into after before during because where when while called known named the its it "
    "i my me think believe guess maybe probably perhaps possibly definitely surely "
    "obviously answer say would will be being been im he she they this these those there "
    "here so very also too right correct yes sure course"
)
# After a person's name: "Martin Luther King Jr".
SUFFIXES = frozenset({"jr", "sr", "junior", "senior"})
# Words that may follow a place's name without making it another place ("Lima city").
PLACE_WORDS = frozenset({"city", "town"})
# Before a near miss these say it is not the answer ("not Cusco", "unlike Sydney").
CONTRAST_WORDS = _words(
    "not no never nor rather instead unlike though although but than isnt wasnt"
)
COPULAS = frozenset(["is", "was", "are", "were", "has", "had"])
# Clauses end at punctuation a student uses to add something: "Lima, on the coast".
# "of" links a name to another ("Palace of Versailles", "Louis XVI of France"), never lengthens it.
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]!?\u2013\u2014]|\s-\s|\.\s|\bof\b", re.IGNORECASE)
_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", re.IGNORECASE)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def asks_for_person(prompt: str) -> bool:
    """Whether a question's prompt asks for a person ("Who wrote ...?", "Which king ...?")."""
    return any(bare(word) in PERSON_WORDS for word in tokenise(prompt))


def is_person_name(answer: str) -> bool:
    """Whether an answer is written as a name: two or more capitalised words of letters.

    Particles of surnames ("van", "de", "bin") may be in lower case: "Vincent van Gogh".
    """
    words = answer.split()
    return (
        len(words) >= 2
        and words[0][:1].isupper()
        and words[-1][:1].isupper()
        and all(word.isalpha() and (word[:1].isupper() or word in PARTICLES) for word in words)
    )


def name_forms(words: Sequence[str]) -> list[list[str]]:
    """The shorter forms of a person's name: surname, first name and surname, double surname."""
    if len(words) < 2 or not words[-1].isalpha() or roman_value(words[-1]) is not None:
        return []
    surname = list(words[-2:]) if len(words) >= 3 and words[-2] in PARTICLES else [words[-1]]
    forms = [surname, [words[0], *surname]]
    if len(words) >= 3 and len(surname) == 1:  # "García Márquez", "Gabriel Márquez"
        forms += [list(words[-2:]), [words[0], *words[-2:]]]
    return forms


def roman_value(token: str) -> int | None:
    """The value of a Roman numeral of two letters or more ("XVI"), else None."""
    word = bare(token).lstrip("~")
    if len(word) < 2 or not _ROMAN.fullmatch(word):
        return None
    values = [_ROMAN_VALUES[char] for char in word.lower()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def with_numerals(
    answer: Sequence[str], said: Sequence[str], written: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Answer and response with Roman numerals as digits, when the answer has one ("Louis XVI").

    Only a numeral the author wrote in capitals counts (written: the answer's tokens as
    written, capitals marked): "ccc" or "mix" are words.
    """
    if not any(token.endswith("*") and roman_value(token) for token in written[1:]):
        return list(answer), list(said)

    def digits(tokens: Sequence[str]) -> list[str]:
        """Tokens with their Roman numerals written in digits."""
        return [str(roman_value(token)) if roman_value(token) else token for token in tokens]

    return digits(answer), [said[0], *digits(said[1:])] if said else []


def clauses(response: str) -> list[int] | None:
    """The clause of each of a response's tokens, or None when clauses do not split evenly."""
    tokens = tokenise(response)
    owner: list[int] = []
    for index, part in enumerate(_CLAUSE_BREAK.split(response)):
        owner += [index] * len(tokenise(part)) if part.strip() else []
    return owner if len(owner) == len(tokens) else None


def longer_name(
    tokens: Sequence[str],
    span: tuple[int, int],
    owner: Sequence[int],
    known: set[str],
    names: set[str],
    person: bool = False,
) -> str:
    """The word that makes the answer part of a longer name ("Oxford Street"), or "".

    Only words in the answer's own clause count; known words (of the question and its answers),
    titles, numbers and words that begin a phrase leave the name as it is; so does a middle name
    after the answer's first name (names: the answer's own words). A word before the answer
    counts only for a person: "Ian Fleming" is someone else, "good governance" is governance.
    """
    start, end = span
    clause = owner[start]
    after = end
    if after < len(tokens) and owner[after] == clause:
        word = bare(tokens[after])
        if not _harmless(word, known, titles=False) and word not in PLACE_WORDS | SUFFIXES:
            return word  # "Paris Saint-Germain": a title after a name starts another name
    before = start - 1
    while person and before >= 0 and owner[before] == clause:
        word = bare(tokens[before])
        if _harmless(word, known) or any(len(word) >= 3 and n.startswith(word) for n in names):
            return ""  # "Alex Fleming" for "Alexander Fleming"
        earlier = range(before)
        if not any(owner[i] == clause and bare(tokens[i]) in names for i in earlier):
            return word  # "Ian Fleming", "Blue Nile"; but "Charles Robert Darwin"
        before -= 1
    return ""


def _harmless(word: str, known: set[str], titles: bool = True) -> bool:
    """Whether a word beside an answer leaves it the same thing (titles: before a name)."""
    return (
        word in known
        or word in FUNCTION_WORDS
        or (titles and word in SHORT_TITLES)
        or any(char.isdigit() for char in word)
        or word.startswith("date:")
        or len(word) == 1
    )


def contrasted(tokens: Sequence[str], start: int, end: int, owner: Sequence[int] | None) -> bool:
    """Whether a near miss at tokens[start:end] is named only to set it aside.

    "Lima, not Cusco", "Canberra (unlike Sydney)", "Ankara (Istanbul is bigger)": a contrast word
    before it in its clause, or, in a clause of its own, a statement about it.
    """
    clause = owner[start] if owner else None
    ahead = [
        bare(tokens[index])
        for index in range(max(0, start - 3) if owner is None else 0, start)
        if owner is None or owner[index] == clause
    ]
    if any(word in CONTRAST_WORDS for word in ahead):
        return True
    follows = bare(tokens[end]) if end < len(tokens) else ""
    return follows in COPULAS and owner is not None and (end + 1 < len(tokens))
