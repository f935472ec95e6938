"""Real files for the media tests: pictures drawn with Pillow, sound with real headers."""

from __future__ import annotations

import io
import struct
import wave
import zipfile
import zlib

from PIL import Image


def picture(fmt: str = "PNG", size: tuple[int, int] = (40, 30), exif: bytes | None = None) -> bytes:
    """A small real picture in the format, optionally carrying EXIF (GPS) bytes."""
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    options = {"exif": exif} if exif else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def gps_exif() -> bytes:
    """EXIF bytes with a GPS position, as a phone writes them."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    exif[0x010F] = "PhoneMaker"
    return exif.tobytes()


def wav(seconds: float = 0.1) -> bytes:
    """A real WAV file of silence."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * int(8000 * seconds))
    return out.getvalue()


def mp3() -> bytes:
    """An ID3v2 header followed by MPEG-1 layer III frames of silence."""
    frame = b"\xff\xfb\x90\x64" + b"\0" * 413  # 128 kbit/s, 44.1 kHz: 417 bytes a frame
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * 4


def ogg() -> bytes:
    """An Ogg page header (capture pattern, version 0, beginning of stream) and padding."""
    return b"OggS\x00\x02" + b"\0" * 20 + b"\x01\x1e\x01vorbis" + b"\0" * 200


def m4a() -> bytes:
    """An MP4 `ftyp` box of brand M4A and an empty `mdat`."""
    ftyp = struct.pack(">I", 24) + b"ftypM4A \x00\x00\x02\x00M4A isom"
    return ftyp + struct.pack(">I", 208) + b"mdat" + b"\0" * 200


def aac() -> bytes:
    """Raw ADTS frames."""
    return (b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\0" * 9) * 8


def png_with_huge_header(side: int = 60_000) -> bytes:
    """A PNG whose header claims side × side pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def zip_file() -> bytes:
    """A real zip archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("song.mp3", b"not really")
    return out.getvalue()


PHP = b"<?php system($_GET['c']); ?>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
