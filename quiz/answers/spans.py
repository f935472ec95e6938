"""Finding an accepted answer among the words of a response, and judging the words around it.

Distances are Damerau (optimal string alignment) edits from rapidfuzz, so "Naimey" is one edit
from "Niamey". Digits are never forgiven: tokens holding numbers or dates must be equal.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from quiz.answers.abbreviations import expand
from quiz.answers.dates import DATE_PREFIX, MONTH_NUMBER, day_first
from quiz.answers.entities import is_person_name, name_forms, with_numerals
from quiz.answers.tokens import NUMERIC_DATE, bare, singular, tokenise

TOO_LONG = "give just the answer"
SEVERAL = "give one answer, not several"
# After a negation at the end of a response, these still leave the answer negated.
VERDICT_WORDS = frozenset({"right", "correct", "true", "it", "this", "that", "is", "was", "so"})
HEDGES = frozenset(
    {("not", "sure"), ("not", "certain"), ("not", "100"), ("no", "idea"), ("no", "doubt")}
)
AMBIGUOUS_DATE = "a date written in numbers only can be read day first or month first"
# Words that turn an answer into its opposite or into something else beside it.
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "non",
        "never",
        "neither",
        "nor",
        "none",
        "nothing",
        "nobody",
        "nowhere",
        "without",
        "anti",
        "un",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "dont",
        "doesnt",
        "didnt",
        "cant",
        "cannot",
        "couldnt",
        "wont",
        "wouldnt",
        "hasnt",
        "havent",
        "hadnt",
        "except",
        "excluding",
        "instead",
        "rather",
        "than",
        "false",
        "incorrect",
        "wrong",
        "vice",
        "ex",
        "pseudo",
        "counter",
        "opposite",
        "but",
        "anywhere",
        "besides",
        "other",
        "lack",
        "lacking",
        "absence",
        "against",
        "less",
        "fewer",
    ]
)
NEGATING_PREFIXES = ("non", "anti", "un", "in", "im", "il", "ir", "dis", "counter")
LIST_WORDS = frozenset({"and", "or", "nor", "vs", "versus", "either", "both", "plus", "also"})
DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "near",
        "outside",
        "beyond",
    ]
)
# Words of a name that people leave out: "Everest" for "Mount Everest", "Smith" for "Colonel Smith".
TITLES = frozenset(
    [
        "mount",
        "general",
        "colonel",
        "lieutenant",
        "major",
        "captain",
        "sergeant",
        "admiral",
        "commander",
        "president",
        "chancellor",
        "governor",
        "senator",
        "king",
        "queen",
        "prince",
        "princess",
        "sir",
        "dame",
        "doctor",
        "professor",
        "mister",
        "madame",
        "madam",
        "mrs",
    ]
)
MAX_CONTEXT_WORDS = 12  # more words around an answer are an essay, not an answer


def allowed_edits(length: int) -> int:
    """How many typos an answer of this many characters tolerates: short words tolerate none."""
    if length < 5:
        return 0
    return 1 if length < 8 else 2


@dataclass(frozen=True)
class Span:
    """Where one answer (or near miss) was found in a response's tokens, and at what cost."""

    text: str  # the answer as its author wrote it
    tokens: tuple[str, ...]  # the response's tokens, written out relative to that answer
    start: int
    end: int
    cost: int  # edits; 0 is an exact match
    words: int  # how many words the answer has: more specific answers win ties


def _has_digit(token: str) -> bool:
    """Whether a token is a number or a date, which are compared as values."""
    return token.startswith(DATE_PREFIX) or any(char.isdigit() for char in token)


def negates(said: str, answer: str) -> bool:
    """Whether said is answer with a negating prefix, or answer is said with one."""
    for longer, shorter in ((said, answer), (answer, said)):
        if any(longer == prefix + shorter for prefix in NEGATING_PREFIXES):
            return True  # "ununderstood": a prefix on a word that starts like one
        for prefix in NEGATING_PREFIXES:
            if not longer.startswith(prefix) or shorter.startswith(prefix):
                continue
            rest = longer[len(prefix) :]
            if len(rest) >= 4 and OSA.distance(rest, shorter) < OSA.distance(longer, shorter):
                return True
    return False


ADJECTIVE_ENDINGS = ("n", "an", "ian", "ic", "ese", "ish", "i")


def _derived(longer: str, shorter: str) -> bool:
    """Whether longer is shorter with an adjective's ending ("Malian" from "Mali")."""
    return longer.startswith(shorter) and longer[len(shorter) :] in ADJECTIVE_ENDINGS


def cost(span: Sequence[str], answer: Sequence[str], fuzzy: bool) -> int | None:
    """Edits between a run of response tokens and an answer's tokens; None if they differ."""
    said, wanted = "".join(span), "".join(answer)
    if said == wanted or (len(span) == len(answer) > 1 and sorted(span) == sorted(answer)):
        return 0
    if "".join(t for t in span if _has_digit(t)) != "".join(t for t in answer if _has_digit(t)):
        return None  # numbers, years and dates are never typos
    if not fuzzy:
        return None
    budget = allowed_edits(len(wanted))
    if len(span) != len(answer):  # words run together or split: "Burkinafaso", "Hono lulu"
        if any((len(word) <= 3 or _has_digit(word)) and word not in span for word in answer):
            return None  # "Vitamin" is not "Vitamin C" with a typo
        if any(said.startswith(p) and not wanted.startswith(p) for p in NEGATING_PREFIXES):
            return None  # "nonnana nana" for "nana nana": a negating prefix is never a typo
        edits = OSA.distance(said, wanted, score_cutoff=budget + 1)
        return edits if edits <= budget and not negates(said, wanted) else None
    edits = 0
    for got, want in zip(span, answer, strict=True):
        if got == want or singular(got) == singular(want):
            continue  # "democracies" for "democracy"
        if len(want) <= 3 or len(got) <= 3 or _has_digit(want) or negates(got, want):
            return None  # "Vitamin B" is no typo of "Vitamin A"
        if _derived(got, want) or _derived(want, got):
            return None  # "American" for "America": the adjective only where it is listed
        edits += OSA.distance(got, want, score_cutoff=budget + 1)
        if edits > budget:
            return None
    return edits


def best_span(
    said: Sequence[str], answers: Sequence[str], fuzzy: bool, person: str = ""
) -> Span | None:
    """The answer found in said: more words first, then fewer edits, then more tokens covered.

    person: "" for no person's name, "short" when a surname alone or initials will do, "full"
    when the question needs the full name.
    """
    found: list[tuple[tuple[int, int, int], Span]] = []
    initials = person != "full"
    for text in answers:
        written = expand(tokenise(text), said, initials)
        guarded = expand(_guard_initials(said, tokenise(text)), written, initials)
        written, listed = with_numerals(written, guarded, tokenise(text))
        tokens = tuple(listed)
        forms = _forms(written)
        if person == "short" and is_person_name(text):
            forms += [form for form in name_forms(written) if form not in forms]
        for wanted in forms:
            size = len(wanted)
            # A formula typed spaced or in lower case ("h2o") is read as several tokens.
            spread = sum(len(t) for t in wanted if t[:1].isalpha() and _has_digit(t))
            for length in range(max(1, size - 1), size + 2 + spread):
                for start in range(0, len(tokens) - length + 1):
                    edits = cost(tokens[start : start + length], wanted, fuzzy)
                    if edits is not None:
                        span = Span(text, tokens, start, start + length, edits, size)
                        found.append(((-size, edits, -length), span))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def _guard_initials(said: Sequence[str], answer: Sequence[str]) -> list[str]:
    """said, where lower-case words spelt like the answer's short initials cannot match them.

    "IS" (Islamic State) is not found in "it is the Sahel"; typed alone, "is" still answers it.
    """
    initials = {bare(token) for token in answer if token.endswith("*") and len(token) <= 4}
    if not initials or len(said) == 1:
        return list(said)
    return ["~" + token if token in initials else token for token in said]


def _forms(words: list[str]) -> list[list[str]]:
    """An answer's words, and the shorter forms people use for a titled name.

    "Mount Everest" may be "Everest"; "General Michael Langley" may be "Michael Langley",
    "General Langley" or "Langley". Untitled names are left whole: "House" is not "Chatham House".
    """
    titles = 0
    while titles < len(words) - 1 and words[titles] in TITLES:
        titles += 1
    if not titles:
        return [words]
    forms = [words, words[titles:]]
    if len(words) - titles >= 2:  # a first name too: the title and surname, or the surname
        forms += [[*words[:titles], words[-1]], [words[-1]]]
    return forms


def resolve_dates(said: Sequence[str], answers: Sequence[Sequence[str]]) -> list[str] | None:
    """Numeric dates ("14/07") read in the student's date order (quiz.answers.dates.day_first).

    "06/05" is 6 May to most of the world and June 5 in the US. With no order set, when one
    reading is an answer's date and the other is not, the response is ambiguous (None) and the
    student is asked to reword it.
    """
    wanted = {bare(token) for answer in answers for token in answer}
    out: list[str] = []
    for token in said:
        if not token.startswith(NUMERIC_DATE):
            out.append(token)
            continue
        readings = token[len(NUMERIC_DATE) :].split("|")
        right = [reading for reading in readings if reading in wanted]
        order = day_first()
        if order is None:
            if right and len(readings) > 1:
                return None
            out.append(right[0] if right else readings[0])
        else:  # numeric_readings lists the day-first reading first; the student's setting picks
            out.append(readings[0] if order else readings[-1])
    return out


def _kind(token: str) -> str:
    """What sort of value a token is, for spotting several answers of one sort."""
    if token.startswith(DATE_PREFIX):
        return "date"
    if token in MONTH_NUMBER:
        return "month"
    return "number" if _has_digit(token) else ""


def context_problem(
    before: Sequence[str],
    after: Sequence[str],
    answer: Sequence[str] = (),
    linked: Sequence[str] | None = None,
) -> str:
    """Why the words around a found answer make the response wrong, or "" if they are harmless.

    A negation before the answer negates it ("not Niamey"); after it, only when nothing follows
    ("Niamey? No", "Niamey is not right"): "dialogue, not sanctions" still answers "dialogue".
    A list word counts among the linked words (by default all of them): "Niamey or Agadez", but
    not "H2O, two hydrogens and one oxygen".
    """
    ahead = [bare(token) for token in before]
    behind = [bare(token) for token in after]
    for index, word in enumerate(ahead):
        following = ahead[index + 1] if index + 1 < len(ahead) else ""
        if word in NEGATIONS and (word, following) not in HEDGES:
            return f"'{word}' changes the answer"
        if word in DIRECTIONS and following in ("from", "to", ""):
            return f"'{word}' changes the answer"  # "north of Niamey", "near Niamey"
    for index, word in enumerate(behind):
        following = behind[index + 1] if index + 1 < len(behind) else ""
        rest = set(behind[index + 1 :])
        if word in NEGATIONS and (word, following) not in HEDGES and rest <= VERDICT_WORDS:
            return f"'{word}' changes the answer"
    words = ahead + behind
    near = words if linked is None else [bare(token) for token in linked]
    if any(word in LIST_WORDS for word in near) and any(
        word not in LIST_WORDS and not word.isdigit() for word in words
    ):
        return SEVERAL
    kinds = {_kind(bare(token)) for token in answer} - {""}
    if any(_kind(word) in kinds for word in near):
        return SEVERAL  # "March April May" for a month, "May 6 May 7" for a date
    if len(words) > MAX_CONTEXT_WORDS:
        return TOO_LONG
    return ""
