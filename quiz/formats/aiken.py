"""Aiken: multiple-choice questions as Moodle reads them. Pure.

Written by hand: the format is a dozen lines of rules and no maintained library reads it.
A question is its text (one or more lines), then options `A.` or `A)` one per line, then
`ANSWER: B`; blank lines between questions are optional.
"""

from __future__ import annotations

import re

from quiz.formats.common import Collector, FormatError, ReadResult, check_text

OPTION = re.compile(r"^\s*([A-Za-z])\s*[.)]\s+(.*\S)\s*$")
ANSWER = re.compile(r"^\s*ANSWER\s*:\s*(.*?)\s*$", re.IGNORECASE)


def read_aiken(text: str) -> ReadResult:
    """Read Aiken text; FormatError with the line of the first problem."""
    collector = Collector()
    prompt: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0
    for number, line in enumerate(check_text(text), start=1):
        if not line.strip():
            if options:
                raise FormatError(
                    number, f"the question begun on line {start} has no 'ANSWER:' line"
                )
            if prompt:
                prompt.append("")
            continue
        answer = ANSWER.match(line)
        option = OPTION.match(line)
        if answer:
            if not options:
                raise FormatError(number, "'ANSWER:' before any option (A. ..., B. ...)")
            letter = answer.group(1).upper()
            letters = [key for key, _ in options]
            if len(letter) != 1 or letter not in letters:
                raise FormatError(
                    number,
                    f"'ANSWER: {answer.group(1)}' names no option; expected one of "
                    + ", ".join(letters),
                    line.upper().index("ANSWER") + 1,
                )
            fields = {
                "kind": "multiple_choice",
                "prompt": "\n".join(prompt).strip(),
                "choices": [{"text": t, "correct": k == letter} for k, t in options],
            }
            collector.add(start, fields, label=fields["prompt"][:40])
            prompt, options = [], []
        elif option and prompt:
            letter = option.group(1).upper()
            expected = chr(ord("A") + len(options))
            if letter != expected:
                raise FormatError(number, f"option {letter} where {expected} was expected")
            options.append((letter, option.group(2)))
        elif options:
            raise FormatError(
                number, "expected the next option (such as 'C. text') or 'ANSWER: letter'"
            )
        else:
            if not prompt:
                start = number
            prompt.append(line.strip())
    if options or prompt:
        raise FormatError(start, f"the question begun on line {start} has no 'ANSWER:' line")
    return collector.result()
