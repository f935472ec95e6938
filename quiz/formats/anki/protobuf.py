"""The little of protobuf's wire format that Anki's newer collections need. Pure.

Anki 2.1.50+ keeps a note type's kind and each template's front and back formats, and the
package's media list, in protobuf blobs. Reading their few fields takes no generated code:
each field is a varint key (number << 3 | wire type) and a value.
"""

from __future__ import annotations

from collections.abc import Iterator


class ProtobufError(ValueError):
    """Bytes that are not a protobuf message."""


def _varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at a position and the position after it."""
    value, shift = 0, 0
    while True:
        if position >= len(data) or shift > 63:
            raise ProtobufError("a varint runs past the end")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, position


def fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """Each (field number, value) of a message: ints for varints and fixed widths, bytes
    for length-delimited values (strings and nested messages)."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
            yield number, value
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            if position + width > len(data):
                raise ProtobufError("a fixed-width value runs past the end")
            yield number, int.from_bytes(data[position : position + width], "little")
            position += width
        elif wire == 2:
            length, position = _varint(data, position)
            if position + length > len(data):
                raise ProtobufError("a length-delimited value runs past the end")
            yield number, data[position : position + length]
            position += length
        else:
            raise ProtobufError(f"wire type {wire} is not supported")


def first(data: bytes, number: int, default: int | bytes = 0) -> int | bytes:
    """The first value of a field, or the default (protobuf omits default values)."""
    for found, value in fields(data):
        if found == number:
            return value
    return default


def text(data: bytes, number: int) -> str:
    """A string field, or ""."""
    value = first(data, number, b"")
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def encode(pairs: list[tuple[int, int | bytes | str]]) -> bytes:
    """A message of varint and length-delimited fields (for tests and the writer side)."""
    out = bytearray()
    for number, value in pairs:
        if isinstance(value, int):
            out += _encode_varint(number << 3) + _encode_varint(value)
        else:
            raw = value.encode() if isinstance(value, str) else value
            out += _encode_varint(number << 3 | 2) + _encode_varint(len(raw)) + raw
    return bytes(out)


def _encode_varint(value: int) -> bytes:
    """A non-negative int as a varint."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
