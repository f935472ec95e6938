"""Reading an upload by format, text or binary, and splitting it into one set per group. Pure.

Text formats are decoded as UTF-8 (a byte-order mark allowed) and read by quiz.formats.detect;
Quizlet's export with the separators chosen; `.apkg`/`.colpkg` and Kahoot's `.xlsx` are zips,
checked as such before anything in them is read; so is a YAML bundle (set.yaml and media/).
Every picture and sound a result brings is checked as an upload is (quiz.formats.media_files),
so a refused file refuses the whole import at its preview.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from quiz.formats.anki.read import read_apkg
from quiz.formats.archive import PackageError, is_zip, open_zip
from quiz.formats.common import BINARY_FORMATS, FormatError, ReadResult
from quiz.formats.detect import read
from quiz.formats.kahoot import read_kahoot
from quiz.formats.media_files import (
    AUDIO_LIMIT,
    IMAGE_LIMIT,
    bundle_parts,
    check_media,
    is_bundle,
)
from quiz.formats.quizlet import read_quizlet, separators

MAX_TEXT_BYTES = 2 * 1024 * 1024  # pasted text and text files, as before
MAX_FILE_BYTES = 50 * 1024 * 1024  # .apkg, .colpkg, .xlsx: real Anki decks are large


def decode(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped); FormatError naming the line of a bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FormatError(
            raw[: error.start].count(b"\n") + 1,
            f"the file is not UTF-8 text (byte {error.start + 1}); save it as UTF-8",
        ) from error


def guess_binary(data: bytes, filename: str) -> str:
    """apkg, colpkg or kahoot for a zip, from its entries (and the file's name)."""
    names = set(open_zip(data).namelist())
    if any(name.startswith("collection.anki") for name in names):
        return "colpkg" if filename.lower().endswith(".colpkg") else "apkg"
    if "xl/workbook.xml" in names:
        return "kahoot"
    if is_bundle(names):
        return "yaml"
    raise PackageError(
        "a zip file that is neither an Anki package, an .xlsx spreadsheet nor a YAML bundle "
        "(set.yaml and media/)"
    )


def size_problem(size: int, binary: bool) -> str:
    """Why an upload is too large, or ""."""
    limit = MAX_FILE_BYTES if binary else MAX_TEXT_BYTES
    if size <= limit:
        return ""
    kind = "an .apkg, .colpkg or .xlsx file" if binary else "text"
    return f"the upload is {size / 2**20:.1f} MB; {kind} may be at most {limit // 2**20} MB"


def read_upload(
    data: bytes,
    fmt: str = "guess",
    filename: str = "",
    options: Mapping[str, str] | None = None,
    check_size: bool = True,
    media_limits: tuple[int, int] = (IMAGE_LIMIT, AUDIO_LIMIT),
) -> tuple[str, ReadResult]:
    """Read an upload's bytes in a format (guessed when "guess"): the format and the result,
    its pictures and sounds checked (`media_limits`: bytes per picture and per sound).
    `check_size`: refuse what the import page would (the CLI reads any size)."""
    fmt, result = _read(data, fmt, filename, options or {}, check_size)
    return fmt, check_media(result, *media_limits)


def _read(
    data: bytes, fmt: str, filename: str, options: Mapping[str, str], check_size: bool
) -> tuple[str, ReadResult]:
    """The format and what its reader read."""
    binary = fmt in BINARY_FORMATS or (fmt in ("guess", "yaml") and is_zip(data))
    problem = size_problem(len(data), binary) if check_size else ""
    if problem:
        raise PackageError(problem)
    if binary:
        if fmt == "guess":
            fmt = guess_binary(data, filename)
        if fmt == "kahoot":
            return fmt, read_kahoot(data)
        if fmt == "yaml":
            return fmt, _read_bundle(data)
        return fmt, read_apkg(data)
    text = decode(data)
    if fmt == "quizlet":
        try:
            seps = separators(
                options.get("term", "tab"),
                options.get("row", "newline"),
                options.get("term_custom", ""),
                options.get("row_custom", ""),
            )
        except ValueError as error:
            raise FormatError(1, f"Quizlet separators: {error}") from error
        if not text.strip():
            raise FormatError(1, "the file is empty")
        return fmt, read_quizlet(text, seps)
    return read(text, fmt)


def _read_bundle(data: bytes) -> ReadResult:
    """A YAML bundle: its set.yaml read as YAML, with the files of its media/ folder."""
    archive = open_zip(data)
    if not is_bundle(archive.namelist()):
        raise PackageError("a zip file without set.yaml is not a YAML bundle")
    text, media = bundle_parts(archive)
    _, result = read(decode(text), "yaml")
    return replace(result, media=media)


def split_groups(result: ReadResult) -> list[tuple[str, ReadResult]]:
    """One result per group (category or deck), in order of first sight; questions of no
    group go together under ""."""
    if not result.groups:
        return [("", result)]
    order: dict[str, list[int]] = {}
    for index, group in enumerate(result.groups):
        order.setdefault(group, []).append(index)
    return [
        (
            group,
            replace(
                result,
                questions=tuple(result.questions[i] for i in indexes),
                lines=tuple(result.lines[i] for i in indexes),
                groups=tuple(group for _ in indexes),
                warnings=(),
                title=group,
            ),
        )
        for group, indexes in order.items()
    ]
