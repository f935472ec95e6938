"""An uploaded file checked from its bytes: pictures re-encoded with Pillow, sound by signature.

Pure (no Flask, no database). The browser's content type and the file's name are never asked:
a PHP script named `.png` or a zip named `.mp3` is refused for what its bytes are. Pictures are
decoded and written again, so what is stored is only pixels (no EXIF/GPS, no trailing script),
at most MAX_SIDE pixels a side.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 4096
MIB = 1024 * 1024
IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
AUDIO_TYPES = {
    "audio/mpeg": "mp3",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/wav": "wav",
}
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
M4A_BRANDS = (b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2", b"dash")


class MediaRefused(ValueError):
    """A file that is not stored, with the message that says why."""


@dataclass(frozen=True)
class Checked:
    """A file fit to store: its bytes (re-encoded for a picture), type and size in pixels."""

    data: bytes
    mime: str
    width: int | None = None
    height: int | None = None

    @property
    def is_image(self) -> bool:
        """True for a picture, False for sound."""
        return self.mime.startswith("image/")

    @property
    def extension(self) -> str:
        """The usual file extension of the type, without the dot."""
        return {**IMAGE_TYPES, **AUDIO_TYPES}[self.mime]


def sniff(data: bytes) -> str | None:
    """The accepted media type the bytes start with, or None."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head[4:8] == b"ftyp" and head[8:12] in M4A_BRANDS:
        return "audio/mp4"
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "audio/aac"  # an ADTS frame: sync bits, MPEG layer 0
    if _two_mpeg_frames(data):
        return "audio/mpeg"  # MPEG audio frames without an ID3 tag
    return None


# Bit rates (kbit/s) by [MPEG-1?][layer] and index; sample rates by version and index.
_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mpeg_frame_length(data: bytes, at: int) -> int:
    """The length of the MPEG audio frame whose header starts at `at`, or 0 if none does."""
    if len(data) < at + 4 or data[at] != 0xFF or data[at + 1] & 0xE0 != 0xE0:
        return 0
    version, layer_bits = (data[at + 1] >> 3) & 3, (data[at + 1] >> 1) & 3
    rate_index, bit_index = (data[at + 2] >> 2) & 3, data[at + 2] >> 4
    if version == 1 or layer_bits == 0 or rate_index == 3 or bit_index in (0, 15):
        return 0
    layer = 4 - layer_bits
    bitrate = _BITRATES[(version == 3, layer if version == 3 or layer == 1 else 2)][bit_index]
    rate, padding = _RATES[version][rate_index], (data[at + 2] >> 1) & 1
    if layer == 1:
        return (12 * bitrate * 1000 // rate + padding) * 4
    per_frame = 144 if version == 3 or layer == 2 else 72
    return per_frame * bitrate * 1000 // rate + padding


def _two_mpeg_frames(data: bytes) -> bool:
    """True when the bytes start with an MPEG audio frame followed by another: one header's
    worth of bits alone matches too much (a UTF-16 text's byte-order mark, for one)."""
    first = _mpeg_frame_length(data, 0)
    return first > 4 and _mpeg_frame_length(data, first) > 0


def _what_it_is(data: bytes) -> str:
    """A refusal naming what an unaccepted file looks like, when that is recognizable."""
    text = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in data[:4096].lower():
        return (
            "This file is an SVG drawing; SVG can carry scripts, so it is not accepted. "
            "Save it as PNG."
        )
    if text.startswith((b"<!doctype html", b"<html", b"<?php", b"<script", b"<?xml", b"<")):
        return "This file is HTML or another text document, not a picture or a sound."
    if data.startswith(b"PK\x03\x04"):
        return "This file is a zip archive, not a picture or a sound."
    return (
        "This file is not a picture or a sound this site accepts "
        "(pictures: PNG, JPEG, GIF, WebP; sound: MP3, Ogg, M4A/AAC, WAV)."
    )


def _size(n: int) -> str:
    """Bytes as MiB with one decimal, as the messages say them."""
    return f"{n / MIB:.1f} MiB"


def reencode(data: bytes, mime: str) -> Checked:
    """The picture decoded and written again in its own format, metadata dropped, downscaled to
    MAX_SIDE; a decompression bomb or an undecodable file is a MediaRefused."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice its limit: refuse both alike.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format != PIL_FORMATS[mime]:
                    raise MediaRefused("This picture's contents do not match its type.")
                opened.seek(0)
                # An animated GIF keeps its first frame: a question shows a still.
                image = ImageOps.exif_transpose(opened) if mime != "image/gif" else opened.copy()
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaRefused(
            "This picture has too many pixels to open safely (a decompression bomb?). "
            f"Send one of at most {MAX_SIDE} × {MAX_SIDE} pixels."
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, MediaRefused):
            raise
        raise MediaRefused("This picture is damaged or incomplete: it could not be read.") from exc
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    image.info.clear()  # EXIF, GPS, XMP, comments, text chunks: none of them is written back
    out = io.BytesIO()
    options: dict[str, object] = {}
    if mime == "image/jpeg":
        image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        options = {"quality": 90, "optimize": True}
    elif mime == "image/webp":
        options = {"quality": 90}
    image.save(out, format=PIL_FORMATS[mime], **options)
    return Checked(out.getvalue(), mime, image.width, image.height)


def check_upload(data: bytes, image_limit: int, audio_limit: int) -> Checked:
    """The file ready to store, or a MediaRefused saying what is wrong with it."""
    if not data:
        raise MediaRefused("The file is empty.")
    mime = sniff(data)
    if mime is None:
        raise MediaRefused(_what_it_is(data))
    limit = image_limit if mime in IMAGE_TYPES else audio_limit
    if len(data) > limit:
        kind = "Pictures" if mime in IMAGE_TYPES else "Sound files"
        raise MediaRefused(f"{kind} may be at most {_size(limit)}; this one is {_size(len(data))}.")
    if mime in IMAGE_TYPES:
        return reencode(data, mime)
    if len(data) < 64:
        raise MediaRefused("This sound file is too short to hold any sound.")
    return Checked(data, mime)


NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def media_name(filename: str, extension: str) -> str:
    """A name for Markdown's `media:NAME` from the uploaded file's name, with the extension of
    what the bytes are: letters, digits, dot, dash and underscore only."""
    stem = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = NAME_UNSAFE.sub("-", stem).strip(".-_")[:100] or "file"
    return f"{stem}.{extension}"
