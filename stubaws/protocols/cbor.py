"""CBOR (RFC 8949), the subset the ``smithy-rpc-v2-cbor`` protocol uses.

Encoding writes definite lengths, the shortest integer heads, doubles for floats (so a value
survives the trip unchanged), and tag 1 (epoch seconds) for datetimes. Decoding reads what any
client may send: definite and indefinite lengths, half/single/double floats, tag 1, and the
simple values false, true, null and undefined.
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from typing import Any

__all__ = ["CBORDecodeError", "dumps", "loads"]

_UTC = dt.timezone.utc
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=_UTC)


class CBORDecodeError(ValueError):
    """The bytes are not one well-formed CBOR data item."""


# --- encoding ------------------------------------------------------------------------------------


def _head(major: int, value: int, out: bytearray) -> None:
    major <<= 5
    if value < 24:
        out.append(major | value)
    elif value < 0x100:
        out += bytes((major | 24, value))
    elif value < 0x10000:
        out.append(major | 25)
        out += value.to_bytes(2, "big")
    elif value < 0x100000000:
        out.append(major | 26)
        out += value.to_bytes(4, "big")
    else:
        out.append(major | 27)
        out += value.to_bytes(8, "big")


def _encode(value: Any, out: bytearray) -> None:
    if value is None:
        out.append(0xF6)
    elif value is True:
        out.append(0xF5)
    elif value is False:
        out.append(0xF4)
    elif isinstance(value, int):
        if value >= 0:
            _head(0, value, out)
        else:
            _head(1, -1 - value, out)
    elif isinstance(value, float):
        if math.isnan(value):
            out += b"\xf9\x7e\x00"
        elif math.isinf(value):
            out += b"\xf9\x7c\x00" if value > 0 else b"\xf9\xfc\x00"
        else:
            out.append(0xFB)
            out += struct.pack(">d", value)
    elif isinstance(value, str):
        encoded = value.encode("utf-8")
        _head(3, len(encoded), out)
        out += encoded
    elif isinstance(value, (bytes, bytearray, memoryview)):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=_UTC)
        delta = moment - _EPOCH
        out.append(0xC1)  # tag 1: epoch-based date/time
        if delta.microseconds:
            _encode((delta.days * 86400 + delta.seconds) + delta.microseconds / 1_000_000, out)
        else:
            _encode(delta.days * 86400 + delta.seconds, out)
    elif isinstance(value, dict):
        _head(5, len(value), out)
        for key, item in value.items():
            _encode(key, out)
            _encode(item, out)
    elif isinstance(value, (list, tuple)):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as CBOR")


def dumps(value: Any) -> bytes:
    """``value`` (None, bool, int, float, str, bytes, datetime, list, dict) as CBOR."""
    out = bytearray()
    _encode(value, out)
    return bytes(out)


# --- decoding ------------------------------------------------------------------------------------


class _Reader:
    __slots__ = ("data", "pos")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, count: int) -> bytes:
        end = self.pos + count
        if end > len(self.data):
            raise CBORDecodeError("the CBOR data ends in the middle of an item")
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise CBORDecodeError("the CBOR data ends in the middle of an item")
        value = self.data[self.pos]
        self.pos += 1
        return value


_BREAK = object()


def _argument(reader: _Reader, info: int) -> int:
    if info < 24:
        return info
    if info == 24:
        return reader.byte()
    if info == 25:
        return int.from_bytes(reader.take(2), "big")
    if info == 26:
        return int.from_bytes(reader.take(4), "big")
    if info == 27:
        return int.from_bytes(reader.take(8), "big")
    raise CBORDecodeError(f"reserved additional information {info}")


def _chunks(reader: _Reader, major: int) -> bytes:
    parts = []
    while True:
        initial = reader.byte()
        if initial == 0xFF:
            return b"".join(parts)
        if initial >> 5 != major or initial & 31 == 31:
            raise CBORDecodeError("an indefinite-length string holds a chunk of another type")
        parts.append(reader.take(_argument(reader, initial & 31)))


def _decode(reader: _Reader) -> Any:
    initial = reader.byte()
    major, info = initial >> 5, initial & 31
    if major == 0:
        return _argument(reader, info)
    if major == 1:
        return -1 - _argument(reader, info)
    if major in (2, 3):
        raw = _chunks(reader, major) if info == 31 else reader.take(_argument(reader, info))
        if major == 2:
            return raw
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise CBORDecodeError("a text string is not valid UTF-8") from None
    if major == 4:
        if info == 31:
            items = []
            while (item := _decode(reader)) is not _BREAK:
                items.append(item)
            return items
        return [_item(reader) for _ in range(_argument(reader, info))]
    if major == 5:
        mapping: dict[Any, Any] = {}
        if info == 31:
            while (key := _decode(reader)) is not _BREAK:
                mapping[_hashable(key)] = _item(reader)
        else:
            for _ in range(_argument(reader, info)):
                key = _item(reader)
                mapping[_hashable(key)] = _item(reader)
        return mapping
    if major == 6:
        tag = _argument(reader, info)
        value = _item(reader)
        if tag == 1:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise CBORDecodeError("tag 1 does not hold a number")
            return _EPOCH + dt.timedelta(seconds=value)
        return value
    # major 7: simple values and floats
    if info == 20:
        return False
    if info == 21:
        return True
    if info in (22, 23):
        return None
    if info == 25:
        return struct.unpack(">e", reader.take(2))[0]
    if info == 26:
        return struct.unpack(">f", reader.take(4))[0]
    if info == 27:
        return struct.unpack(">d", reader.take(8))[0]
    if info == 31:
        return _BREAK
    if info == 24:
        reader.byte()
        return None
    if info < 20:
        return None
    raise CBORDecodeError(f"reserved simple value {info}")


def _item(reader: _Reader) -> Any:
    value = _decode(reader)
    if value is _BREAK:
        raise CBORDecodeError("a break code stands where an item should")
    return value


def _hashable(key: Any) -> Any:
    if isinstance(key, (list, dict)):
        raise CBORDecodeError("a map key is an array or a map")
    return key


def loads(data: bytes) -> Any:
    """The one CBOR data item ``data`` holds."""
    reader = _Reader(bytes(data))
    value = _item(reader)
    if reader.pos != len(reader.data):
        raise CBORDecodeError("bytes follow the CBOR data item")
    return value
