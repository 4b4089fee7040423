"""Documents that carry types of their own: JSON (the ``json`` and ``rest-json`` protocols) and
CBOR (``smithy-rpc-v2-cbor``). Writing JSON is planned once per shape; reading is one walk of
the shape shared by both formats, which differ only in how a document spells member names,
timestamps, blobs and special numbers.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any, Callable, Mapping

from botocore.model import Shape

from .base import MalformedRequest
from .scalars import UTC, b64decode, b64encode, float_text, format_timestamp, parse_timestamp, timestamp_format


def json_name(name: str, shape: Shape) -> str:
    return shape.serialization.get("name", name)


def to_json(shape: Shape, value: Any) -> Any:
    """A Python value of ``shape`` as the JSON value AWS puts on the wire."""
    return _json_writer(shape)(value)


#: shape types whose Python values are already their JSON values
_JSON_AS_IS = frozenset(("string", "integer", "long", "boolean", "byte", "short"))


def _as_is(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=None)
def _json_writer(shape: Shape) -> Callable[[Any], Any]:
    """The function that turns a value of ``shape`` into JSON, planned once per shape: a
    response then only walks the values it has, not every trait of every member."""
    kind = shape.type_name
    if kind in _JSON_AS_IS or (kind == "structure" and shape.metadata.get("document")):
        return _as_is
    if kind == "structure":
        members = {
            name: (json_name(name, member), None if member.type_name in _JSON_AS_IS else member)
            for name, member in shape.members.items()
        }
        if all(wire == name and member is None for name, (wire, member) in members.items()):
            # Only scalars, under their own names: the value is its JSON, less what is unset.
            return lambda value: {k: v for k, v in value.items() if v is not None and k in members}

        def write_structure(value: Mapping[str, Any]) -> dict[str, Any]:
            out = {}
            for name, item in value.items():
                found = members.get(name)
                if found is None or item is None:
                    continue
                wire, member = found
                out[wire] = item if member is None else _json_writer(member)(item)
            return out

        return write_structure
    if kind == "list":
        member = shape.member
        if member.type_name in _JSON_AS_IS:
            return list
        return lambda value: [_json_writer(member)(item) for item in value]
    if kind == "map":
        member = shape.value
        if member.type_name in _JSON_AS_IS:
            return dict
        return lambda value: {key: _json_writer(member)(item) for key, item in value.items()}
    if kind == "timestamp":
        fmt = timestamp_format(shape, "unixTimestamp")
        return lambda value: format_timestamp(value, fmt)
    if kind == "blob":
        return b64encode
    if kind in ("float", "double"):
        return lambda value: float_text(value) if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))) else value
    return _as_is


class DocumentFormat:
    """How a document format spells what the model types: member names, timestamps, blobs and
    numbers. JSON and CBOR differ only here; :func:`read_document` does the rest."""

    def member_keys(self, name: str, member: Shape) -> tuple[str, ...]:
        raise NotImplementedError

    def timestamp(self, shape: Shape, value: Any) -> dt.datetime:
        raise NotImplementedError

    def blob(self, shape: Shape, value: Any) -> bytes:
        raise NotImplementedError

    def number(self, shape: Shape, value: Any) -> Any:
        return checked_scalar(shape, value)


class _JSONFormat(DocumentFormat):
    def member_keys(self, name: str, member: Shape) -> tuple[str, ...]:
        return (json_name(name, member),)

    def timestamp(self, shape: Shape, value: Any) -> dt.datetime:
        return parse_timestamp(value)

    def blob(self, shape: Shape, value: Any) -> bytes:
        if not isinstance(value, str):
            raise MalformedRequest(f"expected base64 text for {shape.name}")
        return b64decode(value)

    def number(self, shape: Shape, value: Any) -> Any:
        # JSON has no NaN or infinities: AWS sends them as strings.
        if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
            return float(value.replace("Infinity", "inf"))
        return checked_scalar(shape, value)


class _CBORFormat(DocumentFormat):
    def member_keys(self, name: str, member: Shape) -> tuple[str, ...]:
        # Smithy's RPC v2 CBOR names members by their own names; accept the wire name too.
        wire = member.serialization.get("name", name)
        return (name,) if wire == name else (name, wire)

    def timestamp(self, shape: Shape, value: Any) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return dt.datetime.fromtimestamp(value, UTC)
        raise MalformedRequest(f"expected a timestamp for {shape.name}")

    def blob(self, shape: Shape, value: Any) -> bytes:
        if not isinstance(value, bytes):
            raise MalformedRequest(f"expected a byte string for {shape.name}")
        return value

    def number(self, shape: Shape, value: Any) -> Any:
        return float(checked_scalar(shape, value))


JSON_DOCUMENT: DocumentFormat = _JSONFormat()
CBOR_DOCUMENT: DocumentFormat = _CBORFormat()


def from_json(shape: Shape, value: Any) -> Any:
    """A JSON value from the wire as the Python value of ``shape``."""
    return read_document(shape, value, JSON_DOCUMENT)


def read_document(shape: Shape, value: Any, spelling: DocumentFormat) -> Any:
    """A decoded document's value as the Python value of ``shape``.

    A ``null`` member of an object is a member not sent; a ``null`` item of a list or value
    of a map is refused unless the shape is ``sparse`` (Smithy's malformed-request tests,
    ``RestJsonBodyMalformedListNullItem`` and ``RestJsonBodyMalformedMapNullValue``)."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return value
        if not isinstance(value, dict):
            raise MalformedRequest(f"expected an object for {shape.name}")
        out = {}
        for name, member in shape.members.items():
            for key in spelling.member_keys(name, member):
                item = value.get(key)
                if item is not None:
                    out[name] = read_document(member, item, spelling)
                    break
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise MalformedRequest(f"expected an array for {shape.name}")
        items = [read_document(shape.member, item, spelling) for item in value]
        if None in items and not is_sparse(shape):
            raise MalformedRequest(f"the list {shape.name} holds a null item")
        return items
    if kind == "map":
        if not isinstance(value, dict):
            raise MalformedRequest(f"expected an object for {shape.name}")
        if None in value.values() and not is_sparse(shape):
            raise MalformedRequest(f"the map {shape.name} holds a null value")
        return {checked_scalar(shape.key, key): read_document(shape.value, item, spelling) for key, item in value.items()}
    if kind == "timestamp":
        return spelling.timestamp(shape, value)
    if kind == "blob":
        return spelling.blob(shape, value)
    if kind in ("float", "double"):
        return spelling.number(shape, value)
    return checked_scalar(shape, value)


def checked_scalar(shape: Shape, value: Any) -> Any:
    """A decoded document's boolean, integer, number or string, refused unless it is of the
    shape's type (a document carries types of its own, unlike text on the wire)."""
    kind = shape.type_name
    if kind == "boolean":
        ok = isinstance(value, bool)
    elif kind in ("integer", "long", "byte", "short"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind in ("float", "double"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif kind == "string":
        ok = isinstance(value, str)
    else:
        return value
    if not ok:
        raise MalformedRequest(f"expected a {kind} for {shape.name}")
    return value


def is_sparse(shape: Shape) -> bool:
    """Whether a list or map may hold nulls (botocore keeps the ``sparse`` trait only in the
    raw shape model)."""
    return bool(getattr(shape, "_shape_model", {}).get("sparse"))


#: a ``\uD800``-``\uDFFF`` escape: only then can a decoded string hold a lone surrogate
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def load_json(raw: bytes) -> Any:
    """The JSON document of a request body (``{}`` for an empty one).

    Refused as malformed: text that is not JSON or not UTF-8, nesting deeper than the
    decoder can follow, and a string escape naming half of a UTF-16 surrogate pair
    (``"\\ud800"``), which stands for no character: Smithy's JSON decoder refuses it, and a
    fake that stored it could not write it back as UTF-8.
    """
    if not raw.strip():
        return {}
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise MalformedRequest("the request body is not valid JSON") from None
    if b"\\u" in raw and _SURROGATE_ESCAPE.search(raw) and _holds_lone_surrogate(document):
        raise MalformedRequest("the request body holds an unpaired UTF-16 surrogate escape")
    return document


def _holds_lone_surrogate(document: Any) -> bool:
    # The decoder joins a well-formed pair into one character: a surrogate left over is alone.
    pending = [document]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_JSON_ASCII = json.JSONEncoder(separators=(",", ":"))


def dump_json(value: Any) -> bytes:
    text = _JSON.encode(value)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a canned answer) has no UTF-8 form; as an escape it reads
        # back unchanged through botocore's JSON parser.
        return _JSON_ASCII.encode(value).encode("ascii")
