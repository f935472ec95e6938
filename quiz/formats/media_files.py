"""A set's pictures and sounds in files of other formats: names, references and checks. Pure.

Readers find files in a package (Anki's numbered entries, Moodle's base64 `<file>`, a YAML
bundle's media/ folder) under names of their own; `Names` gives each one a name Markdown's
`media:NAME` can hold, and the reader writes `![alt](media:NAME)` where the file is used.
`check_media` then passes every file through the upload checks (type read from the bytes,
pictures re-encoded by Pillow, size limits): one refused file refuses the whole import, naming
the file and where it was found. Writers get the other way: `media:NAME` as the file's name.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from quiz.formats.archive import PackageError, read_entry
from quiz.formats.common import FormatError, MediaBlob, ReadResult
from quiz.formats.yaml_bank import QuestionData
from quiz.media.checks import AUDIO_TYPES, IMAGE_TYPES, MIB, MediaRefused, check_upload
from quiz.media.checks import media_name as safe_name
from quiz.questions import question_from_dict, question_to_dict

IMAGE_LIMIT = 5 * MIB  # the upload page's defaults (config MEDIA_IMAGE_MAX_BYTES, ..._AUDIO_...)
AUDIO_LIMIT = 20 * MIB
BUNDLE_TIME = (2024, 1, 1, 0, 0, 0)  # fixed, so the same set gives the same bundle
MAX_MEDIA = 2000  # files one import may bring
# `![alt](media:NAME)`: alt may hold escaped brackets; NAME is what checks.media_name gives.
MEDIA_REF = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\(media:([A-Za-z0-9._-]+)\)")
EXTENSIONS = {*IMAGE_TYPES.values(), *AUDIO_TYPES.values(), "jpeg"}
AUDIO_EXTENSIONS = frozenset(AUDIO_TYPES.values())


class Names:
    """Safe, distinct `media:` names for a file's own names (Anki's "my pic.JPG")."""

    def __init__(self) -> None:
        self.by_original: dict[str, str] = {}
        self.taken: set[str] = set()

    def name_for(self, original: str) -> str:
        """The same safe name for the same original name; a new one (-2, -3...) on a clash."""
        if original not in self.by_original:
            _stem, dot, ext = original.rpartition(".")
            ext = ext.lower() if dot and ext.lower() in EXTENSIONS else "bin"
            wanted = safe_name(unicodedata.normalize("NFKD", original), ext)
            base, _, ext = wanted.rpartition(".")
            name, number = wanted, 2
            while name in self.taken:
                name, number = f"{base}-{number}.{ext}", number + 1
            self.taken.add(name)
            self.by_original[original] = name
        return self.by_original[original]


def is_audio_name(name: str) -> bool:
    """True for a name whose extension is a sound's."""
    return name.rpartition(".")[2].lower() in AUDIO_EXTENSIONS


def media_markdown(alt: str, name: str) -> str:
    """`![alt](media:NAME)` with the alt text escaped for Markdown."""
    alt = re.sub(r"([\\\[\]])", r"\\\1", " ".join(alt.split()))
    return f"![{alt}](media:{name})"


def plugin_name(src: str) -> str | None:
    """The file name of a Moodle `@@PLUGINFILE@@/...` reference (URL-decoded), else None."""
    if not src.startswith("@@PLUGINFILE@@/"):
        return None
    return unquote(src.removeprefix("@@PLUGINFILE@@/").split("?", 1)[0]).lstrip("/")


def names_used(texts: Iterable[str]) -> list[str]:
    """The `media:` names the texts use, in order of first use."""
    found: dict[str, None] = {}
    for text in texts:
        for match in MEDIA_REF.finditer(text):
            found.setdefault(match.group(2), None)
    return list(found)


def _strings(value: Any) -> Iterable[str]:
    """Every string in a question's dict, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)


def _mapped(value: Any, change: Callable[[str], str]) -> Any:
    """A question's dict with `change` applied to every string in it."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _mapped(inner, change) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_mapped(inner, change) for inner in value]
    return value


def question_names(item: QuestionData) -> list[str]:
    """The `media:` names a question uses, in any of its fields."""
    return names_used(_strings(question_to_dict(item.question)))


def first_alts(items: Iterable[QuestionData]) -> dict[str, str]:
    """Each name's first non-empty alt text in the questions (a picture's description)."""
    alts: dict[str, str] = {}
    for item in items:
        for text in _strings(question_to_dict(item.question)):
            for match in MEDIA_REF.finditer(text):
                alt = re.sub(r"\\(.)", r"\1", match.group(1)).strip()
                if alt and match.group(2) not in alts:
                    alts[match.group(2)] = alt
    return alts


def rename_text(text: str, renamed: Mapping[str, str]) -> str:
    """Markdown with `media:OLD` written `media:NEW`."""
    return MEDIA_REF.sub(
        lambda m: f"![{m.group(1)}](media:{renamed.get(m.group(2), m.group(2))})", text
    )


def rename(items: Iterable[QuestionData], renamed: Mapping[str, str]) -> tuple[QuestionData, ...]:
    """The questions with `media:OLD` written `media:NEW` wherever they use it."""

    def change(text: str) -> str:
        return rename_text(text, renamed)

    out = []
    for item in items:
        if renamed and any(name in renamed for name in question_names(item)):
            data = _mapped(question_to_dict(item.question), change)
            item = QuestionData(item.key, question_from_dict(data))
        out.append(item)
    return tuple(out)


def used_media(result: ReadResult) -> ReadResult:
    """The result with only the files its questions use (a deck's other media stay behind)."""
    used = {name for item in result.questions for name in question_names(item)}
    return replace(result, media=tuple(blob for blob in result.media if blob.name in used))


def check_media(
    result: ReadResult, image_limit: int = IMAGE_LIMIT, audio_limit: int = AUDIO_LIMIT
) -> ReadResult:
    """Every file the questions use, checked as an upload is and named for what it is (a PNG
    named .jpg becomes .png, its references too); FormatError naming the first refused file."""
    if not result.media:
        return result  # a text file's `media:` names are the target set's own files
    result = used_media(result)
    if len(result.media) > MAX_MEDIA:
        raise FormatError(1, f"more than {MAX_MEDIA:,} pictures and sounds in one import")
    checked_blobs, renamed, taken = [], {}, set()
    for blob in result.media:
        try:
            checked = check_upload(blob.data, image_limit, audio_limit)
        except MediaRefused as refused:
            raise _refusal(blob, result, str(refused)) from refused
        name = safe_name(blob.name, checked.extension)
        base, _, ext = name.rpartition(".")
        number = 2
        while name in taken:
            name, number = f"{base}-{number}.{ext}", number + 1
        taken.add(name)
        if name != blob.name:
            renamed[blob.name] = name
        checked_blobs.append(replace(blob, name=name, data=checked.data, checked=checked))
    return replace(result, questions=rename(result.questions, renamed), media=tuple(checked_blobs))


def _refusal(blob: MediaBlob, result: ReadResult, why: str) -> FormatError:
    """The error for a refused file: where it is, or else the first question using it."""
    problem = f"{blob.where} was refused: {why}"
    if blob.line:
        return FormatError(blob.line, problem)
    line = next(
        (
            n
            for item, n in zip(result.questions, result.lines, strict=True)
            if blob.name in question_names(item)
        ),
        0,
    )
    if result.unit == "line" and line:
        return FormatError(line, problem)
    return PackageError(problem, f"{result.unit} {line}" if line else "")


BUNDLE_TEXT = "set.yaml"
BUNDLE_MEDIA = "media/"


def is_bundle(names: Iterable[str]) -> bool:
    """Whether a zip's entries are a YAML bundle (set.yaml and its media/ folder)."""
    return BUNDLE_TEXT in set(names)


def write_bundle(text: str, media: Mapping[str, bytes]) -> bytes:
    """A set's YAML and the files it uses as one zip: set.yaml and media/NAME."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(BUNDLE_TEXT, date_time=BUNDLE_TIME), text)
        for name, data in media.items():
            info = zipfile.ZipInfo(BUNDLE_MEDIA + name, date_time=BUNDLE_TIME)
            archive.writestr(info, data, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def bundle_parts(archive: zipfile.ZipFile) -> tuple[bytes, tuple[MediaBlob, ...]]:
    """A bundle's set.yaml bytes and its media (checked later by check_media)."""
    text = read_entry(archive, BUNDLE_TEXT)
    blobs = []
    for name in archive.namelist():
        if not name.startswith(BUNDLE_MEDIA) or name.endswith("/"):
            continue
        short = name.removeprefix(BUNDLE_MEDIA)
        if not re.fullmatch(r"[A-Za-z0-9._-]+", short):
            raise PackageError(
                "a media file's name may hold only letters, digits, '.', '-' and '_'", name
            )
        blobs.append(MediaBlob(short, read_entry(archive, name), f"the file '{name}'"))
    return text, tuple(blobs)


def export_markdown(text: str, target: Callable[[str, str], str]) -> str:
    """Markdown with each `![alt](media:NAME)` replaced by what `target(alt, name)` writes."""
    if "media:" not in text:
        return text
    return MEDIA_REF.sub(lambda m: target(re.sub(r"\\(.)", r"\1", m.group(1)), m.group(2)), text)
