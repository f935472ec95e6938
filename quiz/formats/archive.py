"""Zip and zstd inputs (.apkg, .colpkg, .xlsx) checked before anything in them is read. Pure.

A zip is refused before one entry is decompressed when it has too many entries, when its
entries claim more than MAX_UNPACKED bytes together, or when a name could point outside a folder
(`..`, an absolute or drive path). Reading an entry then stops at its declared size, so a zip
whose headers lie is caught too. A zstd frame is refused when its header declares more than
the limit, when it decompresses to more than the limit or to another size than declared, or
when it ends early (a truncated frame).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

import zstandard

from quiz.formats.common import FormatError

MAX_ENTRIES = 30_000  # an Anki package holds one entry per media file
MAX_UNPACKED = 512 * 1024 * 1024  # all entries together, as their headers declare
MAX_ENTRY = 256 * 1024 * 1024  # one entry (a collection or a sheet), as read
ZIP_MAGIC = b"PK\x03\x04"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_DRIVE = re.compile(r"^[A-Za-z]:")


class PackageError(FormatError):
    """A binary file that cannot be imported: where in it (an entry, a note id, a row) and why."""

    def __init__(self, problem: str, where: str = "") -> None:
        super().__init__(0, problem)
        self.where = where
        ValueError.__init__(self, f"{where}: {problem}" if where else problem)


def is_zip(data: bytes) -> bool:
    """Whether bytes start like a zip file."""
    return data[:4] == ZIP_MAGIC


def name_problem(name: str) -> str:
    """What is wrong with an entry's name, or "" (no `..`, no absolute or drive path)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return f"the entry '{name}' has an absolute path"
    if ".." in parts:
        return f"the entry '{name}' climbs out of its folder ('..')"
    if "\x00" in name:
        return "an entry's name holds a NUL character"
    return ""


def open_zip(
    data: bytes, max_entries: int = MAX_ENTRIES, max_unpacked: int = MAX_UNPACKED
) -> zipfile.ZipFile:
    """The zip file, after checking its entry count, total declared size and names."""
    if not is_zip(data):
        raise PackageError("not a zip file (an .apkg, .colpkg or .xlsx file is a zip)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise PackageError(f"the zip file is damaged ({error})") from error
    if len(infos) > max_entries:
        raise PackageError(f"the zip file has {len(infos):,} entries; at most {max_entries:,}")
    total = sum(info.file_size for info in infos)
    if total > max_unpacked:
        raise PackageError(
            f"the zip file would unpack to {total / 2**20:,.0f} MB; at most "
            f"{max_unpacked / 2**20:,.0f} MB (is it a zip bomb?)"
        )
    for info in infos:
        problem = name_problem(info.filename)
        if problem:
            raise PackageError(problem)
    return archive


def read_entry(archive: zipfile.ZipFile, name: str, limit: int = MAX_ENTRY) -> bytes:
    """One entry's bytes, read no further than its declared size (and the limit)."""
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise PackageError(f"the zip file has no '{name}'") from error
    if info.file_size > limit:
        raise PackageError(f"'{name}' unpacks to more than {limit / 2**20:,.0f} MB")
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError) as error:
        # A bad CRC, a damaged deflate stream, an unsupported method or an encrypted entry.
        raise PackageError(f"'{name}' is damaged ({error})") from error
    if len(data) != info.file_size:
        raise PackageError(f"'{name}' is not the size its zip header says")
    return data


def unzstd(data: bytes, name: str, limit: int = MAX_ENTRY) -> bytes:
    """A zstd frame's content, after checking its declared size and then its real size."""
    if data[:4] != ZSTD_MAGIC:
        raise PackageError(f"'{name}' is not zstd-compressed")
    try:
        declared = zstandard.get_frame_parameters(data).content_size
    except zstandard.ZstdError as error:
        raise PackageError(f"'{name}': the zstd frame header is damaged ({error})") from error
    known = declared != zstandard.CONTENTSIZE_UNKNOWN
    if known and declared > limit:
        raise PackageError(
            f"'{name}': the zstd frame declares {_size(declared)}; at most {_size(limit)}"
        )
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=False)
    out = io.BytesIO()
    try:
        while True:
            chunk = reader.read(1 << 20)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > limit:
                raise PackageError(f"'{name}': the zstd frame unpacks to more than {_size(limit)}")
    except zstandard.ZstdError as error:
        if known and "too small" in str(error):
            raise PackageError(
                f"'{name}': the zstd frame declares {declared:,} bytes but holds more"
            ) from error
        raise PackageError(f"'{name}': the zstd frame is damaged ({error})") from error
    content = out.getvalue()
    if known and len(content) != declared:
        raise PackageError(
            f"'{name}': the zstd frame declares {declared:,} bytes but holds {len(content):,}"
            " (truncated?)"
        )
    if not _frame_complete(data):  # a cut-off checksum or last block, whatever was declared
        raise PackageError(f"'{name}': the zstd frame is truncated")
    return content


def _frame_complete(data: bytes) -> bool:
    """Whether a frame of unknown size decodes to its end (zstd reports a cut-off input)."""
    decoder = zstandard.ZstdDecompressor().decompressobj()
    try:
        decoder.decompress(data)
    except zstandard.ZstdError:
        return False
    return bool(decoder.eof)


def _size(count: int) -> str:
    """A byte count for a message: MB from one megabyte up."""
    return f"{count / 2**20:,.0f} MB" if count >= 2**20 else f"{count:,} bytes"
