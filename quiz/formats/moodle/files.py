"""Moodle XML's embedded files: base64 `<file>` elements and their `@@PLUGINFILE@@` references,
both ways. Pure.

Moodle keeps a text's files beside its `<text>` (`<questiontext><text>...</text><file
name="a.png" path="/" encoding="base64">...</file>`), and the text names them
`@@PLUGINFILE@@/a.png`. Reading, every referenced file of a question becomes one of the import's
media, under a name Markdown's `media:NAME` can hold; writing, each text that uses a file gets
its `<file>` element, as Moodle's own export does.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from quiz.formats.common import FormatError, MediaBlob
from quiz.formats.media_files import Names, is_audio_name, media_markdown, plugin_name

ROOTED = 'src="/@@PLUGINFILE@@/'
MAX_BASE64 = 30 * 1024 * 1024  # characters of one <file>: more than the largest sound allowed


@dataclass
class FileFinder:
    """The files of a whole Moodle XML file, collected as the questions' texts name them."""

    lines: dict[int, int]
    names: Names = field(default_factory=Names)
    blobs: dict[str, MediaBlob] = field(default_factory=dict)

    def resolver(self, question: ET.Element, number: int) -> Callable[[str], str | None]:
        """A question's `@@PLUGINFILE@@/x` -> the media name of its `<file name="x">`."""
        done: dict[str, str] = {}

        def resolve(src: str) -> str | None:
            name = plugin_name(src)
            if name is None:
                return None
            if name in done:
                return done[name]
            element = next((f for f in question.iter("file") if f.get("name") == name), None)
            if element is None:
                return None
            line = self.lines.get(id(element), 0)
            data = _decoded(element, line)
            media = self.names.name_for(name)
            held = self.blobs.get(media)
            if held is not None and held.data != data:
                media = self.names.name_for(f"{number}/{name}")  # another file, same name
                held = self.blobs.get(media)
            if held is None:
                where = f"the file '{name}' of question {number}"
                self.blobs[media] = MediaBlob(media, data, where, line)
            done[name] = media
            return media

        return resolve

    def unused(self, question: ET.Element, used: set[str]) -> list[str]:
        """The question's embedded files that none of its texts names."""
        return [f.get("name", "?") for f in question.iter("file") if f.get("name") not in used]


def _decoded(element: ET.Element, line: int) -> bytes:
    """A `<file>`'s bytes; FormatError for another encoding or damaged base64."""
    name = element.get("name", "?")
    if (element.get("encoding") or "base64").lower() != "base64":
        raise FormatError(line, f'<file name="{name}">: only base64 files can be read')
    text = "".join((element.text or "").split())
    if len(text) > MAX_BASE64:
        raise FormatError(line, f'<file name="{name}"> is too large to be a picture or sound')
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise FormatError(line, f'<file name="{name}">: the base64 is damaged') from error


def plugin_markdown(alt: str, name: str) -> str:
    """`![alt](media:NAME)` as the Markdown Moodle's HTML is rendered from: a picture as an
    image of `@@PLUGINFILE@@/NAME`, a sound as a link to it (Moodle's player takes links)."""
    url = f"@@PLUGINFILE@@/{quote(name)}"
    if is_audio_name(name):
        return f"[{alt or name}]({url})"
    # A leading slash gets the image past the sanitizer (it keeps site paths only); the writer
    # takes it off again (ROOTED).
    return media_markdown(alt, name).replace(f"(media:{name})", f"(/{url})")


def attach_files(question: ET.Element, media: Mapping[str, bytes]) -> None:
    """Give each text element of the question the `<file>` of every file its text names."""
    for parent in question.iter():
        text = parent.find("text")
        if text is None or not text.text or "@@PLUGINFILE@@/" not in text.text:
            continue
        for name, data in media.items():
            if f"@@PLUGINFILE@@/{quote(name)}" in text.text:
                element = ET.SubElement(parent, "file", {"name": name, "path": "/"})
                element.set("encoding", "base64")
                element.text = base64.b64encode(data).decode()


__all__ = ["FileFinder", "attach_files", "media_markdown", "plugin_markdown"]
